package dev.scratchspace;

import java.util.Objects;

/**
 * An artifact that cannot be hashed, created or installed as asked: a special file or a link
 * leaving the tree, content that does not match its hash. The message names the artifact or
 * the file and what was wrong, for people; the {@link #reason() reason} says which kind of
 * failure it is, for code that reacts to one kind (the wording of a message may change, its
 * reason does not). Failures to read or write the depot itself are
 * {@link java.io.UncheckedIOException}s, as everywhere else.
 */
public final class ArtifactException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** The kind of failure. */
	public enum Reason {

		/** The {@code Artifacts.toml} has no entry of the name asked for. */
		NOT_BOUND,

		/**
		 * The {@code Artifacts.toml} is not UTF-8, not valid TOML, or not in Julia's format (an
		 * entry without a valid {@code git-tree-sha1}, a download without a valid url or sha256).
		 */
		MALFORMED_TOML,

		/**
		 * The {@code Artifacts.toml} cannot be read: it does not exist, is no regular file, or
		 * is larger than any {@code Artifacts.toml} may be.
		 */
		UNREADABLE_TOML,

		/** The entry is platform-specific ({@code [[name]]}), which this library does not install. */
		PLATFORM_SPECIFIC,

		/**
		 * The artifact is not installed and nothing installs it (its entry lists no download),
		 * or an artifact to archive is not installed.
		 */
		NOT_INSTALLED,

		/** No download could be fetched (unreachable, refused, too large, cut short). */
		DOWNLOAD_FAILED,

		/**
		 * What was fetched does not match the entry: the tarball's sha256, or the tree hash of
		 * what it holds.
		 */
		HASH_MISMATCH,

		/**
		 * The tarball holds an entry that cannot be extracted safely (a path leaving the tree,
		 * a device, a link leading outside the artifact), or expands to more than allowed.
		 */
		UNSAFE_ARCHIVE,

		/**
		 * A tree to hash, archive or turn into an artifact holds what an artifact cannot: a
		 * FIFO, socket or device, a link leading out of it, a name that cannot be read exactly;
		 * or it is a link or no directory at all.
		 */
		UNSUPPORTED_CONTENT,

		/** A file changed while it was hashed or archived; trying again may succeed. */
		CHANGED_WHILE_READ,

		/**
		 * An {@code Artifacts.toml} cannot be edited to bind a name: the name is bound to
		 * another tree hash (and force was not asked for), the file is no regular file of the
		 * default file system, or the edit would change other entries.
		 */
		BIND_REFUSED,

		/** An archive was to be written inside an installed artifact, which never changes. */
		TARGET_REFUSED

	}

	private final Reason reason;

	/**
	 * Creates an exception.
	 * @param reason the kind of failure
	 * @param message what was wrong, and where
	 */
	public ArtifactException(Reason reason, String message) {
		super(message);
		this.reason = Objects.requireNonNull(reason, "'reason' must not be null");
	}

	/**
	 * Creates an exception with a cause.
	 * @param reason the kind of failure
	 * @param message what was wrong, and where
	 * @param cause the underlying failure
	 */
	public ArtifactException(Reason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = Objects.requireNonNull(reason, "'reason' must not be null");
	}

	/** @return the kind of failure */
	public Reason reason() {
		return this.reason;
	}

}
