package dev.scratchspace.boot.metrics;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.scratchspace.GcReport;
import dev.scratchspace.boot.actuate.ScratchGarbageCollector;
import dev.scratchspace.boot.actuate.ScratchInventory;
import dev.scratchspace.boot.actuate.ScratchInventory.Snapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of scratch spaces: gauges {@code scratch.spaces} (how many spaces),
 * {@code scratch.size} (their total size in bytes), {@code scratch.artifacts} (how many
 * installed artifacts) and {@code scratch.artifacts.size} (their total size in bytes), read
 * from the {@link ScratchInventory}'s
 * snapshot, so that a scrape reads memory only, however large the depot; timer
 * {@code scratch.gc} (every garbage collection, dry runs included); counters
 * {@code scratch.gc.deleted} (spaces) and {@code scratch.gc.freed} (bytes), which count what
 * real runs deleted, not what dry runs would have.
 *
 * <p>The gauges are as old as the snapshot: at most {@code scratch.inventory.refresh-interval}
 * plus one walk, and measured again within seconds after this application's own changes and
 * collections. Before the first walk has completed they are {@code NaN}, as Micrometer
 * reports a value it does not know.
 */
public class ScratchMetrics implements MeterBinder, ScratchGarbageCollector.Listener {

	private final ScratchInventory inventory;

	private final List<GcMeters> gcMeters = new CopyOnWriteArrayList<>();

	/**
	 * Creates the meters' binder.
	 * @param inventory the spaces of the manager
	 */
	public ScratchMetrics(ScratchInventory inventory) {
		this.inventory = Objects.requireNonNull(inventory, "'inventory' must not be null");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("scratch.spaces", this.inventory, ScratchMetrics::spaces)
			.description("Number of scratch spaces in the depot, as of the last background measurement "
					+ "(at most scratch.inventory.refresh-interval plus one measurement old)")
			.baseUnit("spaces")
			.register(registry);
		Gauge.builder("scratch.size", this.inventory, ScratchMetrics::size)
			.description("Total size of the scratch spaces in the depot, as of the last background measurement "
					+ "(at most scratch.inventory.refresh-interval plus one measurement old)")
			.baseUnit(BaseUnits.BYTES)
			.register(registry);
		Gauge.builder("scratch.artifacts", this.inventory, ScratchMetrics::artifacts)
			.description("Number of installed artifacts in the depot, as of the last background measurement "
					+ "(at most scratch.inventory.refresh-interval plus one measurement old)")
			.baseUnit("artifacts")
			.register(registry);
		Gauge.builder("scratch.artifacts.size", this.inventory, ScratchMetrics::artifactsSize)
			.description("Total size of the installed artifacts in the depot, as of the last background "
					+ "measurement (at most scratch.inventory.refresh-interval plus one measurement old)")
			.baseUnit(BaseUnits.BYTES)
			.register(registry);
		Timer timer = Timer.builder("scratch.gc")
			.description("Time taken by scratch space garbage collection")
			.register(registry);
		Counter deleted = Counter.builder("scratch.gc.deleted")
			.description("Scratch spaces deleted by garbage collection")
			.baseUnit("spaces")
			.register(registry);
		Counter freed = Counter.builder("scratch.gc.freed")
			.description("Bytes freed by scratch space garbage collection")
			.baseUnit(BaseUnits.BYTES)
			.register(registry);
		this.gcMeters.add(new GcMeters(timer, deleted, freed));
	}

	private static double spaces(ScratchInventory inventory) {
		Snapshot snapshot = inventory.snapshot();
		return (snapshot != null) ? snapshot.spaceCount() : Double.NaN;
	}

	private static double size(ScratchInventory inventory) {
		Snapshot snapshot = inventory.snapshot();
		return (snapshot != null) ? snapshot.totalBytes() : Double.NaN;
	}

	private static double artifacts(ScratchInventory inventory) {
		Snapshot snapshot = inventory.snapshot();
		return (snapshot != null) ? snapshot.artifactCount() : Double.NaN;
	}

	private static double artifactsSize(ScratchInventory inventory) {
		Snapshot snapshot = inventory.snapshot();
		return (snapshot != null) ? snapshot.artifactBytes() : Double.NaN;
	}

	@Override
	public void collected(GcReport report) {
		for (GcMeters meters : this.gcMeters) {
			meters.timer().record(report.elapsed());
			if (!report.dryRun()) {
				meters.deleted().increment(report.deletedCount());
				meters.freed().increment(report.bytesFreed());
			}
		}
	}

	private record GcMeters(Timer timer, Counter deleted, Counter freed) {
	}

}
