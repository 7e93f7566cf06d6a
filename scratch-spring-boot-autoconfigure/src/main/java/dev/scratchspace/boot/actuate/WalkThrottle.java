package dev.scratchspace.boot.actuate;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps a background walk of the depot to a small share of one core: between two spaces it
 * pauses in proportion to the time the walk has spent since its last pause. With a share of
 * 25%, every millisecond of walking is followed by three of sleep, so the walk takes about
 * four times as long as it would alone and never holds a core. The time spent is wall time,
 * which includes waiting for the disk: the bound is conservative.
 *
 * <p>Short pauses are not worth a sleep each: what is owed is added up until it reaches
 * {@link #MIN_PAUSE}. A sleep that runs long pays for the pauses owed, never for later ones.
 * One space is walked without a pause, however many files it holds.
 */
final class WalkThrottle {

	/** The largest share of one core that a walk takes, in percent. */
	static final int MAX_SHARE_PERCENT = 25;

	/** The shortest pause worth a sleep. */
	static final Duration MIN_PAUSE = Duration.ofMillis(10);

	private final LongSupplier nanoTime;

	private final Sleeper sleeper;

	private final int sharePercent;

	private long mark;

	private long owed;

	WalkThrottle(LongSupplier nanoTime, Sleeper sleeper, int sharePercent) {
		if (sharePercent < 1 || sharePercent > 100) {
			throw new IllegalArgumentException("'sharePercent' must be between 1 and 100, but was " + sharePercent);
		}
		this.nanoTime = nanoTime;
		this.sleeper = sleeper;
		this.sharePercent = sharePercent;
		this.mark = nanoTime.getAsLong();
	}

	/**
	 * Called between two spaces: pauses for what the walk owes since the last call.
	 * @throws InterruptedException if the thread is interrupted while it pauses
	 */
	void pause() throws InterruptedException {
		long now = this.nanoTime.getAsLong();
		long busy = Math.max(0, now - this.mark);
		this.owed += busy / this.sharePercent * (100 - this.sharePercent);
		this.mark = now;
		if (this.owed >= MIN_PAUSE.toNanos()) {
			this.sleeper.sleep(this.owed);
			long after = this.nanoTime.getAsLong();
			this.owed = Math.max(0, this.owed - (after - now));
			this.mark = after;
		}
	}

	/** Sleeps; replaced in tests by a clock that moves on. */
	@FunctionalInterface
	interface Sleeper {

		Sleeper THREAD = TimeUnit.NANOSECONDS::sleep;

		void sleep(long nanos) throws InterruptedException;

	}

}
