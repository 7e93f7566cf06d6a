package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.scratchspace.GcDecision.Action;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the collector's removal step does with an entry that changed since the listing
 * doomed it.
 */
class SpaceRemovalTests {

	private static final ScratchOwner LIBRARY = ScratchOwner.of("org.example", "library");

	private static final GcOptions NO_DELAY = GcOptions.defaults().withCollectDelay(Duration.ZERO);

	@TempDir
	Path temp;

	private Path depot;

	private MutableClock clock;

	@BeforeEach
	void createDepot() throws IOException {
		this.depot = Files.createDirectories(this.temp.resolve("depot")).toRealPath();
		this.clock = new MutableClock(Instant.parse("2026-11-18T03:00:00Z"));
	}

	/** A space with no usage-log entry: with no delay, the next collection deletes it. */
	private Path untracked(String key) {
		try (ScratchSpaceManager user = ScratchSpaceManager.builder()
			.depot(this.depot)
			.clock(this.clock)
			.environment((name) -> null)
			.trackAccess(false)
			.build()) {
			return user.getScratch(LIBRARY, key);
		}
	}

	@Test
	void spaceReplacedByARegularFileAfterTheListingIsLeftAloneAndTheReportSaysWhy() throws Exception {
		Path replaced = untracked("replaced");
		Path doomed = untracked("doomed");
		ManagerState state = new ManagerState(DepotLayout.of(this.depot), LIBRARY, null, true, Duration.ofDays(1),
				this.clock, Duration.ofSeconds(30));
		GcReport report;
		try {
			// Runs once the listing is done: the collector took "replaced" for a directory.
			report = new CollectionRun(state, DepotLayout.of(this.depot).spaces(), NO_DELAY)
				.beforeRewrite(() -> replaceByFile(replaced, "someone else's"))
				.run();
		}
		finally {
			state.close();
		}
		assertThat(replaced).isRegularFile().hasContent("someone else's");
		GcDecision kept = byPath(report).get(replaced);
		assertThat(kept.action()).isEqualTo(Action.KEPT);
		assertThat(kept.reason()).contains("not deleted: " + replaced + " is a regular file now",
				"someone else's and is left alone");
		// The same run deleted the space that stayed a directory.
		assertThat(byPath(report).get(doomed).action()).isEqualTo(Action.DELETED);
		assertThat(doomed).doesNotExist();
		assertThat(report.deletedCount()).isEqualTo(1);
		assertThat(report.warnings()).isEmpty();
	}

	private static void replaceByFile(Path space, String content) {
		try {
			Files.delete(space);
			Files.writeString(space, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Map<Path, GcDecision> byPath(GcReport report) {
		return report.decisions().stream().collect(Collectors.toMap(GcDecision::path, Function.identity()));
	}

}
