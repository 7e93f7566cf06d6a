package dev.scratchspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

	private final AtomicLong modifications = new AtomicLong();

	private final Duration lockTimeout;

	private final LeaseGate leaseGate;

	private final Lease lease;

	private final Set<Path> leased = ConcurrentHashMap.newKeySet();

	private final Set<UUID> indexedOwners = ConcurrentHashMap.newKeySet();

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
		this.logMutex = FileMutex.shared(layout.usageLogLock());
		this.gcMutex = new FileMutex(layout.gcLock());
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

	void lease(Space space) {
		if (space.leased) {
			return;
		}
		if (!this.lease.add(space.path)) {
			// The space is still handed out: the next access tries to lease it again.
			logger.log(System.Logger.Level.WARNING,
					"Space {0} is not leased: the lease lock {1} was held by another process for longer than {2} ms",
					space.path, this.leaseGate.lockFile(), this.lockTimeout.toMillis());
			return;
		}
		this.leased.add(space.path);
		space.leased = true;
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
			append(UsageLog.formatEntry(space.path.toString(), Instant.ofEpochMilli(now), List.of(project.toString())));
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

	private void append(byte[] entry) {
		try {
			appendOnce(entry);
		}
		catch (NoSuchFileException ex) {
			// logs/ was removed since it was created: create it again, once.
			this.logsCreated = false;
			try {
				appendOnce(entry);
			}
			catch (IOException retry) {
				throw DepotFiles.failure("append to the usage log", this.layout.usageLog(), retry);
			}
		}
		catch (IOException ex) {
			throw DepotFiles.failure("append to the usage log", this.layout.usageLog(), ex);
		}
	}

	private void appendOnce(byte[] entry) throws IOException {
		if (!this.logsCreated) {
			DepotFiles.createDirectories(this.layout.root(), this.layout.logs(), "log directory");
			this.logsCreated = true;
		}
		this.logMutex.call(() -> {
			// Positional writes at the end, not APPEND: the lock serializes every writer, and
			// the last byte must be read to start on a fresh line after a torn entry.
			try (FileChannel channel = FileChannel.open(this.layout.usageLog(), StandardOpenOption.CREATE,
					StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
				long position = channel.size();
				ByteBuffer buffer = ByteBuffer.wrap(entry);
				if (position > 0) {
					ByteBuffer last = ByteBuffer.allocate(1);
					if (channel.read(last, position - 1) == 1 && last.get(0) != '\n') {
						byte[] fresh = new byte[entry.length + 1];
						fresh[0] = '\n';
						System.arraycopy(entry, 0, fresh, 1, entry.length);
						buffer = ByteBuffer.wrap(fresh);
					}
				}
				while (buffer.hasRemaining()) {
					position += channel.write(buffer, position);
				}
			}
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
			throw DepotFiles.failure("update the owner index", this.layout.ownerIndex(), ex);
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
			try {
				this.logMutex.release();
			}
			catch (IOException ex) {
				throw DepotFiles.failure("close the lock file", this.logMutex.lockFile(), ex);
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
