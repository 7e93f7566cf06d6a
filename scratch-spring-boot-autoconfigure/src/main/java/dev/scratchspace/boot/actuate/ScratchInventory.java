package dev.scratchspace.boot.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import dev.scratchspace.Artifacts;
import dev.scratchspace.GcReport;
import dev.scratchspace.ScratchSpace;
import dev.scratchspace.ScratchSpaceManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The spaces and artifacts of a manager's depot for the endpoint, health and metrics, which
 * must answer at once however large the depot is. Which spaces exist, their status and their
 * leases are read live, which costs I/O in proportion to the spaces (never to their content);
 * their sizes and file counts come from a {@link Snapshot snapshot} that a walk of every file
 * refreshes in the background. The artifacts come from that snapshot entirely, what binds
 * them included: listing them reads the artifact usage log and every {@code Artifacts.toml}
 * and jar it records, I/O in proportion to what the depot records and to the size of those
 * files, which no request may wait for. No caller of {@link #list()}, {@link #snapshot()} or
 * the meters and health built on them ever walks the depot or reads a recorded file.
 *
 * <p>While it runs (a {@link SmartLifecycle}, started and stopped with the context), the
 * snapshot is refreshed on a single daemon thread of its own, named
 * {@value #THREAD_NAME_PREFIX}…: at the start, every refresh interval
 * ({@code scratch.inventory.refresh-interval}), within a second after this manager created,
 * deleted or cleared spaces or created or installed an artifact (its
 * {@link ScratchSpaceManager#modificationCount() modification count} changed; a burst of changes makes one walk, and walks triggered this way are at
 * least as far apart as the last walk was long), and right after each garbage collection. A
 * size is therefore at most one refresh interval plus one walk old, and changes by other
 * processes show at the next periodic walk.
 *
 * <p>A walk takes at most about a quarter of one core: between two spaces it sleeps three
 * times as long as it walked (see {@code WalkThrottle}). It stops between two spaces when the
 * context stops.
 */
public final class ScratchInventory implements SmartLifecycle, ScratchGarbageCollector.Listener {

	/** How often sizes are measured again when nothing asks for it sooner. */
	public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(5);

	/** The prefix of the name of the thread that measures sizes. */
	public static final String THREAD_NAME_PREFIX = "scratch-inventory-";

	/** Why a listing before the first walk has no artifacts. */
	static final String NOT_LISTED_YET = "The artifacts have not been listed yet: "
			+ "they are listed with the sizes, in the background, and the first walk has not completed";

	/** How often the thread looks for changes made by this manager. */
	static final Duration CHANGE_CHECK_INTERVAL = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(ScratchInventory.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final ScratchSpaceManager manager;

	private final Duration refreshInterval;

	private final Duration changeCheckInterval;

	private final Clock clock;

	private final LongSupplier nanoTime;

	private final WalkThrottle.Sleeper sleeper;

	private final SizeWalk sizeWalk;

	private final ArtifactListing artifactListing;

	private final Object walkLock = new Object();

	private final Object lifecycleLock = new Object();

	private volatile @Nullable Snapshot snapshot;

	private volatile boolean refreshRequested;

	private volatile Consumer<Snapshot> refreshed = (snapshot) -> {
	};

	private volatile boolean stopping;

	private @Nullable ScheduledThreadPoolExecutor executor;

	// Guarded by walkLock: the last walk's start and end, and the changes it saw.
	private boolean walked;

	private long walkStarted;

	private long walkEnded;

	private long walkModifications;

	/**
	 * Creates an inventory that measures sizes every {@link #DEFAULT_REFRESH_INTERVAL}.
	 * @param manager the manager whose spaces to list
	 */
	public ScratchInventory(ScratchSpaceManager manager) {
		this(manager, DEFAULT_REFRESH_INTERVAL);
	}

	/**
	 * Creates an inventory.
	 * @param manager the manager whose spaces to list
	 * @param refreshInterval how often sizes are measured again when nothing asks for it
	 * sooner
	 */
	public ScratchInventory(ScratchSpaceManager manager, Duration refreshInterval) {
		this(manager, refreshInterval, CHANGE_CHECK_INTERVAL, Clock.systemUTC(), System::nanoTime,
				WalkThrottle.Sleeper.THREAD, ScratchSpaceManager::spaces);
	}

	ScratchInventory(ScratchSpaceManager manager, Duration refreshInterval, Duration changeCheckInterval, Clock clock,
			LongSupplier nanoTime, WalkThrottle.Sleeper sleeper, SizeWalk sizeWalk) {
		this(manager, refreshInterval, changeCheckInterval, clock, nanoTime, sleeper, sizeWalk,
				(inventoried) -> inventoried.artifacts().installed());
	}

	ScratchInventory(ScratchSpaceManager manager, Duration refreshInterval, Duration changeCheckInterval, Clock clock,
			LongSupplier nanoTime, WalkThrottle.Sleeper sleeper, SizeWalk sizeWalk, ArtifactListing artifactListing) {
		this.manager = Objects.requireNonNull(manager, "'manager' must not be null");
		Objects.requireNonNull(refreshInterval, "'refreshInterval' must not be null");
		if (refreshInterval.isNegative() || refreshInterval.isZero()) {
			throw new IllegalArgumentException("'refreshInterval' must be positive, but was " + refreshInterval);
		}
		this.refreshInterval = refreshInterval;
		this.changeCheckInterval = changeCheckInterval;
		this.clock = clock;
		this.nanoTime = nanoTime;
		this.sleeper = sleeper;
		this.sizeWalk = sizeWalk;
		this.artifactListing = artifactListing;
	}

	/** @return the manager whose spaces are listed */
	public ScratchSpaceManager manager() {
		return this.manager;
	}

	/** @return how often sizes are measured again when nothing asks for it sooner */
	public Duration refreshInterval() {
		return this.refreshInterval;
	}

	/**
	 * The sizes of the last completed walk. Reads memory only.
	 * @return the snapshot, or {@code null} before the first walk has completed
	 */
	public @Nullable Snapshot snapshot() {
		return this.snapshot;
	}

	/**
	 * Lists the spaces that exist now, each with its sizes from the {@link #snapshot()}, and
	 * the artifacts of the snapshot. Reads the spaces' directories and the depot's usage log,
	 * never the files inside the spaces, nor anything of the artifacts.
	 * @return the spaces, ordered by owner and key, the artifacts, ordered by tree hash, and
	 * the time the snapshot was taken
	 */
	public Listing list() {
		return list(true);
	}

	/**
	 * Lists the spaces that exist now, and the artifacts of the snapshot if asked for.
	 * @param artifacts whether to list the artifacts too
	 * @return the spaces, and the artifacts or an empty list
	 */
	public Listing list(boolean artifacts) {
		Snapshot snapshot = this.snapshot;
		List<ScratchSpace> spaces = this.sizeWalk.spaces(this.manager, (path) -> false);
		List<ListedArtifact> listedArtifacts = List.of();
		String artifactsWarning = null;
		if (artifacts && snapshot == null) {
			artifactsWarning = NOT_LISTED_YET;
		}
		else if (artifacts) {
			listedArtifacts = snapshot.artifacts()
				.stream()
				.map((artifact) -> new ListedArtifact(artifact, snapshot.artifactSizes().get(artifact.path())))
				.toList();
			artifactsWarning = snapshot.artifactsWarning();
		}
		return new Listing(
				spaces.stream()
					.map((space) -> new ListedSpace(space, (snapshot != null) ? snapshot.sizes(space.path()) : null))
					.toList(),
				listedArtifacts, (snapshot != null) ? snapshot.asOf() : null, artifactsWarning);
	}

	/**
	 * Describes one space with sizes measured now, walking that space only.
	 * @param path the space's path
	 * @return the space, or empty if it does not exist
	 */
	public Optional<ScratchSpace> measure(Path path) {
		return this.sizeWalk.spaces(this.manager, path::equals)
			.stream()
			.filter((space) -> space.path().equals(path))
			.findFirst();
	}

	/**
	 * Measures every space now, on the calling thread, at the throttled pace of a
	 * background walk, and makes the result the {@link #snapshot()}. Walks do not overlap: a
	 * call waits for a walk in progress to end first.
	 * @return the new snapshot
	 * @throws CancellationException if the thread is interrupted or the inventory stops
	 * during the walk; the snapshot stays as it was
	 */
	public Snapshot refresh() {
		synchronized (this.walkLock) {
			this.refreshRequested = false;
			long modifications = this.manager.modificationCount();
			long started = this.nanoTime.getAsLong();
			this.walked = true;
			this.walkStarted = started;
			this.walkModifications = modifications;
			Instant asOf = this.clock.instant();
			try {
				WalkThrottle throttle = new WalkThrottle(this.nanoTime, this.sleeper, WalkThrottle.MAX_SHARE_PERCENT);
				List<ScratchSpace> spaces = this.sizeWalk.spaces(this.manager, (path) -> pause(throttle));
				Map<Path, Sizes> sizes = new HashMap<>(spaces.size() * 2);
				long total = 0;
				for (ScratchSpace space : spaces) {
					sizes.put(space.path(), new Sizes(space.sizeBytes(), space.fileCount()));
					total += space.sizeBytes();
				}
				ArtifactsWalk artifacts = measureArtifacts(throttle);
				Map<Path, Sizes> artifactSizes = artifacts.sizes();
				long artifactBytes = artifactSizes.values().stream().mapToLong(Sizes::bytes).sum();
				long ended = this.nanoTime.getAsLong();
				Snapshot snapshot = new Snapshot(asOf, Duration.ofNanos(ended - started), sizes, total, artifactSizes,
						artifactBytes, artifacts.installed(), artifacts.warning());
				this.snapshot = snapshot;
				this.refreshed.accept(snapshot);
				if (logger.isDebugEnabled()) {
					logger.debug(String.format("Measured %d scratch spaces and %d artifacts in %s: %d and %d bytes in %s",
							sizes.size(), artifactSizes.size(), this.manager.depot(), total, artifactBytes,
							snapshot.walkTime()));
				}
				return snapshot;
			}
			finally {
				this.walkEnded = this.nanoTime.getAsLong();
			}
		}
	}

	/**
	 * Lists and measures every installed artifact, pausing between two as between two spaces.
	 * An artifact deleted meanwhile is left out; an {@code artifacts/} that cannot be listed (a
	 * link, a file, unreadable) lists nothing, with a warning, so that the spaces' sizes are
	 * still published.
	 */
	private ArtifactsWalk measureArtifacts(WalkThrottle throttle) {
		List<Artifacts.Installed> installed;
		try {
			installed = this.artifactListing.installed(this.manager);
		}
		catch (UncheckedIOException ex) {
			logger.debug("Cannot list the artifacts in " + this.manager.depot(), ex);
			return new ArtifactsWalk(List.of(), Map.of(), "Cannot list the artifacts: " + ex.getMessage());
		}
		List<Artifacts.Installed> found = new ArrayList<>(installed.size());
		Map<Path, Sizes> sizes = new HashMap<>(installed.size() * 2);
		for (Artifacts.Installed artifact : installed) {
			pause(throttle);
			Sizes measured = measureTree(artifact.path());
			if (measured != null) {
				found.add(artifact);
				sizes.put(artifact.path(), measured);
			}
		}
		return new ArtifactsWalk(found, sizes, null);
	}

	private record ArtifactsWalk(List<Artifacts.Installed> installed, Map<Path, Sizes> sizes,
			@Nullable String warning) {

	}

	/** The regular files below a directory, links not followed; {@code null} if it is gone. */
	private static @Nullable Sizes measureTree(Path directory) {
		long[] totals = new long[2];
		try {
			Files.walkFileTree(directory, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
					if (attributes.isRegularFile()) {
						totals[0] += attributes.size();
						totals[1]++;
					}
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFileFailed(Path file, IOException ex) {
					return FileVisitResult.CONTINUE;
				}

			});
		}
		catch (IOException ex) {
			return null;
		}
		return Files.isDirectory(directory) ? new Sizes(totals[0], totals[1]) : null;
	}

	private boolean pause(WalkThrottle throttle) {
		if (this.stopping || Thread.currentThread().isInterrupted()) {
			throw new CancellationException("Measuring the scratch spaces was stopped");
		}
		try {
			throttle.pause();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CancellationException("Measuring the scratch spaces was interrupted");
		}
		return true;
	}

	/**
	 * Asks the background thread to measure sizes again soon; requests made before it starts
	 * make one walk.
	 */
	public void requestRefresh() {
		this.refreshRequested = true;
		synchronized (this.lifecycleLock) {
			if (this.executor != null) {
				this.executor.execute(this::refreshIfDue);
			}
		}
	}

	/** Sizes change with a collection: measure again at once. */
	@Override
	public void collected(GcReport report) {
		requestRefresh();
	}

	/** Runs on the background thread, often: cheap unless a walk is due. */
	void refreshIfDue() {
		try {
			if (isDue()) {
				refresh();
			}
		}
		catch (CancellationException ex) {
			// Stopping: nothing to report.
		}
		catch (RuntimeException ex) {
			// A task that throws is never run again: log, and let the next check try.
			logger.warn("Measuring the scratch spaces in " + this.manager.depot() + " failed", ex);
		}
	}

	boolean isDue() {
		if (this.stopping) {
			return false;
		}
		if (this.refreshRequested) {
			return true;
		}
		long now = this.nanoTime.getAsLong();
		synchronized (this.walkLock) {
			if (!this.walked || now - this.walkStarted >= this.refreshInterval.toNanos()) {
				return true;
			}
			// Own changes: soon, but never more than half of the time spent walking.
			return this.manager.modificationCount() != this.walkModifications
					&& now - this.walkEnded >= this.walkEnded - this.walkStarted;
		}
	}

	/** Tells tests about every new snapshot, on the thread that measured it. */
	void onRefresh(Consumer<Snapshot> refreshed) {
		this.refreshed = refreshed;
	}

	@Override
	public void start() {
		synchronized (this.lifecycleLock) {
			if (this.executor != null) {
				return;
			}
			this.stopping = false;
			CustomizableThreadFactory threads = new CustomizableThreadFactory(THREAD_NAME_PREFIX);
			threads.setDaemon(true);
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads);
			executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
			long check = Math.min(this.changeCheckInterval.toNanos(), this.refreshInterval.toNanos());
			executor.scheduleWithFixedDelay(this::refreshIfDue, 0, check, TimeUnit.NANOSECONDS);
			this.executor = executor;
		}
	}

	/** Stops a walk in progress between two spaces, and the thread with it. */
	@Override
	public void stop() {
		ScheduledThreadPoolExecutor executor;
		synchronized (this.lifecycleLock) {
			executor = this.executor;
			if (executor == null) {
				return;
			}
			this.executor = null;
			this.stopping = true;
		}
		executor.shutdownNow();
		try {
			if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("Measuring the scratch spaces in " + this.manager.depot() + " did not stop within "
						+ STOP_TIMEOUT.toSeconds() + " seconds");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		synchronized (this.lifecycleLock) {
			return this.executor != null;
		}
	}

	/**
	 * The sizes of every space, and every installed artifact with what binds it and its
	 * sizes, as one walk found them.
	 *
	 * @param asOf when the walk began: no size, and no artifact's status, is older
	 * @param walkTime how long the walk took, pauses included
	 * @param spaceSizes the sizes of each space, by path
	 * @param totalBytes the sum of the sizes of every space
	 * @param artifactSizes the sizes of each installed artifact, by its directory
	 * @param artifactBytes the sum of the sizes of every artifact
	 * @param artifacts the installed artifacts the walk listed and measured, ordered by tree
	 * hash: what binds each, its last access, whether the collector orphaned it
	 * @param artifactsWarning why the artifacts could not be listed ({@code artifacts/} is a
	 * link, a file or unreadable; then there are none), or {@code null}
	 */
	public record Snapshot(Instant asOf, Duration walkTime, Map<Path, Sizes> spaceSizes, long totalBytes,
			Map<Path, Sizes> artifactSizes, long artifactBytes, List<Artifacts.Installed> artifacts,
			@Nullable String artifactsWarning) {

		public Snapshot {
			Objects.requireNonNull(asOf, "'asOf' must not be null");
			Objects.requireNonNull(walkTime, "'walkTime' must not be null");
			spaceSizes = Map.copyOf(spaceSizes);
			artifactSizes = Map.copyOf(artifactSizes);
			artifacts = List.copyOf(artifacts);
		}

		/**
		 * A snapshot with the sizes of the artifacts but not the artifacts themselves.
		 * @param asOf when the walk began
		 * @param walkTime how long the walk took
		 * @param spaceSizes the sizes of each space, by path
		 * @param totalBytes the sum of the sizes of every space
		 * @param artifactSizes the sizes of each installed artifact, by its directory
		 * @param artifactBytes the sum of the sizes of every artifact
		 */
		public Snapshot(Instant asOf, Duration walkTime, Map<Path, Sizes> spaceSizes, long totalBytes,
				Map<Path, Sizes> artifactSizes, long artifactBytes) {
			this(asOf, walkTime, spaceSizes, totalBytes, artifactSizes, artifactBytes, List.of(), null);
		}

		/**
		 * A snapshot of spaces only, as of a depot without artifacts.
		 * @param asOf when the walk began
		 * @param walkTime how long the walk took
		 * @param spaceSizes the sizes of each space, by path
		 * @param totalBytes the sum of the sizes of every space
		 */
		public Snapshot(Instant asOf, Duration walkTime, Map<Path, Sizes> spaceSizes, long totalBytes) {
			this(asOf, walkTime, spaceSizes, totalBytes, Map.of(), 0);
		}

		/** @return how many installed artifacts the walk found */
		public int artifactCount() {
			return this.artifactSizes.size();
		}

		/** @return how many spaces the walk found */
		public int spaceCount() {
			return this.spaceSizes.size();
		}

		/**
		 * @param path a space's path
		 * @return its sizes, or {@code null} if the walk did not find it
		 */
		public @Nullable Sizes sizes(Path path) {
			return this.spaceSizes.get(path);
		}

	}

	/**
	 * The size of one space.
	 *
	 * @param bytes the sum of the sizes of its regular files (links not followed)
	 * @param files the number of its regular files
	 */
	public record Sizes(long bytes, long files) {

	}

	/**
	 * The spaces and artifacts that exist now.
	 *
	 * @param spaces the spaces, ordered by owner and key
	 * @param artifacts the installed artifacts of the snapshot, ordered by tree hash (empty if
	 * not asked for, and before the first walk has completed)
	 * @param sizesAsOf when the walk that measured the sizes and listed the artifacts began,
	 * or {@code null} before the first walk has completed
	 * @param artifactsWarning why there are no artifacts although they were asked for (the
	 * first walk has not completed, or it could not list them), or {@code null}
	 */
	public record Listing(List<ListedSpace> spaces, List<ListedArtifact> artifacts, @Nullable Instant sizesAsOf,
			@Nullable String artifactsWarning) {

		public Listing {
			spaces = List.copyOf(spaces);
			artifacts = List.copyOf(artifacts);
		}

		/**
		 * A listing whose artifacts could be listed.
		 * @param spaces the spaces, ordered by owner and key
		 * @param artifacts the installed artifacts, ordered by tree hash
		 * @param sizesAsOf when the walk that measured the sizes began, or {@code null}
		 */
		public Listing(List<ListedSpace> spaces, List<ListedArtifact> artifacts, @Nullable Instant sizesAsOf) {
			this(spaces, artifacts, sizesAsOf, null);
		}

	}

	/**
	 * An installed artifact, as the last walk found it.
	 *
	 * @param artifact the artifact, as of the snapshot: what binds it, its last access,
	 * whether the collector orphaned it
	 * @param sizes its sizes from the same snapshot, or {@code null} if unknown
	 */
	public record ListedArtifact(Artifacts.Installed artifact, @Nullable Sizes sizes) {

		public ListedArtifact {
			Objects.requireNonNull(artifact, "'artifact' must not be null");
		}

	}

	/**
	 * A space that exists now.
	 *
	 * @param space the space, read live; its own {@code sizeBytes} and {@code fileCount}
	 * are not measured and are zero
	 * @param sizes its sizes from the snapshot, or {@code null} if the last walk did not
	 * find it (it is newer, or no walk has completed yet)
	 */
	public record ListedSpace(ScratchSpace space, @Nullable Sizes sizes) {

		public ListedSpace {
			Objects.requireNonNull(space, "'space' must not be null");
		}

	}

	/** How a listing is read: the manager's own, replaced in tests to block or to count. */
	@FunctionalInterface
	interface SizeWalk {

		List<ScratchSpace> spaces(ScratchSpaceManager manager, Predicate<? super Path> measure);

	}

	/** How the artifacts are listed: the manager's own, replaced in tests to block or to count. */
	@FunctionalInterface
	interface ArtifactListing {

		List<Artifacts.Installed> installed(ScratchSpaceManager manager);

	}

}
