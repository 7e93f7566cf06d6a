package dev.scratchspace;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;

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
	 * {@code artifact-archive <depot> <archive> <mtime-millis>}: creates the artifact of
	 * {@link #fillForArchive} with every entry's modification time set to the given one, in
	 * this process's umask, archives it and prints {@code archived <tree hash> <sha256>}.
	 */
	static void archive(Path depot, String[] args) throws Exception {
		FileTime mtime = FileTime.fromMillis(Long.parseLong(args[3]));
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			String hash = manager.artifacts().create((staging) -> {
				fillForArchive(staging);
				try (Stream<Path> all = Files.walk(staging)) {
					for (Path each : all.toList()) {
						Files.getFileAttributeView(each, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
							.setTimes(mtime, mtime, mtime);
					}
				}
			});
			String sha256 = manager.artifacts().archive(hash, Path.of(args[2]));
			System.out.println("archived " + hash + " " + sha256);
		}
	}

	/**
	 * {@code artifact-install <depot> <toml> <name>}: installs an artifact from its downloads
	 * and prints {@code installed <directory>}.
	 */
	static void install(Path depot, String[] args) throws Exception {
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			Path dir = manager.artifacts().ensureInstalled(Path.of(args[2]), args[3]);
			System.out.println("installed " + dir);
		}
	}

	/**
	 * {@code artifact-bind <depot> <toml> <prefix> <count>}: binds {@code <prefix>-0} to
	 * {@code <prefix>-<count - 1>} one after the other, each to its own hash.
	 */
	static void bind(Path depot, String[] args) throws Exception {
		int count = Integer.parseInt(args[4]);
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			for (int i = 0; i < count; i++) {
				String hash = String.format("%040x", i + 1);
				manager.artifacts().bind(Path.of(args[2]), args[3] + "-" + i, hash, java.util.List.of(), false);
			}
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

	/**
	 * {@link #fill}, and what stretches a tar header: a path longer than 100 bytes, a
	 * non-ASCII name, an empty directory, a file writable by its group, a dangling link.
	 */
	static void fillForArchive(Path dir) throws Exception {
		fill(dir);
		Path deep = Files.createDirectories(dir.resolve("a-rather-long-directory-name-for-a-tar-header/"
				+ "and-another-one-below-it-so-that-the-path-passes-one-hundred-bytes"));
		Files.writeString(deep.resolve("file-with-a-long-name-as-well.txt"), "deep\n");
		Files.writeString(dir.resolve("caf\u00e9 \u00fcber.txt"), "non-ASCII name\n");
		Files.createDirectories(dir.resolve("empty/inner"));
		Path shared = Files.writeString(dir.resolve("shared.txt"), "group may write\n");
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-rw-r--"));
		Files.createSymbolicLink(dir.resolve("dangling"), Path.of("no/such/target"));
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
