package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The state a manager shares with its views: the depot's layout and locks, the settings, the
 * lease, and what was already recorded. It exposes what the manager, the collection run and
 * the inventory scan do with that state, not the state itself.
 */
final class ManagerState {

	private static final System.Logger logger = System.getLogger(ManagerState.class.getName());

	private final DepotLayout layout;

	private final ScratchOwner defaultOwner;

	private final @Nullable Path defaultProject;

	private final boolean trackAccess;

	private final long accessLogIntervalMillis;

	private final Clock clock;

	private final FileMutex logMutex;

	private final FileMutex gcMutex;

	/** Appends to the usage log under the log lock, through a channel kept open. */
	private final UsageLogAppender logAppender;

	/** Opened for each append: artifacts are installed or used far less often than spaces. */
	private final FileMutex artifactLogMutex;

	/** Appends to the artifact usage log under its own lock. */
	private final UsageLogAppender artifactLogAppender;

	private final AtomicLong modifications = new AtomicLong();

	private final Duration lockTimeout;

	private final LeaseGate leaseGate;

	private final Lease lease;

	private final Set<Path> leased = ConcurrentHashMap.newKeySet();

	private final Set<UUID> indexedOwners = ConcurrentHashMap.newKeySet();

	/** Lock and depot files this manager warned about: one warning until they work again. */
	private final Set<Path> warnedFiles = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean warnedReadOnly = new AtomicBoolean();

	/** Whether {@code logs/} was created by this manager: appends then skip the check. */
	private volatile boolean logsCreated;

	private volatile boolean closed;

	ManagerState(DepotLayout layout, ScratchOwner defaultOwner, @Nullable Path defaultProject, boolean trackAccess,
			Duration accessLogInterval, Clock clock, Duration lockTimeout) {
		this.layout = layout;
		this.defaultOwner = defaultOwner;
		this.defaultProject = defaultProject;
		this.trackAccess = trackAccess;
		this.accessLogIntervalMillis = accessLogInterval.toMillis();
		this.clock = clock;
		this.logMutex = FileMutex.shared(layout.usageLogLock(), lockTimeout);
		this.gcMutex = new FileMutex(layout.gcLock(), lockTimeout);
		this.logAppender = new UsageLogAppender(layout.usageLog());
		this.artifactLogMutex = new FileMutex(layout.artifactUsageLogLock(), lockTimeout);
		this.artifactLogAppender = new UsageLogAppender(layout.artifactUsageLog());
		this.lockTimeout = lockTimeout;
		this.leaseGate = new LeaseGate(layout.leases());
		this.lease = new Lease(layout.root(), layout.leases(), lockTimeout);
	}

	DepotLayout layout() {
		return this.layout;
	}

	ScratchOwner defaultOwner() {
		return this.defaultOwner;
	}

	Duration lockTimeout() {
		return this.lockTimeout;
	}

	Instant now() {
		return this.clock.instant();
	}

	/**
	 * Runs an action holding the log lock, which every writer of a file in {@code logs/}
	 * holds: appends to the usage log, and rewrites of it, the orphanage and the owner index.
	 */
	<T> T underLogLock(FileMutex.IoCallable<T> action) throws IOException {
		return this.logMutex.call(action);
	}

	/**
	 * Takes the garbage-collection lock, creating {@code logs/} first.
	 * @return the held lock, or null if another collection holds it
	 */
	FileMutex.@Nullable Held tryGcLock() throws IOException {
		DepotFiles.createDirectories(this.layout.root(), this.layout.logs(), "log directory");
		return this.gcMutex.tryAcquire();
	}

	void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("This scratch space manager of depot " + this.layout.root() + " is closed");
		}
	}

	/**
	 * Leases a space. A lease lock held too long, or a depot that cannot be written, leaves
	 * the space unleased (the next access tries again) with one warning.
	 * @return {@code false} if the depot cannot be written: the caller may only hand out a
	 * space that exists
	 */
	boolean lease(Space space) {
		if (space.leased) {
			return true;
		}
		Leasing result = addToLease(space.path, "Spaces");
		if (result == Leasing.LEASED) {
			space.leased = true;
		}
		return result != Leasing.READ_ONLY;
	}

	/**
	 * Leases an artifact directory as {@link #lease(Space)} leases a space, before it is
	 * handed out, so that a collector skips it.
	 * @return {@code false} if the depot cannot be written
	 */
	boolean leaseArtifact(Path artifact) {
		return addToLease(artifact, "Artifacts") != Leasing.READ_ONLY;
	}

	/** What {@link #addToLease} did. */
	private enum Leasing {

		LEASED, NOT_LEASED, READ_ONLY

	}

	/**
	 * Leases a path. A lease lock held too long, or refused, leaves it unleased (the next
	 * access tries again) with one warning.
	 */
	private Leasing addToLease(Path path, String what) {
		boolean added;
		try {
			added = this.lease.add(path);
		}
		catch (UncheckedIOException ex) {
			if (ex.getCause() instanceof RegularFiles.NotRegularFileException refused) {
				warnOnce(this.leaseGate.lockFile(),
						what + " are not leased: the lease lock {0} is refused ({1}), first for {2}; later accesses try again",
						this.leaseGate.lockFile(), DepotFiles.describe(refused), path);
				return Leasing.NOT_LEASED;
			}
			if (!RegularFiles.isReadOnly(ex)) {
				throw ex;
			}
			return Leasing.READ_ONLY;
		}
		if (!added) {
			// The path is still handed out: the next access tries to lease it again.
			warnOnce(this.leaseGate.lockFile(),
					what + " are not leased: the lease lock {0} was held by another process for longer than {1} ms, "
							+ "first for {2}; later accesses try again",
					this.leaseGate.lockFile(), this.lockTimeout.toMillis(), path);
			return Leasing.NOT_LEASED;
		}
		this.warnedFiles.remove(this.leaseGate.lockFile());
		this.leased.add(path);
		return Leasing.LEASED;
	}

	/**
	 * The warning for a space of a depot that cannot be written, handed out as it is: once
	 * per manager.
	 */
	void warnReadOnly(Path space, String why) {
		if (this.warnedReadOnly.compareAndSet(false, true)) {
			logger.log(System.Logger.Level.WARNING,
					"The depot {0} is read-only ({1}): existing spaces such as {2} are returned without a lease and "
							+ "their accesses are not recorded; new spaces cannot be created",
					this.layout.root(), why, space);
		}
	}

	/** The failure for a space that cannot be created because the depot cannot be written. */
	UncheckedIOException readOnlyFailure(String action, Path path, UncheckedIOException failure) {
		IOException cause = failure.getCause();
		return new UncheckedIOException("Could not " + action + " " + path + ": the depot " + this.layout.root()
				+ " is read-only (" + DepotFiles.describe(cause) + ")", cause);
	}

	private void warnOnce(Path file, String message, Object... arguments) {
		if (this.warnedFiles.add(file)) {
			logger.log(System.Logger.Level.WARNING, message, arguments);
		}
	}

	boolean isLeasedHere(Path space) {
		return this.leased.contains(space);
	}

	/**
	 * Moves the spaces a collection run deletes out of the way, atomically with leasing: see
	 * {@link SpaceRemoval#moveOut}.
	 */
	Map<Path, SpaceRemoval.Outcome> moveOut(Path spacesRoot, SpaceRemoval.LogMark mark, List<Path> spaces,
			List<String> warnings) {
		return SpaceRemoval.moveOut(spacesRoot, this.leaseGate, this.layout.leases(), this.lockTimeout,
				this.layout.usageLog(), mark, this::isLeasedHere, spaces, warnings);
	}

	/** The depot's lease lock, which the artifact collector takes exclusive around its last check. */
	LeaseGate leaseGate() {
		return this.leaseGate;
	}

	/** Appends one usage-log entry unless tracking is off or one was written this interval. */
	void recordAccess(Space space, ScratchOwner parent, ScratchOwner caller) {
		if (!this.trackAccess) {
			return;
		}
		Path project = projectOf(caller);
		if (project == null) {
			return;
		}
		long now = this.clock.millis();
		// Read in the reverse order of the writes in Space.recorded: a matching project
		// guarantees a time at least as new as the one recorded with it.
		Path lastProject = space.lastProject;
		if ((lastProject == project || project.equals(lastProject)) && recent(space.lastTime, now)) {
			return;
		}
		synchronized (space) {
			Long last = space.times.get(project);
			if (last != null && recent(last, now)) {
				return;
			}
			if (!append(UsageLog.formatEntry(space.path.toString(), Instant.ofEpochMilli(now),
					List.of(project.toString())), space.path)) {
				// Nothing recorded: the next access tries again.
				return;
			}
			space.recorded(project, now);
		}
		indexOwner(parent);
		indexOwner(caller);
	}

	private boolean recent(long last, long now) {
		return now >= last && now - last < this.accessLogIntervalMillis;
	}

	private @Nullable Path projectOf(ScratchOwner caller) {
		Path project = caller.projectOrNull();
		if (project == null && caller.equals(this.defaultOwner)) {
			project = this.defaultOwner.projectOrNull();
			return (project != null) ? project : this.defaultProject;
		}
		return project;
	}

	/**
	 * Appends an entry under the log lock.
	 * @return {@code false} if it was skipped with a warning: the lock was held too long, the
	 * log is not a regular file, or the depot cannot be written
	 */
	private boolean append(byte[] entry, Path space) {
		return append(this.logMutex, this.logAppender, this.layout.usageLog(), "the usage log", entry, space);
	}

	/**
	 * Appends one entry to {@code logs/artifact_usage.toml}, in Julia's format
	 * ({@code Pkg}'s {@code write_env_usage}): the {@code Artifacts.toml} as the quoted key of
	 * an array of tables, and the time, in UTC to the millisecond. Under the log's own lock;
	 * skipped with a warning, as a scratch access is, if the lock was held too long, the log
	 * is not a regular file or the depot cannot be written.
	 * @param artifactsToml the {@code Artifacts.toml} (or the jar that holds it) as recorded
	 * @param artifact the installed artifact, named in a warning
	 * @return whether the entry was written
	 */
	boolean recordArtifactUse(String artifactsToml, Path artifact) {
		byte[] entry = ArtifactUsageReader.format(Map.of(artifactsToml, this.clock.instant()));
		return append(this.artifactLogMutex, this.artifactLogAppender, this.layout.artifactUsageLog(),
				"the artifact usage log", entry, artifact);
	}

	private boolean append(FileMutex mutex, UsageLogAppender appender, Path log, String name, byte[] entry,
			Path space) {
		try {
			try {
				appendOnce(mutex, appender, entry);
			}
			catch (NoSuchFileException ex) {
				// logs/ was removed since it was created: create it again, once.
				this.logsCreated = false;
				appendOnce(mutex, appender, entry);
			}
			this.warnedFiles.remove(log);
			this.warnedFiles.remove(mutex.lockFile());
			return true;
		}
		catch (IOException ex) {
			return skipped(ex, "append to " + name, log, space);
		}
		catch (UncheckedIOException ex) {
			// logs/ could not be created: its own error names it, unless the depot is read-only.
			if (!RegularFiles.isReadOnly(ex)) {
				throw ex;
			}
			warnReadOnly(space, DepotFiles.describe(ex.getCause()));
			return false;
		}
	}

	/**
	 * Decides whether a failed write to {@code logs/} only skips what it recorded (with a
	 * warning) or fails the access.
	 * @return {@code false}, when the failure is skipped
	 * @throws UncheckedIOException for any other failure
	 */
	private boolean skipped(IOException ex, String action, Path file, Path space) {
		if (ex instanceof FileMutex.LockTimeoutException timeout) {
			warnOnce(timeout.lockFile(), "Could not {0} {1} for {2}: {3}; the entry is skipped and the next access "
					+ "tries again (further timeouts on this lock are not logged until it is taken)", action, file, space,
					timeout.getMessage());
			return false;
		}
		if (ex instanceof RegularFiles.NotRegularFileException) {
			warnOnce(file, "Could not {0} {1}: {2}; it is not opened and accesses are not recorded there",
					action, file, DepotFiles.describe(ex));
			return false;
		}
		if (RegularFiles.isReadOnly(ex)) {
			warnReadOnly(space, DepotFiles.describe(ex));
			return false;
		}
		throw DepotFiles.failure(action, file, ex);
	}

	private void appendOnce(FileMutex mutex, UsageLogAppender appender, byte[] entry) throws IOException {
		if (!this.logsCreated) {
			DepotFiles.createDirectories(this.layout.root(), this.layout.logs(), "log directory");
			this.logsCreated = true;
		}
		mutex.call(() -> {
			appender.append(entry);
			return null;
		});
	}

	/** Adds an owner's coordinates to {@code logs/owners.toml}, once per manager. */
	private void indexOwner(ScratchOwner owner) {
		String coordinates = owner.coordinates().orElse(null);
		if (coordinates == null || !this.indexedOwners.add(owner.uuid())) {
			return;
		}
		try {
			this.logMutex.call(() -> {
				OwnerIndex.Contents read = OwnerIndex.read(this.layout.ownerIndex());
				// Nobody to hand these to: an access returns a path. The rewrite drops the damage.
				read.warnings().forEach((warning) -> logger.log(System.Logger.Level.WARNING, warning));
				Map<UUID, String> index = new TreeMap<>(read.owners());
				if (!coordinates.equals(index.get(owner.uuid()))) {
					index.put(owner.uuid(), coordinates);
					DepotFiles.replaceAtomically(this.layout.ownerIndex(), OwnerIndex.format(index));
				}
				return null;
			});
		}
		catch (IOException ex) {
			this.indexedOwners.remove(owner.uuid());
			skipped(ex, "update the owner index", this.layout.ownerIndex(), this.layout.ownerIndex());
		}
		catch (UncheckedIOException ex) {
			this.indexedOwners.remove(owner.uuid());
			if (!RegularFiles.isReadOnly(ex)) {
				throw ex;
			}
			warnReadOnly(this.layout.ownerIndex(), DepotFiles.describe(ex.getCause()));
		}
	}

	void changed() {
		this.modifications.incrementAndGet();
	}

	long modificationCount() {
		return this.modifications.get();
	}

	void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.lease.close();
		}
		finally {
			IOException logFailure = null;
			Path failedLog = this.layout.usageLog();
			try {
				this.logAppender.close();
			}
			catch (IOException ex) {
				logFailure = ex;
			}
			try {
				this.artifactLogAppender.close();
			}
			catch (IOException ex) {
				if (logFailure == null) {
					logFailure = ex;
					failedLog = this.layout.artifactUsageLog();
				}
			}
			try {
				this.logMutex.release();
			}
			catch (IOException ex) {
				throw DepotFiles.failure("close the lock file", this.logMutex.lockFile(), ex);
			}
			if (logFailure != null) {
				throw DepotFiles.failure("close the usage log", failedLog, logFailure);
			}
		}
	}

	/**
	 * What a manager knows of one space it handed out: its path, whether it is leased and
	 * checked, and when each project's access was last recorded. A warm access reads these
	 * fields and makes one stat.
	 */
	static final class Space {

		final Path path;

		volatile boolean leased;

		volatile boolean verified;

		volatile long lastTime;

		volatile @Nullable Path lastProject;

		/** Guarded by this. */
		final Map<Path, Long> times = new HashMap<>(2);

		Space(Path path) {
			this.path = path;
		}

		/** Called holding this. */
		void recorded(Path project, long time) {
			this.times.put(project, time);
			this.lastTime = time;
			this.lastProject = project;
		}

	}

}
