package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link TreeHash} against the real {@code git}: fixed vectors written from git's output, and
 * random trees each compared with {@code git add -A && git write-tree}.
 */
class TreeHashTests {

	private static final long SEED = 0x5eed_7ee5L;

	private static final int RANDOM_TREES = 220;

	/** Trees generated and handed to one shell at a time. */
	private static final int BATCH = 20;

	private static final String GIT_OPTIONS = "-c core.fileMode=true -c core.symlinks=true"
			+ " -c core.excludesFile=/dev/null -c core.autocrlf=false";

	/** Names that git orders differently from a plain sort once a directory's gets its slash. */
	private static final List<String> NAMES = List.of("a", "a.b", "a-b", "a0", "a_", "A", "b", "ab", ".hidden",
			"..dots", "-dash", "x~", "with space", "\u00e9", "e\u0301", "\ud83c\udf89", "\u65e5\u672c",
			"z\u00e9\u00e9", "ze\u0301e\u0301", "tab\tname", "n", "n.txt", "n-1", "n1", "n0");

	@TempDir
	Path temp;

	private Path gitDir;

	@BeforeEach
	void createRepository() throws Exception {
		this.gitDir = this.temp.resolve("repository.git");
		git(this.temp, "init", "-q", "--bare", this.gitDir.toString());
	}

	@Test
	void emptyDirectoryIsTheEmptyTree() throws Exception {
		Path dir = Files.createDirectory(this.temp.resolve("empty"));
		assertThat(TreeHash.of(dir)).isEqualTo("4b825dc642cb6eb9a060e54bf8d69288fbee4904")
			.isEqualTo(TreeHash.EMPTY_TREE);
	}

	@Test
	void emptyFileAloneHasGitsHash() throws Exception {
		Path dir = Files.createDirectory(this.temp.resolve("tree"));
		Files.createFile(dir.resolve("a"));
		assertThat(TreeHash.of(dir)).isEqualTo("496d6428b9cf92981dc9495211e6e1120fb6f2ba");
	}

	@Test
	void filesExecutablesLinksAndDirectoriesHaveGitsHash() throws Exception {
		Path dir = Files.createDirectory(this.temp.resolve("tree"));
		Files.writeString(dir.resolve("a"), "hello\n");
		Files.writeString(dir.resolve("run"), "#!/bin/sh\n");
		Files.setPosixFilePermissions(dir.resolve("run"), PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.createSymbolicLink(dir.resolve("link"), Path.of("a"));
		Files.createDirectory(dir.resolve("d"));
		Files.writeString(dir.resolve("d/f"), "x");
		for (String name : List.of("a.b", "a-b", "a0")) {
			Files.createFile(dir.resolve(name));
		}
		Files.createDirectory(dir.resolve("a1"));
		assertThat(TreeHash.of(dir)).isEqualTo("5cfb78b86a2e2099daed667e973a881670d5cd7a");
	}

	@Test
	void directoryNamesSortWithATrailingSlash() throws Exception {
		Path dir = Files.createDirectory(this.temp.resolve("tree"));
		Files.createDirectory(dir.resolve("a"));
		Files.createFile(dir.resolve("a/x"));
		for (String name : List.of("a.b", "a-b", "a0")) {
			Files.createFile(dir.resolve(name));
		}
		assertThat(TreeHash.of(dir)).isEqualTo("a15d226b4127d7ba6ba528d2ed9eebc1261e92ef");
	}

	@Test
	void onlyTheOwnerExecuteBitMakesAFileExecutable() throws Exception {
		Path dir = Files.createDirectory(this.temp.resolve("tree"));
		Files.writeString(dir.resolve("run"), "x");
		Files.setPosixFilePermissions(dir.resolve("run"), PosixFilePermissions.fromString("rw-r-xr-x"));
		assertThat(TreeHash.of(dir)).isEqualTo("bcc39c3333abd1b6482629f8ac2acc7098f1c375");
		Files.setPosixFilePermissions(dir.resolve("run"), PosixFilePermissions.fromString("rwxr--r--"));
		assertThat(TreeHash.of(dir)).isEqualTo("b159d88637ca8d07cbb118ffefd1ce19038c3440");
	}

	@Test
	void gitEntriesAndDirectoriesWithoutFilesAreSkipped() throws Exception {
		Path dir = Files.createDirectory(this.temp.resolve("tree"));
		Files.createFile(dir.resolve("a"));
		Files.createDirectories(dir.resolve("empty/deeper/still"));
		Files.createDirectories(dir.resolve("only-git/.git/objects"));
		Files.writeString(dir.resolve(".git"), "not a repository");
		Files.createDirectories(dir.resolve("only-git-file"));
		Files.writeString(dir.resolve("only-git-file/.git"), "junk");
		assertThat(TreeHash.of(dir)).isEqualTo("496d6428b9cf92981dc9495211e6e1120fb6f2ba");
	}

	@Test
	void randomTreesHashAsGitWritesThem() throws Exception {
		SplittableRandom random = new SplittableRandom(SEED);
		for (int first = 0; first < RANDOM_TREES; first += BATCH) {
			List<Path> trees = new ArrayList<>();
			List<String> links = new ArrayList<>();
			for (int i = first; i < Math.min(first + BATCH, RANDOM_TREES); i++) {
				Path tree = Files.createDirectory(this.temp.resolve("tree-" + i));
				new TreeGenerator(random.split(), i, links).fill(tree);
				trees.add(tree);
			}
			List<String> expected = gitWriteTrees(links, trees);
			for (int i = 0; i < trees.size(); i++) {
				assertThat(TreeHash.of(trees.get(i))).as("tree %d of seed %x", first + i, SEED)
					.isEqualTo(expected.get(i));
				// Deleted here, not by JUnit, which warns about every link that leads out.
				DepotFiles.deleteRecursively(trees.get(i));
			}
		}
	}

	@Test
	void veryDeepTreeHashesAsGitWritesItOnASmallStack() throws Exception {
		Path tree = Files.createDirectory(this.temp.resolve("deep"));
		try {
			Path dir = tree;
			for (int i = 0; i < 1500; i++) {
				dir = dir.resolve("d");
				if (i % 100 == 0) {
					Files.createDirectories(dir);
					Files.writeString(dir.resolve("level-" + i), "level " + i);
				}
			}
			Files.createDirectories(dir);
			Files.writeString(dir.resolve("bottom"), "bottom");
			// A walk that recursed once per level would overflow this stack long before the bottom.
			AtomicReference<Object> result = new AtomicReference<>();
			Thread walker = new Thread(null, () -> {
				try {
					result.set(TreeHash.of(tree));
				}
				catch (Throwable ex) {
					result.set(ex);
				}
			}, "small-stack", 192 * 1024);
			walker.start();
			walker.join();
			assertThat(result.get()).isEqualTo(gitWriteTree(tree));
		}
		finally {
			// JUnit's own cleanup resolves every path from the root: minutes at this depth.
			DepotFiles.deleteRecursively(tree);
		}
	}

	@Test
	void fifoIsRefusedByName() throws Exception {
		Path dir = Files.createDirectories(this.temp.resolve("tree/sub"));
		Files.createFile(dir.resolve("file"));
		Path fifo = dir.resolve("pipe");
		run(this.temp, Map.of(), "mkfifo", fifo.toString());
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> TreeHash.of(this.temp.resolve("tree")))
			.withMessageContaining(fifo.toString())
			.withMessageContaining("FIFO");
	}

	@Test
	void linkAsTheDirectoryIsRefused() throws Exception {
		Path dir = Files.createDirectory(this.temp.resolve("tree"));
		Path link = Files.createSymbolicLink(this.temp.resolve("link"), dir);
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> TreeHash.of(link))
			.withMessageContaining(link.toString())
			.withMessageContaining("symbolic link");
	}

	@Test
	void fileAsTheDirectoryIsRefused() throws Exception {
		Path file = Files.createFile(this.temp.resolve("file"));
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> TreeHash.of(file))
			.withMessageContaining(file.toString());
	}

	@Test
	void nameThatIsNotValidInTheEncodingIsRefused() throws Exception {
		assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")));
		Path dir = Files.createDirectory(this.temp.resolve("tree"));
		run(dir, Map.of(), "sh", "-c", "printf x > \"$(printf 'bad\\377name')\"");
		try (var entries = Files.list(dir)) {
			assertThat(entries).hasSize(1);
		}
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> TreeHash.of(dir))
			.withMessageContaining("encoding");
	}

	/**
	 * Creates the links whose targets {@link Path} would rewrite, then runs
	 * {@code git add -A && git write-tree} for each tree: all in one shell, as a JVM forks slowly.
	 * @param links target and link path, in pairs
	 * @param trees the trees
	 */
	private List<String> gitWriteTrees(List<String> links, List<Path> trees) throws Exception {
		String git = "GIT_INDEX_FILE=\"$t.index\" git --git-dir=\"$G\" --work-tree=\"$t\" " + GIT_OPTIONS;
		String script = "while [ \"$1\" != -- ]; do ln -s \"$1\" \"$2\" || exit 1; shift 2; done; shift;"
				+ " for t; do " + git + " add -A && " + git + " write-tree || exit 1; done";
		List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
		command.addAll(links);
		command.add("--");
		trees.forEach((tree) -> command.add(tree.toString()));
		String output = run(this.temp, Map.of("G", this.gitDir.toString()), command.toArray(String[]::new));
		List<String> hashes = output.lines().toList();
		assertThat(hashes).as(output).hasSize(trees.size()).allMatch((hash) -> hash.matches("[0-9a-f]{40}"));
		return hashes;
	}

	private String gitWriteTree(Path tree) throws Exception {
		return gitWriteTrees(List.of(), List.of(tree)).get(0);
	}

	private static String[] git(List<String> args) {
		List<String> command = new ArrayList<>();
		command.add("git");
		command.addAll(args);
		return command.toArray(String[]::new);
	}

	private void git(Path dir, String... args) throws Exception {
		run(dir, Map.of(), git(List.of(args)));
	}

	private String run(Path dir, Map<String, String> environment, String... command) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
		builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
		builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
		builder.environment().put("HOME", this.temp.toString());
		builder.environment().putAll(environment);
		Process process = builder.start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
		String text = new String(output, StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as("%s: %s", List.of(command), text).isZero();
		return text;
	}

	/**
	 * Writes a random tree: files of random sizes (some empty, some executable, some with only
	 * group or other execute bits), links to files, directories, nothing and absolute paths,
	 * empty directories and directories of empty directories, names that sort differently
	 * with git's slash, Unicode names in both normal forms, {@code .git} entries that are no
	 * repository, and now and then a chain 200 levels deep.
	 */
	private static final class TreeGenerator {

		private final SplittableRandom random;

		private final int index;

		private final List<String> slashLinks;

		TreeGenerator(SplittableRandom random, int index, List<String> slashLinks) {
			this.random = random;
			this.index = index;
			this.slashLinks = slashLinks;
		}

		void fill(Path root) throws IOException {
			fillDirectory(root, 0);
			if (this.index % 25 == 7) {
				Path deep = root;
				for (int i = 0; i < 200; i++) {
					deep = deep.resolve((i % 2 == 0) ? "a" : "a.b");
				}
				Files.createDirectories(deep);
				if (this.random.nextBoolean()) {
					Files.writeString(deep.resolve("bottom"), "bottom " + this.index);
				}
			}
		}

		private void fillDirectory(Path dir, int depth) throws IOException {
			int count = this.random.nextInt((depth == 0) ? 12 : 7);
			Set<String> names = new LinkedHashSet<>();
			for (int i = 0; i < count; i++) {
				names.add(name());
			}
			if (this.random.nextInt(8) == 0) {
				names.add(".git");
			}
			for (String name : names) {
				Path path = dir.resolve(name);
				if (".git".equals(name)) {
					gitEntry(path);
					continue;
				}
				int kind = this.random.nextInt(10);
				if (kind < 4 || depth >= 4) {
					file(path);
				}
				else if (kind < 6) {
					link(path, names);
				}
				else if (kind == 6) {
					// Empty, or holding only empty directories: both are left out.
					Files.createDirectories(this.random.nextBoolean() ? path : path.resolve("empty/emptier"));
				}
				else {
					Files.createDirectory(path);
					fillDirectory(path, depth + 1);
				}
			}
		}

		private String name() {
			String name = NAMES.get(this.random.nextInt(NAMES.size()));
			return (this.random.nextInt(4) == 0) ? name + this.random.nextInt(3) : name;
		}

		private void file(Path path) throws IOException {
			// Now and then more than the 64 KiB that TreeHash reads at a time.
			int size = switch (this.random.nextInt(8)) {
				case 0, 1 -> 0;
				case 2, 3 -> this.random.nextInt(16);
				case 4, 5, 6 -> this.random.nextInt(5000);
				default -> 65_000 + this.random.nextInt(2_000);
			};
			byte[] content = new byte[size];
			this.random.nextBytes(content);
			Files.write(path, content);
			String mode = switch (this.random.nextInt(6)) {
				case 0 -> "rwxr-xr-x";
				case 1 -> "rw-r-xr-x";
				case 2 -> "rwx------";
				case 3 -> "r--r--r--";
				default -> "rw-r--r--";
			};
			Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
		}

		private void link(Path path, Set<String> siblings) throws IOException {
			List<String> targets = new ArrayList<>(siblings);
			targets.addAll(List.of("nowhere", "/etc/hostname", "/no/such/file", "../up", "dir/", "a//b", ".",
					"\u00e9/e\u0301", ""));
			String target = targets.get(this.random.nextInt(targets.size()));
			if (target.endsWith("/") || target.contains("//")) {
				// Path.of would drop the slashes that git hashes: ln writes the text as it is.
				this.slashLinks.add(target);
				this.slashLinks.add(path.toString());
			}
			else {
				Files.createSymbolicLink(path, Path.of(target.isEmpty() ? "x" : target));
			}
		}

		private void gitEntry(Path path) throws IOException {
			switch (this.random.nextInt(3)) {
				case 0 -> Files.writeString(path, "junk " + this.index);
				case 1 -> Files.createDirectory(path);
				default -> {
					Files.createDirectories(path.resolve("objects"));
					Files.writeString(path.resolve("config"), "not a repository");
				}
			}
		}

	}

}
