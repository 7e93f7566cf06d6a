package dev.scratchspace;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One space on disk, as listed by {@link ScratchSpaceManager#spaces()}.
 *
 * @param owner the owner, with its coordinates when the owner index knows them
 * @param key the key
 * @param path the absolute path of the space
 * @param sizeBytes the sum of the sizes of the regular files in it (links not followed)
 * @param fileCount the number of regular files in it
 * @param lastAccess the newest access recorded in the usage log
 * @param parentProjects the project files recorded as using the space
 * @param status whether a parent project still exists
 * @param orphanedSince when garbage collection first found the space orphaned
 * @param leased whether a live manager holds a lease on the space
 */
public record ScratchSpace(ScratchOwner owner, String key, Path path, long sizeBytes, long fileCount,
		Optional<Instant> lastAccess, List<Path> parentProjects, Status status, Optional<Instant> orphanedSince,
		boolean leased) {

	public ScratchSpace {
		Objects.requireNonNull(owner, "'owner' must not be null");
		Objects.requireNonNull(key, "'key' must not be null");
		Objects.requireNonNull(path, "'path' must not be null");
		Objects.requireNonNull(lastAccess, "'lastAccess' must not be null");
		parentProjects = List.copyOf(parentProjects);
		Objects.requireNonNull(status, "'status' must not be null");
		Objects.requireNonNull(orphanedSince, "'orphanedSince' must not be null");
	}

	/** Whether anything still uses a space, as far as the usage log tells. */
	public enum Status {

		/** At least one parent project recorded in the usage log still exists. */
		LIVE,

		/**
		 * The space was tracked, but every parent project is gone. Condensing the usage log
		 * drops such a space's entry; the orphanage still lists it, so it stays orphaned.
		 */
		ORPHANED,

		/**
		 * The usage log has no entry for the space, and the orphanage does not list it as
		 * orphaned from its parents.
		 */
		UNTRACKED

	}

}
