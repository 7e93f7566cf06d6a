package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
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
 * The state a manager shares with its views: the depot's paths and locks, the settings, the
 * lease, and what was already recorded.
 */
final class Depot {

	private static final System.Logger logger = System.getLogger(Depot.class.getName());

	static final String CACHEDIR_TAG = "CACHEDIR.TAG";

	static final String CACHEDIR_TAG_CONTENT = "Signature: 8a477f597d28d172789f06886806bc55\n"
			+ "# This file is a cache directory tag created by scratch spaces for the JVM.\n"
			+ "# For information about cache directory tags, see https://bford.info/cachedir/\n";

	final Path root;

	final Path logs;

	final Path usageLog;

	final Path orphanage;

	final Path ownerIndex;

	final Path leases;

	final Path staging;

	final ScratchOwner defaultOwner;

	final @Nullable Path defaultProject;

	final boolean trackAccess;

	final long accessLogIntervalMillis;

	final Clock clock;

	final FileMutex logMutex;

	final FileMutex gcMutex;

	final AtomicLong modifications = new AtomicLong();

	final Duration lockTimeout;

	final LeaseGate leaseGate;

	private final Lease lease;

	private final Set<Path> leased = ConcurrentHashMap.newKeySet();

	private final Set<UUID> indexedOwners = ConcurrentHashMap.newKeySet();

	/** Owner directories whose every level this manager checked. */
	private final Set<Path> checkedParents = ConcurrentHashMap.newKeySet();

	/** Whether {@code logs/} was created by this manager: appends then skip the check. */
	private volatile boolean logsCreated;

	private volatile boolean closed;

	Depot(Path root, ScratchOwner defaultOwner, @Nullable Path defaultProject, boolean trackAccess,
			Duration accessLogInterval, Clock clock, Duration lockTimeout) {
		this.root = root;
		this.logs = root.resolve("logs");
		this.usageLog = this.logs.resolve("scratch_usage.toml");
		this.orphanage = this.logs.resolve("orphaned.toml");
		this.ownerIndex = this.logs.resolve("owners.toml");
		this.leases = root.resolve("leases");
		this.staging = root.resolve("staging");
		this.defaultOwner = defaultOwner;
		this.defaultProject = defaultProject;
		this.trackAccess = trackAccess;
		this.accessLogIntervalMillis = accessLogInterval.toMillis();
		this.clock = clock;
		this.logMutex = FileMutex.shared(this.logs.resolve("scratch_usage.toml.lock"));
		this.gcMutex = new FileMutex(this.logs.resolve("gc.lock"));
		this.lockTimeout = lockTimeout;
		this.leaseGate = new LeaseGate(this.leases);
		this.lease = new Lease(root, this.leases, lockTimeout);
	}

	void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("This scratch space manager of depot " + this.root + " is closed");
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
	 * Creates a space and its parents if missing; refuses links and files in the way. The
	 * common case costs one stat: a real directory, not a link, whose ancestors this manager
	 * checked before.
	 */
	void ensureSpace(Path spacesRoot, Space space, boolean tagged) {
		if (space.verified && Files.isDirectory(space.path, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		ensureDirectory(spacesRoot, space.path, tagged);
		space.verified = true;
	}

	/**
	 * Creates a directory below the spaces root, checking every level; below a parent this
	 * manager checked before, only the directory itself is checked.
	 */
	void ensureDirectory(Path spacesRoot, Path space, boolean tagged) {
		Path parent = space.getParent();
		if (parent != null && this.checkedParents.contains(parent)) {
			try {
				DepotFiles.createOne(space, "scratch space");
				changed();
				return;
			}
			catch (UncheckedIOException ex) {
				if (!(ex.getCause() instanceof NoSuchFileException)) {
					throw ex;
				}
				// The parent went away (cleared, or collected when empty): check every level again.
				this.checkedParents.remove(parent);
			}
		}
		if (spacesRoot.startsWith(this.root)) {
			DepotFiles.createDirectories(this.root, spacesRoot, "scratch directory");
		}
		else {
			DepotFiles.createRoot(spacesRoot, "scratch directory");
		}
		if (tagged) {
			writeCacheDirTag(spacesRoot);
		}
		DepotFiles.createDirectories(spacesRoot, space, "scratch space");
		if (parent != null) {
			this.checkedParents.add(parent);
		}
		changed();
	}

	private static void writeCacheDirTag(Path spacesRoot) {
		Path tag = spacesRoot.resolve(CACHEDIR_TAG);
		if (Files.exists(tag, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try {
			Files.writeString(tag, CACHEDIR_TAG_CONTENT, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE);
		}
		catch (FileAlreadyExistsException ex) {
			// Written by another manager meanwhile.
		}
		catch (IOException ex) {
			throw DepotFiles.failure("write", tag, ex);
		}
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
				throw DepotFiles.failure("append to the usage log", this.usageLog, retry);
			}
		}
		catch (IOException ex) {
			throw DepotFiles.failure("append to the usage log", this.usageLog, ex);
		}
	}

	private void appendOnce(byte[] entry) throws IOException {
		if (!this.logsCreated) {
			DepotFiles.createDirectories(this.root, this.logs, "log directory");
			this.logsCreated = true;
		}
		this.logMutex.call(() -> {
			// Positional writes at the end, not APPEND: the lock serializes every writer, and
			// the last byte must be read to start on a fresh line after a torn entry.
			try (FileChannel channel = FileChannel.open(this.usageLog, StandardOpenOption.CREATE,
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
				Map<UUID, String> index = new TreeMap<>(OwnerIndex.read(this.ownerIndex));
				if (!coordinates.equals(index.get(owner.uuid()))) {
					index.put(owner.uuid(), coordinates);
					DepotFiles.replaceAtomically(this.ownerIndex, OwnerIndex.format(index));
				}
				return null;
			});
		}
		catch (IOException ex) {
			this.indexedOwners.remove(owner.uuid());
			throw DepotFiles.failure("update the owner index", this.ownerIndex, ex);
		}
	}

	void changed() {
		this.modifications.incrementAndGet();
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
