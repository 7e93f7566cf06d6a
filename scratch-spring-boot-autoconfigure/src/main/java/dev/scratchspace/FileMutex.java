package dev.scratchspace;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * A lock across threads and processes: an in-process lock (one per lock file per JVM, since a
 * JVM cannot hold two {@link FileLock}s on one file) around a {@link FileChannel#lock()} on a
 * lock file. The lock file is opened for each acquisition, so a lock file that a person
 * deleted is simply created again.
 */
final class FileMutex {

	private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

	private final Path lockFile;

	private final ReentrantLock inProcess;

	FileMutex(Path lockFile) {
		this.lockFile = lockFile.toAbsolutePath().normalize();
		this.inProcess = IN_PROCESS.computeIfAbsent(this.lockFile, (path) -> new ReentrantLock());
	}

	Path lockFile() {
		return this.lockFile;
	}

	/** Runs an action while holding the lock, waiting for it as long as it takes. */
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
			throw new IllegalStateException("lock not acquired");
		}
		return held;
	}

	private @Nullable Held acquireOrNull(boolean wait) throws IOException {
		if (wait) {
			this.inProcess.lock();
		}
		else if (!this.inProcess.tryLock()) {
			return null;
		}
		if (this.inProcess.getHoldCount() > 1) {
			return new Held(null, null);
		}
		FileChannel channel = null;
		try {
			channel = FileChannel.open(this.lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			FileLock lock = wait ? channel.lock() : channel.tryLock();
			if (lock == null) {
				channel.close();
				this.inProcess.unlock();
				return null;
			}
			return new Held(channel, lock);
		}
		catch (IOException | RuntimeException | Error ex) {
			if (channel != null) {
				try {
					channel.close();
				}
				catch (IOException suppressed) {
					ex.addSuppressed(suppressed);
				}
			}
			this.inProcess.unlock();
			throw ex;
		}
	}

	/** A held lock; closing it releases the file lock, then the in-process lock. */
	final class Held implements AutoCloseable {

		private final @Nullable FileChannel channel;

		private final @Nullable FileLock lock;

		private Held(@Nullable FileChannel channel, @Nullable FileLock lock) {
			this.channel = channel;
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
					if (this.channel != null) {
						this.channel.close();
					}
				}
				finally {
					FileMutex.this.inProcess.unlock();
				}
			}
		}

	}

	/** An action that may fail with an {@link IOException}. */
	@FunctionalInterface
	interface IoCallable<T> {

		T call() throws IOException;

	}

}
