package dev.scratchspace;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ScratchSpaceManagerTests {

	private static final ScratchOwner LIBRARY = ScratchOwner.of("org.example", "library");

	private static final ScratchOwner APP = ScratchOwner.of("org.example", "app");

	@TempDir
	Path temp;

	private Path depot;

	private Path project;

	private MutableClock clock;

	private ScratchSpaceManager manager;

	@BeforeEach
	void createManager() throws Exception {
		this.depot = this.temp.resolve("depot");
		this.project = Files.writeString(this.temp.resolve("app.jar"), "jar");
		this.clock = new MutableClock(Instant.parse("2026-11-25T10:15:30.123Z"));
		this.manager = builder().build();
	}

	private ScratchSpaceManager.Builder builder() {
		return ScratchSpaceManager.builder()
			.depot(this.depot)
			.clock(this.clock)
			.environment((name) -> null)
			.defaultOwner(APP)
			.defaultProject(this.project);
	}

	@AfterEach
	void close() {
		this.manager.close();
	}

	@Test
	void newSpaceExistsUnderScratchDir() {
		Path space = this.manager.getScratch("downloads");
		assertThat(space).isDirectory().isAbsolute().isEqualTo(space.normalize());
		assertThat(space).startsWith(this.manager.scratchDir());
		assertThat(space).isEqualTo(this.manager.scratchDir(APP.uuid().toString(), "downloads"));
		assertThat(this.manager.scratchDir()).isEqualTo(this.depot.resolve("scratchspaces"));
		assertThat(this.manager.depot()).isEqualTo(this.depot);
	}

	@Test
	void scratchPathCreatesNothing() {
		Path path = this.manager.scratchPath(LIBRARY, "later");
		assertThat(path).isEqualTo(this.depot.resolve("scratchspaces").resolve(LIBRARY.uuid().toString()).resolve("later"));
		assertThat(this.depot).doesNotExist();
	}

	@Test
	void scratchDirRefusesToLeaveTheScratchDirectory() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.manager.scratchDir("..", "logs"))
			.withMessageContaining("leave the scratch directory");
	}

	@Test
	void depotIsTaggedAsCacheDirectory() throws Exception {
		this.manager.getScratch("downloads");
		assertThat(Files.readAllLines(this.depot.resolve("scratchspaces/CACHEDIR.TAG")).get(0))
			.isEqualTo("Signature: 8a477f597d28d172789f06886806bc55");
	}

	@Test
	void newDirectoriesAreOwnerOnly() throws Exception {
		Path space = this.manager.getScratch(LIBRARY, "private");
		for (Path dir : List.of(this.depot, this.depot.resolve("scratchspaces"), space.getParent(), space)) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as(dir.toString())
				.isEqualTo("rwx------");
		}
	}

	@Test
	void usageLogAppearsOnFirstAccessInJuliasFormat() throws Exception {
		Path space = this.manager.getScratch("downloads");
		assertThat(this.manager.usageLog()).isEqualTo(this.depot.resolve("logs/scratch_usage.toml"));
		String log = Files.readString(this.manager.usageLog());
		assertThat(log).contains("[[" + TomlText.quote(space.toString()) + "]]\n")
			.contains("time = 2026-11-25T10:15:30.123Z\n")
			.contains("parent_projects = [" + TomlText.quote(this.project.toString()) + "]");
		TomlParseResult parsed = Toml.parse(log);
		assertThat(parsed.errors()).isEmpty();
		TomlArray entries = parsed.getArray(List.of(space.toString()));
		assertThat(entries.size()).isEqualTo(1);
		assertThat(entries.getTable(0).getArray("parent_projects").getString(0)).isEqualTo(this.project.toString());
	}

	@Test
	void repeatedAccessInTheIntervalDoesNotGrowTheLog() throws Exception {
		this.manager.getScratch("downloads");
		long size = Files.size(this.manager.usageLog());
		this.manager.getScratch("downloads");
		this.clock.advance(Duration.ofHours(23));
		this.manager.getScratch("downloads");
		assertThat(Files.size(this.manager.usageLog())).isEqualTo(size);
	}

	@Test
	void accessAfterTheIntervalIsRecordedAgain() throws Exception {
		this.manager.getScratch("downloads");
		long size = Files.size(this.manager.usageLog());
		this.clock.advance(Duration.ofDays(1));
		this.manager.getScratch("downloads");
		assertThat(Files.size(this.manager.usageLog())).isEqualTo(2 * size);
	}

	@Test
	void logDirectoryRemovedWhileTheManagerRunsIsCreatedAgainWithItsLock() throws Exception {
		this.manager.getScratch("downloads");
		GarbageCollectorTests.deleteTree(this.depot.resolve("logs"));
		this.clock.advance(Duration.ofDays(1));
		Path space = this.manager.getScratch("downloads");
		assertThat(this.depot.resolve("logs/scratch_usage.toml.lock")).exists();
		TomlParseResult parsed = Toml.parse(Files.readString(this.manager.usageLog()));
		assertThat(parsed.errors()).isEmpty();
		assertThat(parsed.getArray(List.of(space.toString())).size()).isEqualTo(1);
	}

	@Test
	void newManagerRecordsAgain() throws Exception {
		this.manager.getScratch("downloads");
		long size = Files.size(this.manager.usageLog());
		try (ScratchSpaceManager second = builder().build()) {
			second.getScratch("downloads");
		}
		assertThat(Files.size(this.manager.usageLog())).isEqualTo(2 * size);
	}

	@Test
	void secondProcessGrowsTheLog() throws Exception {
		Path space = this.manager.getScratch(LIBRARY.withProject(this.project), "shared");
		long size = Files.size(this.manager.usageLog());
		Process child = ChildJvm.start(this.temp.resolve("child"), "track", this.depot.toString(),
				"org.example:library", this.project.toString(), "shared");
		ChildJvm.awaitSuccess(child, this.temp.resolve("child"));
		assertThat(Files.size(this.manager.usageLog())).isGreaterThan(size);
		TomlParseResult parsed = Toml.parse(Files.readString(this.manager.usageLog()));
		assertThat(parsed.errors()).isEmpty();
		assertThat(parsed.getArray(List.of(space.toString())).size()).isEqualTo(2);
	}

	@Test
	void trackingOffWritesNoLog() {
		try (ScratchSpaceManager untracked = builder().trackAccess(false).build()) {
			untracked.getScratch("downloads");
		}
		assertThat(this.depot.resolve("logs")).doesNotExist();
	}

	@Test
	void trackAccessZeroInTheEnvironmentWritesNoLog() {
		try (ScratchSpaceManager untracked = builder()
			.environment((name) -> "SCRATCH_TRACK_ACCESS".equals(name) ? "0" : null)
			.trackAccess(true)
			.build()) {
			untracked.getScratch("downloads");
		}
		assertThat(this.depot.resolve("logs/scratch_usage.toml")).doesNotExist();
	}

	@Test
	void ownerWithoutProjectRecordsNothing() {
		this.manager.getScratch(LIBRARY, "unattributed");
		assertThat(this.manager.usageLog()).doesNotExist();
	}

	@Test
	void deletedSpaceIsRecreatedOnNextAccess() {
		Path space = this.manager.getScratch("downloads");
		this.manager.deleteScratch("downloads");
		assertThat(space).doesNotExist();
		assertThat(this.manager.getScratch("downloads")).isEqualTo(space).isDirectory();
	}

	@Test
	void deleteScratchRemovesOneSpaceWithItsContent() throws Exception {
		Path space = this.manager.getScratch(LIBRARY, "data");
		Path other = this.manager.getScratch(LIBRARY, "other");
		Files.createDirectories(space.resolve("a/b"));
		Files.writeString(space.resolve("a/b/file"), "x");
		this.manager.deleteScratch(LIBRARY, "data");
		assertThat(space).doesNotExist();
		assertThat(other).isDirectory();
	}

	@ParameterizedTest
	@ValueSource(strings = { "abcABC123._-", "a", "..a", "a..", "...", "-" })
	void validKeysPass(String key) {
		assertThat(this.manager.getScratch(key)).isDirectory().hasFileName(key);
	}

	@Test
	void keyOf255CharactersPasses() {
		assertThat(this.manager.getScratch("k".repeat(255))).isDirectory();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "hello/world", "hello\\world", ".", "..", "a b", "a\u0000b", "caf\u00e9",
			"\u0430bc", "a:b", "a\nb" })
	void invalidKeysAreRejectedNamingTheKey(String key) {
		assertThatIllegalArgumentException().isThrownBy(() -> this.manager.getScratch(key))
			.withMessageContaining("'" + MessageText.printable(key) + "'")
			.withMessageContaining("A-Z, a-z, 0-9, '.', '_' and '-'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.manager.scratchPath(LIBRARY, key));
		assertThatIllegalArgumentException().isThrownBy(() -> this.manager.deleteScratch(LIBRARY, key));
		assertThat(this.depot).doesNotExist();
	}

	@Test
	void keyOf256CharactersIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.manager.getScratch("k".repeat(256)))
			.withMessageContaining("1 to 255 characters");
	}

	@Test
	void ownersWithTheSameKeyGetDifferentDirectories() {
		Path library = this.manager.getScratch(LIBRARY, "cache");
		Path app = this.manager.getScratch(APP, "cache");
		assertThat(library).isNotEqualTo(app);
		assertThat(library.getParent().getFileName()).hasToString(LIBRARY.uuid().toString());
		assertThat(app.getParent().getFileName()).hasToString(APP.uuid().toString());
	}

	@Test
	void clearScratchSpacesOfOneOwnerRemovesOnlyThatOwner() {
		Path library = this.manager.getScratch(LIBRARY, "cache");
		Path app = this.manager.getScratch(APP, "cache");
		this.manager.clearScratchSpaces(LIBRARY);
		assertThat(library.getParent()).doesNotExist();
		assertThat(app).isDirectory();
	}

	@Test
	void clearScratchSpacesRemovesEverySpace() {
		Path library = this.manager.getScratch(LIBRARY, "cache");
		Path app = this.manager.getScratch(APP, "cache");
		this.manager.clearScratchSpaces();
		assertThat(library).doesNotExist();
		assertThat(app).doesNotExist();
		assertThat(this.manager.getScratch(APP, "cache")).isDirectory();
	}

	@Test
	void spaceOfParentIsRecordedWithTheCallersProject() throws Exception {
		Path callerProject = Files.writeString(this.temp.resolve("caller.jar"), "jar");
		ScratchOwner caller = ScratchOwner.of("org.example", "caller").withProject(callerProject);
		Path space = this.manager.getScratch(LIBRARY, "shared", caller);
		assertThat(space.getParent().getFileName()).hasToString(LIBRARY.uuid().toString());
		TomlParseResult parsed = Toml.parse(Files.readString(this.manager.usageLog()));
		assertThat(parsed.getArray(List.of(space.toString())).getTable(0).getArray("parent_projects").toList())
			.containsExactly(callerProject.toString());
	}

	@Test
	void getScratchForClassUsesTheClassesArtifact() throws Exception {
		Path probe = TestJars.compileProbe(this.temp.resolve("classes"));
		Path jar = TestJars.jar(this.temp.resolve("lib/demo-1.0.jar"), probe,
				TestJars.entry("META-INF/maven/org.example/demo/pom.properties",
						TestJars.pomProperties("org.example", "demo", "1.0")));
		Path space = this.manager.getScratch(TestJars.load(List.of(jar)), "compiled");
		assertThat(space).isEqualTo(this.manager.scratchPath(ScratchOwner.of("org.example", "demo"), "compiled"));
		assertThat(Files.readString(this.manager.usageLog())).contains(TomlText.quote(jar.toString()));
	}

	@Test
	void ownerIndexNamesTrackedOwners() throws Exception {
		this.manager.getScratch("downloads");
		String index = Files.readString(this.depot.resolve("logs/owners.toml"));
		assertThat(Toml.parse(index).getString(List.of(APP.uuid().toString()))).isEqualTo("org.example:app");
	}

	@Test
	void spaceThatIsASymbolicLinkIsRefused() throws Exception {
		Path outside = Files.createDirectories(this.temp.resolve("outside"));
		Path space = this.manager.scratchPath(LIBRARY, "linked");
		Files.createDirectories(space.getParent());
		Files.createSymbolicLink(space, outside);
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> this.manager.getScratch(LIBRARY, "linked"))
			.withMessageContaining(space.toString())
			.withMessageContaining("symbolic link");
		assertThat(outside).isEmptyDirectory();
	}

	@Test
	void ownerDirectoryThatIsASymbolicLinkIsRefused() throws Exception {
		Path outside = Files.createDirectories(this.temp.resolve("outside"));
		Path ownerDir = this.manager.scratchDir(LIBRARY.uuid().toString());
		Files.createDirectories(ownerDir.getParent());
		Files.createSymbolicLink(ownerDir, outside);
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> this.manager.getScratch(LIBRARY, "x"))
			.withMessageContaining(ownerDir.toString())
			.withMessageContaining("symbolic link");
		assertThat(outside).isEmptyDirectory();
	}

	@Test
	void fileWhereTheSpaceShouldBeIsRefused() throws Exception {
		Path space = this.manager.scratchPath(LIBRARY, "file");
		Files.createDirectories(space.getParent());
		Files.writeString(space, "keep me");
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> this.manager.getScratch(LIBRARY, "file"))
			.withMessageContaining(space.toString())
			.withMessageContaining("not a directory");
		assertThat(space).hasContent("keep me");
	}

	@Test
	void depotThatIsAFileIsNotCreatable() throws Exception {
		Path file = Files.writeString(this.temp.resolve("depot-file"), "keep me");
		try (ScratchSpaceManager broken = builder().depot(file).build()) {
			assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> broken.getScratch("x"))
				.withMessageContaining(file.toString());
		}
		assertThat(file).hasContent("keep me");
	}

	@Test
	void depotUnderAFileIsNotCreatable() throws Exception {
		Path file = Files.writeString(this.temp.resolve("blocker"), "keep me");
		Path depotUnderFile = file.resolve("depot");
		try (ScratchSpaceManager broken = builder().depot(depotUnderFile).build()) {
			assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> broken.getScratch("x"))
				.withMessageContaining(depotUnderFile.toString());
		}
		assertThat(file).hasContent("keep me");
	}

	@Test
	void withScratchDirectoryPutsSpacesDirectlyUnderThatDirectory() {
		Path relocated = this.temp.resolve("relocated");
		ScratchSpaceManager view = this.manager.withScratchDirectory(relocated);
		Path space = view.getScratch(LIBRARY, "x");
		assertThat(space).isEqualTo(relocated.resolve(LIBRARY.uuid().toString()).resolve("x")).isDirectory();
		assertThat(view.scratchDir()).isEqualTo(relocated);
		assertThat(view.usageLog()).isEqualTo(this.manager.usageLog());
		assertThat(this.manager.scratchDir()).doesNotExist();
		view.close();
		assertThat(this.manager.getScratch("still-open")).isDirectory();
	}

	@Test
	void closedManagerRefusesNewSpaces() {
		this.manager.close();
		assertThatIllegalStateException().isThrownBy(() -> this.manager.getScratch("x")).withMessageContaining("closed");
	}

	@Test
	void leaseNamesEveryHandedOutSpaceAndCloseReleasesIt() throws Exception {
		Path first = this.manager.getScratch("first");
		Path second = this.manager.getScratch(LIBRARY, "second");
		List<Path> leases;
		try (var files = Files.list(this.depot.resolve("leases"))) {
			leases = files.filter((file) -> file.toString().endsWith(".lease")).toList();
		}
		assertThat(leases).hasSize(1);
		assertThat(Lease.scan(this.depot.resolve("leases"), false).leasedPaths()).containsExactly(first.toString(),
				second.toString());
		this.manager.close();
		try (var files = Files.list(this.depot.resolve("leases"))) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactly(LeaseGate.FILE_NAME);
		}
	}

	@Test
	void getOrPopulateFillsAMissingSpaceOnce() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		Path space = this.manager.getOrPopulate(LIBRARY, "generated", (staging) -> {
			runs.incrementAndGet();
			Files.writeString(staging.resolve("data.txt"), "generated");
		});
		assertThat(space.resolve("data.txt")).hasContent("generated");
		this.manager.getOrPopulate(LIBRARY, "generated", (staging) -> runs.incrementAndGet());
		assertThat(runs).hasValue(1);
		assertThat(this.depot.resolve("staging")).isDirectoryNotContaining("glob:**/*" + "generated." + "[0-9a-f]*");
	}

	@Test
	void getOrPopulateRegeneratesAnEmptiedSpace() throws Exception {
		Path space = this.manager.getOrPopulate(LIBRARY, "regenerated",
				(staging) -> Files.writeString(staging.resolve("v"), "1"));
		Files.delete(space.resolve("v"));
		this.manager.getOrPopulate(LIBRARY, "regenerated", (staging) -> Files.writeString(staging.resolve("v"), "2"));
		assertThat(space.resolve("v")).hasContent("2");
	}

	@Test
	void throwingPopulatorLeavesNoSpaceBehind() throws Exception {
		Path space = this.manager.scratchPath(LIBRARY, "broken");
		assertThatIllegalStateException().isThrownBy(() -> this.manager.getOrPopulate(LIBRARY, "broken", (staging) -> {
			Files.writeString(staging.resolve("half"), "half");
			throw new java.util.concurrent.TimeoutException("download timed out");
		})).withMessageContaining(space.toString()).withMessageContaining("download timed out");
		assertThat(space).doesNotExist();
		assertThat(stagingDirectories()).isEmpty();
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> this.manager.getOrPopulate(LIBRARY,
				"broken", (staging) -> {
					throw new java.io.IOException("disk full");
				}))
			.withMessageContaining("disk full");
		assertThat(space).doesNotExist();
	}

	@Test
	void concurrentThreadsPopulateOnce() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<Path>> results = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				results.add(threads.submit(() -> {
					start.await();
					return this.manager.getOrPopulate(LIBRARY, "racy", (staging) -> {
						runs.incrementAndGet();
						for (int f = 0; f < 10; f++) {
							Files.writeString(staging.resolve("f" + f), "x");
						}
					});
				}));
			}
			start.countDown();
			for (Future<Path> result : results) {
				try (var files = Files.list(result.get())) {
					assertThat(files.count()).isEqualTo(10);
				}
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(runs).hasValue(1);
	}

	@Test
	void concurrentProcessesPopulateOnce() throws Exception {
		Path counter = this.temp.resolve("runs.txt");
		List<Process> children = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			children.add(ChildJvm.start(this.temp.resolve("child" + i), "populate", this.depot.toString(),
					"org.example:library", "shared-download", counter.toString()));
		}
		for (int i = 0; i < children.size(); i++) {
			ChildJvm.awaitSuccess(children.get(i), this.temp.resolve("child" + i));
			try (var logs = Files.list(this.temp.resolve("child" + i))) {
				assertThat(Files.readString(logs.findFirst().orElseThrow())).contains("files=20");
			}
		}
		assertThat(Files.readAllLines(counter)).hasSize(1);
	}

	@Test
	void concurrentProcessesAppendWithoutTearingTheLog() throws Exception {
		int processes = 4;
		int perProcess = 150;
		List<Process> children = new ArrayList<>();
		for (int i = 0; i < processes; i++) {
			children.add(ChildJvm.start(this.temp.resolve("child" + i), "track-many", this.depot.toString(),
					"org.example:library", this.project.toString(), "p" + i + "-", String.valueOf(perProcess)));
		}
		for (int i = 0; i < processes; i++) {
			ChildJvm.awaitSuccess(children.get(i), this.temp.resolve("child" + i));
		}
		TomlParseResult parsed = Toml.parse(Files.readString(this.manager.usageLog(), StandardCharsets.UTF_8));
		assertThat(parsed.errors()).isEmpty();
		assertThat(parsed.keySet()).hasSize(processes * perProcess);
		for (int i = 0; i < processes; i++) {
			for (int k = 0; k < perProcess; k++) {
				Path space = this.manager.scratchPath(LIBRARY, "p" + i + "-" + k);
				assertThat(parsed.getArray(List.of(space.toString()))).as(space.toString()).isNotNull();
			}
		}
	}

	@Test
	void spacesListsSizesStatusAndOwners() throws Exception {
		Path live = this.manager.getScratch("live");
		Files.writeString(live.resolve("a"), "12345");
		Files.createDirectories(live.resolve("sub"));
		Files.writeString(live.resolve("sub/b"), "678");
		Files.createSymbolicLink(live.resolve("link"), this.project);
		Path goneProject = Files.writeString(this.temp.resolve("gone.jar"), "jar");
		Path orphaned = this.manager.getScratch(LIBRARY, "orphaned",
				ScratchOwner.of("org.example", "gone").withProject(goneProject));
		Files.delete(goneProject);
		Path untracked = this.manager.scratchDir(LIBRARY.uuid().toString(), "untracked");
		Files.createDirectories(untracked);

		Map<Path, ScratchSpace> spaces = new java.util.HashMap<>();
		this.manager.spaces().forEach((space) -> spaces.put(space.path(), space));
		assertThat(spaces).containsOnlyKeys(live, orphaned, untracked);

		ScratchSpace liveSpace = spaces.get(live);
		assertThat(liveSpace.owner()).isEqualTo(APP);
		assertThat(liveSpace.owner().coordinates()).contains("org.example:app");
		assertThat(liveSpace.key()).isEqualTo("live");
		assertThat(liveSpace.sizeBytes()).isEqualTo(8);
		assertThat(liveSpace.fileCount()).isEqualTo(2);
		assertThat(liveSpace.status()).isEqualTo(ScratchSpace.Status.LIVE);
		assertThat(liveSpace.lastAccess()).contains(this.clock.instant());
		assertThat(liveSpace.parentProjects()).containsExactly(this.project);
		assertThat(liveSpace.leased()).isTrue();

		assertThat(spaces.get(orphaned).status()).isEqualTo(ScratchSpace.Status.ORPHANED);
		assertThat(spaces.get(orphaned).owner().coordinates()).contains("org.example:library");
		assertThat(spaces.get(untracked).status()).isEqualTo(ScratchSpace.Status.UNTRACKED);
		assertThat(spaces.get(untracked).leased()).isFalse();
		assertThat(spaces.get(untracked).lastAccess()).isEmpty();
	}

	@Test
	void listingWalksOnlyTheSpacesAskedFor() throws Exception {
		Path measured = this.manager.getScratch("measured");
		Files.writeString(measured.resolve("a"), "12345");
		Path listed = this.manager.getScratch("listed");
		Files.writeString(listed.resolve("b"), "678");
		List<Path> asked = new ArrayList<>();
		List<ScratchSpace> spaces = this.manager.spaces((path) -> asked.add(path) && path.equals(measured));
		assertThat(asked).containsExactly(listed, measured);
		assertThat(spaces).extracting(ScratchSpace::path).containsExactly(listed, measured);
		assertThat(spaces).extracting(ScratchSpace::sizeBytes).containsExactly(0L, 5L);
		assertThat(spaces).extracting(ScratchSpace::fileCount).containsExactly(0L, 1L);
		assertThat(spaces.get(0).status()).isEqualTo(ScratchSpace.Status.LIVE);
		assertThat(spaces.get(0).leased()).isTrue();
	}

	@Test
	void modificationCountGrowsWithEveryChangeThisManagerMakes() {
		long start = this.manager.modificationCount();
		this.manager.getScratch("x");
		long created = this.manager.modificationCount();
		assertThat(created).isGreaterThan(start);
		this.manager.getScratch("x");
		assertThat(this.manager.modificationCount()).isEqualTo(created);
		this.manager.deleteScratch("x");
		assertThat(this.manager.modificationCount()).isGreaterThan(created);
	}

	private List<Path> stagingDirectories() throws Exception {
		Path staging = this.depot.resolve("staging");
		if (!Files.exists(staging)) {
			return List.of();
		}
		try (var entries = Files.list(staging)) {
			return entries.filter(Files::isDirectory).toList();
		}
	}

}
