package dev.scratchspace.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import dev.scratchspace.RangeChecks;
import dev.scratchspace.ScratchOwner;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Configuration properties of scratch spaces. Every setter rejects a value that cannot work,
 * so that a bad value fails the start of the application and names the property.
 */
@ConfigurationProperties("scratch")
public class ScratchProperties {

	/**
	 * Whether to enable scratch spaces: the manager, the placeholders, scheduled garbage
	 * collection, the endpoint, health and metrics.
	 */
	private boolean enabled = true;

	/**
	 * Root directory that holds the spaces, the usage log and the leases. When not set, the
	 * SCRATCH_DEPOT environment variable, else "jvm-scratch" in the per-user cache directory
	 * of the platform.
	 */
	private @Nullable Path depot;

	/**
	 * Default owner of the application's spaces: a UUID, 'groupId:artifactId' or 'global'.
	 * When not set, the artifact that contains the main application class.
	 */
	private @Nullable String owner;

	/**
	 * Whether to record accesses to spaces in the usage log, so that garbage collection can
	 * tell which spaces are still used.
	 */
	private boolean trackAccess = true;

	/**
	 * Minimum time between two usage-log entries for the same space and project.
	 */
	private Duration accessLogInterval = Duration.ofDays(1);

	/**
	 * Longest wait for any lock of the depot (usage log, leases, garbage collection,
	 * populating). Past it an access returns its space without recording it, and garbage
	 * collection gives up with a warning.
	 */
	private Duration lockTimeout = Duration.ofSeconds(10);

	private final Gc gc = new Gc();

	private final Inventory inventory = new Inventory();

	private final Artifacts artifacts = new Artifacts();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Path getDepot() {
		return this.depot;
	}

	public void setDepot(@Nullable Path depot) {
		if (depot != null && depot.toString().contains(ScratchPlaceholder.PREFIX)) {
			// The depot is needed to resolve placeholders, so it cannot be one.
			throw new IllegalArgumentException("scratch.depot cannot be a scratch space placeholder, but was '"
					+ depot + "'");
		}
		this.depot = depot;
	}

	public @Nullable String getOwner() {
		return this.owner;
	}

	public void setOwner(@Nullable String owner) {
		if (owner != null) {
			ScratchOwner.parse(owner);
		}
		this.owner = owner;
	}

	public boolean isTrackAccess() {
		return this.trackAccess;
	}

	public void setTrackAccess(boolean trackAccess) {
		this.trackAccess = trackAccess;
	}

	public Duration getAccessLogInterval() {
		return this.accessLogInterval;
	}

	public void setAccessLogInterval(Duration accessLogInterval) {
		this.accessLogInterval = notNegative("scratch.access-log-interval", accessLogInterval);
	}

	public Duration getLockTimeout() {
		return this.lockTimeout;
	}

	public void setLockTimeout(Duration lockTimeout) {
		this.lockTimeout = positive("scratch.lock-timeout", lockTimeout);
	}

	public Gc getGc() {
		return this.gc;
	}

	public Inventory getInventory() {
		return this.inventory;
	}

	public Artifacts getArtifacts() {
		return this.artifacts;
	}

	static Duration notNegative(String property, Duration value) {
		return RangeChecks.notNegative(property, value);
	}

	static Duration positive(String property, Duration value) {
		return RangeChecks.positive(property, value);
	}

	static DataSize notNegative(String property, DataSize value) {
		return RangeChecks.check(!value.isNegative(), property, "must not be negative", value);
	}

	/**
	 * Garbage collection of spaces.
	 */
	public static class Gc {

		/**
		 * Whether to run garbage collection periodically in the background.
		 */
		private boolean enabled = true;

		/**
		 * Time between the end of one scheduled garbage collection and the start of the next.
		 */
		private Duration interval = Duration.ofDays(1);

		/**
		 * Time from the start of the application to the first scheduled garbage collection.
		 */
		private Duration initialDelay = Duration.ofMinutes(10);

		/**
		 * How long a space stays orphaned before garbage collection deletes it. A bare number
		 * means days.
		 */
		@DurationUnit(ChronoUnit.DAYS)
		private Duration collectDelay = Duration.ofDays(7);

		/**
		 * Time without access after which a space that is still used counts as orphaned. A bare
		 * number means days.
		 */
		@DurationUnit(ChronoUnit.DAYS)
		private @Nullable Duration maxUnusedAge;

		/**
		 * Bound on the total size of the spaces. Garbage collection deletes the least recently
		 * accessed unleased spaces until the rest fits. A bare number means megabytes.
		 */
		@DataSizeUnit(DataUnit.MEGABYTES)
		private @Nullable DataSize maxTotalSize;

		/**
		 * Whether garbage collection only reports what it would delete, and changes nothing.
		 */
		private boolean dryRun;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = positive("scratch.gc.interval", interval);
		}

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = notNegative("scratch.gc.initial-delay", initialDelay);
		}

		public Duration getCollectDelay() {
			return this.collectDelay;
		}

		public void setCollectDelay(Duration collectDelay) {
			this.collectDelay = notNegative("scratch.gc.collect-delay", collectDelay);
		}

		public @Nullable Duration getMaxUnusedAge() {
			return this.maxUnusedAge;
		}

		public void setMaxUnusedAge(@Nullable Duration maxUnusedAge) {
			this.maxUnusedAge = (maxUnusedAge != null) ? positive("scratch.gc.max-unused-age", maxUnusedAge) : null;
		}

		public @Nullable DataSize getMaxTotalSize() {
			return this.maxTotalSize;
		}

		public void setMaxTotalSize(@Nullable DataSize maxTotalSize) {
			this.maxTotalSize = (maxTotalSize != null) ? notNegative("scratch.gc.max-total-size", maxTotalSize)
					: null;
		}

		public boolean isDryRun() {
			return this.dryRun;
		}

		public void setDryRun(boolean dryRun) {
			this.dryRun = dryRun;
		}

	}

	/**
	 * The sizes of spaces shown by the endpoint, health and metrics.
	 */
	public static class Inventory {

		/**
		 * Time between two background measurements of the sizes of every space. Sooner after
		 * the application's own changes and after garbage collection; changes by other
		 * processes show within this interval plus the time of one measurement.
		 */
		private Duration refreshInterval = Duration.ofMinutes(5);

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = positive("scratch.inventory.refresh-interval", refreshInterval);
		}

	}

	/**
	 * The artifacts of {@code $<artifact:NAME>} placeholders.
	 */
	public static class Artifacts {

		/**
		 * Location of the Artifacts.toml (Julia's format) that binds the names of
		 * $<artifact:NAME> placeholders to tree hashes and downloads: a resource location such
		 * as 'classpath:Artifacts.toml' or 'file:/etc/app/Artifacts.toml', or a file path. A
		 * remote location (http:, https:) is refused.
		 */
		private String toml = "classpath:Artifacts.toml";

		public String getToml() {
			return this.toml;
		}

		public void setToml(String toml) {
			if (toml.isBlank()) {
				throw new IllegalArgumentException("scratch.artifacts.toml must be a resource location, but was blank");
			}
			this.toml = ArtifactsTomlLocation.check(toml);
		}

	}

}
