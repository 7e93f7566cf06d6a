package dev.scratchspace.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.scratchspace.GcOptions;
import dev.scratchspace.GcReport;
import dev.scratchspace.ScratchSpaceManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * SPEC 11, line 3: garbage collection of a {@link GcFixture synthetic depot} beside listing
 * its directories and reading its usage log's bytes, at two sizes ten times apart.
 *
 * <p>{@link #dryRun} is the repeatable figure: it reads the whole log, lists and marks every
 * space and decides exactly what a real run would, but writes nothing, so every iteration
 * sees the same input. A real run condenses the log (1,000,000 entries become one per live
 * space), so a second real run would measure a smaller input; {@link #realRun} therefore
 * restores the pristine log before each iteration, and runs with a collect delay that no
 * orphan has reached, so it deletes no space and the tree needs no restoring. Both modes are
 * single-shot: one collection per iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GarbageCollectionBenchmark {

	private static final GcOptions DRY_RUN = GcOptions.defaults().withDryRun(true);

	private static final GcOptions REAL_RUN = GcOptions.defaults().withCollectDelay(Duration.ofDays(365 * 100));

	@Param({ "10000", "100000" })
	public int spaces;

	// Assigned in the setup methods, before any benchmark method runs.
	private Fixtures.Fixture files;

	private GcFixture fixture;

	private ScratchSpaceManager manager;

	private boolean logPristine;

	private final byte[] buffer = new byte[1 << 20];

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		int size = this.spaces;
		this.files = Fixtures.obtain(GcFixture.name(size), (root) -> GcFixture.generate(root, size));
		this.fixture = GcFixture.obtain(size, this.files);
		// The collector's own manager hands out no space, so it holds no lease on the fixture.
		this.manager = ScratchSpaceManager.builder().depot(this.fixture.depot()).trackAccess(false).build();
	}

	@Setup(Level.Iteration)
	public void restoreLog() throws IOException {
		this.fixture.restoreLog();
		this.logPristine = true;
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.manager.close();
		this.fixture.restoreLog();
		this.files.release();
	}

	@Benchmark
	public GcReport dryRun() {
		return checked(this.manager.collectGarbage(DRY_RUN));
	}

	@Benchmark
	public GcReport realRun() {
		if (!this.logPristine) {
			throw new IllegalStateException("realRun collects once per iteration: run it in single-shot mode");
		}
		this.logPristine = false;
		return checked(this.manager.collectGarbage(REAL_RUN));
	}

	@Benchmark
	public long listAndRead() throws IOException {
		long count = 0;
		try (DirectoryStream<Path> owners = Files.newDirectoryStream(this.fixture.spacesRoot())) {
			for (Path owner : owners) {
				if (!Files.isDirectory(owner)) {
					continue;
				}
				try (DirectoryStream<Path> spaceDirs = Files.newDirectoryStream(owner)) {
					for (Path space : spaceDirs) {
						count += space.getNameCount();
					}
				}
			}
		}
		try (InputStream in = Files.newInputStream(this.fixture.usageLog())) {
			int read;
			while ((read = in.read(this.buffer)) > 0) {
				count += read;
			}
		}
		return count;
	}

	private GcReport checked(GcReport report) {
		// A collection that saw fewer spaces, or deleted one, measured something else.
		if (report.decisions().size() != this.spaces || report.deletedCount() != 0) {
			throw new IllegalStateException("Expected " + this.spaces + " decisions and no deletion, but got "
					+ report.decisions().size() + " decisions, " + report.deletedCount() + " deleted, warnings "
					+ report.warnings());
		}
		return report;
	}

}
