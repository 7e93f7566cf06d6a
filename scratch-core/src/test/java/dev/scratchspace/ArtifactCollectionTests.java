package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.scratchspace.GcDecision.Action;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The artifact part of {@link ScratchSpaceManager#collectGarbage(GcOptions)}: which artifacts
 * are kept, orphaned and deleted, and why; what is never touched; the staging sweep.
 */
class ArtifactCollectionTests {

	private static final ScratchOwner LIBRARY = ScratchOwner.of("org.example", "library");

	private static final GcOptions WEEK = GcOptions.defaults();

	private static final GcOptions NO_DELAY = GcOptions.defaults().withCollectDelay(Duration.ZERO);

	private static final Instant START = Instant.parse("2026-11-18T03:00:00Z");

	@TempDir
	Path temp;

	private Path depot;

	private MutableClock clock;

	private ScratchSpaceManager collector;

	@BeforeEach
	void createCollector() {
		this.clock = new MutableClock(START);
		this.collector = builder(this.temp.resolve("depot")).build();
		this.depot = this.collector.depot();
	}

	@AfterEach
	void closeCollector() throws IOException {
		this.collector.close();
		// Artifacts are read-only: JUnit's cleanup would need that undone.
		DepotFiles.deleteRecursively(this.depot);
	}

	private ScratchSpaceManager.Builder builder(Path depot) {
		return ScratchSpaceManager.builder().depot(depot).clock(this.clock).environment((name) -> null);
	}

	/** Builds an artifact in a manager that is then closed, so that no lease of it is left. */
	private String install(String content) {
		try (ScratchSpaceManager builder = builder(this.depot).build()) {
			return ArtifactFixtures.install(builder.artifacts(), content);
		}
	}

	private String install(Populator populator) {
		try (ScratchSpaceManager builder = builder(this.depot).build()) {
			return builder.artifacts().create(populator);
		}
	}

	private Path artifact(String hash) {
		return this.depot.resolve("artifacts").resolve(hash);
	}

	private GcDecision decision(GcReport report, String hash) {
		Map<Path, GcDecision> byPath = report.decisions().stream()
			.collect(Collectors.toMap(GcDecision::path, Function.identity()));
		return byPath.get(artifact(hash));
	}

	private Map<String, Instant> orphanage() throws IOException {
		return Orphanage.read(this.depot.resolve("logs/orphaned.toml")).orphans();
	}

	private List<String> artifactNames() throws IOException {
		try (Stream<Path> entries = Files.list(this.depot.resolve("artifacts"))) {
			return entries.map((entry) -> entry.getFileName().toString()).sorted().toList();
		}
	}

	@Test
	void orphanedArtifactIsDeletedAfterTheDelayWithTheReasonInTheReport() throws IOException {
		String hash = install("orphan");
		GcReport first = this.collector.collectGarbage(WEEK);
		assertThat(first.warnings()).isEmpty();
		GcDecision orphaned = decision(first, hash);
		assertThat(orphaned.action()).isEqualTo(Action.ORPHANED);
		assertThat(orphaned.reason()).isEqualTo("no Artifacts.toml that uses it is recorded in logs/artifact_usage.toml; "
				+ "orphaned since " + START + "; will be deleted after the 7-day delay, at " + START.plus(Duration.ofDays(7)));
		assertThat(orphanage()).containsEntry(artifact(hash).toString(), START);
		assertThat(artifact(hash)).isDirectory();

		this.clock.advance(Duration.ofDays(7).minusMillis(1));
		assertThat(decision(this.collector.collectGarbage(WEEK), hash).action()).isEqualTo(Action.ORPHANED);

		this.clock.advance(Duration.ofMillis(1));
		GcReport second = this.collector.collectGarbage(WEEK);
		assertThat(second.warnings()).isEmpty();
		GcDecision deleted = decision(second, hash);
		assertThat(deleted.action()).isEqualTo(Action.DELETED);
		assertThat(deleted.reason()).isEqualTo("no Artifacts.toml that uses it is recorded in logs/artifact_usage.toml; "
				+ "orphaned since " + START + "; deleted after the 7-day delay");
		assertThat(second.deletedCount()).isOne();
		assertThat(second.bytesFreed()).isEqualTo("orphan".length());
		assertThat(artifactNames()).isEmpty();
		// As for spaces, the orphanage lists what this run deleted.
		assertThat(orphanage()).containsEntry(artifact(hash).toString(), START);
		assertThat(decision(this.collector.collectGarbage(WEEK), hash)).isNull();
		assertThat(orphanage()).doesNotContainKey(artifact(hash).toString());
	}

	@Test
	void artifactBoundByAnExistingRecordedTomlIsKeptAndOrphanedOnceTheTomlIsDeleted() throws IOException {
		String bound = install("bound");
		Path toml = ArtifactFixtures.writeToml(this.temp.resolve("app/Artifacts.toml"), Map.of("data", bound));
		Instant used = START.minusSeconds(3600);
		ArtifactFixtures.recordUse(this.depot, toml, used);
		GcReport report = this.collector.collectGarbage(NO_DELAY);
		assertThat(report.warnings()).isEmpty();
		assertThat(decision(report, bound).action()).isEqualTo(Action.KEPT);
		assertThat(decision(report, bound).reason()).isEqualTo("bound by " + toml + "; last used " + used);

		Files.delete(toml);
		this.clock.advance(Duration.ofDays(1));
		report = this.collector.collectGarbage(WEEK);
		assertThat(decision(report, bound).action()).isEqualTo(Action.ORPHANED);
		assertThat(decision(report, bound).reason()).startsWith(
				"no Artifacts.toml recorded in logs/artifact_usage.toml that still exists binds it; orphaned since "
						+ START.plus(Duration.ofDays(1)));
		assertThat(artifact(bound)).isDirectory();
	}

	@Test
	void recordedTomlWithAMillionBlankLinesBeforeItsEntryStillBinds() throws IOException {
		String bound = install("bound");
		Path toml = Files.createDirectories(this.temp.resolve("app")).resolve("Artifacts.toml");
		Files.writeString(toml, "\n".repeat(1_000_000) + "# a comment\n".repeat(100_000) + "[data]\ngit-tree-sha1 = \""
				+ bound + "\"\n");
		Instant used = START.minusSeconds(3600);
		ArtifactFixtures.recordUse(this.depot, toml, used);
		GcReport report = this.collector.collectGarbage(NO_DELAY);
		assertThat(report.warnings()).isEmpty();
		assertThat(decision(report, bound).action()).isEqualTo(Action.KEPT);
		assertThat(decision(report, bound).reason()).isEqualTo("bound by " + toml + "; last used " + used);
	}

	@Test
	void artifactTomlInsideARecordedJarKeepsItsArtifacts() throws IOException {
		String bound = install("in the jar");
		String loose = install("loose");
		Path jar = ArtifactFixtures.writeJar(this.temp.resolve("app/app.jar"), "BOOT-INF/classes/Artifacts.toml",
				ArtifactFixtures.toml(Map.of("data", bound)));
		ArtifactFixtures.recordUse(this.depot, jar, START);
		GcReport report = this.collector.collectGarbage(NO_DELAY);
		assertThat(report.warnings()).isEmpty();
		assertThat(decision(report, bound).action()).isEqualTo(Action.KEPT);
		assertThat(decision(report, bound).reason()).startsWith("bound by " + jar + ";");
		assertThat(decision(report, loose).action()).isEqualTo(Action.DELETED);
		assertThat(artifactNames()).containsExactly(bound);
	}

	@Test
	void readOnlyArtifactTreeIsFullyRemoved() throws IOException {
		String hash = install((dir) -> {
			Path deep = Files.createDirectories(dir.resolve("a/b/c"));
			Files.writeString(deep.resolve("file"), "deep");
			Files.writeString(dir.resolve("a/top"), "top");
		});
		Path locked = artifact(hash).resolve("a/b");
		assertThat(Files.getPosixFilePermissions(locked)).isEqualTo(PosixFilePermissions.fromString("r-xr-xr-x"));
		GcReport report = this.collector.collectGarbage(NO_DELAY);
		assertThat(report.warnings()).isEmpty();
		assertThat(decision(report, hash).action()).isEqualTo(Action.DELETED);
		assertThat(report.bytesFreed()).isEqualTo("deep".length() + "top".length());
		assertThat(artifactNames()).isEmpty();
	}

	@Test
	void linksPlantedAsArtifactsOrInsideThemAreNeverFollowed() throws IOException {
		Path outside = Files.createDirectories(this.temp.resolve("outside"));
		Files.writeString(outside.resolve("precious"), "keep me");
		Map<String, String> before = DirectorySnapshot.of(outside);
		String hash = install((dir) -> {
			Files.createSymbolicLink(dir.resolve("escape"), outside);
			Files.createDirectories(dir.resolve("sub"));
			Files.createSymbolicLink(dir.resolve("sub/escape"), outside.resolve("precious"));
		});
		String planted = "f".repeat(40);
		Files.createSymbolicLink(this.depot.resolve("artifacts").resolve(planted), outside);
		Files.writeString(this.depot.resolve("artifacts").resolve("e".repeat(40)), "a file");
		Files.createDirectory(this.depot.resolve("artifacts").resolve("not-a-hash"));
		GcReport report = this.collector.collectGarbage(NO_DELAY);
		assertThat(decision(report, hash).action()).isEqualTo(Action.DELETED);
		assertThat(decision(report, planted)).isNull();
		assertThat(report.warnings()).containsExactlyInAnyOrder(
				"Left " + artifact(planted) + " alone: it is a symbolic link, so it is no artifact",
				"Left " + artifact("e".repeat(40)) + " alone: it is not a directory, so it is no artifact",
				"Left " + artifact("not-a-hash") + " alone: its name is not a tree hash, so it is no artifact");
		assertThat(artifactNames()).containsExactly("e".repeat(40), planted, "not-a-hash");
		assertThat(Files.readSymbolicLink(artifact(planted))).isEqualTo(outside);
		assertThat(DirectorySnapshot.of(outside)).isEqualTo(before);
	}

	@Test
	void dryRunDecidesTheSameAndChangesNothing() throws IOException {
		String hash = install("orphan");
		ArtifactFixtures.recordUse(this.depot, this.temp.resolve("gone/Artifacts.toml"), START);
		ArtifactFixtures.appendToLog(this.depot, "damage\n");
		String stagingName = "artifact.0123456789abcdef";
		Files.createDirectories(this.depot.resolve("staging").resolve(stagingName));
		Files.createDirectories(this.depot.resolve("artifacts/.deleting-0123456789abcdef/left"));
		Map<String, String> before = DirectorySnapshot.of(this.depot);
		GcReport report = this.collector.collectGarbage(NO_DELAY.withDryRun(true));
		assertThat(report.dryRun()).isTrue();
		assertThat(decision(report, hash).action()).isEqualTo(Action.DELETED);
		assertThat(report.deletedCount()).isOne();
		assertThat(report.bytesFreed()).isEqualTo("orphan".length());
		assertThat(DirectorySnapshot.of(this.depot)).isEqualTo(before);
	}

	@Test
	void damagedUsageEntryIsSkippedWithAWarningAndTheOtherEntriesStillBind() throws IOException {
		String hash = install("bound twice");
		Path a = ArtifactFixtures.writeToml(this.temp.resolve("a/Artifacts.toml"), Map.of("data", hash));
		Path b = ArtifactFixtures.writeToml(this.temp.resolve("b/Artifacts.toml"), Map.of("data", hash));
		ArtifactFixtures.recordUse(this.depot, a, START);
		ArtifactFixtures.appendToLog(this.depot, "[[" + TomlText.quote(b.toString()) + "]]\ntime = 2026-13-01T00:00Z\n");
		ArtifactFixtures.appendToLog(this.depot, "[[\"/torn");
		GcReport report = this.collector.collectGarbage(NO_DELAY);
		assertThat(decision(report, hash).action()).isEqualTo(Action.KEPT);
		assertThat(decision(report, hash).reason()).isEqualTo("bound by " + a + "; last used " + START);
		Path copy = this.depot.resolve("logs/artifact_usage.toml.damaged-20261118T030000Z");
		assertThat(report.warnings()).hasSize(3);
		assertThat(report.warnings().get(0)).startsWith("artifact_usage.toml line 4: skipped the entry for \"" + b
				+ "\": 'time' is not a valid date-time");
		assertThat(report.warnings().get(1)).startsWith("artifact_usage.toml line 5: skipped text: ")
			.endsWith("(the file ends in this line without a line break: a torn write?)");
		assertThat(report.warnings().get(2)).isEqualTo("Kept a copy of the damaged artifact_usage.toml as " + copy);
		assertThat(Files.readString(copy)).endsWith("[[\"/torn");
		assertThat(artifact(hash)).isDirectory();
		// Condensed, the log reads without damage and still binds the artifact.
		assertThat(Files.readString(this.depot.resolve("logs/artifact_usage.toml")))
			.isEqualTo("[[" + TomlText.quote(a.toString()) + "]]\ntime = 2026-11-18T03:00:00.000Z\n");
		report = this.collector.collectGarbage(NO_DELAY);
		assertThat(report.warnings()).isEmpty();
		assertThat(decision(report, hash).action()).isEqualTo(Action.KEPT);
	}

	@Test
	void usageLogThatCannotBeReadDeletesNoArtifactAndKeepsOrphanDates() throws IOException {
		String hash = install("orphan");
		this.collector.collectGarbage(WEEK);
		assertThat(orphanage()).containsEntry(artifact(hash).toString(), START);
		Files.createDirectories(this.depot.resolve("logs/artifact_usage.toml"));
		this.clock.advance(Duration.ofDays(8));
		GcReport report = this.collector.collectGarbage(WEEK);
		assertThat(decision(report, hash).action()).isEqualTo(Action.KEPT);
		assertThat(decision(report, hash).reason()).startsWith("no readable recorded Artifacts.toml binds it, but the "
				+ "artifact usage log " + this.depot.resolve("logs/artifact_usage.toml") + " could not be read (");
		assertThat(report.warnings()).anySatisfy((warning) -> assertThat(warning)
			.startsWith("Deleted no artifact that nothing readable binds: the artifact usage log"));
		assertThat(artifact(hash)).isDirectory();
		assertThat(orphanage()).containsEntry(artifact(hash).toString(), START);
	}

	@Test
	void recordedTomlThatCannotBeReadDeletesNoUnboundArtifact() throws IOException {
		String unbound = install("unbound");
		Path broken = Files.writeString(this.temp.resolve("Artifacts.toml"), "[data\ngit-tree-sha1 = ");
		ArtifactFixtures.recordUse(this.depot, broken, START);
		GcReport report = this.collector.collectGarbage(NO_DELAY);
		assertThat(decision(report, unbound).action()).isEqualTo(Action.KEPT);
		assertThat(decision(report, unbound).reason()).contains("the recorded " + broken + " (Malformed Artifacts.toml " + broken + ": ");
		assertThat(artifact(unbound)).isDirectory();
		assertThat(orphanage()).doesNotContainKey(artifact(unbound).toString());
	}

	@Test
	void spacesOrphanEntriesAreKeptBesideTheArtifacts() throws IOException {
		Path project = Files.writeString(this.temp.resolve("project"), "p");
		Path space;
		try (ScratchSpaceManager user = builder(this.depot).build()) {
			space = user.getScratch(LIBRARY, "cache", LIBRARY.withProject(project));
		}
		Files.delete(project);
		String hash = install("orphan");
		GcReport report = this.collector.collectGarbage(WEEK);
		assertThat(report.decisions()).extracting(GcDecision::action).containsOnly(Action.ORPHANED);
		assertThat(orphanage()).containsOnlyKeys(space.toString(), artifact(hash).toString());
		this.clock.advance(Duration.ofDays(1));
		this.collector.collectGarbage(WEEK);
		assertThat(orphanage()).containsEntry(space.toString(), START).containsEntry(artifact(hash).toString(), START);
		String orphanage = Files.readString(this.depot.resolve("logs/orphaned.toml"));
		assertThat(orphanage).contains(" # parent project " + project + " no longer exists\n")
			.contains(" # no Artifacts.toml that uses it is recorded in logs/artifact_usage.toml\n");
	}

	@Test
	void leftoverTrashOfADeadCollectorIsRemovedByTheNextRun() throws IOException {
		Path trash = Files.createDirectories(this.depot.resolve("artifacts/.deleting-0123456789abcdef/sub"));
		Files.writeString(trash.resolve("file"), "x");
		Files.setPosixFilePermissions(trash, PosixFilePermissions.fromString("r-x------"));
		Files.setPosixFilePermissions(trash.getParent(), PosixFilePermissions.fromString("r-x------"));
		Files.createDirectories(this.depot.resolve("artifacts/.deleting-not-ours"));
		GcReport report = this.collector.collectGarbage(WEEK);
		assertThat(report.decisions()).isEmpty();
		assertThat(report.warnings()).containsExactly("Left " + artifact(".deleting-not-ours")
				+ " alone: its name is not a tree hash, so it is no artifact");
		assertThat(artifactNames()).containsExactly(".deleting-not-ours");
	}

	@Test
	void artifactRecordedAsUsedAfterTheReadIsKeptByTheLastCheck() throws IOException {
		String hash = install("wanted");
		Path toml = ArtifactFixtures.writeToml(this.temp.resolve("late/Artifacts.toml"), Map.of("data", hash));
		ManagerState state = new ManagerState(DepotLayout.of(this.depot), LIBRARY, null, true, Duration.ofDays(1),
				this.clock, Duration.ofSeconds(30));
		try {
			List<String> warnings = new ArrayList<>();
			Map<String, Instant> newOrphans = new LinkedHashMap<>();
			ArtifactCollection collection = new ArtifactCollection(state, NO_DELAY, warnings)
				.beforeLastCheck(() -> record(toml));
			collection.collect(START, Map.of(), Map.of(), newOrphans, new LinkedHashMap<>());
			GcDecision decision = collection.decisions().get(0);
			assertThat(decision.action()).isEqualTo(Action.KEPT);
			assertThat(decision.reason()).endsWith("; not deleted: bound by " + toml
					+ ", recorded since the collector read the artifact usage log");
			assertThat(collection.deletedCount()).isZero();
			assertThat(warnings).isEmpty();
			assertThat(artifact(hash)).isDirectory();
		}
		finally {
			state.close();
		}
	}

	@Test
	void usageLogIsCondensedToTheNewestEntryOfEachRecordedFileThatStillExists() throws IOException {
		String hash = install("bound");
		Path a = ArtifactFixtures.writeToml(this.temp.resolve("a/Artifacts.toml"), Map.of("data", hash));
		Path jar = ArtifactFixtures.writeJar(this.temp.resolve("app \"quoted\".jar"), "Artifacts.toml", "");
		Path gone = this.temp.resolve("gone/Artifacts.toml");
		ArtifactFixtures.recordUse(this.depot, a, START.minusSeconds(60));
		ArtifactFixtures.recordUse(this.depot, jar, START.minusSeconds(30));
		ArtifactFixtures.recordUse(this.depot, gone, START);
		ArtifactFixtures.appendToLog(this.depot, "\n[[" + TomlText.quote(a.toString()) + "]]\n# condensed by Julia\n"
				+ "time = 2026-11-18T02:59:59.5\n");
		GcReport report = this.collector.collectGarbage(WEEK);
		assertThat(report.warnings()).isEmpty();
		assertThat(Files.readString(this.depot.resolve("logs/artifact_usage.toml")))
			.isEqualTo("[[" + TomlText.quote(a.toString()) + "]]\ntime = 2026-11-18T02:59:59.500Z\n" + "[["
					+ TomlText.quote(jar.toString()) + "]]\ntime = 2026-11-18T02:59:30.000Z\n");
		assertThat(decision(report, hash).reason()).isEqualTo("bound by " + a + "; last used 2026-11-18T02:59:59.500Z");
	}

	@Test
	void entryAppendedWithoutTheLockWhileTheLogIsCondensedIsCarriedOver() throws IOException {
		String hash = install("wanted");
		Path early = ArtifactFixtures.writeToml(this.temp.resolve("early/Artifacts.toml"), Map.of("other", "0".repeat(40)));
		Path late = ArtifactFixtures.writeToml(this.temp.resolve("late/Artifacts.toml"), Map.of("data", hash));
		ArtifactFixtures.recordUse(this.depot, early, START);
		ManagerState state = new ManagerState(DepotLayout.of(this.depot), LIBRARY, null, true, Duration.ofDays(1),
				this.clock, Duration.ofSeconds(30));
		try {
			List<String> warnings = new ArrayList<>();
			ArtifactCollection collection = new ArtifactCollection(state, NO_DELAY, warnings)
				.beforeRewrite(() -> record(late));
			collection.collect(START, Map.of(), Map.of(), new LinkedHashMap<>(), new LinkedHashMap<>());
			// Read before the append, the artifact looked unbound; the entry kept it all the same.
			assertThat(collection.decisions().get(0).action()).isEqualTo(Action.KEPT);
			assertThat(warnings).isEmpty();
			assertThat(Files.readString(this.depot.resolve("logs/artifact_usage.toml")))
				.isEqualTo("[[" + TomlText.quote(early.toString()) + "]]\ntime = 2026-11-18T03:00:00.000Z\n" + "[["
						+ TomlText.quote(late.toString()) + "]]\ntime = 2026-11-18T03:00:00.000Z\n");
		}
		finally {
			state.close();
		}
	}

	private void record(Path toml) {
		try {
			ArtifactFixtures.recordUse(this.depot, toml, START);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void artifactLeasedByALiveProcessIsSkippedAndDeletedOnceItExits() throws Exception {
		String hash = install("leased");
		try (WatchedChild child = WatchedChild.start(this.temp.resolve("child"), "artifact-lease", this.depot.toString(),
				hash)) {
			child.awaitLine("leased"::equals);
			GcReport report = this.collector.collectGarbage(NO_DELAY);
			assertThat(decision(report, hash).action()).isEqualTo(Action.SKIPPED_LEASED);
			assertThat(decision(report, hash).reason()).isEqualTo("no Artifacts.toml that uses it is recorded in "
					+ "logs/artifact_usage.toml, but a live manager holds a lease on it");
			assertThat(artifact(hash)).isDirectory();
			child.closeInput();
			child.awaitSuccess();
		}
		GcReport report = this.collector.collectGarbage(NO_DELAY);
		assertThat(decision(report, hash).action()).isEqualTo(Action.DELETED);
		assertThat(artifactNames()).isEmpty();
	}

	@Test
	void stagingSweepRemovesOnlyUnlockedArtifactStagingDirectories() throws Exception {
		Path staging = Files.createDirectories(this.depot.resolve("staging"));
		Path stale = Files.createDirectories(staging.resolve("artifact.00000000000000aa/bin"));
		Files.writeString(stale.resolve("tool"), "x");
		Files.setPosixFilePermissions(stale, PosixFilePermissions.fromString("r-x------"));
		Files.writeString(staging.resolve("artifact.00000000000000aa.lock"), "");
		Path staleWithoutLock = Files.createDirectories(staging.resolve("artifact.00000000000000bb"));
		Path busy = Files.createDirectories(staging.resolve("artifact.00000000000000cc"));
		Path busyLock = staging.resolve("artifact.00000000000000cc.lock");
		Path otherNames = Files.createDirectories(staging.resolve("artifact.not-hex"));
		Path upperCase = Files.createDirectories(staging.resolve("artifact.00000000000000CC"));
		Path plainFile = Files.writeString(staging.resolve("artifact.00000000000000dd"), "a file");
		try (WatchedChild holder = WatchedChild.start(this.temp.resolve("holder"), "hold-lock", this.depot.toString(),
				busyLock.toString(), "exclusive")) {
			holder.awaitLine((line) -> line.startsWith("locked"));
			GcReport report = this.collector.collectGarbage(WEEK);
			assertThat(report.warnings()).isEmpty();
			holder.closeInput();
			holder.awaitSuccess();
		}
		assertThat(stale.getParent()).doesNotExist();
		assertThat(staging.resolve("artifact.00000000000000aa.lock")).doesNotExist();
		assertThat(staleWithoutLock).doesNotExist();
		assertThat(staging.resolve("artifact.00000000000000bb.lock")).doesNotExist();
		assertThat(busy).isDirectory();
		assertThat(busyLock).exists();
		assertThat(otherNames).isDirectory();
		assertThat(upperCase).isDirectory();
		assertThat(plainFile).isRegularFile();
	}


	/**
	 * A thread swaps every directory of an orphaned artifact for a link to a directory outside
	 * the depot whose files have the very names of the swapped directory's files, and back,
	 * again and again, following the artifact when the collector renames it to its trash
	 * name: a delete that resolved a path again through such a link would remove those
	 * outside files.
	 */
	@Test
	void directorySwappedForALinkWhileTheArtifactIsDeletedCostsNothingOutside() throws Exception {
		int directories = 12;
		int files = 24;
		Path outside = Files.createDirectories(this.temp.resolve("outside"));
		for (int i = 0; i < files; i++) {
			Files.writeString(outside.resolve("part-" + i), "outside " + i);
		}
		Map<String, String> before = DirectorySnapshot.of(outside);
		int swaps = 0;
		for (int round = 0; round < 4; round++) {
			String content = "round " + round;
			String hash = install((dir) -> {
				Files.writeString(dir.resolve("round"), content);
				for (int d = 0; d < directories; d++) {
					Path sub = Files.createDirectories(dir.resolve("d" + d));
					for (int i = 0; i < files; i++) {
						Files.writeString(sub.resolve("part-" + i), "inside " + i);
					}
				}
			});
			// The attacker makes the artifact's directories writable, so that it can move them.
			Files.setPosixFilePermissions(artifact(hash), PosixFilePermissions.fromString("rwxr-xr-x"));
			for (int d = 0; d < directories; d++) {
				Files.setPosixFilePermissions(artifact(hash).resolve("d" + d),
						PosixFilePermissions.fromString("rwxr-xr-x"));
			}
			Path stash = Files.createDirectories(this.temp.resolve("stash-" + round));
			Path tree = artifact(hash);
			LinkSwapper swapper = new LinkSwapper(() -> currentTree(tree), stash, outside, directories);
			swapper.start();
			swapper.awaitFirstCycle();
			GcReport report;
			try {
				report = this.collector.collectGarbage(NO_DELAY);
			}
			finally {
				swaps += swapper.finish();
			}
			assertThat(decision(report, hash).action()).isEqualTo(Action.DELETED);
			assertThat(DirectorySnapshot.of(outside)).as("outside after round %d, %d swaps: %s", round, swaps,
					report.warnings())
				.isEqualTo(before);
			// Undisturbed, the next run removes what the swapper put back.
			this.collector.collectGarbage(NO_DELAY);
			assertThat(artifactNames()).isEmpty();
		}
		assertThat(swaps).as("swaps").isGreaterThan(4 * directories);
	}

	/** The artifact, or the trash name the collector gave it. */
	private static Path currentTree(Path artifact) {
		if (Files.exists(artifact, LinkOption.NOFOLLOW_LINKS)) {
			return artifact;
		}
		try (Stream<Path> entries = Files.list(artifact.getParent())) {
			return entries.filter((entry) -> entry.getFileName().toString().startsWith(".deleting-"))
				.findFirst()
				.orElse(artifact);
		}
		catch (IOException ex) {
			return artifact;
		}
	}

}
