package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Hands out scratch spaces: mutable, per-owner cache directories under a depot, each access
 * recorded in a usage log so that {@link #collectGarbage(GcOptions) garbage collection} can
 * tell which spaces still belong to installed software.
 *
 * <p>Thread-safe. Several managers may share a depot, in one process or in several: appends
 * to the usage log and its rewrites are serialized by a lock file, and every space a manager
 * hands out is protected from garbage collection by the manager's lease until
 * {@link #close()}.
 *
 * <pre>{@code
 * try (ScratchSpaceManager scratch = ScratchSpaceManager.builder().build()) {
 *     Path downloads = scratch.getScratch(ScratchOwner.of("com.example", "my-lib"), "downloads");
 * }
 * }</pre>
 */
public final class ScratchSpaceManager implements AutoCloseable {

	private final ManagerState state;

	/** How long a manager waits for any lock of the depot unless told otherwise. */
	static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

	private final SpacesDirectory directory;

	/** The root of {@link #directory}, read on every access. */
	private final Path spacesRoot;

	private final boolean view;

	/** The spaces this manager handed out, by owner and key: a warm access is two lookups. */
	private final Map<UUID, Map<String, ManagerState.Space>> spaces = new ConcurrentHashMap<>();

	/** Runs just before a populated space is moved into place: where tests interleave a collection. */
	private Consumer<Path> beforeMoveIntoPlace = (space) -> {
	};

	/** The longest key {@code <owner-uuid>.<key>.<16 hex digits>} holds within 255 bytes. */
	private static final int LONGEST_STAGING_KEY = 255 - 36 - 1 - 1 - 16;

	private ScratchSpaceManager(ManagerState state, SpacesDirectory directory, boolean view) {
		this.state = state;
		this.directory = directory;
		this.spacesRoot = directory.root();
		this.view = view;
	}

	/** @return a builder with the defaults of the depot, owner and tracking */
	public static Builder builder() {
		return new Builder();
	}

	/** @return the depot root */
	public Path depot() {
		return this.state.layout().root();
	}

	/**
	 * A path under the directory that holds the spaces ({@code <depot>/scratchspaces}, or
	 * the directory of a {@link #withScratchDirectory(Path) view}). Creates nothing.
	 * @param parts path elements below that directory
	 * @return the absolute, normalized path
	 * @throws IllegalArgumentException if the result would leave that directory
	 */
	public Path scratchDir(String... parts) {
		Path path = this.spacesRoot;
		for (String part : parts) {
			Objects.requireNonNull(part, "'parts' must not contain null");
			path = path.resolve(part);
		}
		path = path.normalize();
		if (!path.startsWith(this.spacesRoot)) {
			throw new IllegalArgumentException(
					"Path elements " + List.of(parts) + " leave the scratch directory " + this.spacesRoot);
		}
		return path;
	}

	/**
	 * Where a space lives; creates nothing.
	 * @param owner the owner
	 * @param key the key (see {@link #getScratch(ScratchOwner, String, ScratchOwner)})
	 * @return the absolute, normalized path
	 * @throws IllegalArgumentException if the key is invalid
	 */
	public Path scratchPath(ScratchOwner owner, String key) {
		Objects.requireNonNull(owner, "'owner' must not be null");
		Map<String, ManagerState.Space> byKey = this.spaces.get(owner.uuid());
		ManagerState.Space known = (byKey != null) ? byKey.get(key) : null;
		if (known != null) {
			return known.path;
		}
		ScratchKeys.validate(key);
		return this.spacesRoot.resolve(owner.uuid().toString()).resolve(key);
	}

	private ManagerState.Space space(ScratchOwner owner, String key) {
		Objects.requireNonNull(owner, "'owner' must not be null");
		Map<String, ManagerState.Space> byKey = this.spaces.get(owner.uuid());
		ManagerState.Space known = (byKey != null) ? byKey.get(key) : null;
		if (known != null) {
			return known;
		}
		Path path = scratchPath(owner, key);
		return this.spaces.computeIfAbsent(owner.uuid(), (uuid) -> new ConcurrentHashMap<>())
			.computeIfAbsent(key, (k) -> new ManagerState.Space(path));
	}

	/** @return {@code <depot>/logs/scratch_usage.toml} */
	public Path usageLog() {
		return this.state.layout().usageLog();
	}

	/**
	 * The default owner's space.
	 * @param key the key
	 * @return the space, created if missing
	 * @see #getScratch(ScratchOwner, String, ScratchOwner)
	 */
	public Path getScratch(String key) {
		return getScratch(this.state.defaultOwner(), key, this.state.defaultOwner());
	}

	/**
	 * A space of the artifact that contains {@code caller}, as found by
	 * {@link ScratchOwner#forClass(Class)}.
	 * @param caller a class of the library that owns the space
	 * @param key the key
	 * @return the space, created if missing
	 */
	public Path getScratch(Class<?> caller, String key) {
		ScratchOwner owner = ScratchOwner.forClass(caller);
		return getScratch(owner, key, owner);
	}

	/**
	 * A space of {@code parent}, whose accesses are attributed to {@code parent} itself.
	 * @param parent the owner
	 * @param key the key
	 * @return the space, created if missing
	 */
	public Path getScratch(ScratchOwner parent, String key) {
		return getScratch(parent, key, parent);
	}

	/**
	 * A space namespaced under {@code parent} whose lifecycle is tied to {@code caller}: the
	 * access is recorded with {@code caller}'s project file, so the space is collectable once
	 * that file is gone.
	 *
	 * <p>Every call validates the key (1 to 255 characters of {@code [A-Za-z0-9._-]}, not
	 * {@code .} or {@code ..}), creates the directory and its parents if missing (owner-only
	 * where POSIX permissions exist), records the access at most once per access-log
	 * interval, and leases the space for the life of this manager.
	 * @param parent the owner whose directory holds the space
	 * @param key the key
	 * @param caller the owner whose project file keeps the space alive
	 * @return the absolute, normalized path of the space
	 * @throws IllegalArgumentException if the key is invalid
	 * @throws UncheckedIOException naming the path if the space cannot be created, or is a
	 * symbolic link or a file
	 */
	public Path getScratch(ScratchOwner parent, String key, ScratchOwner caller) {
		Objects.requireNonNull(parent, "'parent' must not be null");
		Objects.requireNonNull(caller, "'caller' must not be null");
		ManagerState.Space space = space(parent, key);
		this.state.checkOpen();
		boolean writable = this.state.lease(space);
		try {
			this.directory.ensureSpace(space);
		}
		catch (UncheckedIOException ex) {
			if (!writable && RegularFiles.isReadOnly(ex)) {
				throw this.state.readOnlyFailure("create scratch space", space.path, ex);
			}
			throw ex;
		}
		if (!writable) {
			this.state.warnReadOnly(space.path, "its lease cannot be written");
		}
		this.state.recordAccess(space, parent, caller);
		return space.path;
	}

	/**
	 * Returns a space, first filling it with {@code populator} if it is missing or empty. The
	 * populator writes into a fresh staging directory inside the depot, which is then moved
	 * into place atomically, under a lock for that space held across threads and processes:
	 * concurrent callers run the populator once and all get the complete space. A populator
	 * that throws leaves no space behind (its staging directory is removed), and a process
	 * that dies midway leaves only a staging directory that the next garbage collection
	 * removes.
	 * @param parent the owner
	 * @param key the key
	 * @param populator fills the staging directory
	 * @return the populated space
	 * @throws UncheckedIOException if the populator fails with an {@link IOException}, or the
	 * space cannot be created
	 * @throws IllegalStateException if the populator fails with another checked exception;
	 * unchecked exceptions are rethrown as they are
	 */
	public Path getOrPopulate(ScratchOwner parent, String key, Populator populator) {
		Objects.requireNonNull(parent, "'parent' must not be null");
		Objects.requireNonNull(populator, "'populator' must not be null");
		ManagerState.Space space = space(parent, key);
		this.state.checkOpen();
		boolean writable = this.state.lease(space);
		if (!isPopulated(space.path)) {
			try {
				populate(parent, key, space.path, populator);
			}
			catch (UncheckedIOException ex) {
				if (!writable && RegularFiles.isReadOnly(ex)) {
					throw this.state.readOnlyFailure("populate scratch space", space.path, ex);
				}
				throw ex;
			}
		}
		else if (!writable) {
			this.state.warnReadOnly(space.path, "its lease cannot be written");
		}
		this.state.recordAccess(space, parent, parent);
		return space.path;
	}

	private boolean isPopulated(Path space) {
		BasicFileAttributes attributes = DepotFiles.attributesOrNull(space);
		if (attributes == null) {
			return false;
		}
		DepotFiles.checkDirectory(space, attributes, "scratch space");
		return !DepotFiles.isEmptyDirectory(space);
	}

	private void populate(ScratchOwner parent, String key, Path space, Populator populator) {
		Path staging = this.state.layout().staging();
		DepotFiles.createDirectories(this.state.layout().root(), staging, "staging directory");
		// Bounded like every lock: past the timeout the caller gets an exception naming the
		// lock, since it can neither wait for the space nor return it half filled.
		String prefix = parent.uuid() + "." + stagingKey(key) + ".";
		FileMutex mutex = new FileMutex(staging.resolve(prefix + "lock"), this.state.lockTimeout());
		try {
			mutex.call(() -> {
				if (!isPopulated(space)) {
					Path target = staging.resolve(
							prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
					Files.createDirectory(target, DepotFiles.ownerOnlyDirectory(target));
					runPopulator(populator, target, space);
					this.directory.ensureDirectory(space.getParent());
					this.beforeMoveIntoPlace.accept(space);
					moveIntoPlace(target, space);
				}
				return null;
			});
		}
		catch (RegularFiles.NotRegularFileException ex) {
			// The space is fine; a file in staging/ is not, and the operator must find it.
			throw DepotFiles.failure("populate scratch space", space,
					"its lock " + ex.getFile() + ": " + DepotFiles.describe(ex), ex);
		}
		catch (IOException ex) {
			throw DepotFiles.failure("populate scratch space", space, ex);
		}
		this.state.changed();
	}

	/** Sets what runs just before a populated space is moved into place, for tests. */
	void beforeMoveIntoPlace(Consumer<Path> action) {
		this.beforeMoveIntoPlace = action;
	}

	/**
	 * The key as it appears in the names in {@code staging/}: the key itself, or, when
	 * {@code <owner-uuid>.<key>.<16 hex digits>} would exceed the 255 bytes a file name may
	 * have, its first 150 characters and a digest of the rest. Either is a valid key, so the
	 * collector's sweep knows the names; two keys that shared one would only share a lock.
	 */
	static String stagingKey(String key) {
		if (key.length() <= LONGEST_STAGING_KEY) {
			return key;
		}
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
			return key.substring(0, 150) + "-" + HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	private static void runPopulator(Populator populator, Path target, Path space) throws IOException {
		try {
			populator.populate(target);
		}
		catch (Exception ex) {
			try {
				DepotFiles.deleteRecursively(target);
			}
			catch (IOException cleanup) {
				ex.addSuppressed(cleanup);
			}
			if (ex instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (ex instanceof IOException io) {
				throw new UncheckedIOException("Populator failed for scratch space " + space + ": " + io.getMessage(),
						io);
			}
			throw new IllegalStateException("Populator failed for scratch space " + space + ": " + ex, ex);
		}
	}

	/**
	 * Replaces a missing or empty space by the staging directory in one rename. A collector
	 * removes an owner directory it left empty, and it may do so after this manager made sure
	 * of it and before this rename: then the owner directory is made again, and the rename
	 * retried.
	 */
	private void moveIntoPlace(Path staging, Path space) throws IOException {
		for (int attempt = 0;; attempt++) {
			try {
				// rename(2) replaces an empty directory atomically.
				Files.move(staging, space, StandardCopyOption.ATOMIC_MOVE);
				return;
			}
			catch (FileSystemException ex) {
				// Linux reports a non-empty target as a plain FileSystemException (ENOTEMPTY),
				// not as DirectoryNotEmptyException: decide by what is there, not by the type.
				BasicFileAttributes attributes = DepotFiles.attributesOrNull(space);
				if (attributes != null && attributes.isDirectory() && !DepotFiles.isEmptyDirectory(space)) {
					// Filled meanwhile by someone who did not take the populate lock: keep theirs.
					DepotFiles.deleteRecursively(staging);
					return;
				}
				if (attempt > 3) {
					throw ex;
				}
				Path ownerDir = space.getParent();
				if (attributes == null && ownerDir != null && DepotFiles.attributesOrNull(ownerDir) == null) {
					// Removed by a collector once it was empty: make it again.
					this.directory.ensureDirectory(ownerDir);
					continue;
				}
				// Platforms that do not replace an empty directory: remove it, then retry.
				Files.deleteIfExists(space);
			}
		}
	}

	/**
	 * Removes the default owner's space. Leases do not protect against this: it is the
	 * user's decision.
	 * @param key the key
	 */
	public void deleteScratch(String key) {
		deleteScratch(this.state.defaultOwner(), key);
	}

	/**
	 * Removes one space and everything in it, without following symbolic links.
	 * @param parent the owner
	 * @param key the key
	 * @throws IllegalArgumentException if the key is invalid
	 * @throws UncheckedIOException naming the path if it cannot be deleted
	 */
	public void deleteScratch(ScratchOwner parent, String key) {
		Path space = scratchPath(parent, key);
		delete(space);
	}

	/** Removes every space in the depot (or in this view's directory). */
	public void clearScratchSpaces() {
		checkNoFileInTheWay(this.spacesRoot);
		if (this.spacesRoot.startsWith(depot())) {
			DepotFiles.checkNoLinkBelow(depot(), this.spacesRoot.resolve("x"), "scratch directory");
		}
		try (DirectoryStream<Path> owners = Files.newDirectoryStream(this.spacesRoot)) {
			for (Path owner : owners) {
				if (ScratchKeys.isOwnerDirectoryName(owner.getFileName().toString())) {
					delete(owner);
				}
			}
		}
		catch (NoSuchFileException ex) {
			// Nothing to clear.
		}
		catch (IOException ex) {
			throw DepotFiles.failure("list", this.spacesRoot, ex);
		}
	}

	/**
	 * Removes every space of one owner.
	 * @param parent the owner
	 */
	public void clearScratchSpaces(ScratchOwner parent) {
		Objects.requireNonNull(parent, "'parent' must not be null");
		delete(this.spacesRoot.resolve(parent.uuid().toString()));
	}

	/**
	 * Fails when a regular file stands where a directory above {@code path} should be: there
	 * is then nothing to delete, but the depot is broken and the caller must hear of it (the
	 * JDKs disagree on whether a lookup below a file reports it missing or not a directory).
	 */
	private static void checkNoFileInTheWay(Path path) {
		for (Path dir = path.getParent(); dir != null; dir = dir.getParent()) {
			BasicFileAttributes attributes = DepotFiles.attributesOrNull(dir);
			if (attributes != null) {
				if (!attributes.isDirectory() && !attributes.isSymbolicLink()) {
					throw DepotFiles.failure("use", path, dir + " is a file, not a directory",
							new NotDirectoryException(dir.toString()));
				}
				return;
			}
		}
	}

	private void delete(Path path) {
		checkNoFileInTheWay(path);
		DepotFiles.checkNoLinkBelow(this.directory.linkCheckRoot(), path, "scratch directory");
		// Refused above when reached through a link; a link in the space's own place is removed.
		try {
			DepotFiles.deleteRecursively(path);
		}
		catch (IOException ex) {
			throw DepotFiles.failure("delete", path, ex);
		}
		finally {
			this.state.changed();
		}
	}

	/**
	 * A view of this manager whose spaces live directly under {@code dir}
	 * ({@code <dir>/<owner-uuid>/<key>}), for tests and relocation. The view shares this
	 * manager's usage log, lease and settings; closing the view does nothing, closing this
	 * manager ends both. Its {@link #spaces()} and {@link #collectGarbage(GcOptions)} cover
	 * {@code dir}.
	 * @param dir the directory that holds the view's spaces
	 * @return the view
	 */
	public ScratchSpaceManager withScratchDirectory(Path dir) {
		Objects.requireNonNull(dir, "'dir' must not be null");
		return new ScratchSpaceManager(this.state, this.directory.view(DepotLocator.realPath(dir)), true);
	}

	/**
	 * Lists every space on disk with its size, last access, parent projects and status. Walks
	 * every space: callers that ask often should cache the result and compare
	 * {@link #modificationCount()}.
	 * @return the spaces, ordered by owner and key
	 */
	public List<ScratchSpace> spaces() {
		return spaces((space) -> true);
	}

	/**
	 * Lists every space on disk as {@link #spaces()} does, but walks only the spaces that
	 * {@code measure} accepts: the others report zero bytes and zero files, so that a listing
	 * costs I/O in proportion to the spaces, not to their files. {@code measure} is called
	 * once per space, in order, on the calling thread, just before that space would be
	 * walked; an exception it throws ends the listing (a caller may pause or stop a long walk
	 * there).
	 * @param measure whether to measure the size and file count of the space at a path
	 * @return the spaces, ordered by owner and key
	 */
	public List<ScratchSpace> spaces(Predicate<? super Path> measure) {
		Objects.requireNonNull(measure, "'measure' must not be null");
		return new InventoryScan(this.state, this.spacesRoot).spaces(measure);
	}

	/**
	 * Runs garbage collection (see {@link GcOptions}): the spaces of this manager (or of this
	 * view's directory), and the depot's artifacts. An artifact is kept while a recorded
	 * {@code Artifacts.toml} that still exists binds it; otherwise it is orphaned and deleted
	 * after the collect delay, unless leased (the maximum unused age and the size bound apply
	 * to spaces only).
	 * @param options the options of this run
	 * @return what was decided for each space and artifact, and why
	 */
	public GcReport collectGarbage(GcOptions options) {
		Objects.requireNonNull(options, "'options' must not be null");
		this.state.checkOpen();
		try {
			return new CollectionRun(this.state, this.spacesRoot, options).run();
		}
		finally {
			this.state.changed();
		}
	}

	/**
	 * The depot's artifact store: immutable, content-addressed directories under
	 * {@code <depot>/artifacts}. Its {@link Artifacts#exportScratch(ScratchOwner, String)}
	 * reads the spaces of this manager (or of this view).
	 * @return the artifact store
	 */
	public Artifacts artifacts() {
		return new Artifacts(this.state, this.spacesRoot, this.directory.linkCheckRoot());
	}

	/**
	 * A number that grows whenever this manager (or one of its views) creates, populates,
	 * deletes, clears or collects spaces, or creates, installs or records the use of an
	 * artifact through {@link #artifacts()}, so that a cached inventory can tell that it is
	 * stale. Changes made by other managers or processes do not count.
	 * @return the current modification count
	 */
	public long modificationCount() {
		return this.state.modificationCount();
	}

	/**
	 * Releases this manager's lease: its spaces become collectable when nothing else keeps
	 * them. A view's close does nothing.
	 */
	@Override
	public void close() {
		if (!this.view) {
			this.state.close();
		}
	}

	@Override
	public String toString() {
		return "ScratchSpaceManager[depot=" + depot() + ", spaces=" + this.spacesRoot + "]";
	}

	/**
	 * Builds a {@link ScratchSpaceManager}. {@link #build()} makes sure the depot is one and
	 * writes nothing; a depot that cannot be created or written fails the first access, not
	 * the build, so that an application can start and report it (its health, for one).
	 */
	public static final class Builder {

		private @Nullable Path depot;

		private ScratchOwner defaultOwner = ScratchOwner.GLOBAL;

		private @Nullable Path defaultProject;

		private boolean trackAccess = true;

		private Duration accessLogInterval = Duration.ofDays(1);

		private Clock clock = Clock.systemUTC();

		private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;

		private UnaryOperator<@Nullable String> environment = System::getenv;

		private UnaryOperator<@Nullable String> systemProperties = System::getProperty;

		private Builder() {
		}

		/**
		 * The depot root. Default: the environment variable {@code SCRATCH_DEPOT}, else the
		 * platform's per-user cache directory plus {@code jvm-scratch}
		 * ({@code $XDG_CACHE_HOME} or {@code ~/.cache} on Linux and other Unix,
		 * {@code ~/Library/Caches} on macOS, {@code %LOCALAPPDATA%} on Windows). A relative
		 * path is resolved against the working directory now. {@link #build()} refuses a
		 * directory that is not a depot.
		 * @param depot the depot root
		 * @return this builder
		 */
		public Builder depot(Path depot) {
			this.depot = Objects.requireNonNull(depot, "'depot' must not be null").toAbsolutePath().normalize();
			return this;
		}

		/**
		 * The owner of {@link ScratchSpaceManager#getScratch(String)}. Default:
		 * {@link ScratchOwner#GLOBAL}.
		 * @param defaultOwner the owner
		 * @return this builder
		 */
		public Builder defaultOwner(ScratchOwner defaultOwner) {
			this.defaultOwner = Objects.requireNonNull(defaultOwner, "'defaultOwner' must not be null");
			return this;
		}

		/**
		 * The project file that the default owner's accesses are attributed to, when the
		 * owner itself has none. Without one, the default owner's accesses are not recorded.
		 * @param defaultProject a jar or {@code pom.xml}
		 * @return this builder
		 */
		public Builder defaultProject(Path defaultProject) {
			this.defaultProject = Objects.requireNonNull(defaultProject, "'defaultProject' must not be null")
				.toAbsolutePath()
				.normalize();
			return this;
		}

		/**
		 * Whether to record accesses in the usage log. Default: true. The environment
		 * variable {@code SCRATCH_TRACK_ACCESS=0} is the operator's switch and turns tracking
		 * off whatever this says.
		 * @param trackAccess whether to record accesses
		 * @return this builder
		 */
		public Builder trackAccess(boolean trackAccess) {
			this.trackAccess = trackAccess;
			return this;
		}

		/**
		 * At most one usage-log entry per space and caller per interval, per manager.
		 * Default: 1 day.
		 * @param accessLogInterval zero or positive
		 * @return this builder
		 */
		public Builder accessLogInterval(Duration accessLogInterval) {
			Objects.requireNonNull(accessLogInterval, "'accessLogInterval' must not be null");
			this.accessLogInterval = RangeChecks.notNegative("accessLogInterval", accessLogInterval);
			return this;
		}

		/**
		 * The clock of access times and garbage collection. Default: the system UTC clock.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
			return this;
		}

		/**
		 * The longest wait for any lock of the depot (the lease lock, the usage-log lock).
		 * Past it a space is still returned, without the lease or the log entry that needed
		 * the lock, and one warning is logged; a garbage collection gives up with a warning
		 * that names the lock. Default: 10 seconds.
		 * @param lockTimeout a positive duration
		 * @return this builder
		 * @throws IllegalArgumentException if the timeout is zero or negative
		 */
		public Builder lockTimeout(Duration lockTimeout) {
			Objects.requireNonNull(lockTimeout, "'lockTimeout' must not be null");
			if (lockTimeout.isNegative() || lockTimeout.isZero()) {
				throw new IllegalArgumentException("lockTimeout must be positive, but was " + lockTimeout);
			}
			this.lockTimeout = lockTimeout;
			return this;
		}

		/** The environment to read {@code SCRATCH_DEPOT} and friends from (tests). */
		Builder environment(UnaryOperator<@Nullable String> environment) {
			this.environment = Objects.requireNonNull(environment, "'environment' must not be null");
			return this;
		}

		/** The system properties to read {@code user.home} and {@code os.name} from (tests). */
		Builder systemProperties(UnaryOperator<@Nullable String> systemProperties) {
			this.systemProperties = Objects.requireNonNull(systemProperties, "'systemProperties' must not be null");
			return this;
		}

		/**
		 * Builds the manager after making sure that the depot is one. Accepted: a directory
		 * that is missing, empty, or already a depot: one that holds {@code scratchspaces/}
		 * or {@code logs/scratch_usage.toml} (as this library and Julia make them), or only
		 * names that such a depot holds at its top level ({@code scratchspaces},
		 * {@code logs}, {@code leases}, {@code staging}, {@code artifacts}, and Julia's
		 * {@code packages}, {@code registries}, {@code compiled} and the like). Refused: the
		 * root of a file system, the user's home directory, and a directory that holds
		 * anything else, because garbage collection deletes in the directories of a depot.
		 * The check reads a few attributes (and lists the directory when it is not yet
		 * recognizably a depot) and writes nothing; a depot that another manager is creating
		 * at the same moment is accepted. A path that is not a directory, or cannot be read,
		 * is left to the first access to report.
		 * @return a new manager
		 * @throws IllegalStateException naming the path, the setting it came from and what
		 * to do, if the depot is refused, or if {@code SCRATCH_DEPOT}, {@code user.home}
		 * or {@code LOCALAPPDATA} (whichever chooses the depot) is not an absolute path
		 * @throws IllegalArgumentException if the depot from the environment is not a valid
		 * path
		 */
		public ScratchSpaceManager build() {
			DepotLocator.Located located = DepotLocator.locate(this.depot, this.environment, this.systemProperties);
			Path root = DepotLocator.realPath(located.path());
			DepotLocator.accept(new DepotLocator.Located(root, located.setting(), located.remedy()),
					this.systemProperties.apply("user.home"));
			boolean track = this.trackAccess && !"0".equals(this.environment.apply("SCRATCH_TRACK_ACCESS"));
			ManagerState state = new ManagerState(DepotLayout.of(root), this.defaultOwner, this.defaultProject, track,
					this.accessLogInterval, this.clock, this.lockTimeout);
			return new ScratchSpaceManager(state, SpacesDirectory.ofDepot(state), false);
		}

	}

}
