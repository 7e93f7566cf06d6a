package dev.scratchspace.boot.autoconfigure;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.scratchspace.boot.actuate.ScratchGarbageCollector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Runs garbage collection periodically on a single daemon thread of its own (named
 * {@code scratch-gc-…}), from the start of the context to its stop. A private executor, not
 * a {@code TaskScheduler} bean: the application's own scheduling stays as it is, and a
 * daemon thread never keeps a non-web application from exiting.
 *
 * <p>Runs follow each other with a fixed delay, so a slow run never overlaps the next. A
 * failed run is logged and the next one goes ahead. Stopping waits a little for a run in
 * progress to finish, then interrupts it.
 */
final class ScratchGcScheduler implements SmartLifecycle {

	static final String THREAD_NAME_PREFIX = "scratch-gc-";

	private static final Log logger = LogFactory.getLog(ScratchGcScheduler.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final ScratchGarbageCollector collector;

	private final Duration initialDelay;

	private final Duration interval;

	private @Nullable ScheduledThreadPoolExecutor executor;

	ScratchGcScheduler(ScratchGarbageCollector collector, Duration initialDelay, Duration interval) {
		this.collector = collector;
		this.initialDelay = initialDelay;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		CustomizableThreadFactory threads = new CustomizableThreadFactory(THREAD_NAME_PREFIX);
		threads.setDaemon(true);
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads);
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		executor.scheduleWithFixedDelay(this::collect, this.initialDelay.toMillis(), this.interval.toMillis(),
				TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	private void collect() {
		try {
			this.collector.collect();
		}
		catch (RuntimeException ex) {
			// A task that throws is never run again: log, and let the next run try.
			logger.warn("Scheduled scratch space garbage collection failed", ex);
		}
	}

	@Override
	public synchronized void stop() {
		ScheduledThreadPoolExecutor executor = this.executor;
		if (executor == null) {
			return;
		}
		this.executor = null;
		executor.shutdown();
		try {
			if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				executor.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			executor.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
