package dev.scratchspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** Builds the list of {@link ScratchSpace}s from the disk, the usage log and the leases. */
final class Inventory {

	private final Depot depot;

	private final Path spacesRoot;

	Inventory(Depot depot, Path spacesRoot) {
		this.depot = depot;
		this.spacesRoot = spacesRoot;
	}

	List<ScratchSpace> spaces() {
		List<SpaceListing.Entry> entries = SpaceListing.list(this.depot.root, this.spacesRoot, null);
		if (entries.isEmpty()) {
			return List.of();
		}
		UsageLog usage = readQuietly(() -> UsageLog.read(this.depot.usageLog));
		Orphanage orphanage = readQuietly(() -> Orphanage.read(this.depot.orphanage));
		Map<UUID, String> owners = OwnerIndex.read(this.depot.ownerIndex);
		Set<String> leased = new HashSet<>(Lease.scan(this.depot.leases, false).leasedPaths());
		ProjectCheck projects = new ProjectCheck();
		List<ScratchSpace> spaces = new ArrayList<>(entries.size());
		for (SpaceListing.Entry entry : entries) {
			String path = entry.path().toString();
			// A link counts as nothing: sizeAndCount never follows one.
			long[] size = DepotFiles.sizeAndCount(entry.path());
			UsageLog.Usage use = (usage != null) ? usage.spaces().get(path) : null;
			List<Path> parents = (use != null) ? projects.paths(use.parentProjects()) : List.of();
			ScratchSpace.Status status = (use == null) ? ScratchSpace.Status.UNTRACKED
					: projects.anyExists(use.parentProjects()) ? ScratchSpace.Status.LIVE
							: ScratchSpace.Status.ORPHANED;
			Instant orphanedSince = (orphanage != null) ? orphanage.orphans().get(path) : null;
			spaces.add(new ScratchSpace(owner(entry.owner(), owners), entry.key(), entry.path(), size[0], size[1],
					Optional.ofNullable((use != null) ? use.newest() : null), parents, status,
					Optional.ofNullable(orphanedSince),
					leased.contains(path) || this.depot.isLeasedHere(entry.path())));
		}
		return spaces;
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

	/** Whether project files exist, asking the file system once per file. */
	static final class ProjectCheck {

		private final Map<String, Boolean> exists = new HashMap<>();

		boolean exists(String project) {
			return this.exists.computeIfAbsent(project, ProjectCheck::check);
		}

		boolean anyExists(Iterable<String> projects) {
			for (String project : projects) {
				if (exists(project)) {
					return true;
				}
			}
			return false;
		}

		List<Path> paths(Iterable<String> projects) {
			List<Path> paths = new ArrayList<>();
			for (String project : projects) {
				try {
					paths.add(Path.of(project));
				}
				catch (InvalidPathException ex) {
					// Not a path on this platform: it cannot keep anything alive either.
				}
			}
			return paths;
		}

		private static boolean check(String project) {
			try {
				Path path = Path.of(project);
				return path.isAbsolute() && Files.exists(path);
			}
			catch (InvalidPathException ex) {
				return false;
			}
		}

	}

}
