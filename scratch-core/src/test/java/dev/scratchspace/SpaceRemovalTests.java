package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

	private static final GcOptions NO_DELAY = GcOptions.defaults().withCollectDelay(Duration.ZERO);

	@TempDir
	Path temp;

	private CollectionDepot depot;

	@BeforeEach
	void createDepot() throws IOException {
		this.depot = CollectionDepot.in(this.temp);
	}


	@Test
	void spaceReplacedByARegularFileAfterTheListingIsLeftAloneAndTheReportSaysWhy() throws Exception {
		Path replaced = this.depot.untracked("replaced");
		Path doomed = this.depot.untracked("doomed");
		// Runs once the listing is done: the collector took "replaced" for a directory.
		GcReport report = this.depot.collect(NO_DELAY,
				(run) -> run.beforeRewrite(() -> replaceByFile(replaced, "someone else's")));
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
