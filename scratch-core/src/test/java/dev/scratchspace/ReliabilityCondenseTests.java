package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.scratchspace.GcDecision.Action;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the collector writes, it reads back; what is safe when Julia shares the depot; a dry
 * run changes nothing; the inventory's status after condensing; options of any length.
 */
class ReliabilityCondenseTests {

	private static final ScratchOwner LIBRARY = ScratchOwner.of("org.example", "library");

	private static final GcOptions NO_DELAY = GcOptions.defaults().withCollectDelay(Duration.ZERO);

	private static final long SEED = Long.getLong("reliability.seed", System.nanoTime());

	@TempDir
	Path temp;

	private Path depot;

	private MutableClock clock;

	private ScratchSpaceManager collector;

	@BeforeEach
	void createCollector() throws IOException {
		this.depot = Files.createDirectories(this.temp.resolve("depot")).toRealPath();
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

	private Path use(String key, Path project) {
		try (ScratchSpaceManager user = builder().build()) {
			return user.getScratch(LIBRARY, key, LIBRARY.withProject(project));
		}
	}

	/** A space with no usage-log entry, as a manager that does not track access leaves it. */
	private Path untracked(String key) {
		try (ScratchSpaceManager user = builder().trackAccess(false).build()) {
			return user.getScratch(LIBRARY, key);
		}
	}

	private Path usageLog() {
		return this.depot.resolve("logs/scratch_usage.toml");
	}

	private static Map<Path, GcDecision> byPath(GcReport report) {
		return report.decisions().stream().collect(Collectors.toMap(GcDecision::path, Function.identity()));
	}

	/** Appends as Julia's Scratch.jl does: opens the log by name and writes, taking no lock. */
	private void appendWithoutLock(Path space, Path project) {
		try {
			Files.write(usageLog(), UsageLog.formatEntry(space.toString(), this.clock.instant(), List.of(project.toString())),
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<Integer> lineLengths(Path file) throws IOException {
		List<Integer> lengths = new ArrayList<>();
		for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
			lengths.add(line.getBytes(StandardCharsets.UTF_8).length);
		}
		return lengths;
	}

	// What the collector writes, it can read

	@Test
	void spaceWithTwelveThousandExistingParentsIsKeptByTheNextRunToo() throws Exception {
		Path projects = Files.createDirectories(this.temp.resolve("projects"));
		List<Path> parents = new ArrayList<>();
		for (int i = 0; i < 12_000; i++) {
			parents.add(Files.createFile(projects.resolve(
					"a-project-file-whose-name-is-long-enough-to-make-a-long-condensed-line-%05d.toml".formatted(i))));
		}
		Path space = use("shared", parents.get(0));
		StringBuilder entries = new StringBuilder();
		for (Path parent : parents) {
			entries.append(new String(
					UsageLog.formatEntry(space.toString(), this.clock.instant(), List.of(parent.toString())),
					StandardCharsets.UTF_8));
		}
		Files.writeString(usageLog(), entries, StandardOpenOption.APPEND);

		GcReport first = this.collector.collectGarbage(NO_DELAY);
		assertThat(first.warnings()).isEmpty();
		assertThat(byPath(first).get(space).action()).isEqualTo(Action.KEPT);
		assertThat(lineLengths(usageLog())).allSatisfy(
				(length) -> assertThat(length).isLessThanOrEqualTo(UsageLog.MAX_LINE_BYTES));
		UsageLog.Usage condensed = UsageLogReader.read(usageLog()).spaces().get(space.toString());
		// The newest parents are kept: the last ones the log named.
		assertThat(condensed.parentProjects()).hasSize(UsageLog.MAX_PARENTS)
			.containsExactlyElementsOf(parents.subList(parents.size() - UsageLog.MAX_PARENTS, parents.size())
				.stream()
				.map(Path::toString)
				.toList());

		this.clock.advance(Duration.ofDays(30));
		GcReport second = this.collector.collectGarbage(NO_DELAY);
		assertThat(second.warnings()).isEmpty();
		assertThat(byPath(second).get(space).action()).isEqualTo(Action.KEPT);
		assertThat(space).isDirectory();
		GcReport third = this.collector.collectGarbage(NO_DELAY);
		assertThat(third.warnings()).isEmpty();
		assertThat(byPath(third).get(space).action()).isEqualTo(Action.KEPT);
	}

	@Test
	void timeBeyondTheYear9999ReadThroughAnOffsetIsClampedAndTheNextRunReadsIt() throws Exception {
		Path project = Files.writeString(this.temp.resolve("app.toml"), "x");
		Path space = use("late", project);
		Files.writeString(usageLog(), "[[" + TomlText.quote(space.toString()) + "]]\n"
				+ "time = 9999-12-31T23:30:00-05:00\nparent_projects = [" + TomlText.quote(project.toString()) + "]\n",
				StandardOpenOption.APPEND);

		GcReport first = this.collector.collectGarbage(NO_DELAY);
		assertThat(first.warnings()).isEmpty();
		assertThat(byPath(first).get(space).action()).isEqualTo(Action.KEPT);
		UsageLog reread = UsageLogReader.read(usageLog());
		assertThat(reread.warnings()).isEmpty();
		assertThat(reread.spaces().get(space.toString()).newest()).isEqualTo(UsageLog.MAX_TIME);
		GcReport second = this.collector.collectGarbage(NO_DELAY);
		assertThat(second.warnings()).isEmpty();
		assertThat(byPath(second).get(space).action()).isEqualTo(Action.KEPT);
	}

	@Test
	void whateverTheWriterCondensesTheReaderReadsBackWhole() throws Exception {
		Random random = new Random(SEED);
		Path file = this.temp.resolve("condensed.toml");
		for (int round = 0; round < 60; round++) {
			Map<String, UsageLog.Usage> spaces = new LinkedHashMap<>();
			int spaceCount = 1 + random.nextInt(12);
			for (int i = 0; i < spaceCount; i++) {
				Set<String> parents = new LinkedHashSet<>();
				// Many short parents pass the count limit; a few long ones the line limit.
				boolean long_ = random.nextInt(5) == 0;
				int parentCount = long_ ? 1 + random.nextInt(12) : switch (random.nextInt(4)) {
					case 0 -> 1;
					case 1 -> random.nextInt(10);
					case 2 -> random.nextInt(1_000);
					default -> 5 + random.nextInt(20);
				};
				while (parents.size() < parentCount) {
					parents.add(randomText(random, long_ ? 40_000 + random.nextInt(40_000) : 1 + random.nextInt(200)));
				}
				spaces.put(randomText(random, 1 + random.nextInt(500)) + "/" + i,
						new UsageLog.Usage(randomTime(random), parents));
			}
			Files.write(file, UsageLog.format(spaces));

			String seed = "seed " + SEED + ", round " + round;
			assertThat(lineLengths(file)).as(seed)
				.allSatisfy((length) -> assertThat(length).isLessThanOrEqualTo(UsageLog.MAX_LINE_BYTES));
			UsageLog read = UsageLogReader.read(file);
			assertThat(read.warnings()).as(seed).isEmpty();
			assertThat(read.malformedCount()).as(seed).isZero();
			assertThat(read.spaces().keySet()).as(seed).containsExactlyElementsOf(spaces.keySet());
			for (Map.Entry<String, UsageLog.Usage> each : spaces.entrySet()) {
				UsageLog.Usage written = each.getValue();
				UsageLog.Usage back = read.spaces().get(each.getKey());
				Instant expected = UsageLog.clamp(written.newest());
				assertThat(back.newest()).as(seed).isEqualTo(Instant.ofEpochMilli(expected.toEpochMilli()));
				List<String> kept = new ArrayList<>(UsageLog.fitted(written.parentProjects()));
				assertThat(back.parentProjects()).as(seed).containsExactlyElementsOf(kept);
				assertThat(kept).as(seed).hasSizeLessThanOrEqualTo(UsageLog.MAX_PARENTS);
				if (!written.parentProjects().isEmpty()) {
					// One parent always fits: the longest generated is far below the line limit.
					assertThat(kept).as(seed).isNotEmpty();
					List<String> all = new ArrayList<>(written.parentProjects());
					assertThat(kept.get(kept.size() - 1)).as(seed).isEqualTo(all.get(all.size() - 1));
				}
				if (written.parentProjects().size() <= 20 && !long_(written)) {
					assertThat(kept).as(seed).containsExactlyElementsOf(written.parentProjects());
				}
			}
		}
	}

	private static boolean long_(UsageLog.Usage usage) {
		return usage.parentProjects().stream().anyMatch((parent) -> parent.length() >= 1_000);
	}

	/** Text of the given length in UTF-16 units or one more: quotes, escapes, controls, any plane. */
	private static String randomText(Random random, int length) {
		StringBuilder text = new StringBuilder(length + 1);
		while (text.length() < length) {
			switch (random.nextInt(10)) {
				case 0 -> text.append("\"\\'\t\n\r\b\f".charAt(random.nextInt(8)));
				case 1 -> text.append((char) random.nextInt(0x20));
				case 2 -> text.append((char) (0x7f + random.nextInt(0x21)));
				case 3 -> text.append((char) (0xa0 + random.nextInt(0xd800 - 0xa0)));
				case 4 -> text.appendCodePoint(0x10000 + random.nextInt(0x10ffff - 0x10000));
				case 5 -> text.append('/');
				default -> text.append((char) (0x20 + random.nextInt(0x5f)));
			}
		}
		return text.toString();
	}

	private static Instant randomTime(Random random) {
		return switch (random.nextInt(6)) {
			case 0 -> UsageLog.MIN_TIME.minusSeconds(random.nextInt(1_000_000));
			case 1 -> UsageLog.MAX_TIME.plusSeconds(random.nextInt(1_000_000));
			case 2 -> Instant.MAX;
			default -> Instant.ofEpochSecond(UsageLog.MIN_TIME.getEpochSecond()
					+ (long) (random.nextDouble() * (UsageLog.MAX_TIME.getEpochSecond() - UsageLog.MIN_TIME.getEpochSecond())),
					random.nextInt(1_000_000_000));
		};
	}

	// Sharing a depot with Julia

	@Test
	void entryAppendedWithoutTheLockBetweenTheReadAndTheRenameIsRescued() throws Exception {
		Path project = Files.writeString(this.temp.resolve("app.toml"), "x");
		Path tracked = use("tracked", project);
		Path appendedMeanwhile = untracked("julia");
		Path juliaProject = Files.writeString(this.temp.resolve("Project.toml"), "x");
		ManagerState state = new ManagerState(DepotLayout.of(this.depot), LIBRARY, null, true, Duration.ofDays(1),
				this.clock, Duration.ofSeconds(30));
		try {
			GcReport report = new CollectionRun(state, DepotLayout.of(this.depot).spaces(), NO_DELAY)
				.beforeRewrite(() -> appendWithoutLock(appendedMeanwhile, juliaProject))
				.run();
			// Read before the append, the space looked untracked; the entry kept it all the same.
			assertThat(byPath(report).get(appendedMeanwhile).action()).isEqualTo(Action.KEPT);
			assertThat(byPath(report).get(tracked).action()).isEqualTo(Action.KEPT);
		}
		finally {
			state.close();
		}
		assertThat(appendedMeanwhile).isDirectory();
		UsageLog log = UsageLogReader.read(usageLog());
		assertThat(log.spaces().get(appendedMeanwhile.toString()).parentProjects())
			.containsExactly(juliaProject.toString());
		GcReport next = this.collector.collectGarbage(NO_DELAY);
		assertThat(next.warnings()).isEmpty();
		assertThat(byPath(next).get(appendedMeanwhile).action()).isEqualTo(Action.KEPT);
	}

	@Test
	void entryAppendedWithoutTheLockAfterTheRenameSurvivesButOneWrittenIntoTheOldFileIsLost() throws Exception {
		Path project = Files.writeString(this.temp.resolve("app.toml"), "x");
		use("tracked", project);
		Path lateWriter = untracked("late-writer");
		Path afterRename = untracked("after-rename");
		Path juliaProject = Files.writeString(this.temp.resolve("Project.toml"), "x");
		// A writer that opened the log before the collection and writes only after it: the
		// documented limit. Its entry goes into the replaced file, and nothing reads that again.
		try (FileChannel openedBefore = FileChannel.open(usageLog(), StandardOpenOption.WRITE)) {
			GcReport report = this.collector.collectGarbage(GcOptions.defaults());
			assertThat(report.warnings()).isEmpty();
			ByteBuffer entry = ByteBuffer.wrap(
					UsageLog.formatEntry(lateWriter.toString(), this.clock.instant(), List.of(juliaProject.toString())));
			long position = openedBefore.size();
			while (entry.hasRemaining()) {
				position += openedBefore.write(entry, position);
			}
		}
		appendWithoutLock(afterRename, juliaProject);

		UsageLog log = UsageLogReader.read(usageLog());
		assertThat(log.warnings()).isEmpty();
		assertThat(log.spaces()).containsKey(afterRename.toString()).doesNotContainKey(lateWriter.toString());
		GcReport next = this.collector.collectGarbage(GcOptions.defaults());
		assertThat(byPath(next).get(afterRename).action()).isEqualTo(Action.KEPT);
		assertThat(byPath(next).get(lateWriter).action()).isEqualTo(Action.ORPHANED);
	}

	// A dry run changes nothing

	@Test
	void dryRunOnADepotWithoutLogsCreatesNothing() throws Exception {
		Path space = untracked("data");
		assertThat(this.depot.resolve("logs")).doesNotExist();
		Map<String, String> before = DirectorySnapshot.of(this.temp);

		GcReport report = this.collector.collectGarbage(NO_DELAY.withDryRun(true));

		assertThat(report.warnings()).isEmpty();
		assertThat(byPath(report).get(space).action()).isEqualTo(Action.DELETED);
		assertThat(DirectorySnapshot.of(this.temp)).isEqualTo(before);
	}

	@Test
	void dryRunOnADepotNeverCollectedCreatesNoLockAndRemovesNoTemporary() throws Exception {
		Path project = Files.writeString(this.temp.resolve("app.toml"), "x");
		Path space = use("data", project);
		Files.delete(project);
		Files.writeString(this.depot.resolve("logs/scratch_usage.toml.tmp-1-1"), "left by a killed rewrite");
		assertThat(this.depot.resolve("logs/gc.lock")).doesNotExist();
		Map<String, String> before = DirectorySnapshot.of(this.temp);

		GcReport report = this.collector.collectGarbage(NO_DELAY.withDryRun(true));

		assertThat(report.warnings()).isEmpty();
		assertThat(byPath(report).get(space).action()).isEqualTo(Action.DELETED);
		assertThat(DirectorySnapshot.of(this.temp)).isEqualTo(before);
	}

	// The inventory after condensing

	@Test
	void orphanWhoseEntryCondensingDroppedIsStillOrphanedInTheInventory() throws Exception {
		Path project = Files.writeString(this.temp.resolve("app.toml"), "x");
		Path orphan = use("orphan", project);
		Path neverTracked = untracked("never-tracked");
		Files.delete(project);

		GcReport report = this.collector.collectGarbage(GcOptions.defaults());
		assertThat(byPath(report).get(orphan).action()).isEqualTo(Action.ORPHANED);
		assertThat(UsageLogReader.read(usageLog()).spaces()).doesNotContainKey(orphan.toString());

		Map<Path, ScratchSpace> inventory = this.collector.spaces()
			.stream()
			.collect(Collectors.toMap(ScratchSpace::path, Function.identity()));
		assertThat(inventory.get(orphan).status()).isEqualTo(ScratchSpace.Status.ORPHANED);
		assertThat(inventory.get(orphan).orphanedSince()).contains(this.clock.instant());
		assertThat(inventory.get(neverTracked).status()).isEqualTo(ScratchSpace.Status.UNTRACKED);
		assertThat(inventory.get(neverTracked).orphanedSince()).contains(this.clock.instant());
	}

	// Options of any length

	@Test
	void collectDelayOfAnyLengthKeepsOrphansAndNamesNoDeletionTime() throws Exception {
		Path project = Files.writeString(this.temp.resolve("app.toml"), "x");
		Path orphan = use("orphan", project);
		Files.delete(project);
		for (Duration delay : List.of(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
				Duration.ofDays(366L * 1_000_000_000))) {
			GcReport report = this.collector.collectGarbage(GcOptions.defaults().withCollectDelay(delay));
			GcDecision decision = byPath(report).get(orphan);
			assertThat(decision.action()).as(delay.toString()).isEqualTo(Action.ORPHANED);
			assertThat(decision.reason()).as(delay.toString())
				.endsWith("will be deleted after the " + CollectionRun.describe(delay) + " delay");
			assertThat(orphan).isDirectory();
		}
	}

	@Test
	void maxUnusedAgeOfAnyLengthOrphansNothing() throws Exception {
		Path project = Files.writeString(this.temp.resolve("app.toml"), "x");
		Path space = use("data", project);
		this.clock.advance(Duration.ofDays(3650));
		for (Duration age : List.of(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
				Duration.ofDays(366L * 1_000_000_000))) {
			GcReport report = this.collector
				.collectGarbage(GcOptions.defaults().withCollectDelay(Duration.ZERO).withMaxUnusedAge(age));
			assertThat(report.warnings()).isEmpty();
			assertThat(byPath(report).get(space).action()).as(age.toString()).isEqualTo(Action.KEPT);
		}
		GcReport bounded = this.collector
			.collectGarbage(GcOptions.defaults().withCollectDelay(Duration.ZERO).withMaxUnusedAge(Duration.ofDays(30)));
		assertThat(byPath(bounded).get(space).action()).isEqualTo(Action.DELETED);
	}

}
