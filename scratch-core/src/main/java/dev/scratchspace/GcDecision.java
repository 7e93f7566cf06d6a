package dev.scratchspace;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What one garbage-collection run decided for one space or artifact, and why.
 *
 * @param path the space, or the artifact's directory {@code <depot>/artifacts/<tree hash>}
 * @param action what was done
 * @param reason the reason, in words a person understands
 */
public record GcDecision(Path path, Action action, String reason) {

	public GcDecision {
		Objects.requireNonNull(path, "'path' must not be null");
		Objects.requireNonNull(action, "'action' must not be null");
		Objects.requireNonNull(reason, "'reason' must not be null");
	}

	/** The outcome for one space. */
	public enum Action {

		/**
		 * A parent project still exists (or the size bound and age limit allow it); for an
		 * artifact, a recorded {@code Artifacts.toml} that exists binds it, or what binds it
		 * could not be read.
		 */
		KEPT,

		/** Orphaned, but still inside the collect delay. */
		ORPHANED,

		/** Orphaned for at least the collect delay, and deleted. */
		DELETED,

		/** Deleted to bring the depot under the maximum total size (spaces only). */
		EVICTED,

		/** Would have been deleted, but a live manager holds a lease on it. */
		SKIPPED_LEASED,

		/** Deleting it failed; the reason says why. */
		FAILED

	}

}
