package dev.scratchspace.cli;

/**
 * Bad command-line input: the message names the input and the rule, and the command line
 * exits with {@link ScratchCommandLine#USAGE}.
 */
final class UsageException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	UsageException(String message) {
		super(message);
	}

	/**
	 * Quotes user input for a message, with control characters escaped, so that a stray
	 * newline or escape sequence cannot forge or garble the error line.
	 */
	static String quote(String input) {
		StringBuilder out = new StringBuilder(input.length() + 2).append('\'');
		for (int i = 0; i < input.length(); i++) {
			char c = input.charAt(i);
			if (Character.isISOControl(c)) {
				out.append(String.format("\\u%04x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		return out.append('\'').toString();
	}

}
