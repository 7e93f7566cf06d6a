package dev.scratchspace;

/**
 * Text in a depot file that is not the TOML the reader expects. Thrown and caught inside the
 * readers only, once per damaged entry, so it carries no stack trace.
 */
final class MalformedTomlException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int line;

	MalformedTomlException(String message) {
		this(message, 0);
	}

	/**
	 * @param message what is wrong
	 * @param line the 1-based line of the problem within the text that was read, or 0 when
	 * the problem is not tied to one line
	 */
	MalformedTomlException(String message, int line) {
		super(message, null, false, false);
		this.line = line;
	}

	int line() {
		return this.line;
	}

}
