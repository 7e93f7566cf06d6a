package dev.scratchspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * The artifact commands of {@link ScratchChild}.
 */
final class ArtifactChild {

	private ArtifactChild() {
	}

	/**
	 * {@code artifact-create <depot> <arrivals> <expected>}: creates the same artifact as every
	 * other process of the race, its populator returning only once {@code expected} processes
	 * have filled their staging directories, so that all of them reach the rename; prints
	 * {@code created <hash>}.
	 */
	static void create(Path depot, String[] args) throws Exception {
		Path arrivals = Path.of(args[2]);
		int expected = Integer.parseInt(args[3]);
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			String hash = manager.artifacts().create((staging) -> {
				fill(staging);
				Files.writeString(arrivals.resolve(Long.toString(ProcessHandle.current().pid())), "here");
				ScratchChild.awaitEntries(arrivals, expected);
			});
			System.out.println("created " + hash);
		}
	}

	/**
	 * {@code artifact-lease <depot> <artifact directory>}: adds the artifact to a lease of
	 * this process, under the shared lease lock, as a manager does before it hands an artifact
	 * out; prints {@code leased}, then holds the lease until standard input closes.
	 */
	static void lease(Path depot, String[] args) throws Exception {
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			Path real = manager.depot();
			try (Lease lease = new Lease(real, real.resolve("leases"), Duration.ofSeconds(30))) {
				if (!lease.add(real.resolve("artifacts").resolve(args[2]))) {
					throw new IllegalStateException("the lease lock was held too long");
				}
				System.out.println("leased");
				while (System.in.read() != -1) {
					// hold the lease
				}
			}
		}
	}

	/** The content of the artifact that {@code artifact-create} makes. */
	static void fill(Path dir) throws Exception {
		Path bin = Files.createDirectories(dir.resolve("bin"));
		Files.writeString(bin.resolve("tool"), "#!/bin/sh\necho tool\n");
		Files.setPosixFilePermissions(bin.resolve("tool"), PosixFilePermissions.fromString("rwxr-xr-x"));
		Path data = Files.createDirectories(dir.resolve("share/data"));
		for (int i = 0; i < 50; i++) {
			Files.writeString(data.resolve("part-" + i), "content " + i + "\n".repeat(i));
		}
		Files.createSymbolicLink(dir.resolve("tool"), Path.of("bin/tool"));
	}

}
