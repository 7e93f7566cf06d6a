package dev.scratchspace;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of one garbage-collection run. Start from {@link #defaults()} and derive
 * copies with the {@code with*} methods; each rejects a bad value at once, naming it.
 */
public final class GcOptions {

	private static final Duration DEFAULT_COLLECT_DELAY = Duration.ofDays(7);

	private static final GcOptions DEFAULTS = new GcOptions(DEFAULT_COLLECT_DELAY, false, null, -1);

	private final Duration collectDelay;

	private final boolean dryRun;

	private final @Nullable Duration maxUnusedAge;

	private final long maxTotalSize;

	private GcOptions(Duration collectDelay, boolean dryRun, @Nullable Duration maxUnusedAge, long maxTotalSize) {
		this.collectDelay = collectDelay;
		this.dryRun = dryRun;
		this.maxUnusedAge = maxUnusedAge;
		this.maxTotalSize = maxTotalSize;
	}

	/**
	 * The defaults: a 7-day collect delay, a real run, no age limit, no size bound.
	 * @return the default options
	 */
	public static GcOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * How long a space or an artifact stays orphaned before it is deleted. Any length is valid: one that
	 * reaches past the last instant Java can hold ({@code Duration.ofSeconds(Long.MAX_VALUE)})
	 * means that no orphan is ever deleted, and reasons then name no deletion time.
	 * @param collectDelay zero or positive
	 * @return a copy with the given delay
	 */
	public GcOptions withCollectDelay(Duration collectDelay) {
		Objects.requireNonNull(collectDelay, "'collectDelay' must not be null");
		RangeChecks.notNegative("collectDelay", collectDelay);
		return new GcOptions(collectDelay, this.dryRun, this.maxUnusedAge, this.maxTotalSize);
	}

	/**
	 * Whether to compute and report the decisions without changing anything on disk.
	 * @param dryRun true for a report-only run
	 * @return a copy with the given flag
	 */
	public GcOptions withDryRun(boolean dryRun) {
		return new GcOptions(this.collectDelay, dryRun, this.maxUnusedAge, this.maxTotalSize);
	}

	/**
	 * Orphans a space that is still used but was not accessed for this long. Any length is
	 * valid: one that reaches before the first instant Java can hold orphans nothing. Artifacts
	 * are not aged: one stays while a recorded {@code Artifacts.toml} binds it.
	 * @param maxUnusedAge positive
	 * @return a copy with the given age limit
	 */
	public GcOptions withMaxUnusedAge(Duration maxUnusedAge) {
		Objects.requireNonNull(maxUnusedAge, "'maxUnusedAge' must not be null");
		RangeChecks.positive("maxUnusedAge", maxUnusedAge);
		return new GcOptions(this.collectDelay, this.dryRun, maxUnusedAge, this.maxTotalSize);
	}

	/**
	 * Evicts the least recently accessed unleased spaces until the depot's spaces fit.
	 * Artifacts neither count towards the bound nor are evicted by it: an artifact is deleted
	 * only once it is orphaned (no recorded, existing {@code Artifacts.toml} binds it) for the
	 * collect delay, since a bound artifact evicted would only be installed again.
	 * @param maxTotalSize the bound in bytes, zero or positive
	 * @return a copy with the given size bound
	 */
	public GcOptions withMaxTotalSize(long maxTotalSize) {
		RangeChecks.check(maxTotalSize >= 0, "maxTotalSize", "must not be negative", maxTotalSize);
		return new GcOptions(this.collectDelay, this.dryRun, this.maxUnusedAge, maxTotalSize);
	}

	/** @return how long a space or an artifact stays orphaned before it is deleted */
	public Duration collectDelay() {
		return this.collectDelay;
	}

	/** @return whether the run only reports */
	public boolean dryRun() {
		return this.dryRun;
	}

	/** @return the age limit, if any */
	public Optional<Duration> maxUnusedAge() {
		return Optional.ofNullable(this.maxUnusedAge);
	}

	/** @return the size bound in bytes, if any */
	public OptionalLong maxTotalSize() {
		return (this.maxTotalSize < 0) ? OptionalLong.empty() : OptionalLong.of(this.maxTotalSize);
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		if (this == obj) {
			return true;
		}
		if (!(obj instanceof GcOptions other)) {
			return false;
		}
		return this.collectDelay.equals(other.collectDelay) && this.dryRun == other.dryRun
				&& Objects.equals(this.maxUnusedAge, other.maxUnusedAge) && this.maxTotalSize == other.maxTotalSize;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.collectDelay, this.dryRun, this.maxUnusedAge, this.maxTotalSize);
	}

	@Override
	public String toString() {
		return "GcOptions[collectDelay=" + this.collectDelay + ", dryRun=" + this.dryRun + ", maxUnusedAge="
				+ this.maxUnusedAge + ", maxTotalSize=" + maxTotalSize() + "]";
	}

	/**
	 * A time plus a delay or age, or null beyond the instants Java can hold: any duration is a
	 * valid option, and one that long only means "never".
	 */
	static @Nullable Instant plus(Instant time, Duration amount) {
		try {
			return time.plus(amount);
		}
		catch (DateTimeException | ArithmeticException ex) {
			return null;
		}
	}

}
