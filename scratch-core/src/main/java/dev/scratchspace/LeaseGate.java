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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.jspecify.annotations.Nullable;

/**
 * The lock that makes leasing atomic with the collector's delete: {@code leases/leases.lock},
 * taken <em>shared</em> by a manager while it adds a space to its lease, and
 * <em>exclusive</em> by the collector while it checks the leases one last time and renames
 * the spaces it deletes out of {@code scratchspaces/}. See RELIABILITY.md, "The lease
 * protocol".
 *
 * <p>A JVM holds one channel per lock file, kept open while any holder needs it, and one
 * in-process read-write lock in front of it: a JVM cannot hold two {@link FileLock}s on one
 * file, and closing any channel on a file releases the process's locks on it. The state is
 * keyed by the lock file's {@linkplain FileMutex#identity identity}, so managers that reach
 * one depot through different paths share it. Every wait is bounded: past the timeout,
 * {@link #shared} and {@link #exclusive} return {@code null}.
 */
final class LeaseGate {

	static final String FILE_NAME = "leases.lock";

	private static final ConcurrentMap<Object, State> STATES = new ConcurrentHashMap<>();

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private final Path lockFile;

	/**
	 * The state this gate last used, when it was found by the lock file's directory identity:
	 * later acquisitions start there without the {@code stat} of the directory, and check
	 * instead, with the {@code stat} of the lock file every acquisition makes, that this
	 * gate's path still names the file the state's channel has open. Where it does not, the
	 * state is looked up again.
	 */
	private volatile @Nullable State cached;

	LeaseGate(Path leasesDirectory) {
		this.lockFile = leasesDirectory.resolve(FILE_NAME);
	}

	Path lockFile() {
		return this.lockFile;
	}

	/**
	 * Takes the lock shared, waiting at most {@code timeout}.
	 * @return the held lock, or {@code null} if another process kept it exclusive that long
	 * @throws IOException if the lock file cannot be created or opened
	 */
	@Nullable Held shared(Duration timeout) throws IOException {
		return acquire(true, timeout);
	}

	/**
	 * Takes the lock exclusive, waiting at most {@code timeout}.
	 * @return the held lock, or {@code null} if other holders kept it that long
	 * @throws IOException if the lock file cannot be created or opened
	 */
	@Nullable Held exclusive(Duration timeout) throws IOException {
		return acquire(false, timeout);
	}

	private @Nullable Held acquire(boolean shared, Duration timeout) throws IOException {
		long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
		State state = this.cached;
		boolean fresh = (state == null);
		if (state == null) {
			state = lookUp();
		}
		while (true) {
			ReentrantReadWriteLock.ReadLock read = state.inProcess.readLock();
			ReentrantReadWriteLock.WriteLock write = state.inProcess.writeLock();
			try {
				boolean taken = shared ? read.tryLock(remaining(deadline), TimeUnit.NANOSECONDS)
						: write.tryLock(remaining(deadline), TimeUnit.NANOSECONDS);
				if (!taken) {
					return null;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
			Entry entry = Entry.FAILED;
			try {
				entry = shared ? state.enterShared(this.lockFile, deadline, fresh)
						: state.enterExclusive(this.lockFile, deadline, fresh);
				if (entry == Entry.HELD) {
					return new Held(state, shared);
				}
				if (entry == Entry.FAILED) {
					return null;
				}
			}
			finally {
				if (entry != Entry.HELD) {
					(shared ? read : write).unlock();
				}
			}
			if (entry == Entry.BUSY && !awaitHolders(deadline)) {
				return null;
			}
			// The path names another file than the state it was cached with: look it up again.
			this.cached = null;
			state = lookUp();
			fresh = true;
		}
	}

	/**
	 * The in-process state of the lock file, keyed by its identity (its directory's device and
	 * inode, and its name), so that every name of the depot — also a link made after a
	 * manager was built — shares it. Cached in this gate only when found by identity: a state
	 * keyed by path, before the directory exists, is not the one other names find later.
	 */
	private State lookUp() {
		Object identity = FileMutex.identity(this.lockFile);
		// Created on first use, under the same name; a depot that cannot hold it fails there.
		State state = STATES.computeIfAbsent(identity, (key) -> new State());
		if (!(identity instanceof Path)) {
			this.cached = state;
		}
		return state;
	}

	/** How an attempt to enter a state ended. */
	private enum Entry {

		/** Held: the path names the file the state's channel has locked. */
		HELD,

		/** Not held before the deadline. */
		FAILED,

		/** A cached state whose channel is on another file than the one the path names. */
		STALE,

		/**
		 * Other threads of this JVM hold the state's file shared, but the path names another
		 * file now (the lock file was replaced or deleted during their hold): joining them would
		 * lock nothing that a collector in another process sees, so the thread waits for them to
		 * leave and then locks the file that is there.
		 */
		BUSY

	}

	/**
	 * Waits a moment for this JVM's shared holders of a replaced lock file to leave, so that
	 * the next holder locks the file the path names now.
	 * @return {@code false} past the deadline, or if interrupted
	 */
	private static boolean awaitHolders(long deadline) {
		if (System.nanoTime() - deadline >= 0) {
			return false;
		}
		try {
			TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static long remaining(long deadline) {
		return Math.max(0, deadline - System.nanoTime());
	}

	/** The in-process side of one lock file: its channel and the OS lock held on it. */
	private static final class State {

		final ReentrantReadWriteLock inProcess = new ReentrantReadWriteLock();

		/** Guarded by this. */
		private @Nullable FileChannel channel;

		/** Guarded by this: the identity of the file the channel has open. */
		private @Nullable Object fileKey;

		/** Guarded by this: the OS lock, shared or exclusive. */
		private @Nullable FileLock lock;

		/** Guarded by this: threads of this JVM inside a shared hold. */
		private int sharedHolders;

		/**
		 * Called holding the in-process read lock. A thread that joins a shared hold of this
		 * JVM checks, with one {@code stat}, that its path names the locked file: a state found
		 * by identity is keyed by the directory, not by the file, so it too may hold a file
		 * that was replaced since, and every thread joining it would lock nothing a collector
		 * sees for as long as their holds overlap.
		 */
		synchronized Entry enterShared(Path lockFile, long deadline, boolean fresh) throws IOException {
			if (this.sharedHolders == 0) {
				Entry entry = lockFile(lockFile, true, deadline, fresh);
				if (entry != Entry.HELD) {
					return entry;
				}
			}
			else if (!isLocked(lockFile)) {
				return fresh ? Entry.BUSY : Entry.STALE;
			}
			this.sharedHolders++;
			return Entry.HELD;
		}

		/** Called holding the in-process write lock: no shared holder is left in this JVM. */
		synchronized Entry enterExclusive(Path lockFile, long deadline, boolean fresh) throws IOException {
			return lockFile(lockFile, false, deadline, fresh);
		}

		/** Whether the path names the file this state's channel has open. */
		private boolean isLocked(Path lockFile) throws IOException {
			Object current = fileKeyOrNull(lockFile);
			return current != null && current.equals(this.fileKey);
		}

		synchronized void exit(boolean shared) throws IOException {
			if (shared && --this.sharedHolders > 0) {
				return;
			}
			FileLock held = this.lock;
			this.lock = null;
			if (held != null) {
				held.release();
			}
		}

		/**
		 * Locks the file, polling until the deadline; a lock file that was deleted or replaced
		 * meanwhile locks nothing anyone sees, so it is opened again — by a state found by
		 * identity; a cached state reports itself {@linkplain Entry#STALE stale} instead, so
		 * that the gate looks up the state of the file its path names now.
		 */
		private Entry lockFile(Path lockFile, boolean shared, long deadline, boolean fresh) throws IOException {
			if (!fresh && (this.channel == null || !this.channel.isOpen())) {
				// Closed by a gate that found it stale: only a lookup may open one again, or this
				// state would open, under its old identity, the file another state now has.
				return Entry.STALE;
			}
			while (true) {
				FileChannel open = channel(lockFile);
				FileLock taken = open.tryLock(0, Long.MAX_VALUE, shared);
				if (taken != null) {
					if (isLocked(lockFile)) {
						this.lock = taken;
						return Entry.HELD;
					}
					// Replaced or deleted since it was opened: open the file that is there now.
					taken.release();
					open.close();
					this.channel = null;
					if (!fresh) {
						return Entry.STALE;
					}
				}
				if (System.nanoTime() - deadline >= 0) {
					return Entry.FAILED;
				}
				pause();
			}
		}

		private FileChannel channel(Path lockFile) throws IOException {
			FileChannel open = this.channel;
			if (open != null && open.isOpen()) {
				return open;
			}
			DepotFiles.createDirectories(lockFile.getParent().getParent(), lockFile.getParent(), "lease directory");
			// Read and write: opening a FIFO put in its place does not block, and it is refused.
			// The identity is the opened file's, not that of the file the path names a moment
			// later: a lock file replaced in between would pass every later check while this
			// channel locks a file no collector sees.
			RegularFiles.Identified opened = RegularFiles.openProven(lockFile);
			open = opened.channel();
			this.fileKey = (opened.fileKey() != null) ? opened.fileKey() : fileKeyOrNull(lockFile);
			this.channel = open;
			return open;
		}

		private static void pause() throws IOException {
			try {
				TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("Interrupted while waiting for a lease lock", ex);
			}
		}

		private static @Nullable Object fileKeyOrNull(Path path) throws IOException {
			try {
				return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
			}
			catch (NoSuchFileException ex) {
				return null;
			}
		}

	}

	/** A held lock; closing it releases the OS lock (the last shared holder) and the in-process lock. */
	static final class Held implements AutoCloseable {

		private final State state;

		private final boolean shared;

		private Held(State state, boolean shared) {
			this.state = state;
			this.shared = shared;
		}

		@Override
		public void close() throws IOException {
			try {
				this.state.exit(this.shared);
			}
			finally {
				if (this.shared) {
					this.state.inProcess.readLock().unlock();
				}
				else {
					this.state.inProcess.writeLock().unlock();
				}
			}
		}

	}

}
