package dev.scratchspace;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Reaches the package-private parts of the core that the benchmarks compare with their
 * baselines. It ships in the core's test jar, which the benchmarks depend on, and is no part
 * of the API.
 */
public final class BenchmarkSupport {

	private BenchmarkSupport() {
	}

	/**
	 * The bytes that one access appends to the usage log.
	 * @param space the space's absolute path
	 * @param time the access time
	 * @param project the caller's project file
	 * @return the entry, exactly as the manager writes it
	 */
	public static byte[] usageLogEntry(Path space, Instant time, Path project) {
		return UsageLog.formatEntry(space.toString(), time, List.of(project.toString()));
	}

	/**
	 * The size walk of {@link ScratchSpaceManager#spaces()} without the rest of the inventory
	 * (usage log, orphanage, leases): list the spaces, then sum each one's regular files.
	 * @param depot the depot, whose {@code scratchspaces} directory holds the spaces
	 * @return the number of spaces, of regular files, and their total size in bytes
	 */
	public static long[] sizeWalk(Path depot) {
		long[] totals = new long[3];
		Path spacesRoot = depot.resolve(DepotLayout.SPACES_DIRECTORY);
		for (SpaceListing.Entry entry : SpaceListing.list(depot, spacesRoot, null)) {
			totals[0]++;
			if (entry.symbolicLink()) {
				continue;
			}
			long[] sizeAndCount = DepotFiles.sizeAndCount(entry.path());
			totals[1] += sizeAndCount[1];
			totals[2] += sizeAndCount[0];
		}
		return totals;
	}

}
