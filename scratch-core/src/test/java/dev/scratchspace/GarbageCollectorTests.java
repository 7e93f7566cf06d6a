package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import dev.scratchspace.GcDecision.Action;

import static org.assertj.core.api.Assertions.assertThat;

class GarbageCollectorTests {

	private static final ScratchOwner LIBRARY = ScratchOwner.of("org.example", "library");

	private static final GcOptions WEEK = GcOptions.defaults();

	@TempDir
	Path temp;

	private Path depot;

	private MutableClock clock;

	private ScratchSpaceManager collector;

	@BeforeEach
	void createCollector() {
		this.depot = this.temp.resolve("depot");
		this.clock = new MutableClock(Instant.parse("2026-11-18T03:00:00Z"));
		this.collector = builder().build();
	}

	@AfterEach
	void closeCollector() {
		this.collector.close();
	}

	private ScratchSpaceManager.Builder builder() {
		return ScratchSpaceManager.builder().depot(this.depot).clock(this.clock).environment((name) -> null);
	}

	/** Uses spaces from a manager that is then closed, so no lease keeps them. */
	private Path use(ScratchOwner owner, String key, Path project) {
		try (ScratchSpaceManager user = builder().build()) {
			return user.getScratch(owner, key, owner.withProject(project));
		}
	}

	private Path project(String name) throws IOException {
		return Files.writeString(this.temp.resolve(name), name);
	}

	private static Map<Path, GcDecision> byPath(GcReport report) {
		return report.decisions().stream().collect(Collectors.toMap(GcDecision::path, Function.identity()));
	}

	private Map<String, Instant> orphanage() throws IOException {
		return Orphanage.read(this.depot.resolve("logs/orphaned.toml")).orphans();
	}

	@Test
	void damagedOwnerIndexIsReportedAsAWarningAndDecidesNothing() throws Exception {
		Path space = use(LIBRARY, "data", project("library.jar"));
		Path index = this.depot.resolve("logs/owners.toml");
		Files.write(index, "\"not-a-uuid\" = \"g:a\"\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

		GcReport report = this.collector.collectGarbage(WEEK);

		assertThat(report.warnings()).singleElement()
			.asString()
			.isEqualTo("Skipped 1 damaged line(s) of the owner index " + index + ", the first at line 2");
		assertThat(byPath(report).get(space).action()).isEqualTo(Action.KEPT);
	}

	@Test
	void scratchLifecycleKeepsOrphansThenDeletesThemAfterTheDelay() throws Exception {
		Path projectA = project("a.jar");
		Path projectB = project("b.jar");
		Path spaceA = use(ScratchOwner.of("org.example", "a"), "data", projectA);
		Path spaceB = use(ScratchOwner.of("org.example", "b"), "data", projectB);

		GcReport first = this.collector.collectGarbage(WEEK);
		assertThat(first.decisions()).extracting(GcDecision::action).containsOnly(Action.KEPT);
		assertThat(first.deletedCount()).isZero();
		assertThat(orphanage()).isEmpty();

		Files.delete(projectA);
		this.clock.advance(Duration.ofDays(1));
		GcReport second = this.collector.collectGarbage(WEEK);
		assertThat(byPath(second).get(spaceA).action()).isEqualTo(Action.ORPHANED);
		assertThat(byPath(second).get(spaceB).action()).isEqualTo(Action.KEPT);
		assertThat(spaceA).isDirectory();
		assertThat(orphanage()).containsOnlyKeys(spaceA.toString());
		Instant orphanedAt = this.clock.instant();

		this.clock.advance(Duration.ofDays(7));
		GcReport third = this.collector.collectGarbage(WEEK);
		GcDecision deleted = byPath(third).get(spaceA);
		assertThat(deleted.action()).isEqualTo(Action.DELETED);
		assertThat(deleted.reason()).isEqualTo("parent project " + projectA + " no longer exists; orphaned since "
				+ orphanedAt + "; deleted after the 7-day delay");
		assertThat(third.deletedCount()).isEqualTo(1);
		assertThat(spaceA).doesNotExist();
		assertThat(spaceA.getParent()).as("empty owner directory").doesNotExist();
		assertThat(orphanage()).containsEntry(spaceA.toString(), orphanedAt).doesNotContainKey(spaceB.toString());
		assertThat(spaceB).isDirectory();
	}

	@Test
	void ownerDirectoryThatWasEmptyWhenListedIsRemovedAndOthersStay() throws Exception {
		Path kept = use(LIBRARY, "data", project("a.jar"));
		Path emptyOwner = this.collector.scratchDir(ScratchOwner.of("org.example", "gone").uuid().toString(), "k")
			.getParent();
		Files.createDirectories(emptyOwner);
		Path notAnOwner = Files.createDirectories(emptyOwner.resolveSibling("not-a-uuid"));

		GcReport report = this.collector.collectGarbage(WEEK);

		assertThat(report.warnings()).isEmpty();
		assertThat(emptyOwner).doesNotExist();
		assertThat(kept).isDirectory();
		assertThat(notAnOwner).as("a directory whose name is not an owner's").isDirectory();
	}

	@Test
	void orphanThatIsUsedAgainDropsOutOfTheOrphanage() throws Exception {
		Path projectA = project("a.jar");
		Path space = use(LIBRARY, "data", projectA);
		Files.delete(projectA);
		this.collector.collectGarbage(WEEK);
		assertThat(orphanage()).containsKey(space.toString());
		Path projectB = project("b.jar");
		this.clock.advance(Duration.ofDays(2));
		use(LIBRARY, "data", projectB);
		GcReport report = this.collector.collectGarbage(WEEK);
		assertThat(byPath(report).get(space).action()).isEqualTo(Action.KEPT);
		assertThat(orphanage()).doesNotContainKey(space.toString());
	}

	@Test
	void untrackedSpaceIsOrphanedAndCollectedAfterTheDelay() throws Exception {
		Path space = this.collector.scratchDir(LIBRARY.uuid().toString(), "by-hand");
		Files.createDirectories(space);
		Files.writeString(space.resolve("f"), "1234");
		GcReport first = this.collector.collectGarbage(WEEK);
		assertThat(byPath(first).get(space).reason()).startsWith("no access was ever recorded; orphaned since");
		GcReport immediate = this.collector.collectGarbage(WEEK.withCollectDelay(Duration.ZERO));
		assertThat(byPath(immediate).get(space).action()).isEqualTo(Action.DELETED);
		assertThat(immediate.bytesFreed()).isEqualTo(4);
		assertThat(space).doesNotExist();
	}

	@Test
	void condensingKeepsOneEntryPerSurvivingSpaceWithTheNewestTimeAndExistingParents() throws Exception {
		Path kept = project("kept.jar");
		Path gone = project("gone.jar");
		Path other = project("other.jar");
		Path shared = use(LIBRARY, "shared", gone);
		this.clock.advance(Duration.ofDays(1));
		use(LIBRARY, "shared", kept);
		this.clock.advance(Duration.ofDays(1));
		Instant newest = this.clock.instant();
		use(LIBRARY, "shared", kept);
		Path orphan = use(LIBRARY, "orphan", other);
		Files.delete(gone);
		Files.delete(other);

		this.collector.collectGarbage(WEEK);

		String log = Files.readString(this.collector.usageLog());
		TomlParseResult parsed = Toml.parse(log);
		assertThat(parsed.errors()).isEmpty();
		assertThat(parsed.keySet()).containsExactly(shared.toString());
		var entries = parsed.getArray(List.of(shared.toString()));
		assertThat(entries.size()).isEqualTo(1);
		assertThat(entries.getTable(0).getOffsetDateTime("time").toInstant()).isEqualTo(newest);
		assertThat(entries.getTable(0).getArray("parent_projects").toList()).containsExactly(kept.toString());
		assertThat(orphan).isDirectory();
	}

	@Test
	void damagedLogIsSkippedCountedCopiedAndRewrittenCleanly() throws Exception {
		Path projectA = project("a.jar");
		Path good = use(LIBRARY, "good", projectA);
		Path alsoGood = this.collector.scratchPath(LIBRARY, "also-good");
		Files.createDirectories(alsoGood);
		byte[] original = Files.readAllBytes(this.collector.usageLog());
		String quotedA = TomlText.quote(projectA.toString());
		try (var out = Files.newOutputStream(this.collector.usageLog(), StandardOpenOption.APPEND)) {
			out.write(("[[" + TomlText.quote(good + "-bad-date") + "]]\ntime = 2026-13-45T99:00:00Z\nparent_projects = ["
					+ quotedA + "]\n").getBytes(StandardCharsets.UTF_8));
			out.write(("[[" + TomlText.quote(good + "-no-parents") + "]]\ntime = 2026-11-18T03:00:00Z\n")
				.getBytes(StandardCharsets.UTF_8));
			out.write(new byte[] { 0, (byte) 0xff, (byte) 0xfe, 10, 1, 2, 3, '[', '[', 10 });
			out.write(UsageLog.formatEntry(alsoGood.toString(), Instant.parse("2026-11-18T02:00:00Z"),
					List.of(projectA.toString())));
			out.write(("[[" + TomlText.quote(good.toString()) + "]]\ntime = 2026-11-18T0").getBytes(StandardCharsets.UTF_8));
		}

		GcReport report = this.collector.collectGarbage(WEEK);

		assertThat(report.warnings()).isNotEmpty();
		assertThat(byPath(report).get(good).action()).isEqualTo(Action.KEPT);
		assertThat(byPath(report).get(alsoGood).action()).isEqualTo(Action.KEPT);
		TomlParseResult rewritten = Toml.parse(Files.readString(this.collector.usageLog()));
		assertThat(rewritten.errors()).isEmpty();
		assertThat(rewritten.keySet()).containsExactlyInAnyOrder(good.toString(), alsoGood.toString());
		try (Stream<Path> logs = Files.list(this.depot.resolve("logs"))) {
			Path copy = logs.filter((p) -> p.getFileName().toString().startsWith("scratch_usage.toml.damaged-"))
				.findFirst()
				.orElseThrow();
			assertThat(Files.readAllBytes(copy)).startsWith(original);
		}
	}

	@Test
	void symbolicLinkInsideASpaceIsRemovedAndItsTargetIsUntouched() throws Exception {
		Path outside = Files.createDirectories(this.temp.resolve("outside"));
		Files.writeString(outside.resolve("precious"), "keep");
		Path space = this.collector.scratchDir(LIBRARY.uuid().toString(), "linking");
		Files.createDirectories(space.resolve("sub"));
		Files.createSymbolicLink(space.resolve("sub/to-outside"), outside);
		Files.createSymbolicLink(space.resolve("file-link"), outside.resolve("precious"));

		GcReport report = this.collector.collectGarbage(WEEK.withCollectDelay(Duration.ZERO));

		assertThat(byPath(report).get(space).action()).isEqualTo(Action.DELETED);
		assertThat(space).doesNotExist();
		assertThat(outside.resolve("precious")).hasContent("keep");
	}

	@Test
	void spaceReplacedByASymbolicLinkIsUnlinkedNotFollowed() throws Exception {
		Path outside = Files.createDirectories(this.temp.resolve("outside"));
		Files.writeString(outside.resolve("precious"), "keep");
		Path space = this.collector.scratchDir(LIBRARY.uuid().toString(), "link-space");
		Files.createDirectories(space.getParent());
		Files.createSymbolicLink(space, outside);

		GcReport report = this.collector.collectGarbage(WEEK.withCollectDelay(Duration.ZERO));

		assertThat(byPath(report).get(space).action()).isEqualTo(Action.DELETED);
		assertThat(space).doesNotExist();
		assertThat(outside.resolve("precious")).hasContent("keep");
	}

	@Test
	void logEntriesNamingPathsOutsideTheDepotAreNeverDeleted() throws Exception {
		Path outside = Files.createDirectories(this.temp.resolve("outside"));
		Files.writeString(outside.resolve("precious"), "keep");
		Files.createDirectories(this.depot.resolve("logs"));
		try (var out = Files.newOutputStream(this.collector.usageLog(), StandardOpenOption.CREATE,
				StandardOpenOption.APPEND)) {
			for (String path : List.of(outside.toString(), "/etc", "../../x",
					this.depot.resolve("scratchspaces/../../outside").toString())) {
				out.write(UsageLog.formatEntry(path, this.clock.instant(), List.of("/gone/project.jar")));
			}
		}
		Files.writeString(this.depot.resolve("logs/orphaned.toml"),
				TomlText.quote(outside.toString()) + " = 2020-01-01T00:00:00Z\n");

		GcReport report = this.collector.collectGarbage(WEEK.withCollectDelay(Duration.ZERO));

		assertThat(report.decisions()).isEmpty();
		assertThat(outside.resolve("precious")).hasContent("keep");
		assertThat(Path.of("/etc")).isDirectory();
	}

	@Test
	void spaceLeasedByALiveProcessIsNeverDeletedAndIsCollectableAfterItExits() throws Exception {
		Path ready = this.temp.resolve("ready");
		Path work = this.temp.resolve("child");
		Process child = ChildJvm.start(work, "lease", this.depot.toString(), "org.example:library", "held",
				ready.toString());
		try {
			awaitFile(ready, child);
			Path space = this.collector.scratchPath(LIBRARY, "held");
			GcReport whileLeased = this.collector.collectGarbage(WEEK.withCollectDelay(Duration.ZERO));
			assertThat(byPath(whileLeased).get(space).action()).isEqualTo(Action.SKIPPED_LEASED);
			assertThat(byPath(whileLeased).get(space).reason()).contains("lease");
			assertThat(space).isDirectory();

			child.destroyForcibly().waitFor();
			try (Stream<Path> leases = Files.list(this.depot.resolve("leases"))) {
				assertThat(leases.filter((file) -> file.toString().endsWith(".lease")))
					.as("a killed process leaves its lease file")
					.hasSize(1);
			}
			GcReport afterExit = this.collector.collectGarbage(WEEK.withCollectDelay(Duration.ZERO));
			assertThat(byPath(afterExit).get(space).action()).isEqualTo(Action.DELETED);
			assertThat(space).doesNotExist();
			try (Stream<Path> leases = Files.list(this.depot.resolve("leases"))) {
				assertThat(leases.map((file) -> file.getFileName().toString())).as("the dead lease is removed")
					.containsExactly(LeaseGate.FILE_NAME);
			}
		}
		finally {
			child.destroyForcibly();
		}
	}

	@Test
	void ownLeasesProtectSpacesOfThisManager() {
		Path space = this.collector.getScratch(LIBRARY, "mine");
		GcReport report = this.collector.collectGarbage(WEEK.withCollectDelay(Duration.ZERO));
		assertThat(byPath(report).get(space).action()).isEqualTo(Action.SKIPPED_LEASED);
		assertThat(space).isDirectory();
	}

	@Test
	void dryRunChangesNothingAndReportsWhatTheRealRunDoes() throws Exception {
		Path projectA = project("a.jar");
		Path projectB = project("b.jar");
		use(LIBRARY, "orphan-a", projectA);
		use(LIBRARY, "live-b", projectB);
		Path byHand = this.collector.scratchDir(ScratchOwner.of("org.example", "x").uuid().toString(), "by-hand");
		Files.createDirectories(byHand);
		Files.writeString(byHand.resolve("f"), "data");
		Files.delete(projectA);
		this.collector.collectGarbage(WEEK);
		this.clock.advance(Duration.ofDays(8));
		Files.createDirectories(this.depot.resolve("staging/" + LIBRARY.uuid() + ".k.0123abcd"));
		Map<String, String> before = DirectorySnapshot.of(this.depot);

		GcReport dry = this.collector.collectGarbage(WEEK.withDryRun(true));

		assertThat(DirectorySnapshot.of(this.depot)).isEqualTo(before);
		assertThat(dry.dryRun()).isTrue();
		assertThat(dry.deletedCount()).isEqualTo(2);
		GcReport real = this.collector.collectGarbage(WEEK);
		assertThat(real.decisions()).isEqualTo(dry.decisions());
		assertThat(real.deletedCount()).isEqualTo(dry.deletedCount());
		assertThat(real.bytesFreed()).isEqualTo(dry.bytesFreed()).isEqualTo(4);
		assertThat(DirectorySnapshot.of(this.depot)).isNotEqualTo(before);
	}

	@Test
	void maxUnusedAgeOrphansSpacesThatAreStillUsedButNotAccessed() throws Exception {
		Path projectA = project("a.jar");
		Path stale = use(LIBRARY, "stale", projectA);
		this.clock.advance(Duration.ofDays(40));
		Path fresh = use(LIBRARY, "fresh", projectA);
		GcReport report = this.collector
			.collectGarbage(WEEK.withMaxUnusedAge(Duration.ofDays(30)).withCollectDelay(Duration.ZERO));
		assertThat(byPath(report).get(stale).action()).isEqualTo(Action.DELETED);
		assertThat(byPath(report).get(stale).reason()).contains("maximum unused age of 30-day");
		assertThat(byPath(report).get(fresh).action()).isEqualTo(Action.KEPT);
	}

	@Test
	void maxTotalSizeEvictsLeastRecentlyAccessedFirst() throws Exception {
		Path projectA = project("a.jar");
		Path oldest = use(LIBRARY, "oldest", projectA);
		this.clock.advance(Duration.ofHours(1));
		Path middle = use(LIBRARY, "middle", projectA);
		this.clock.advance(Duration.ofHours(1));
		Path newest = use(LIBRARY, "newest", projectA);
		for (Path space : List.of(oldest, middle, newest)) {
			Files.write(space.resolve("blob"), new byte[1000]);
		}
		Path leased = this.collector.getScratch(LIBRARY, "leased");
		Files.write(leased.resolve("blob"), new byte[1000]);

		GcReport report = this.collector.collectGarbage(WEEK.withMaxTotalSize(2500));

		assertThat(byPath(report).get(oldest).action()).isEqualTo(Action.EVICTED);
		assertThat(byPath(report).get(middle).action()).isEqualTo(Action.EVICTED);
		assertThat(byPath(report).get(newest).action()).isEqualTo(Action.KEPT);
		assertThat(byPath(report).get(leased).action()).isEqualTo(Action.SKIPPED_LEASED);
		assertThat(report.deletedCount()).isEqualTo(2);
		assertThat(report.bytesFreed()).isEqualTo(2000);
		assertThat(oldest).doesNotExist();
		assertThat(newest).isDirectory();
		assertThat(leased).isDirectory();
	}

	@Test
	void secondConcurrentRunReturnsAtOnceSayingSo() throws Exception {
		Files.createDirectories(this.depot.resolve("logs"));
		FileMutex.Held held = new FileMutex(this.depot.resolve("logs/gc.lock")).acquire(true);
		java.util.concurrent.atomic.AtomicReference<GcReport> report = new java.util.concurrent.atomic.AtomicReference<>();
		try {
			Thread other = new Thread(() -> report.set(this.collector.collectGarbage(WEEK)));
			other.start();
			other.join();
		}
		finally {
			held.close();
		}
		assertThat(report.get().warnings()).singleElement().asString().contains("Another garbage collection");
		assertThat(report.get().decisions()).isEmpty();
	}

	@Test
	void staleStagingDirectoriesAndDeadLeasesAreRemoved() throws Exception {
		Path staging = Files.createDirectories(this.depot.resolve("staging/" + LIBRARY.uuid() + ".k.00000000000000ff"));
		Files.writeString(staging.resolve("half"), "half");
		Files.createDirectories(this.depot.resolve("leases"));
		Path deadLease = Files.writeString(this.depot.resolve("leases/12345-00000000000000ff.lease"), "\"/x\"\n");
		Path notALease = Files.writeString(this.depot.resolve("leases/notes.lease"), "mine");
		this.collector.collectGarbage(WEEK);
		assertThat(staging).doesNotExist();
		assertThat(deadLease).doesNotExist();
		assertThat(notALease).as("a file whose name this project never gives a lease").hasContent("mine");
	}

	private static void awaitFile(Path file, Process process) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!Files.exists(file)) {
			if (!process.isAlive() || System.nanoTime() > deadline) {
				throw new AssertionError("child did not lease the space");
			}
			Thread.onSpinWait();
			Thread.yield();
		}
	}

	static void deleteTree(Path root) throws IOException {
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

}
