package dev.scratchspace;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.scratchspace.GcDecision.Action;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A space that another process replaces by a file of its own after the collector listed it:
 * the file is not a space, so it neither is deleted nor counts towards the size bound.
 */
class SpaceReplacedDuringCollectionTests {

	private static final long MEGABYTE = 1024 * 1024;

	@TempDir
	Path temp;

	private CollectionDepot depot;

	@BeforeEach
	void createDepot() throws IOException {
		this.depot = CollectionDepot.in(this.temp);
	}

	@Test
	void fileInPlaceOfAListedSpaceDoesNotCountTowardsTheSizeBound() throws IOException {
		Path small = this.depot.untracked("small");
		Files.write(small.resolve("data"), new byte[1024]);
		Path replaced = this.depot.untracked("zzz");
		// Ten megabytes that are someone else's; sparse, so the test writes almost nothing.
		GcOptions bound = GcOptions.defaults().withMaxTotalSize(MEGABYTE);
		GcReport report = collect(bound, () -> replaceByFile(replaced, 10 * MEGABYTE));
		assertThat(replaced).isRegularFile();
		assertThat(Files.size(replaced)).isEqualTo(10 * MEGABYTE);
		// 1 KiB of spaces is well under the bound: nothing is evicted for the file's sake.
		assertThat(small.resolve("data")).exists();
		assertThat(decision(report, small).action()).isEqualTo(Action.ORPHANED);
		assertThat(report.deletedCount()).isZero();
	}

	@Test
	void fileInPlaceOfADoomedSpaceIsNeitherDeletedNorCountedAsFreedInADryRun() throws IOException {
		Path replaced = this.depot.untracked("replaced");
		GcOptions dryRun = GcOptions.defaults().withCollectDelay(Duration.ZERO).withDryRun(true);
		GcReport report = collect(dryRun, () -> replaceByFile(replaced, 10 * MEGABYTE));
		assertThat(replaced).isRegularFile();
		assertThat(report.bytesFreed()).isZero();
	}

	private GcReport collect(GcOptions options, Runnable beforeRewrite) {
		return this.depot.collect(options, (run) -> run.beforeRewrite(beforeRewrite));
	}


	private static GcDecision decision(GcReport report, Path space) {
		return report.decisions().stream().filter((d) -> d.path().equals(space)).findFirst().orElseThrow();
	}

	private static void replaceByFile(Path space, long length) {
		try {
			Files.delete(space);
			try (RandomAccessFile file = new RandomAccessFile(space.toFile(), "rw")) {
				file.setLength(length);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
