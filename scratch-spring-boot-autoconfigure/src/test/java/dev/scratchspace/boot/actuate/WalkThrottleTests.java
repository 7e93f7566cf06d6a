package dev.scratchspace.boot.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link WalkThrottle}, on a fake clock.
 */
class WalkThrottleTests {

	private final AtomicLong nanoTime = new AtomicLong(1_000);

	private final List<Long> sleeps = new ArrayList<>();

	/** How much longer than asked each sleep lasts. */
	private long oversleep;

	private final WalkThrottle throttle = new WalkThrottle(this.nanoTime::get, this::sleep, 25);

	private void sleep(long nanos) {
		this.sleeps.add(nanos);
		this.nanoTime.addAndGet(nanos + this.oversleep);
	}

	private void work(long millis) {
		this.nanoTime.addAndGet(ms(millis));
	}

	@Test
	void pausesThreeTimesAsLongAsItWorkedForAQuarterOfACore() throws Exception {
		work(40);
		this.throttle.pause();
		work(10);
		this.throttle.pause();
		assertThat(this.sleeps).containsExactly(ms(120), ms(30));
	}

	@Test
	void shortPausesAddUpToOneSleep() throws Exception {
		for (int i = 0; i < 4; i++) {
			work(1);
			this.throttle.pause();
		}
		// 3, 6 and 9 ms owed are not worth a sleep; 12 ms are.
		assertThat(this.sleeps).containsExactly(ms(12));
		work(1);
		this.throttle.pause();
		assertThat(this.sleeps).containsExactly(ms(12));
	}

	@Test
	void longSleepPaysOnlyForWhatWasOwed() throws Exception {
		this.oversleep = ms(500);
		work(10);
		this.throttle.pause();
		work(10);
		this.throttle.pause();
		// The oversleep is not credit: the second space still pays for itself.
		assertThat(this.sleeps).containsExactly(ms(30), ms(30));
	}

	@Test
	void shareOverTheWholeWalkStaysAtAQuarter() throws Exception {
		long start = this.nanoTime.get();
		long worked = 0;
		for (int i = 0; i < 1000; i++) {
			long millis = 1 + (i * 7) % 13;
			work(millis);
			worked += ms(millis);
			this.throttle.pause();
		}
		long elapsed = this.nanoTime.get() - start;
		assertThat((double) worked / elapsed).isBetween(0.25, 0.25 + (double) WalkThrottle.MIN_PAUSE.toNanos() / elapsed);
	}

	@Test
	void fullShareNeverPauses() throws Exception {
		WalkThrottle unthrottled = new WalkThrottle(this.nanoTime::get, this::sleep, 100);
		work(1000);
		unthrottled.pause();
		assertThat(this.sleeps).isEmpty();
	}

	@Test
	void interruptedPauseEndsTheWalk() {
		WalkThrottle interrupted = new WalkThrottle(this.nanoTime::get, (nanos) -> {
			throw new InterruptedException();
		}, 25);
		work(100);
		assertThatExceptionOfType(InterruptedException.class).isThrownBy(interrupted::pause);
	}

	@Test
	void shareMustBeAPercentage() {
		assertThatIllegalArgumentException().isThrownBy(() -> new WalkThrottle(this.nanoTime::get, this::sleep, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> new WalkThrottle(this.nanoTime::get, this::sleep, 101));
	}

	private static long ms(long millis) {
		return Duration.ofMillis(millis).toNanos();
	}

}
