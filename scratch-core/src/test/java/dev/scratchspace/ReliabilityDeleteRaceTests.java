package dev.scratchspace;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deletions and size walks under attack from inside a space: a directory swapped for a link
 * to outside the depot while it is being deleted, directories without permissions, a tree
 * 10,000 levels deep, and links at every level. Nothing outside the depot may be lost, and
 * every space must still be removable.
 */
class ReliabilityDeleteRaceTests {

	private static final ScratchOwner OWNER = ScratchOwner.of("org.example", "raced");

	private static final GcOptions NO_DELAY = GcOptions.defaults().withCollectDelay(Duration.ZERO);

	/** Rounds of the swap race per operation; each round swaps every directory many times. */
	static final int RACE_ROUNDS = 6;

	/** Directories of the raced space, each swapped for a link while the delete runs. */
	static final int RACE_DIRECTORIES = 24;

	/** Files in each raced directory, and in the outside directory: the same names. */
	static final int RACE_FILES = 48;

	static final int DEEP_LEVELS = 10_000;

	/** A deep chain has a one-byte file every this many levels (creating files is slow). */
	static final int DEEP_FILE_EVERY = 100;

	static final int DEEP_FILES = DEEP_LEVELS / DEEP_FILE_EVERY;

	@TempDir
	Path temp;

	private Path depot;

	private Path project;

	private Path outside;

	private Map<String, String> outsideBefore;

	@BeforeEach
	void createDepotAndOutside() throws IOException {
		this.depot = this.temp.resolve("depot");
		this.project = Files.writeString(this.temp.resolve("app.jar"), "jar");
		this.outside = Files.createDirectories(this.temp.resolve("outside"));
		for (int i = 0; i < RACE_FILES; i++) {
			Files.writeString(this.outside.resolve(fileName(i)), "outside " + i);
		}
		Files.createDirectories(this.outside.resolve("sub"));
		Files.writeString(this.outside.resolve("sub/deeper"), "keep");
		this.outsideBefore = DirectorySnapshot.of(this.outside);
	}

	@AfterEach
	void outsideIsUntouched() throws IOException {
		assertThat(DirectorySnapshot.of(this.outside)).as("the directory outside the depot")
			.isEqualTo(this.outsideBefore);
	}

	/** The ways a space gets deleted. */
	enum Deletion {

		/** The recursive delete itself. */
		WALK,

		/** {@code deleteScratch(owner, key)}. */
		DELETE_SCRATCH,

		/** {@code clearScratchSpaces(owner)}. */
		CLEAR_OWNER,

		/** {@code clearScratchSpaces()}. */
		CLEAR_ALL,

		/** {@code collectGarbage} with no delay, of a space whose project is gone. */
		COLLECT;

		/** Deletes; returns the warnings of a collection, or nothing. */
		List<String> run(ReliabilityDeleteRaceTests test, Path space, String key) throws IOException {
			switch (this) {
				case WALK -> DepotFiles.deleteRecursively(space);
				case DELETE_SCRATCH -> test.inManager((manager) -> manager.deleteScratch(OWNER, key));
				case CLEAR_OWNER -> test.inManager((manager) -> manager.clearScratchSpaces(OWNER));
				case CLEAR_ALL -> test.inManager(ScratchSpaceManager::clearScratchSpaces);
				case COLLECT -> {
					Files.deleteIfExists(test.project);
					try (ScratchSpaceManager manager = test.builder().build()) {
						return manager.collectGarbage(NO_DELAY).warnings();
					}
				}
			}
			return List.of();
		}

	}

	/**
	 * A thread swaps every directory of the space, again and again, for a link to a
	 * directory outside the depot whose files have the very names of the swapped
	 * directory's files, and back, while the space is deleted. A delete that resolves a
	 * path again through the link would remove those outside files.
	 */
	@ParameterizedTest
	@EnumSource(Deletion.class)
	void directorySwappedForALinkWhileDeletingIsRemovedAsALinkAndNothingOutsideIsLost(Deletion deletion)
			throws Exception {
		int swaps = 0;
		List<String> outcomes = new ArrayList<>();
		for (int round = 0; round < RACE_ROUNDS; round++) {
			String key = "raced-" + round;
			Path space = trackedSpace(key);
			Path stash = Files.createDirectories(this.temp.resolve("stash-" + round));
			for (int d = 0; d < RACE_DIRECTORIES; d++) {
				Path dir = Files.createDirectories(space.resolve("d" + d));
				for (int i = 0; i < RACE_FILES; i++) {
					Files.writeString(dir.resolve(fileName(i)), "inside " + i);
				}
			}
			LinkSwapper swapper = new LinkSwapper(() -> space, stash, this.outside, RACE_DIRECTORIES);
			swapper.start();
			swapper.awaitFirstCycle();
			try {
				outcomes.add(deletion.name() + ": " + deletion.run(this, space, key));
			}
			catch (UncheckedIOException | IOException ex) {
				// A directory put back by the swapper can make the delete give up: allowed.
				outcomes.add(deletion.name() + " failed: " + ex.getMessage());
			}
			finally {
				swaps += swapper.finish();
			}
			assertThat(lostOutsideFiles()).as("outside files lost in round %d after %d swaps (%s)", round, swaps,
					outcomes)
				.isZero();
			// Undisturbed, the same deletion removes what the swapper put back.
			if (Files.exists(space, LinkOption.NOFOLLOW_LINKS)) {
				deletion.run(this, space, key);
			}
			assertThat(space).doesNotExist();
		}
		assertThat(swaps).as("swaps").isGreaterThan(RACE_ROUNDS * RACE_DIRECTORIES);
	}

	/**
	 * Directories without permissions, or without write permission, inside a space: the
	 * owner deletes them. (Run as root, whom permissions do not stop, this checks the walk
	 * handles their empty permission sets; the test below runs the same as an unprivileged
	 * owner.)
	 */
	@ParameterizedTest
	@EnumSource(Deletion.class)
	void directoriesWithoutPermissionsAreDeletedByTheirOwner(Deletion deletion) throws Exception {
		Path space = trackedSpace("locked");
		lockContent(space);
		List<String> warnings = deletion.run(this, space, "locked");
		assertThat(warnings).isEmpty();
		assertThat(space).doesNotExist();
	}

	/**
	 * The same as the owner without privileges: a child JVM runs as {@code nobody} on a
	 * depot that {@code nobody} owns. This needs root to change user; as any other user the
	 * test above already runs unprivileged, and this one is reported as skipped.
	 */
	@Test
	void directoriesWithoutPermissionsAreDeletedByAnUnprivilegedOwner() throws Exception {
		Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
				"not root: directoriesWithoutPermissionsAreDeletedByTheirOwner already runs without privileges");
		Assumptions.assumeTrue(onPath("setpriv"), "setpriv (util-linux) is needed to run as nobody");
		Path deleted = trackedSpace("deleted");
		Path collected = trackedSpace("collected");
		lockContent(deleted);
		lockContent(collected);
		Files.delete(this.project);
		Files.setPosixFilePermissions(this.temp, PosixFilePermissions.fromString("rwxr-xr-x"));
		String classPath = readableClassPath(Files.createDirectories(this.temp.resolve("class-path")));
		chownTree(this.depot, 65534);
		Path workDir = Files.createDirectories(this.temp.resolve("child"));
		chownTree(workDir, 65534);
		List<String> lines;
		try (WatchedChild child = WatchedChild.startWithClassPath(workDir,
				List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"), List.of(), classPath,
				"delete-and-collect", this.depot.toString(), "org.example:raced", "deleted")) {
			child.awaitSuccess();
			lines = child.lines();
		}
		assertThat(lines).contains("deleteScratch ok done", "collectGarbage ok deleted=1 warnings=[]");
		assertThat(deleted).doesNotExist();
		assertThat(collected).doesNotExist();
	}

	/**
	 * Two spaces holding a chain of directories 10,000 levels deep are sized exactly, then
	 * one is deleted by {@code deleteScratch} and the other by the collector, in a child JVM
	 * limited to 256 file descriptors: the walk keeps few directories open, where every
	 * level kept open would take 20,000. (Without {@code prlimit} the child runs unlimited.)
	 * One test for both, as creating 20,000 directories is slow on a busy disk.
	 */
	@Test
	void treeTenThousandLevelsDeepIsSizedAndDeletedWithinAFewFileDescriptors() throws Exception {
		Path deleted = trackedSpace("deep-deleted");
		Path collected = trackedSpace("deep-collected");
		try {
			Path bottom = deepChain(deleted.resolve("chain"), DEEP_LEVELS);
			deepChain(collected.resolve("chain"), DEEP_LEVELS);
			assertThat(bottom.toString().length()).as("path length of the bottom").isGreaterThan(4096);
			assertThat(DepotFiles.sizeAndCount(deleted)).containsExactly(DEEP_FILES, DEEP_FILES);
			try (ScratchSpaceManager manager = builder().build()) {
				assertThat(manager.spaces()).hasSize(2).allSatisfy((listed) -> {
					assertThat(listed.sizeBytes()).isEqualTo(DEEP_FILES);
					assertThat(listed.fileCount()).isEqualTo(DEEP_FILES);
				});
			}
			Files.delete(this.project);
			List<String> limit = onPath("prlimit") ? List.of("prlimit", "--nofile=256:256", "--") : List.of();
			List<String> lines;
			try (WatchedChild child = WatchedChild.start(this.temp.resolve("child"), limit, List.of(),
					"delete-and-collect", this.depot.toString(), "org.example:raced", "deep-deleted")) {
				child.awaitSuccess();
				lines = child.lines();
			}
			assertThat(lines).contains("deleteScratch ok done", "collectGarbage ok deleted=1 warnings=[]");
			assertThat(deleted).doesNotExist();
			assertThat(collected).doesNotExist();
		}
		finally {
			// What a failed delete left, removed level by level with short paths, so that
			// the temporary directory can be cleaned.
			unnest(deleted.resolve("chain"));
			unnest(collected.resolve("chain"));
		}
	}

	/**
	 * Links at every level: a space that is itself a link, and inside spaces links to a
	 * file outside, to a directory outside, to the space itself and dangling ones, at the
	 * top, one level down, and deeper than the walk keeps directories open. Each is removed
	 * as a link; the targets are untouched.
	 */
	@ParameterizedTest
	@EnumSource(Deletion.class)
	void linksAtEveryLevelAreDeletedAsLinks(Deletion deletion) throws Exception {
		Path space = trackedSpace("linked");
		for (String level : List.of("", "one", "one/two", "deep/" + "d/".repeat(SecureTree.OPEN_LEVELS + 3))) {
			Path dir = Files.createDirectories(space.resolve(level));
			Files.writeString(dir.resolve("own"), "own");
			Files.createSymbolicLink(dir.resolve("to-file"), this.outside.resolve(fileName(0)));
			Files.createSymbolicLink(dir.resolve("to-directory"), this.outside);
			Files.createSymbolicLink(dir.resolve("to-space"), space);
			Files.createSymbolicLink(dir.resolve("dangling"), this.temp.resolve("missing"));
		}
		assertThat(DepotFiles.sizeAndCount(space)).containsExactly(12, 4);
		Path linkedSpace = trackedSpace("link");
		Files.delete(linkedSpace);
		Files.createSymbolicLink(linkedSpace, this.outside);
		assertThat(DepotFiles.sizeAndCount(linkedSpace)).containsExactly(0, 0);
		deletion.run(this, space, "linked");
		deletion.run(this, linkedSpace, "link");
		assertThat(space).doesNotExist();
		assertThat(linkedSpace).doesNotExist();
		assertThat(Files.exists(linkedSpace, LinkOption.NOFOLLOW_LINKS)).isFalse();
	}

	/**
	 * Locks a space's content as some tools do: an empty directory without permissions, one
	 * with files and a subdirectory, one whose files may be read but not deleted, one that
	 * may only be entered, and one that may be listed but not entered.
	 */
	private static void lockContent(Path space) throws IOException {
		Files.createDirectories(space.resolve("none-empty"));
		Files.createDirectories(space.resolve("none-full/sub"));
		Files.writeString(space.resolve("none-full/file"), "x");
		Files.writeString(space.resolve("none-full/sub/file"), "y");
		Files.createDirectories(space.resolve("read-only/sub"));
		Files.writeString(space.resolve("read-only/file"), "z");
		Files.createDirectories(space.resolve("enter-only"));
		Files.writeString(space.resolve("enter-only/file"), "e");
		Files.createDirectories(space.resolve("list-only"));
		Files.writeString(space.resolve("list-only/file"), "l");
		setMode(space.resolve("none-full/sub"), "---------");
		setMode(space.resolve("none-full"), "---------");
		setMode(space.resolve("none-empty"), "---------");
		setMode(space.resolve("read-only/sub"), "r-x------");
		setMode(space.resolve("read-only"), "r-x------");
		setMode(space.resolve("enter-only"), "--x------");
		setMode(space.resolve("list-only"), "r--------");
	}

	private static void setMode(Path path, String mode) throws IOException {
		Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
	}

	/**
	 * Builds a chain of directories {@code levels} deep, with a one-byte file every
	 * {@value #DEEP_FILE_EVERY} levels from the bottom, using only short paths: each new
	 * level is made beside the chain, which is then moved into it.
	 * @return the path of the bottom directory, far longer than the kernel resolves
	 */
	static Path deepChain(Path target, int levels) throws IOException {
		Path work = Files.createDirectories(target.resolveSibling(target.getFileName() + ".building"));
		Path chain = Files.createDirectory(work.resolve("chain"));
		Files.write(chain.resolve("f"), new byte[1]);
		Path next = work.resolve("next");
		for (int level = 1; level < levels; level++) {
			Files.createDirectory(next);
			if (level % DEEP_FILE_EVERY == 0) {
				Files.write(next.resolve("f"), new byte[1]);
			}
			Files.move(chain, next.resolve("d"));
			Files.move(next, chain);
		}
		Files.move(chain, target);
		Files.delete(work);
		return target.resolve("d/".repeat(levels - 1));
	}

	/** Removes a chain made by {@link #deepChain}, moving each inner level out first. */
	private static void unnest(Path chain) throws IOException {
		Path parking = chain.resolveSibling(chain.getFileName() + ".unnesting");
		while (Files.isDirectory(chain, LinkOption.NOFOLLOW_LINKS)) {
			Path inner = chain.resolve("d");
			boolean deeper = Files.isDirectory(inner, LinkOption.NOFOLLOW_LINKS);
			if (deeper) {
				Files.move(inner, parking);
			}
			try (Stream<Path> entries = Files.list(chain)) {
				for (Path entry : entries.collect(Collectors.toList())) {
					Files.delete(entry);
				}
			}
			Files.delete(chain);
			if (!deeper) {
				return;
			}
			Files.move(parking, chain);
		}
	}

	private Path trackedSpace(String key) throws IOException {
		if (!Files.exists(this.project)) {
			Files.writeString(this.project, "jar");
		}
		try (ScratchSpaceManager manager = builder().build()) {
			return manager.getScratch(OWNER, key, OWNER.withProject(this.project));
		}
	}

	private long lostOutsideFiles() throws IOException {
		long lost = 0;
		for (int i = 0; i < RACE_FILES; i++) {
			if (!Files.exists(this.outside.resolve(fileName(i)))) {
				lost++;
			}
		}
		return lost;
	}

	private static boolean onPath(String command) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
				return true;
			}
		}
		return false;
	}

	private static String fileName(int i) {
		return "f" + i;
	}

	private void inManager(ManagerAction action) {
		try (ScratchSpaceManager manager = builder().build()) {
			action.run(manager);
		}
	}

	private ScratchSpaceManager.Builder builder() {
		return ScratchSpaceManager.builder().depot(this.depot);
	}

	/** This JVM's class path, with its jars copied where another user may read them. */
	private static String readableClassPath(Path dir) throws IOException {
		List<String> entries = new ArrayList<>();
		int n = 0;
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		for (String entry : classPath.split(File.pathSeparator)) {
			Path path = Path.of(entry);
			if (Files.isRegularFile(path)) {
				Path copy = dir.resolve((n++) + "-" + path.getFileName());
				Files.copy(path, copy);
				setMode(copy, "rw-r--r--");
				entries.add(copy.toString());
			}
			else {
				entries.add(entry);
			}
		}
		setMode(dir, "rwxr-xr-x");
		return String.join(File.pathSeparator, entries);
	}

	private static void chownTree(Path root, int uid) throws IOException {
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.collect(Collectors.toList())) {
				Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
				Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
			}
		}
	}

	@FunctionalInterface
	private interface ManagerAction {

		void run(ScratchSpaceManager manager);

	}

}
