package dev.scratchspace.boot.actuate;

import java.util.List;
import java.util.Objects;

import dev.scratchspace.GcOptions;
import dev.scratchspace.GcReport;
import dev.scratchspace.ScratchSpaceManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs garbage collection of a manager's depot for the scheduler and the endpoint alike:
 * starts from the configured options, logs one line per run and tells the
 * {@link Listener listeners} (the metrics) about every report.
 */
public final class ScratchGarbageCollector {

	private static final Log logger = LogFactory.getLog(ScratchGarbageCollector.class);

	private final ScratchSpaceManager manager;

	private final GcOptions defaultOptions;

	private final List<Listener> listeners;

	/**
	 * Creates a collector.
	 * @param manager the manager whose depot to collect
	 * @param defaultOptions the options of a run that asks for nothing else
	 * @param listeners told about every completed run, in order
	 */
	public ScratchGarbageCollector(ScratchSpaceManager manager, GcOptions defaultOptions, List<Listener> listeners) {
		this.manager = Objects.requireNonNull(manager, "'manager' must not be null");
		this.defaultOptions = Objects.requireNonNull(defaultOptions, "'defaultOptions' must not be null");
		this.listeners = List.copyOf(listeners);
	}

	/** @return the options of a run that asks for nothing else */
	public GcOptions defaultOptions() {
		return this.defaultOptions;
	}

	/**
	 * Runs garbage collection with the {@link #defaultOptions() default options}.
	 * @return the report
	 */
	public GcReport collect() {
		return collect(this.defaultOptions);
	}

	/**
	 * Runs garbage collection.
	 * @param options the options of this run
	 * @return the report
	 */
	public GcReport collect(GcOptions options) {
		GcReport report = this.manager.collectGarbage(options);
		log(report);
		for (Listener listener : this.listeners) {
			listener.collected(report);
		}
		return report;
	}

	private void log(GcReport report) {
		if (logger.isInfoEnabled()) {
			logger.info(String.format("Scratch space garbage collection in %s%s: %d of %d spaces deleted, "
					+ "%d bytes freed, %d warnings, %d ms", this.manager.depot(), report.dryRun() ? " (dry run)" : "",
					report.deletedCount(), report.decisions().size(), report.bytesFreed(), report.warnings().size(),
					report.elapsed().toMillis()));
		}
		for (String warning : report.warnings()) {
			logger.warn("Scratch space garbage collection: " + warning);
		}
	}

	/** Told about every completed garbage collection. */
	@FunctionalInterface
	public interface Listener {

		/**
		 * Called after each run, on the thread that ran it.
		 * @param report the report of the run
		 */
		void collected(GcReport report);

	}

}
