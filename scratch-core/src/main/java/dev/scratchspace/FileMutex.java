package dev.scratchspace;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * A lock across threads and processes: an in-process lock (one per lock file per JVM, since a
 * JVM cannot hold two {@link FileLock}s on one file, and closing any channel on a file
 * releases the process's locks on it) around a {@link FileChannel#lock()} on a lock file.
 *
 * <p>A mutex that is {@linkplain #shared(Path) shared} keeps its channel open between
 * acquisitions, for the locks taken on every usage-log append: each acquisition then costs
 * the lock, one {@code stat} that checks the lock file is still the one the channel has
 * open (a person may have deleted it), and the unlock. The channel is closed, under the
 * in-process lock, when the last manager that uses it closes. Other mutexes open the lock
 * file for each acquisition.
 *
 * <p>No wait is unbounded: {@link #call} waits at most the timeout given at construction
 * (the manager's {@code lockTimeout}) for the in-process lock and then polls the file lock,
 * and throws {@link LockTimeoutException} past it. A lock file that is not a regular file
 * is refused ({@link RegularFiles.NotRegularFileException}); it is opened for reading and
 * writing, which does not block even on a FIFO.
 */
final class FileMutex {

	private static final ConcurrentMap<Object, State> STATES = new ConcurrentHashMap<>();

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private final Path lockFile;

	private final boolean keepOpen;

	private final Duration timeout;

	/** Guarded by this: the state a mutex that keeps its channel open registered with. */
	private @Nullable State registered;

	/** Guarded by this. */
	private boolean released;

	private FileMutex(Path lockFile, Duration timeout, boolean keepOpen) {
		this.lockFile = lockFile.toAbsolutePath().normalize();
		this.keepOpen = keepOpen;
		this.timeout = timeout;
	}

	/**
	 * The identity of a lock file, shared by every name it has: its directory's device and
	 * inode, and its own name. The directory exists by the time a lock is taken; a path is
	 * the key only where it does not, or where the file system has no file keys. Two
	 * managers that reach one depot through different paths (a link made after one was
	 * built, a bind mount) then share one state, and neither ever closes a channel on the
	 * file while the other holds a lock through its own.
	 */
	static Object identity(Path lockFile) {
		Path absolute = lockFile.toAbsolutePath().normalize();
		Path parent = absolute.getParent();
		Path name = absolute.getFileName();
		if (parent != null && name != null) {
			try {
				Object key = Files.readAttributes(parent, BasicFileAttributes.class).fileKey();
				if (key != null) {
					return List.of(key, name.toString());
				}
			}
			catch (IOException ex) {
				// Not there yet: known by its path until it is.
			}
		}
		return absolute;
	}

	/**
	 * The in-process state of the lock file, looked up at each acquisition; a mutex that
	 * keeps its channel open keeps the state it first used, and counts as one of its users.
	 */
	private synchronized State state() {
		if (this.registered != null) {
			return this.registered;
		}
		State state = STATES.computeIfAbsent(identity(this.lockFile), (key) -> new State());
		if (this.keepOpen && !this.released) {
			state.lock.lock();
			try {
				state.users++;
			}
			finally {
				state.lock.unlock();
			}
			this.registered = state;
		}
		return state;
	}

	/** A mutex that is only {@linkplain #tryAcquire() tried}: it never waits. */
	FileMutex(Path lockFile) {
		this(lockFile, Duration.ZERO, false);
	}

	/** A mutex that opens its lock file for each acquisition and waits at most {@code timeout}. */
	FileMutex(Path lockFile, Duration timeout) {
		this(lockFile, timeout, false);
	}

	/** A mutex whose channel stays open until {@link #release()}, waiting at most {@code timeout}. */
	static FileMutex shared(Path lockFile, Duration timeout) {
		return new FileMutex(lockFile, timeout, true);
	}

	Path lockFile() {
		return this.lockFile;
	}

	/**
	 * Runs an action while holding the lock, waiting for it at most the timeout.
	 * @throws LockTimeoutException if another thread or process held the lock that long
	 */
	<T> T call(IoCallable<T> action) throws IOException {
		Held held = acquire(true);
		try {
			return action.call();
		}
		finally {
			held.close();
		}
	}

	/** Takes the lock if no other thread or process holds it, else returns {@code null}. */
	@Nullable Held tryAcquire() throws IOException {
		return acquireOrNull(false);
	}

	Held acquire(boolean wait) throws IOException {
		Held held = acquireOrNull(wait);
		if (held == null) {
			throw new LockTimeoutException(this.lockFile, this.timeout);
		}
		return held;
	}

	/** Ends this user of a shared channel; the last one closes it. */
	void release() throws IOException {
		State state;
		synchronized (this) {
			this.released = true;
			state = this.registered;
			this.registered = null;
		}
		if (state == null) {
			return;
		}
		state.lock.lock();
		try {
			if (--state.users == 0 && state.channel != null) {
				state.channel.close();
				state.channel = null;
			}
		}
		finally {
			state.lock.unlock();
		}
	}

	private @Nullable Held acquireOrNull(boolean wait) throws IOException {
		long deadline = System.nanoTime() + (wait ? Math.max(0, this.timeout.toNanos()) : 0);
		State state = state();
		ReentrantLock inProcess = state.lock;
		try {
			if (!inProcess.tryLock(remaining(deadline), TimeUnit.NANOSECONDS)) {
				return null;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while waiting for the lock " + this.lockFile, ex);
		}
		if (inProcess.getHoldCount() > 1) {
			return new Held(state, null, null);
		}
		try {
			Held held = this.keepOpen && !isReleased() ? acquireShared(state, deadline) : acquireOnce(state, deadline);
			if (held == null) {
				inProcess.unlock();
			}
			return held;
		}
		catch (IOException | RuntimeException | Error ex) {
			inProcess.unlock();
			throw ex;
		}
	}

	private synchronized boolean isReleased() {
		return this.released;
	}

	private @Nullable Held acquireOnce(State state, long deadline) throws IOException {
		RegularFiles.checkParentDirectory(this.lockFile);
		FileChannel channel = RegularFiles.openForWriting(this.lockFile);
		try {
			FileLock lock = lockBefore(channel, deadline);
			if (lock == null) {
				channel.close();
				return null;
			}
			return new Held(state, channel, lock);
		}
		catch (IOException | RuntimeException | Error ex) {
			closeQuietly(channel, ex);
			throw ex;
		}
	}

	/** Called holding the in-process lock. */
	private @Nullable Held acquireShared(State state, long deadline) throws IOException {
		FileChannel channel = state.channel;
		if (channel != null) {
			FileLock lock = lockBefore(channel, deadline);
			if (lock == null) {
				return null;
			}
			Object key = fileKeyOrNull(this.lockFile);
			if (key != null && key.equals(state.fileKey)) {
				return new Held(state, null, lock);
			}
			// The lock file was deleted or replaced: this channel locks nothing anyone sees.
			lock.release();
			channel.close();
			state.channel = null;
		}
		// The directory was checked when it was created; a link put in its place since is not
		// followed.
		RegularFiles.checkParentDirectory(this.lockFile);
		// The identity of the file opened, not of the file the path names a moment later: a
		// lock file replaced in between would otherwise pass every later check while this
		// channel locks a file no other process sees.
		RegularFiles.Identified opened = RegularFiles.openProven(this.lockFile);
		channel = opened.channel();
		try {
			FileLock lock = lockBefore(channel, deadline);
			if (lock == null) {
				channel.close();
				return null;
			}
			state.fileKey = (opened.fileKey() != null) ? opened.fileKey() : fileKeyOrNull(this.lockFile);
			state.channel = channel;
			return new Held(state, null, lock);
		}
		catch (IOException | RuntimeException | Error ex) {
			closeQuietly(channel, ex);
			throw ex;
		}
	}

	/** Polls the file lock until the deadline: a process that holds it may never let go. */
	private static @Nullable FileLock lockBefore(FileChannel channel, long deadline) throws IOException {
		while (true) {
			FileLock lock = channel.tryLock();
			if (lock != null || System.nanoTime() - deadline >= 0) {
				return lock;
			}
			try {
				TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("Interrupted while waiting for a lock", ex);
			}
		}
	}

	private static long remaining(long deadline) {
		return Math.max(0, deadline - System.nanoTime());
	}

	private static @Nullable Object fileKeyOrNull(Path path) throws IOException {
		try {
			return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	private static void closeQuietly(FileChannel channel, Throwable failure) {
		try {
			channel.close();
		}
		catch (IOException suppressed) {
			failure.addSuppressed(suppressed);
		}
	}

	/** The in-process side of one lock file, and its shared channel. */
	private static final class State {

		final ReentrantLock lock = new ReentrantLock();

		/** Guarded by lock. */
		@Nullable FileChannel channel;

		/** Guarded by lock: the identity of the file the channel has open. */
		@Nullable Object fileKey;

		/** Guarded by lock. */
		int users;

	}

	/**
	 * A held lock; closing it releases the file lock, closes a channel opened for this
	 * acquisition only, then releases the in-process lock.
	 */
	static final class Held implements AutoCloseable {

		private final State state;

		private final @Nullable FileChannel ownChannel;

		private final @Nullable FileLock lock;

		private Held(State state, @Nullable FileChannel ownChannel, @Nullable FileLock lock) {
			this.state = state;
			this.ownChannel = ownChannel;
			this.lock = lock;
		}

		@Override
		public void close() throws IOException {
			try {
				if (this.lock != null) {
					this.lock.release();
				}
			}
			finally {
				try {
					if (this.ownChannel != null) {
						this.ownChannel.close();
					}
				}
				finally {
					this.state.lock.unlock();
				}
			}
		}

	}

	/** A lock that another thread or process held for longer than the timeout. */
	static final class LockTimeoutException extends IOException {

		private static final long serialVersionUID = 1L;

		private final transient Path lockFile;

		LockTimeoutException(Path lockFile, Duration timeout) {
			super("the lock " + lockFile + " was held by another thread or process for longer than "
					+ timeout.toMillis() + " ms (lockTimeout)");
			this.lockFile = lockFile;
		}

		Path lockFile() {
			return this.lockFile;
		}

	}

	/** An action that may fail with an {@link IOException}. */
	@FunctionalInterface
	interface IoCallable<T> {

		T call() throws IOException;

	}

}
