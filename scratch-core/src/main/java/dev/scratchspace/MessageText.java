package dev.scratchspace;

import java.time.Duration;
import java.util.List;

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

	/** A delay in words, as the collectors' reasons give it: "7-day", "12-hour", "zero". */
	static String describe(Duration duration) {
		if (duration.isZero()) {
			return "zero";
		}
		long seconds = duration.getSeconds();
		if (duration.getNano() == 0 && seconds % 86400 == 0) {
			return (seconds / 86400) + "-day";
		}
		if (duration.getNano() == 0 && seconds % 3600 == 0) {
			return (seconds / 3600) + "-hour";
		}
		if (duration.getNano() == 0 && seconds % 60 == 0) {
			return (seconds / 60) + "-minute";
		}
		return duration.toString();
	}

	/** Up to three items, then how many more there are. */
	static String describeList(List<String> items) {
		if (items.size() <= 3) {
			return String.join(", ", items);
		}
		return String.join(", ", items.subList(0, 3)) + " and " + (items.size() - 3) + " more";
	}

}
