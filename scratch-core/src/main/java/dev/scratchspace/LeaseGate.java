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
		State state = state();
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
		boolean held = false;
		try {
			held = shared ? state.enterShared(this.lockFile, deadline) : state.enterExclusive(this.lockFile, deadline);
			return held ? new Held(state, shared) : null;
		}
		finally {
			if (!held) {
				(shared ? read : write).unlock();
			}
		}
	}

	/**
	 * The in-process state of the lock file, keyed by its identity (its directory's device and
	 * inode, and its name: one {@code stat} per acquisition), so that every name of the depot
	 * — also a link made after a manager was built — shares it.
	 */
	private State state() {
		// Created on first use, under the same name; a depot that cannot hold it fails there.
		return STATES.computeIfAbsent(FileMutex.identity(this.lockFile), (key) -> new State());
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

		/** Called holding the in-process read lock. */
		synchronized boolean enterShared(Path lockFile, long deadline) throws IOException {
			if (this.sharedHolders == 0 && !lockFile(lockFile, true, deadline)) {
				return false;
			}
			this.sharedHolders++;
			return true;
		}

		/** Called holding the in-process write lock: no shared holder is left in this JVM. */
		synchronized boolean enterExclusive(Path lockFile, long deadline) throws IOException {
			return lockFile(lockFile, false, deadline);
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
		 * meanwhile locks nothing anyone sees, so it is opened again.
		 */
		private boolean lockFile(Path lockFile, boolean shared, long deadline) throws IOException {
			while (true) {
				FileChannel open = channel(lockFile);
				FileLock taken = open.tryLock(0, Long.MAX_VALUE, shared);
				if (taken != null) {
					Object current = fileKeyOrNull(lockFile);
					if (current != null && current.equals(this.fileKey)) {
						this.lock = taken;
						return true;
					}
					// Replaced or deleted since it was opened: open the file that is there now.
					taken.release();
					open.close();
					this.channel = null;
				}
				if (System.nanoTime() - deadline >= 0) {
					return false;
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
			open = RegularFiles.openForWriting(lockFile);
			this.fileKey = fileKeyOrNull(lockFile);
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
