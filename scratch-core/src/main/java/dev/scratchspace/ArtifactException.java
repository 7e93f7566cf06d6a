package dev.scratchspace;

/**
 * An artifact that cannot be hashed, created or installed as asked: a special file or a link
 * leaving the tree, content that does not match its hash. The message names the artifact or
 * the file and what was wrong. Failures to read or write the depot itself are
 * {@link java.io.UncheckedIOException}s, as everywhere else.
 */
public final class ArtifactException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what was wrong, and where
	 */
	public ArtifactException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a cause.
	 * @param message what was wrong, and where
	 * @param cause the underlying failure
	 */
	public ArtifactException(String message, Throwable cause) {
		super(message, cause);
	}

}
