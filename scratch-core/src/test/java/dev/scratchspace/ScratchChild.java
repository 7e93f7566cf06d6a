package dev.scratchspace;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The program that {@link ChildJvm} starts: one command per process, on a depot given as
 * the first argument.
 */
public final class ScratchChild {

	private static final Duration DEADLINE = Duration.ofSeconds(90);

	private ScratchChild() {
	}

	public static void main(String[] args) throws Exception {
		String command = args[0];
		Path depot = Path.of(args[1]);
		switch (command) {
			// track <depot> <owner> <project> <key>...: one access per key
			case "track" -> {
				ScratchOwner owner = ScratchOwner.parse(args[2]).withProject(Path.of(args[3]));
				try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
					for (int i = 4; i < args.length; i++) {
						manager.getScratch(owner, args[i]);
					}
				}
			}
			// track-many <depot> <owner> <project> <prefix> <count>: keys <prefix>0..<count-1>
			case "track-many" -> {
				ScratchOwner owner = ScratchOwner.parse(args[2]).withProject(Path.of(args[3]));
				int count = Integer.parseInt(args[5]);
				try (ScratchSpaceManager manager = ScratchSpaceManager.builder()
					.depot(depot)
					.accessLogInterval(Duration.ZERO)
					.build()) {
					for (int i = 0; i < count; i++) {
						manager.getScratch(owner, args[4] + i);
					}
				}
			}
			// populate <depot> <owner> <key> <counter file>: counts populator runs in the file
			case "populate" -> {
				ScratchOwner owner = ScratchOwner.parse(args[2]);
				Path counter = Path.of(args[4]);
				try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
					Path space = manager.getOrPopulate(owner, args[3], (staging) -> {
						Files.writeString(counter, "run\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
						for (int i = 0; i < 20; i++) {
							Files.writeString(staging.resolve("part-" + i), "content " + i);
						}
						Thread.sleep(200);
					});
					try (var files = Files.list(space)) {
						System.out.println("files=" + files.count());
					}
				}
			}
			// lease <depot> <owner> <key> <ready file>: leases the space, writes the ready
			// file, then holds the lease until standard input closes
			case "lease" -> {
				ScratchOwner owner = ScratchOwner.parse(args[2]);
				try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
					manager.getScratch(owner, args[3]);
					Files.writeString(Path.of(args[4]), UUID.randomUUID().toString());
					while (System.in.read() != -1) {
						// hold the lease
					}
				}
			}
			// writer <depot> <owner> <project> <count> <shared owner> <shared count> <gc progress>
			case "writer" -> writer(depot, args);
			// gc-loop <depot> <gc progress>: collects with no delay until standard input closes
			case "gc-loop" -> gcLoop(depot, Path.of(args[2]));
			// track-forever <depot> <owner> <project> <prefix>: tracks new keys until killed
			case "track-forever" -> trackForever(depot, args);
			// populate-pausing <depot> <owner> <key> <files> <pause at> <counter>
			case "populate-pausing" -> populatePausing(depot, args);
			// populate-forever <depot> <owner> <prefix> <files>: populates new keys until killed
			case "populate-forever" -> populateForever(depot, args);
			// populate-race <depot> <owner> <key> <files> <counter> <arrivals> <expected>
			case "populate-race" -> populateRace(depot, args);
			// hold-and-inspect <depot> <owner> <key>: leases an untracked space, then lists the
			// depot and collects in this same process, and holds the lease until input closes
			case "hold-and-inspect" -> holdAndInspect(depot, args);
			// read-only <depot> <owner> <existing key> <new key>: reports what each operation does
			case "read-only" -> readOnly(depot, args);
			// delete-and-collect <depot> <owner> <key>: deletes the space, then collects with no
			// delay, and reports what each did
			case "delete-and-collect" -> deleteAndCollect(depot, args);
			// hold-lock <depot> <lock file> <shared|exclusive>: locks the whole file as a
			// collector or a manager would, prints "locked", holds it until input closes
			case "hold-lock" -> holdLock(Path.of(args[2]), "shared".equals(args[3]));
			// probe-lock <depot> <lock file>...: exits with 0 if other processes hold every one
			// of the files locked, 1 if this one could take a lock
			case "probe-lock" -> {
				for (int i = 2; i < args.length; i++) {
					try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(Path.of(args[i]),
							StandardOpenOption.WRITE)) {
						java.nio.channels.FileLock lock = channel.tryLock();
						if (lock != null) {
							lock.release();
							System.out.println("free " + args[i]);
							System.exit(1);
						}
					}
				}
			}
			// artifact-create <depot> <arrivals> <expected>: see ArtifactChild
			case "artifact-create" -> ArtifactChild.create(depot, args);
			// artifact-archive <depot> <archive> <mtime-millis>, artifact-install <depot> <toml> <name>
			case "artifact-archive" -> ArtifactChild.archive(depot, args);
			case "artifact-install" -> ArtifactChild.install(depot, args);
			// artifact-bind <depot> <toml> <prefix> <count>
			case "artifact-bind" -> ArtifactChild.bind(depot, args);
			// artifact-lease <depot> <artifact directory>: leases it as handing it out does
			case "artifact-lease" -> ArtifactChild.lease(depot, args);
			default -> SafetyChild.run(command, depot, args);
		}
	}

	/**
	 * Tracks {@code count} spaces of its own and re-tracks shared ones, pausing twice
	 * until the collector has finished another run, so that collections interleave with the
	 * writes. Then checks that every space it holds exists, holds them until standard input
	 * closes, and checks again.
	 */
	private static void writer(Path depot, String[] args) throws Exception {
		ScratchOwner owner = ScratchOwner.parse(args[2]).withProject(Path.of(args[3]));
		int count = Integer.parseInt(args[4]);
		ScratchOwner shared = ScratchOwner.parse(args[5]);
		int sharedCount = Integer.parseInt(args[6]);
		Path gcProgress = Path.of(args[7]);
		Set<Path> held = new LinkedHashSet<>();
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder()
			.depot(depot)
			.accessLogInterval(Duration.ZERO)
			.build()) {
			System.out.println("started");
			long collections = progress(gcProgress);
			for (int i = 0; i < count; i++) {
				held.add(manager.getScratch(owner, "own-" + i));
				if (i % 5 == 0) {
					held.add(manager.getScratch(shared, "shared-" + (i / 5) % sharedCount, owner));
				}
				if (i % 7 == 0) {
					manager.getScratch(owner, "own-" + i / 2);
				}
				if (i == count / 3 || i == 2 * count / 3) {
					collections = awaitProgress(gcProgress, collections);
				}
			}
			reportHeld("held", held);
			awaitEndOfInput();
			reportHeld("verified", held);
		}
	}

	private static void reportHeld(String label, Set<Path> held) {
		int missing = 0;
		for (Path space : held) {
			if (!Files.isDirectory(space, LinkOption.NOFOLLOW_LINKS)) {
				System.out.println("missing " + space);
				missing++;
			}
		}
		System.out.println(label + " " + held.size() + " missing " + missing);
	}

	private static void gcLoop(Path depot, Path gcProgress) throws Exception {
		AtomicBoolean stop = stopWhenInputEnds();
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			for (long run = 1; !stop.get(); run++) {
				System.out.println("gc-start " + run);
				GcReport report = manager.collectGarbage(GcOptions.defaults().withCollectDelay(Duration.ZERO));
				for (String warning : report.warnings()) {
					System.out.println("warning " + MessageText.printable(warning));
				}
				for (GcDecision decision : report.decisions()) {
					if (decision.action() != GcDecision.Action.KEPT
							&& decision.action() != GcDecision.Action.SKIPPED_LEASED) {
						System.out.println("decision " + decision.action() + " " + decision.path());
					}
				}
				System.out.println("gc " + run + " spaces=" + report.decisions().size() + " deleted="
						+ report.deletedCount() + " warnings=" + report.warnings().size());
				Path temporary = gcProgress.resolveSibling(gcProgress.getFileName() + ".tmp");
				Files.writeString(temporary, Long.toString(run));
				Files.move(temporary, gcProgress, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
		}
	}

	private static void trackForever(Path depot, String[] args) {
		ScratchOwner owner = ScratchOwner.parse(args[2]).withProject(Path.of(args[3]));
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder()
			.depot(depot)
			.accessLogInterval(Duration.ZERO)
			.build()) {
			for (int i = 0; i < 100_000; i++) {
				manager.getScratch(owner, args[4] + i);
				manager.getScratch(owner, "shared-" + i % 10);
				System.out.println("tracked " + args[4] + i);
			}
		}
	}

	/**
	 * Populates one space with numbered files, stopping after {@code pause at} files (or,
	 * when that is the number of files plus one, after getOrPopulate returned) until standard
	 * input closes, so that the test can kill it at exactly that point.
	 */
	private static void populatePausing(Path depot, String[] args) throws Exception {
		ScratchOwner owner = ScratchOwner.parse(args[2]);
		int files = Integer.parseInt(args[4]);
		int pauseAt = Integer.parseInt(args[5]);
		Path counter = Path.of(args[6]);
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			System.out.println("calling");
			Path space = manager.getOrPopulate(owner, args[3], (staging) -> {
				Files.writeString(counter, "run " + ProcessHandle.current().pid() + "\n", StandardOpenOption.CREATE,
						StandardOpenOption.APPEND);
				for (int i = 0; i <= files; i++) {
					if (i == pauseAt) {
						System.out.println("paused " + i);
						awaitEndOfInput();
					}
					if (i < files) {
						Files.writeString(staging.resolve(fileName(i)), fileContent(i));
					}
				}
			});
			System.out.println("populated " + describeContent(space, files));
			if (pauseAt > files) {
				System.out.println("paused " + pauseAt);
				awaitEndOfInput();
			}
		}
	}

	private static void populateForever(Path depot, String[] args) throws Exception {
		ScratchOwner owner = ScratchOwner.parse(args[2]);
		int files = Integer.parseInt(args[4]);
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			for (int k = 0; k < 100_000; k++) {
				Path space = manager.getOrPopulate(owner, args[3] + k, (staging) -> {
					for (int i = 0; i < files; i++) {
						Files.writeString(staging.resolve(fileName(i)), fileContent(i));
					}
				});
				System.out.println("populated " + args[3] + k + " " + describeContent(space, files));
			}
		}
	}

	/**
	 * Announces itself in the arrivals directory, then populates; the populator that runs
	 * waits until every process has arrived, so that all of them race for the same space.
	 */
	private static void populateRace(Path depot, String[] args) throws Exception {
		ScratchOwner owner = ScratchOwner.parse(args[2]);
		int files = Integer.parseInt(args[4]);
		Path counter = Path.of(args[5]);
		Path arrivals = Path.of(args[6]);
		int expected = Integer.parseInt(args[7]);
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			Files.writeString(arrivals.resolve(Long.toString(ProcessHandle.current().pid())), "here");
			Path space = manager.getOrPopulate(owner, args[3], (staging) -> {
				Files.writeString(counter, "run " + ProcessHandle.current().pid() + "\n", StandardOpenOption.CREATE,
						StandardOpenOption.APPEND);
				awaitEntries(arrivals, expected);
				for (int i = 0; i < files; i++) {
					Files.writeString(staging.resolve(fileName(i)), fileContent(i));
				}
			});
			System.out.println("populated " + describeContent(space, files));
		}
	}

	private static void holdAndInspect(Path depot, String[] args) throws Exception {
		ScratchOwner owner = ScratchOwner.parse(args[2]);
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			Path space = manager.getScratch(owner, args[3]);
			System.out.println("listed " + manager.spaces().size());
			GcReport report = manager.collectGarbage(GcOptions.defaults());
			System.out.println("collected " + report.decisions().size());
			System.out.println("inspected");
			awaitEndOfInput();
			System.out.println("still there " + Files.isDirectory(space, LinkOption.NOFOLLOW_LINKS));
		}
	}

	private static void readOnly(Path depot, String[] args) {
		ScratchOwner owner = ScratchOwner.parse(args[2]);
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			probe("writable", () -> Files.isWritable(depot));
			probe("getScratch-existing", () -> manager.getScratch(owner, args[3]));
			probe("getScratch-existing-again", () -> manager.getScratch(owner.withProject(depot), args[3]));
			probe("getOrPopulate-existing", () -> manager.getOrPopulate(owner, args[3],
					(staging) -> System.out.println("populator ran")));
			probe("getScratch-new", () -> manager.getScratch(owner, args[4]));
			probe("getOrPopulate-new", () -> manager.getOrPopulate(owner, args[4] + "-populated",
					(staging) -> System.out.println("populator ran")));
			probe("collectGarbage", () -> manager.collectGarbage(GcOptions.defaults().withCollectDelay(Duration.ZERO))
				.warnings());
			probe("spaces", () -> manager.spaces().size());
			probe("deleteScratch", () -> {
				manager.deleteScratch(owner, args[3]);
				return "done";
			});
		}
	}

	private static void deleteAndCollect(Path depot, String[] args) {
		ScratchOwner owner = ScratchOwner.parse(args[2]);
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			probe("deleteScratch", () -> {
				manager.deleteScratch(owner, args[3]);
				return "done";
			});
			probe("collectGarbage", () -> {
				GcReport report = manager.collectGarbage(GcOptions.defaults().withCollectDelay(Duration.ZERO));
				return "deleted=" + report.deletedCount() + " warnings=" + report.warnings();
			});
		}
	}

	private static void holdLock(Path lockFile, boolean shared) throws IOException {
		Files.createDirectories(lockFile.getParent());
		try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
				StandardOpenOption.WRITE); FileLock lock = channel.lock(0, Long.MAX_VALUE, shared)) {
			System.out.println("locked " + lock.isShared());
			awaitEndOfInput();
		}
	}

	private static void probe(String operation, Callable<Object> action) {
		try {
			System.out.println(operation + " ok " + action.call());
		}
		catch (Exception ex) {
			System.out.println(operation + " failed " + ex.getClass().getName() + " "
					+ MessageText.printable(String.valueOf(ex.getMessage())));
		}
	}

	static String fileName(int i) {
		return "part-" + i;
	}

	static String fileContent(int i) {
		return "content of part " + i + "\n".repeat(i % 7 + 1);
	}

	/** {@code files=<n> complete=<whether every numbered file is there with its content>}. */
	static String describeContent(Path space, int files) throws IOException {
		long count;
		try (Stream<Path> entries = Files.list(space)) {
			count = entries.count();
		}
		boolean complete = count == files;
		for (int i = 0; complete && i < files; i++) {
			Path file = space.resolve(fileName(i));
			complete = Files.isRegularFile(file) && Files.readString(file).equals(fileContent(i));
		}
		return "files=" + count + " complete=" + complete;
	}

	private static void awaitEndOfInput() throws IOException {
		while (System.in.read() != -1) {
			// keep waiting
		}
	}

	static AtomicBoolean stopWhenInputEnds() {
		AtomicBoolean stop = new AtomicBoolean();
		Thread watcher = new Thread(() -> {
			try {
				awaitEndOfInput();
			}
			catch (IOException ex) {
				// treat as the end
			}
			stop.set(true);
		}, "stdin");
		watcher.setDaemon(true);
		watcher.start();
		return stop;
	}

	private static long progress(Path file) throws IOException {
		try {
			return Long.parseLong(Files.readString(file).trim());
		}
		catch (NoSuchFileException | NumberFormatException ex) {
			return 0;
		}
	}

	/** Waits, by watching its directory, until the number in a file exceeds {@code seen}. */
	private static long awaitProgress(Path file, long seen) throws Exception {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		try (WatchService watcher = file.getFileSystem().newWatchService()) {
			file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
					StandardWatchEventKinds.ENTRY_MODIFY);
			while (true) {
				long now = progress(file);
				if (now > seen) {
					return now;
				}
				checkDeadline(deadline, "progress in " + file + " beyond " + seen);
				WatchKey key = watcher.poll(1, TimeUnit.SECONDS);
				if (key != null) {
					key.pollEvents();
					key.reset();
				}
			}
		}
	}

	/** Waits, by watching it, until a directory holds {@code expected} entries. */
	static void awaitEntries(Path dir, int expected) throws Exception {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		try (WatchService watcher = dir.getFileSystem().newWatchService()) {
			dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
			while (true) {
				try (Stream<Path> entries = Files.list(dir)) {
					if (entries.count() >= expected) {
						return;
					}
				}
				checkDeadline(deadline, expected + " entries in " + dir);
				WatchKey key = watcher.poll(1, TimeUnit.SECONDS);
				if (key != null) {
					key.pollEvents();
					key.reset();
				}
			}
		}
	}

	private static void checkDeadline(long deadline, String what) {
		if (System.nanoTime() > deadline) {
			System.out.println("timed out waiting for " + what);
			System.exit(3);
		}
	}

}
