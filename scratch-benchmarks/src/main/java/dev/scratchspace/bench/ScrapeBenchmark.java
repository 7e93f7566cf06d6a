package dev.scratchspace.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchInventory;
import dev.scratchspace.boot.health.ScratchHealthIndicator;
import dev.scratchspace.boot.metrics.ScratchMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

/**
 * SPEC 11, last line: a metrics scrape or a health check costs under 1 ms at any depot size,
 * against reading one cached value. The depot holds 1,000,000 files (1,000 spaces of 1,000
 * empty files each).
 *
 * <p>{@link #gaugeRead} reads the {@code scratch.size} gauge as a registry does on a scrape;
 * {@link #healthCheck} runs the {@code scratch} health indicator; {@link #cachedLong} reads
 * one {@code volatile long}, the least a cached value can cost. The inventory's snapshot is
 * measured once before the trial: neither read ever walks the depot.
 *
 * <p>{@link #refresh} is the background walk itself, throttled as it runs in an application,
 * and reports the CPU time it spends on its thread per refresh ({@code cpuMillis}); its wall
 * time is mostly the throttle's pauses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScrapeBenchmark {

	static final int SPACES = 1_000;

	static final int FILES_PER_SPACE = 1_000;

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	// Assigned in setUp(), before any benchmark method runs.
	private Fixtures.Fixture files;

	private ScratchSpaceManager manager;

	private ScratchInventory inventory;

	private Gauge size;

	private ScratchHealthIndicator health;

	private volatile long cached;

	@Setup(Level.Trial)
	public void setUp() {
		this.files = Fixtures.obtain("scrape-" + SPACES + "x" + FILES_PER_SPACE + "-v1", ScrapeBenchmark::generate);
		this.manager = ScratchSpaceManager.builder().depot(this.files.root().resolve("depot")).trackAccess(false).build();
		this.inventory = new ScratchInventory(this.manager);
		ScratchInventory.Snapshot snapshot = this.inventory.refresh();
		long found = snapshot.spaceSizes().values().stream().mapToLong(ScratchInventory.Sizes::files).sum();
		if (found != (long) SPACES * FILES_PER_SPACE) {
			throw new IllegalStateException("The fixture holds " + found + " files, not " + SPACES * FILES_PER_SPACE);
		}
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new ScratchMetrics(this.inventory).bindTo(registry);
		this.size = registry.get("scratch.size").gauge();
		this.health = new ScratchHealthIndicator(this.inventory, DataSize.ofBytes(0));
		if (!this.health.health().getStatus().equals(Status.UP)) {
			throw new IllegalStateException("The fixture's depot is not healthy: " + this.health.health());
		}
		this.cached = snapshot.totalBytes();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.manager.close();
		this.files.release();
	}

	@Benchmark
	public double gaugeRead() {
		return this.size.value();
	}

	@Benchmark
	public Health healthCheck() {
		return this.health.health();
	}

	@Benchmark
	public long cachedLong() {
		return this.cached;
	}

	@Benchmark
	public ScratchInventory.Snapshot refresh(CpuTime cpu) {
		long start = threads.getCurrentThreadCpuTime();
		ScratchInventory.Snapshot snapshot = this.inventory.refresh();
		cpu.cpuMillis += (threads.getCurrentThreadCpuTime() - start) / 1e6;
		return snapshot;
	}

	/** The CPU time of the refreshes of one iteration, reported beside their wall time. */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.EVENTS)
	public static class CpuTime {

		public double cpuMillis;

		@Setup(Level.Iteration)
		public void reset() {
			this.cpuMillis = 0;
		}

	}

	static void generate(Path root) throws IOException {
		Path spacesRoot = Files.createDirectories(root.resolve("depot").resolve("scratchspaces"));
		String owner = ScratchOwner.of("dev.scratchspace.bench.scrape", "library").uuid().toString();
		for (int s = 0; s < SPACES; s++) {
			Path space = Files.createDirectories(spacesRoot.resolve(owner).resolve("space-" + s));
			for (int f = 0; f < FILES_PER_SPACE; f++) {
				Files.createFile(space.resolve("f" + f));
			}
		}
	}

}
