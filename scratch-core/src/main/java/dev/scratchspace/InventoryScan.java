package dev.scratchspace;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Builds the list of {@link ScratchSpace}s from the disk, the usage log, the orphanage, the
 * owner index and the leases; reads only. The manager's {@code spaces()}.
 */
final class InventoryScan {

	/** The cause the collector gives a space without any usage-log entry. */
	static final String NEVER_TRACKED = "no access was ever recorded";

	private final ManagerState state;

	private final DepotLayout layout;

	private final Path spacesRoot;

	InventoryScan(ManagerState state, Path spacesRoot) {
		this.state = state;
		this.layout = state.layout();
		this.spacesRoot = spacesRoot;
	}

	List<ScratchSpace> spaces(Predicate<? super Path> measure) {
		List<SpaceListing.Entry> entries = SpaceListing.list(this.layout.root(), this.spacesRoot, null);
		if (entries.isEmpty()) {
			return List.of();
		}
		UsageLog usage = readQuietly(() -> UsageLogReader.read(this.layout.usageLog()));
		Orphanage orphanage = readQuietly(() -> Orphanage.read(this.layout.orphanage()));
		// The inventory has no warnings to report: like the logs', the index's damage shows in gc.
		Map<UUID, String> owners = OwnerIndex.read(this.layout.ownerIndex()).owners();
		Set<String> leased = new HashSet<>(Lease.scan(this.layout.leases(), false).leasedPaths());
		ProjectCheck projects = new ProjectCheck();
		List<ScratchSpace> spaces = new ArrayList<>(entries.size());
		for (SpaceListing.Entry entry : entries) {
			String path = entry.path().toString();
			// A link counts as nothing: sizeAndCount never follows one.
			long[] size = measure.test(entry.path()) ? DepotFiles.sizeAndCount(entry.path()) : new long[2];
			UsageLog.Usage use = (usage != null) ? usage.spaces().get(path) : null;
			List<Path> parents = (use != null) ? projects.paths(use.parentProjects()) : List.of();
			Instant orphanedSince = (orphanage != null) ? orphanage.orphans().get(path) : null;
			ScratchSpace.Status status = status(use, projects, orphanedSince != null
					&& !NEVER_TRACKED.equals(Objects.requireNonNull(orphanage).causes().get(path)));
			spaces.add(new ScratchSpace(owner(entry.owner(), owners), entry.key(), entry.path(), size[0], size[1],
					Optional.ofNullable((use != null) ? use.newest() : null), parents, status,
					Optional.ofNullable(orphanedSince),
					leased.contains(path) || this.state.isLeasedHere(entry.path())));
		}
		return spaces;
	}

	/**
	 * A space's status. Condensing the usage log drops the entry of a space whose parents are
	 * all gone, and the orphanage then remembers it: a space orphaned with parents is still
	 * {@code ORPHANED}, not {@code UNTRACKED}, until it is deleted or used again. A space the
	 * orphanage lists because it was never tracked stays {@code UNTRACKED}.
	 */
	static ScratchSpace.Status status(UsageLog.@Nullable Usage use, ProjectCheck projects, boolean orphanedWithParents) {
		if (use == null) {
			return orphanedWithParents ? ScratchSpace.Status.ORPHANED : ScratchSpace.Status.UNTRACKED;
		}
		return projects.anyExists(use.parentProjects()) ? ScratchSpace.Status.LIVE : ScratchSpace.Status.ORPHANED;
	}

	static ScratchOwner owner(UUID uuid, Map<UUID, String> owners) {
		String coordinates = owners.get(uuid);
		if (coordinates == null) {
			return ScratchOwner.of(uuid);
		}
		return ScratchOwner.withCoordinates(uuid, coordinates);
	}

	private static <T> @Nullable T readQuietly(IoSupplier<T> reader) {
		try {
			return reader.get();
		}
		catch (IOException ex) {
			return null;
		}
	}

	@FunctionalInterface
	private interface IoSupplier<T> {

		T get() throws IOException;

	}

}
