package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link Artifacts}: building, exporting, finding and verifying artifacts, in one process and
 * in two racing ones.
 */
class ArtifactsTests {

	private static final ScratchOwner OWNER = ScratchOwner.of("org.example", "exporter");

	private static final Set<PosixFilePermission> WRITE = EnumSet.of(PosixFilePermission.OWNER_WRITE,
			PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

	@TempDir
	Path temp;

	private Path depot;

	private ScratchSpaceManager manager;

	private Artifacts artifacts;

	@BeforeEach
	void createManager() {
		this.depot = this.temp.resolve("depot");
		this.manager = ScratchSpaceManager.builder().depot(this.depot).build();
		this.artifacts = this.manager.artifacts();
	}

	@AfterEach
	void closeManager() throws IOException {
		this.manager.close();
		// Artifacts are read-only: JUnit's cleanup would need that undone.
		DepotFiles.deleteRecursively(this.depot);
	}

	@Test
	void rootIsTheDepotsArtifactsDirectory() {
		assertThat(this.artifacts.root()).isEqualTo(this.manager.depot().resolve("artifacts"));
	}

	@Test
	void createInstallsTheContentUnderItsTreeHash() throws Exception {
		String hash = this.artifacts.create(ArtifactChild::fill);
		Path reference = Files.createDirectory(this.temp.resolve("reference"));
		ArtifactChild.fill(reference);
		assertThat(hash).isEqualTo(TreeHash.of(reference));
		assertThat(this.artifacts.path(hash)).contains(this.artifacts.root().resolve(hash));
		Path artifact = this.artifacts.root().resolve(hash);
		assertThat(Files.readString(artifact.resolve("share/data/part-3"))).isEqualTo("content 3\n\n\n");
		assertThat(Files.readSymbolicLink(artifact.resolve("tool"))).isEqualTo(Path.of("bin/tool"));
		assertThat(this.artifacts.verify(hash)).isTrue();
		assertThat(stagingDirectories()).isEmpty();
	}

	@Test
	void createdArtifactIsReadOnlyAndKeepsExecuteBits() throws Exception {
		String hash = this.artifacts.create(ArtifactChild::fill);
		Path artifact = this.artifacts.root().resolve(hash);
		for (Path dir : List.of(artifact, artifact.resolve("bin"), artifact.resolve("share"),
				artifact.resolve("share/data"))) {
			assertThat(permissions(dir)).as(dir.toString()).doesNotContainAnyElementsOf(WRITE)
				.contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE);
		}
		assertThat(PosixFilePermissions.toString(permissions(artifact.resolve("bin/tool")))).isEqualTo("r-xr-xr-x");
		assertThat(permissions(artifact.resolve("share/data/part-0"))).doesNotContainAnyElementsOf(WRITE)
			.doesNotContain(PosixFilePermission.OWNER_EXECUTE);
		assertThat(Files.isSymbolicLink(artifact.resolve("tool"))).isTrue();
	}

	@Test
	void creatingAnInstalledArtifactAgainChangesNothing() throws Exception {
		String hash = this.artifacts.create(ArtifactChild::fill);
		Map<String, String> before = DirectorySnapshot.of(this.artifacts.root());
		List<Path> populated = new ArrayList<>();
		String again = this.artifacts.create((staging) -> {
			populated.add(staging);
			ArtifactChild.fill(staging);
		});
		assertThat(again).isEqualTo(hash);
		assertThat(DirectorySnapshot.of(this.artifacts.root())).isEqualTo(before);
		assertThat(populated).singleElement().satisfies((staging) -> assertThat(staging).doesNotExist());
		assertThat(stagingDirectories()).isEmpty();
	}

	@Test
	void emptyPopulatorMakesTheEmptyTree() {
		String hash = this.artifacts.create((staging) -> {
		});
		assertThat(hash).isEqualTo(TreeHash.EMPTY_TREE);
		assertThat(this.artifacts.create((staging) -> Files.createDirectories(staging.resolve("only/empty"))))
			.isEqualTo(TreeHash.EMPTY_TREE);
		assertThat(this.artifacts.verify(hash)).isTrue();
	}

	@Test
	void stagingDirectoryIsInsideTheDepotAndNamedForArtifacts() {
		List<Path> seen = new ArrayList<>();
		this.artifacts.create(seen::add);
		assertThat(seen).singleElement().satisfies((staging) -> {
			assertThat(staging.getParent()).isEqualTo(this.manager.depot().resolve("staging"));
			assertThat(staging.getFileName().toString()).matches("artifact\\.[0-9a-f]{16}");
		});
	}

	@Test
	void populatorThatThrowsLeavesNothingBehind() {
		List<Path> seen = new ArrayList<>();
		IllegalStateException failure = new IllegalStateException("boom");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.artifacts.create((staging) -> {
			seen.add(staging);
			ArtifactChild.fill(staging);
			throw failure;
		})).isSameAs(failure);
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> this.artifacts.create((staging) -> {
			seen.add(staging);
			Files.writeString(staging.resolve("half"), "half");
			throw new IOException("disk full");
		})).withMessageContaining("disk full");
		assertThat(seen).hasSize(2).allSatisfy((staging) -> assertThat(staging).doesNotExist());
		assertThat(stagingDirectories()).isEmpty();
		assertThat(installed()).isEmpty();
	}

	@Test
	void populatorThatLeavesAFifoFailsAndLeavesNothingBehind() {
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> this.artifacts.create((staging) -> {
			Files.writeString(staging.resolve("file"), "x");
			mkfifo(staging.resolve("pipe"));
		})).withMessageContaining("pipe").withMessageContaining("FIFO");
		assertThat(stagingDirectories()).isEmpty();
		assertThat(installed()).isEmpty();
	}

	@Test
	void exportScratchCopiesTheSpaceAndLeavesItAsItIs() throws Exception {
		Path space = this.manager.getScratch(OWNER, "results");
		ArtifactChild.fill(space);
		Files.createDirectories(space.resolve("empty/emptier"));
		Files.createSymbolicLink(space.resolve("share/data/up"), Path.of("../../bin"));
		Files.createSymbolicLink(space.resolve("dangling"), Path.of("no/such/file"));
		Files.setPosixFilePermissions(space.resolve("share/data/part-1"), PosixFilePermissions.fromString("r--r-----"));
		Map<String, String> before = DirectorySnapshot.of(space);
		String hash = this.artifacts.exportScratch(OWNER, "results");
		assertThat(DirectorySnapshot.of(space)).isEqualTo(before);
		assertThat(hash).isEqualTo(TreeHash.of(space));
		Path artifact = this.artifacts.path(hash).orElseThrow();
		assertThat(Files.readSymbolicLink(artifact.resolve("share/data/up"))).isEqualTo(Path.of("../../bin"));
		assertThat(Files.isDirectory(artifact.resolve("empty/emptier"), LinkOption.NOFOLLOW_LINKS)).isTrue();
		assertThat(PosixFilePermissions.toString(permissions(artifact.resolve("share/data/part-1"))))
			.isEqualTo("r--r-----");
		assertThat(this.artifacts.verify(hash)).isTrue();
		assertThat(stagingDirectories()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/etc/hostname", "../outside", "sub/../../outside", "sub/up/../outside", "loop/../x",
			"." + "/../outside" })
	void exportScratchRefusesALinkThatLeavesTheSpace(String target) throws Exception {
		Path space = this.manager.getScratch(OWNER, "leaky");
		Files.writeString(space.resolve("file"), "x");
		Files.createDirectory(space.resolve("sub"));
		// Both lead to the space itself; through them "sub/up/../outside" and "loop/../x", which
		// read as names inside, resolve above it.
		Files.createSymbolicLink(space.resolve("sub/up"), Path.of(".."));
		Files.createSymbolicLink(space.resolve("loop"), Path.of("sub/up"));
		Path link = Files.createSymbolicLink(space.resolve("leak"), Path.of(target));
		Map<String, String> before = DirectorySnapshot.of(space);
		assertThatExceptionOfType(ArtifactException.class)
			.isThrownBy(() -> this.artifacts.exportScratch(OWNER, "leaky"))
			.withMessageContaining(link.toString())
			.withMessageContaining("outside the space");
		assertThat(DirectorySnapshot.of(space)).isEqualTo(before);
		assertThat(stagingDirectories()).isEmpty();
		assertThat(installed()).isEmpty();
	}

	@Test
	void exportScratchAcceptsLinksThatResolveInsideThroughOtherLinks() throws Exception {
		Path space = this.manager.getScratch(OWNER, "linked");
		Files.createDirectories(space.resolve("a/b"));
		Files.writeString(space.resolve("a/b/file"), "x");
		Files.createSymbolicLink(space.resolve("b"), Path.of("a/b"));
		// Lexically "b/../.." leaves the space; through the link b -> a/b it lands on the space.
		Files.createSymbolicLink(space.resolve("top"), Path.of("b/../.."));
		Files.createSymbolicLink(space.resolve("self"), Path.of("self"));
		String hash = this.artifacts.exportScratch(OWNER, "linked");
		assertThat(hash).isEqualTo(TreeHash.of(space));
	}

	@Test
	void exportScratchRefusesASpecialFile() throws Exception {
		Path space = this.manager.getScratch(OWNER, "special");
		Path fifo = space.resolve("pipe");
		mkfifo(fifo);
		assertThatExceptionOfType(ArtifactException.class)
			.isThrownBy(() -> this.artifacts.exportScratch(OWNER, "special"))
			.withMessageContaining(fifo.toString());
		assertThat(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)).isTrue();
		assertThat(stagingDirectories()).isEmpty();
	}

	@Test
	void exportScratchOfAMissingSpaceNamesIt() {
		Path space = this.manager.scratchPath(OWNER, "missing");
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> this.artifacts.exportScratch(OWNER, "missing"))
			.withMessageContaining(space.toString())
			.withMessageContaining("does not exist");
		assertThat(space).doesNotExist();
	}

	@Test
	void exportScratchRefusesASpaceThatIsALink() throws Exception {
		Path target = Files.createDirectories(this.temp.resolve("elsewhere"));
		Path space = this.manager.scratchPath(OWNER, "linked-space");
		Files.createDirectories(space.getParent());
		Files.createSymbolicLink(space, target);
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> this.artifacts.exportScratch(OWNER, "linked-space"))
			.withMessageContaining(space.toString())
			.withMessageContaining("symbolic link");
	}

	@Test
	void exportScratchRefusesAnInvalidKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.artifacts.exportScratch(OWNER, "../escape"))
			.withMessageContaining("'../escape'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "496D6428B9CF92981DC9495211E6E1120FB6F2BA", "496d6428b9cf92981dc9495211e6e1120fb6f2b",
			"496d6428b9cf92981dc9495211e6e1120fb6f2ba0", "g96d6428b9cf92981dc9495211e6e1120fb6f2ba",
			"../../../../../../../../../../../../etc", " 496d6428b9cf92981dc9495211e6e1120fb6f2b" })
	void invalidTreeHashIsRefusedQuotingIt(String hash) {
		assertThatIllegalArgumentException().isThrownBy(() -> this.artifacts.path(hash))
			.withMessageContaining("'" + hash + "'")
			.withMessageContaining("40 lower-case hexadecimal digits");
		assertThatIllegalArgumentException().isThrownBy(() -> this.artifacts.verify(hash))
			.withMessageContaining("'" + hash + "'");
	}

	@Test
	void pathOfAnArtifactThatIsNotInstalledIsEmpty() throws Exception {
		String absent = "496d6428b9cf92981dc9495211e6e1120fb6f2ba";
		assertThat(this.artifacts.path(absent)).isEmpty();
		assertThat(this.artifacts.verify(absent)).isFalse();
		Files.createDirectories(this.artifacts.root());
		Files.writeString(this.artifacts.root().resolve(absent), "a file, not a directory");
		assertThat(this.artifacts.path(absent)).isEmpty();
		Files.delete(this.artifacts.root().resolve(absent));
		Path elsewhere = Files.createDirectories(this.temp.resolve("elsewhere"));
		Files.createFile(elsewhere.resolve("a"));
		Files.createSymbolicLink(this.artifacts.root().resolve(absent), elsewhere);
		assertThat(this.artifacts.path(absent)).isEmpty();
	}

	@Test
	void verifyDetectsAChangedArtifact() throws Exception {
		String hash = this.artifacts.create(ArtifactChild::fill);
		Path file = this.artifacts.root().resolve(hash).resolve("share/data/part-7");
		assertThat(this.artifacts.verify(hash)).isTrue();
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
		Files.writeString(file, "changed");
		assertThat(this.artifacts.verify(hash)).isFalse();
	}

	@Test
	void verifyDetectsAChangedExecuteBit() throws Exception {
		String hash = this.artifacts.create(ArtifactChild::fill);
		Files.setPosixFilePermissions(this.artifacts.root().resolve(hash).resolve("bin/tool"),
				PosixFilePermissions.fromString("r--r--r--"));
		assertThat(this.artifacts.verify(hash)).isFalse();
	}

	@Test
	void twoThreadsCreatingTheSameArtifactBothGetIt() throws Exception {
		List<String> hashes = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		CyclicBarrier filled = new CyclicBarrier(2);
		for (int i = 0; i < 2; i++) {
			threads.add(new Thread(() -> {
				String hash = this.artifacts.create((staging) -> {
					ArtifactChild.fill(staging);
					filled.await();
				});
				synchronized (hashes) {
					hashes.add(hash);
				}
			}));
		}
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(hashes).hasSize(2).containsOnly(hashes.get(0));
		assertThat(installed()).containsExactly(hashes.get(0));
		assertThat(stagingDirectories()).isEmpty();
	}

	@Test
	void twoProcessesCreatingTheSameArtifactBothSucceedAndOneCopyIsKept() throws Exception {
		Path arrivals = Files.createDirectories(this.temp.resolve("arrivals"));
		List<WatchedChild> racers = new ArrayList<>();
		List<String> lines = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				racers.add(WatchedChild.start(this.temp.resolve("racer-" + i), "artifact-create", this.depot.toString(),
						arrivals.toString(), "2"));
			}
			for (WatchedChild racer : racers) {
				lines.add(racer.awaitLine((line) -> line.startsWith("created ")));
				racer.awaitSuccess();
			}
		}
		finally {
			racers.forEach(WatchedChild::close);
		}
		Path reference = Files.createDirectory(this.temp.resolve("reference"));
		ArtifactChild.fill(reference);
		String expected = TreeHash.of(reference);
		assertThat(lines).containsExactly("created " + expected, "created " + expected);
		try (Stream<Path> arrived = Files.list(arrivals)) {
			assertThat(arrived).as("both populators ran to the end before either returned").hasSize(2);
		}
		assertThat(installed()).containsExactly(expected);
		assertThat(this.artifacts.verify(expected)).isTrue();
		assertThat(stagingDirectories()).isEmpty();
	}

	private List<String> installed() {
		if (!Files.exists(this.artifacts.root())) {
			return List.of();
		}
		try (Stream<Path> entries = Files.list(this.artifacts.root())) {
			return entries.map((entry) -> entry.getFileName().toString()).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private List<Path> stagingDirectories() {
		Path staging = this.manager.depot().resolve("staging");
		if (!Files.exists(staging)) {
			return List.of();
		}
		try (Stream<Path> entries = Files.list(staging)) {
			return entries.filter((entry) -> entry.getFileName().toString().startsWith("artifact.")).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Set<PosixFilePermission> permissions(Path path) throws IOException {
		return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
	}

	private static void mkfifo(Path path) throws Exception {
		Process process = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
		assertThat(process.waitFor()).as(new String(process.getInputStream().readAllBytes())).isZero();
	}

}
