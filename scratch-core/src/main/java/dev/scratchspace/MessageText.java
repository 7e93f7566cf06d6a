package dev.scratchspace;

/**
 * Untrusted text made fit for an exception message or a warning: a key, an owner or a path
 * read from the environment or a file may hold control characters or be very long.
 */
final class MessageText {

	private static final int LIMIT = 300;

	private MessageText() {
	}

	/**
	 * Quotes untrusted text for a message: control characters escaped, length bounded.
	 * @param text the text
	 * @return the text as it may be shown
	 */
	static String printable(String text) {
		StringBuilder out = new StringBuilder();
		int limit = Math.min(text.length(), LIMIT);
		for (int i = 0; i < limit; i++) {
			char c = text.charAt(i);
			if (Character.isISOControl(c)) {
				out.append(String.format("\\u%04x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		if (text.length() > limit) {
			out.append("...(").append(text.length()).append(" characters)");
		}
		return out.toString();
	}

}
