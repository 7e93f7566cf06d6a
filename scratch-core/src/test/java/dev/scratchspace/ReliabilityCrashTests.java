package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import dev.scratchspace.GcDecision.Action;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Processes killed with SIGKILL at random points while tracking, while collecting and while
 * populating: the depot stays usable, the usage log stays whole, and no half-populated space
 * is ever handed out. The seed of the random kill points is in every failure message; set
 * the system property {@code reliability.seed} to replay one.
 */
class ReliabilityCrashTests {

	private static final ScratchOwner TRACKER = ScratchOwner.of("org.example", "tracker");

	private static final ScratchOwner POPULATOR = ScratchOwner.of("org.example", "populator");

	private static final GcOptions NO_DELAY = GcOptions.defaults().withCollectDelay(Duration.ZERO);

	private static final int FILES = 12;

	private static final Pattern LINE_NUMBER = Pattern.compile("\\bline (\\d+)\\b");

	@TempDir
	Path temp;

	private Path depot;

	private Path project;

	private long seed;

	private Random random;

	@BeforeEach
	void prepare() throws IOException {
		this.depot = this.temp.resolve("depot");
		this.project = Files.writeString(this.temp.resolve("tracker.jar"), "jar");
		this.seed = Long.getLong("reliability.seed", System.nanoTime());
		this.random = new Random(this.seed);
	}

	@Test
	void trackersKilledAtRandomPointsLeaveAWholeLogAndAWorkingDepot() throws Exception {
		Set<Path> tracked = killTrackersAtRandomPoints(3);
		TomlParseResult log = Toml.parse(Files.readString(usageLog(), StandardCharsets.UTF_8));
		assertThat(log.errors()).as(seed()).isEmpty();
		assertThat(tracked).as(seed()).allSatisfy((space) -> {
			assertThat(space).isDirectory();
			assertThat(log.getArray(List.of(space.toString()))).as("entry of " + space).isNotNull();
		});

		Path afterTheCrashes;
		GcReport first;
		try (ScratchSpaceManager manager = manager()) {
			afterTheCrashes = manager.getScratch(TRACKER.withProject(this.project), "after-the-crashes");
			assertThat(afterTheCrashes).isDirectory();
			first = manager.collectGarbage(NO_DELAY);
		}
		Map<Path, GcDecision> decisions = byPath(first);
		assertThat(first.warnings()).as(seed()).isEmpty();
		assertThat(decisions.get(afterTheCrashes).action()).isEqualTo(Action.KEPT);
		assertThat(tracked).as(seed())
			.allSatisfy((space) -> assertThat(decisions.get(space).action()).isEqualTo(Action.KEPT));
		try (Stream<Path> leases = Files.list(this.depot.resolve("leases"))) {
			assertThat(leases.map((file) -> file.getFileName().toString()))
				.as("leases of the killed trackers: only the lease lock is left")
				.containsExactly(LeaseGate.FILE_NAME);
		}

		GcReport second;
		try (ScratchSpaceManager collector = manager()) {
			second = collector.collectGarbage(NO_DELAY);
		}
		assertThat(second.warnings()).as(seed()).isEmpty();
		assertThat(second.deletedCount()).as(seed()).isZero();
	}

	/** Starts trackers, kills each after a random number of accesses, and returns what they tracked. */
	private Set<Path> killTrackersAtRandomPoints(int count) throws Exception {
		List<WatchedChild> trackers = new ArrayList<>();
		Set<Path> tracked = new HashSet<>();
		try (ScratchSpaceManager paths = manager()) {
			for (int t = 0; t < count; t++) {
				trackers.add(WatchedChild.start(this.temp.resolve("tracker-" + t), "track-forever",
						this.depot.toString(), "org.example:tracker", this.project.toString(), "t" + t + "-"));
			}
			for (int t = 0; t < count; t++) {
				String killPoint = "tracked t" + t + "-" + (20 + this.random.nextInt(280));
				trackers.get(t).awaitLine(killPoint::equals);
				trackers.get(t).kill();
			}
			for (WatchedChild tracker : trackers) {
				tracker.lines()
					.stream()
					.filter((line) -> line.startsWith("tracked "))
					.forEach((line) -> tracked.add(paths.scratchPath(TRACKER, line.substring("tracked ".length()))));
			}
		}
		finally {
			trackers.forEach(WatchedChild::close);
		}
		return tracked;
	}

	/**
	 * A write that stopped part-way (a process killed inside a write that spans pages, a full
	 * disk) leaves a torn entry. Wherever it stopped, collection completes, warns about that
	 * entry only, naming its line, and every other entry, also the next one appended, keeps
	 * its space. Every cut point is tried; the failures are reported together.
	 */
	@Test
	void tornEntryCostsOnlyItselfWhereverTheWriteStopped() throws Exception {
		byte[] entry = entry(this.depot.resolve("scratchspaces/torn"), this.temp.resolve("torn.jar"));
		List<String> failures = new ArrayList<>();
		int tried = 0;
		// Without only its final newline the entry is whole: that cut point is not a tear.
		for (int cut = 1; cut < entry.length - 1; cut++) {
			if (entry[cut - 1] == '\n') {
				continue;
			}
			tried++;
			String fragment = new String(entry, Math.max(0, cut - 10), Math.min(cut, 10), StandardCharsets.UTF_8);
			tornEntryProblem(Arrays.copyOf(entry, cut), this.temp.resolve("depot-" + cut))
				.ifPresent((problem) -> failures.add("after " + fragment.replace("\n", "\\n") + ": " + problem));
		}
		assertThat(failures.size()).as("cut points that fail, of %d; the first: %s", tried,
				failures.stream().limit(12).collect(Collectors.joining("\n  ", "\n  ", "\n")))
			.isZero();
	}

	private Optional<String> tornEntryProblem(byte[] torn, Path depot) throws IOException {
		try (ScratchSpaceManager manager = manager(depot)) {
			manager.getScratch(TRACKER.withProject(this.project), "before-the-tear");
		}
		Files.write(depot.resolve("logs/scratch_usage.toml"), torn, StandardOpenOption.APPEND);
		try (ScratchSpaceManager manager = manager(depot)) {
			manager.getScratch(TRACKER.withProject(this.project), "after-the-tear");
		}
		int firstLine = 4;
		int lastLine = firstLine + (int) IntStream.range(0, torn.length).filter((i) -> torn[i] == '\n').count();
		try (ScratchSpaceManager collector = manager(depot)) {
			GcReport report = collector.collectGarbage(NO_DELAY);
			if (report.warnings().isEmpty()) {
				return Optional.of("no warning");
			}
			for (String warning : report.warnings()) {
				Matcher line = LINE_NUMBER.matcher(warning);
				if (warning.startsWith("Kept a copy of the damaged")) {
					continue;
				}
				if (!line.find() || Integer.parseInt(line.group(1)) < firstLine
						|| Integer.parseInt(line.group(1)) > lastLine) {
					return Optional.of("a warning that does not name line " + firstLine + "-" + lastLine + ": " + warning);
				}
			}
			for (GcDecision decision : report.decisions()) {
				if (decision.action() != Action.KEPT) {
					return Optional.of(decision.path().getFileName() + " " + decision.action() + ": " + decision.reason());
				}
			}
			List<String> again = collector.collectGarbage(NO_DELAY).warnings();
			if (!again.isEmpty()) {
				return Optional.of("the next collection warns again: " + again);
			}
			return Optional.empty();
		}
		catch (RuntimeException ex) {
			return Optional.of("collection failed: " + ex);
		}
	}

	@Test
	void collectorKilledInTheMiddleOfARunLeavesTheOldOrTheNewLog() throws Exception {
		Set<Path> live = new HashSet<>();
		Set<Path> orphaned = new HashSet<>();
		Path gone = Files.writeString(this.temp.resolve("gone.jar"), "jar");
		Path goneLater = Files.writeString(this.temp.resolve("gone-later.jar"), "jar");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder()
			.depot(this.depot)
			.accessLogInterval(Duration.ZERO)
			.build()) {
			for (int i = 0; i < 1500; i++) {
				live.add(manager.getScratch(TRACKER.withProject(this.project), "live-" + i));
				manager.getScratch(TRACKER.withProject(this.project), "live-" + i / 2);
			}
			ScratchOwner leaving = ScratchOwner.of("org.example", "leaving").withProject(gone);
			for (int i = 0; i < 20; i++) {
				Path space = manager.getScratch(leaving, "orphan-" + i);
				for (int f = 0; f < 300; f++) {
					Files.writeString(space.resolve("file-" + f), "x");
				}
				orphaned.add(space);
			}
			// Orphaned only before the last kill, so that the run killed there has an orphanage to write.
			ScratchOwner leavingLater = ScratchOwner.of("org.example", "leaving-later").withProject(goneLater);
			for (int i = 0; i < 5; i++) {
				orphaned.add(manager.getScratch(leavingLater, "orphan-" + i));
			}
		}
		Files.delete(gone);
		Path logs = this.depot.resolve("logs");
		Path spaces = this.depot.resolve("scratchspaces");
		List<String> killedAt = new ArrayList<>();
		// In the order of a run: reading, rewriting the log, deleting (a space is first moved out
		// of its owner directory to .deleting-<random>, then its files are deleted), writing the
		// orphanage.
		killCollectorAt(logs, "gc-start", 1, killedAt);
		killCollectorAt(logs, "scratch_usage.toml.tmp-", 1, killedAt);
		killCollectorAt(spaces, SpaceRemoval.TRASH_PREFIX, 1 + this.random.nextInt(8), killedAt);
		Files.delete(goneLater);
		killCollectorAt(logs, "orphaned.toml.tmp-", 1, killedAt);
		String description = seed() + ", killed at " + killedAt;

		TomlParseResult log = Toml.parse(Files.readString(usageLog(), StandardCharsets.UTF_8));
		assertThat(log.errors()).as(description).isEmpty();
		assertThat(live).as(description).allSatisfy((space) -> {
			assertThat(space).isDirectory();
			assertThat(log.getArray(List.of(space.toString()))).as("entry of " + space).isNotNull();
		});
		try (ScratchSpaceManager manager = manager()) {
			assertThat(manager.getScratch(TRACKER.withProject(this.project), "after-the-crashes")).isDirectory();
			GcReport report = manager.collectGarbage(NO_DELAY);
			assertThat(report.warnings()).as(description).isEmpty();
			Map<Path, GcDecision> decisions = byPath(report);
			assertThat(live).as(description)
				.allSatisfy((space) -> assertThat(decisions.get(space).action()).isEqualTo(Action.KEPT));
		}
		assertThat(orphaned).as(description).allSatisfy((space) -> assertThat(space).doesNotExist());
	}

	@Test
	void temporaryFilesOfAKilledRewriteAreRemovedByTheNextCollection() throws Exception {
		Path space;
		try (ScratchSpaceManager manager = manager()) {
			space = manager.getScratch(TRACKER.withProject(this.project), "kept");
		}
		Path logs = this.depot.resolve("logs");
		byte[] entry = Files.readAllBytes(usageLog());
		// What a collector killed between writing and moving its new files leaves behind.
		Files.write(logs.resolve("scratch_usage.toml.tmp-999999-1a2b3c"), entry, StandardOpenOption.CREATE_NEW);
		Files.write(logs.resolve("orphaned.toml.tmp-999999-1a2b3d"), "\"/x\" = 2026-".getBytes(StandardCharsets.UTF_8),
				StandardOpenOption.CREATE_NEW);
		try (ScratchSpaceManager collector = manager()) {
			GcReport report = collector.collectGarbage(NO_DELAY);
			assertThat(report.warnings()).isEmpty();
			assertThat(byPath(report).get(space).action()).isEqualTo(Action.KEPT);
		}
		try (Stream<Path> files = Files.list(logs)) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.noneMatch((name) -> name.contains(".tmp-"));
		}
	}

	@Test
	void populatorKilledAtAnyPointNeverLeavesAHalfPopulatedSpace() throws Exception {
		// One kill point of each kind: before the first file, among the files, after the last
		// file but before the move, and after getOrPopulate returned.
		int[] pausePoints = { 0, 1 + this.random.nextInt(FILES - 1), FILES, FILES + 1 };
		for (int round = 0; round < pausePoints.length; round++) {
			int pauseAt = pausePoints[round];
			String key = "round-" + round;
			String description = seed() + ", killed after " + pauseAt + " of " + FILES + " files";
			Path counter = this.temp.resolve("runs-" + round);
			Path space;
			try (ScratchSpaceManager paths = manager()) {
				space = paths.scratchPath(POPULATOR, key);
			}
			try (WatchedChild first = WatchedChild.start(this.temp.resolve("first-" + round), "populate-pausing",
					this.depot.toString(), "org.example:populator", key, String.valueOf(FILES),
					String.valueOf(pauseAt), counter.toString())) {
				first.awaitLine((line) -> line.startsWith("paused "));
				if (pauseAt <= FILES) {
					assertThat(!Files.exists(space) || isEmptyDirectory(space)).as(description + ": space %s", space)
						.isTrue();
				}
				else {
					assertThat(ScratchChild.describeContent(space, FILES)).isEqualTo("files=" + FILES + " complete=true");
				}
				// A second process asks for the space while the first one holds the populate lock.
				try (WatchedChild second = WatchedChild.start(this.temp.resolve("second-" + round),
						"populate-pausing", this.depot.toString(), "org.example:populator", key,
						String.valueOf(FILES), "-1", counter.toString())) {
					second.relatedTo(first);
					second.awaitLine("calling"::equals);
					first.kill();
					assertThat(second.awaitLine((line) -> line.startsWith("populated "))).as(description)
						.isEqualTo("populated files=" + FILES + " complete=true");
					second.awaitSuccess();
				}
			}
			assertThat(Files.readAllLines(counter)).as(description).hasSize((pauseAt <= FILES) ? 2 : 1);
		}
		assertNoStagingDirectorySurvivesACollection();
	}

	@Test
	void populatorsKilledWhileRunningFreelyNeverLeaveAHalfPopulatedSpace() throws Exception {
		List<WatchedChild> populators = new ArrayList<>();
		int highest = 0;
		try {
			for (int p = 0; p < 2; p++) {
				populators.add(WatchedChild.start(this.temp.resolve("populator-" + p), "populate-forever",
						this.depot.toString(), "org.example:populator", "free-", String.valueOf(FILES)));
			}
			for (WatchedChild populator : populators) {
				int killAt = 5 + this.random.nextInt(40);
				populator.awaitLine((line) -> line.startsWith("populated free-" + killAt + " "));
				populator.kill();
			}
			for (WatchedChild populator : populators) {
				for (String line : populator.lines()) {
					assertThat(line).as(seed()).endsWith(" files=" + FILES + " complete=true");
					String key = line.split(" ")[1];
					highest = Math.max(highest, Integer.parseInt(key.substring("free-".length())));
				}
			}
		}
		finally {
			populators.forEach(WatchedChild::close);
		}
		try (ScratchSpaceManager manager = manager()) {
			for (int k = 0; k <= highest + 2; k++) {
				Path space = manager.scratchPath(POPULATOR, "free-" + k);
				String state = Files.exists(space) ? ScratchChild.describeContent(space, FILES) : "missing";
				assertThat(state).as(seed() + ": " + space)
					.isIn("missing", "files=0 complete=false", "files=" + FILES + " complete=true");
				Path populated = manager.getOrPopulate(POPULATOR, "free-" + k, (staging) -> {
					for (int i = 0; i < FILES; i++) {
						Files.writeString(staging.resolve(ScratchChild.fileName(i)), ScratchChild.fileContent(i));
					}
				});
				assertThat(ScratchChild.describeContent(populated, FILES)).isEqualTo("files=" + FILES + " complete=true");
			}
		}
		assertNoStagingDirectorySurvivesACollection();
	}

	private void assertNoStagingDirectorySurvivesACollection() throws IOException {
		try (ScratchSpaceManager collector = manager()) {
			GcReport report = collector.collectGarbage(GcOptions.defaults());
			assertThat(report.warnings()).as(seed()).isEmpty();
		}
		try (Stream<Path> staged = Files.list(this.depot.resolve("staging"))) {
			assertThat(staged.filter(Files::isDirectory)).as(seed()).isEmpty();
		}
	}

	/**
	 * Starts a collector that loops without delay, and kills it when the {@code nth} event
	 * named by {@code prefix} happens: a progress line of the collector, or a file created or
	 * deleted in {@code watched}.
	 */
	private void killCollectorAt(Path watched, String prefix, int nth, List<String> killedAt) throws Exception {
		try (WatchService watcher = watched.getFileSystem().newWatchService()) {
			watched.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
			Path progress = this.temp.resolve("gc-progress");
			try (WatchedChild collector = WatchedChild.start(this.temp.resolve("collector-" + killedAt.size()),
					"gc-loop", this.depot.toString(), progress.toString())) {
				if (prefix.equals("gc-start")) {
					collector.awaitLine(("gc-start " + nth)::equals);
				}
				else {
					awaitEvents(watcher, prefix, nth, collector);
				}
				collector.kill();
				killedAt.add(prefix + " #" + nth + " (after " + collector.count((line) -> line.startsWith("gc "))
						+ " complete runs)");
			}
		}
	}

	private static void awaitEvents(WatchService watcher, String prefix, int nth, WatchedChild collector)
			throws InterruptedException {
		long deadline = System.nanoTime() + WatchedChild.DEADLINE.toNanos();
		int seen = 0;
		while (seen < nth) {
			WatchKey key = watcher.poll(1, TimeUnit.SECONDS);
			if (key == null) {
				if (System.nanoTime() > deadline) {
					throw new AssertionError("no " + prefix + " event within " + WatchedChild.DEADLINE
							+ collector.describe());
				}
				continue;
			}
			for (WatchEvent<?> event : key.pollEvents()) {
				if (event.context() instanceof Path name && name.toString().startsWith(prefix)) {
					seen++;
				}
			}
			key.reset();
		}
	}

	/** A usage-log entry as Scratch.jl writes it, for paths that need no escapes. */
	private static byte[] entry(Path space, Path project) {
		return ("[[\"" + space + "\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"" + project + "\"]\n")
			.getBytes(StandardCharsets.UTF_8);
	}

	private ScratchSpaceManager manager() {
		return manager(this.depot);
	}

	private static ScratchSpaceManager manager(Path depot) {
		return ScratchSpaceManager.builder().depot(depot).build();
	}

	private Path usageLog() {
		return this.depot.resolve("logs/scratch_usage.toml");
	}

	private String seed() {
		return "seed " + this.seed;
	}

	private static boolean isEmptyDirectory(Path dir) throws IOException {
		try (Stream<Path> entries = Files.list(dir)) {
			return entries.findAny().isEmpty();
		}
	}

	private static Map<Path, GcDecision> byPath(GcReport report) {
		return report.decisions().stream().collect(Collectors.toMap(GcDecision::path, Function.identity()));
	}

}
