package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import dev.scratchspace.GcDecision.Action;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many processes tracking the same depot while another one collects garbage without delay:
 * the usage log stays parseable, keeps an entry for every space, and no space in use is
 * deleted.
 */
class ReliabilityManyWritersTests {

	private static final int WRITERS = 8;

	private static final int SPACES_PER_WRITER = 500;

	private static final int SHARED_SPACES = 20;

	private static final ScratchOwner SHARED = ScratchOwner.of("org.example", "shared");

	@TempDir
	Path temp;

	@Test
	void writersAndACollectorInParallelLoseNoEntryAndDeleteNoSpaceInUse() throws Exception {
		Path depot = this.temp.resolve("depot");
		Path gcProgress = this.temp.resolve("gc-progress");
		List<WatchedChild> writers = new ArrayList<>();
		try {
			for (int w = 0; w < WRITERS; w++) {
				writers.add(startWriter(depot, w, gcProgress));
			}
			for (WatchedChild writer : writers) {
				writer.awaitLine("started"::equals);
			}
			// Each writer waits twice for a new collection while it writes.
			try (WatchedChild collector = WatchedChild.start(this.temp.resolve("collector"), "gc-loop",
					depot.toString(), gcProgress.toString())) {
				writers.forEach((writer) -> writer.relatedTo(collector));
				awaitEach(writers, "held ");
				// Every space is tracked and leased now: one more collection while they are held.
				collectMore(collector, 1);
				for (WatchedChild writer : writers) {
					writer.closeInput();
				}
				awaitEach(writers, "verified ");
				// Only the usage log keeps the spaces now: the second collection from here starts
				// after every lease is gone.
				collectMore(collector, 2);
				collector.closeInput();
				collector.awaitSuccess();
				assertNoWarningOrDeletion(collector);
			}
		}
		finally {
			writers.forEach(WatchedChild::close);
		}
		assertEverySpaceSurvivedWithItsEntry(depot);
	}

	private WatchedChild startWriter(Path depot, int writer, Path gcProgress) throws IOException {
		Path project = Files.writeString(this.temp.resolve("writer-" + writer + ".jar"), "jar");
		return WatchedChild.start(this.temp.resolve("writer-" + writer), "writer", depot.toString(),
				"org.example:writer-" + writer, project.toString(), String.valueOf(SPACES_PER_WRITER),
				"org.example:shared", String.valueOf(SHARED_SPACES), gcProgress.toString());
	}

	/** Waits for each writer's report on the spaces it holds; none may be missing. */
	private static void awaitEach(List<WatchedChild> writers, String report) throws InterruptedException {
		for (WatchedChild writer : writers) {
			assertThat(writer.awaitLine((line) -> line.startsWith(report))).as(writer.describe())
				.isEqualTo(report + (SPACES_PER_WRITER + SHARED_SPACES) + " missing 0");
		}
	}

	private static void collectMore(WatchedChild collector, int runs) throws InterruptedException {
		long done = collector.count((line) -> line.startsWith("gc "));
		collector.awaitLines((line) -> line.startsWith("gc "), done + runs);
	}

	private static void assertNoWarningOrDeletion(WatchedChild collector) {
		List<String> problems = collector.lines()
			.stream()
			.filter((line) -> line.startsWith("warning ") || line.startsWith("decision "))
			.toList();
		assertThat(problems).as("%d warnings and deletions by the collector, the first: %s", problems.size(),
				problems.subList(0, Math.min(5, problems.size())))
			.isEmpty();
		assertThat(collector.count((line) -> line.startsWith("gc "))).as("collections").isGreaterThanOrEqualTo(5);
	}

	private static void assertEverySpaceSurvivedWithItsEntry(Path depot) throws IOException {
		Set<String> expected = expectedSpaces(depot);
		TomlParseResult log = Toml.parse(Files.readString(depot.resolve("logs/scratch_usage.toml"),
				StandardCharsets.UTF_8));
		assertThat(log.errors()).isEmpty();
		Set<String> onDisk = spacesOnDisk(depot);
		assertNone(difference(expected, onDisk), "tracked spaces with an existing parent project were deleted");
		assertNone(difference(onDisk, expected), "spaces appeared that nobody asked for");
		assertNone(difference(onDisk, log.keySet()), "spaces on disk have no usage-log entry");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			GcReport report = manager.collectGarbage(GcOptions.defaults().withCollectDelay(Duration.ZERO));
			assertThat(report.warnings()).isEmpty();
			assertThat(report.decisions()).hasSize(expected.size())
				.extracting(GcDecision::action)
				.containsOnly(Action.KEPT);
		}
	}

	@Test
	void leaseOfAProcessSurvivesItsOwnInventoryAndCollection() throws Exception {
		Path depot = this.temp.resolve("depot");
		ScratchOwner owner = ScratchOwner.of("org.example", "holder");
		Path space;
		try (WatchedChild holder = WatchedChild.start(this.temp.resolve("holder"), "hold-and-inspect", depot.toString(),
				"org.example:holder", "untracked")) {
			holder.awaitLine("inspected"::equals);
			try (ScratchSpaceManager other = ScratchSpaceManager.builder().depot(depot).build()) {
				space = other.scratchPath(owner, "untracked");
				GcReport report = other.collectGarbage(GcOptions.defaults().withCollectDelay(Duration.ZERO));
				assertThat(report.decisions()).singleElement()
					.satisfies((decision) -> assertThat(decision.action()).as(decision.reason())
						.isEqualTo(Action.SKIPPED_LEASED));
			}
			holder.closeInput();
			assertThat(holder.awaitLine((line) -> line.startsWith("still there "))).isEqualTo("still there true");
			holder.awaitSuccess();
		}
		assertThat(space).isDirectory();
	}

	private static Set<String> difference(Set<String> all, Set<String> minus) {
		Set<String> difference = new TreeSet<>(all);
		difference.removeAll(minus);
		return difference;
	}

	private static void assertNone(Set<String> found, String what) {
		assertThat(found).as("%d %s, among them %s", found.size(), what, found.stream().limit(5).toList()).isEmpty();
	}

	private static Set<String> expectedSpaces(Path depot) {
		Set<String> expected = new HashSet<>();
		try (ScratchSpaceManager paths = ScratchSpaceManager.builder().depot(depot).trackAccess(false).build()) {
			for (int w = 0; w < WRITERS; w++) {
				ScratchOwner owner = ScratchOwner.of("org.example", "writer-" + w);
				for (int i = 0; i < SPACES_PER_WRITER; i++) {
					expected.add(paths.scratchPath(owner, "own-" + i).toString());
				}
			}
			for (int s = 0; s < SHARED_SPACES; s++) {
				expected.add(paths.scratchPath(SHARED, "shared-" + s).toString());
			}
		}
		return expected;
	}

	private static Set<String> spacesOnDisk(Path depot) throws IOException {
		Set<String> spaces = new HashSet<>();
		Path root = depot.resolve("scratchspaces");
		try (Stream<Path> owners = Files.list(root)) {
			for (Path owner : owners.filter(Files::isDirectory).toList()) {
				try (Stream<Path> keys = Files.list(owner)) {
					keys.forEach((key) -> spaces.add(key.toString()));
				}
			}
		}
		return spaces;
	}

}
