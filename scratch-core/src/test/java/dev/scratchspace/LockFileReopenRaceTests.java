package dev.scratchspace;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lock file replaced while a lock that keeps its channel open opens it again: the identity
 * it remembers must be the one of the file it opened, or every later take would lock a file
 * that no other process sees.
 */
class LockFileReopenRaceTests {

	private static final int ROUNDS = 3000;

	@Test
	void usageLogLockReopenedWhileTheFileIsReplacedRemembersTheFileItOpened(@TempDir Path dir) throws Exception {
		Path lockFile = dir.resolve("logs").resolve("scratch_usage.toml.lock");
		Files.createDirectories(lockFile.getParent());
		FileMutex mutex = FileMutex.shared(lockFile, Duration.ofSeconds(30));
		try {
			for (int round = 0; round < ROUNDS; round++) {
				Thread replacer = replaceTwice(lockFile, () -> mutex.call(() -> null));
				replacer.join();
				mutex.call(() -> {
					assertHeldByThisJvm(lockFile);
					return null;
				});
			}
		}
		finally {
			mutex.release();
		}
	}

	@Test
	void leaseLockReopenedWhileTheFileIsReplacedRemembersTheFileItOpened(@TempDir Path dir) throws Exception {
		Path leases = Files.createDirectories(dir.resolve("leases"));
		LeaseGate gate = new LeaseGate(leases);
		for (int round = 0; round < ROUNDS; round++) {
			Thread replacer = replaceTwice(gate.lockFile(), () -> {
				try (LeaseGate.Held held = gate.shared(Duration.ofSeconds(30))) {
					assertThat(held).isNotNull();
				}
			});
			replacer.join();
			try (LeaseGate.Held held = gate.shared(Duration.ofSeconds(30))) {
				assertThat(held).isNotNull();
				assertHeldByThisJvm(gate.lockFile());
			}
		}
	}

	interface Take {

		void run() throws Exception;

	}

	/**
	 * Replaces the file, lets the take start (it finds its channel stale and opens the file
	 * again), and replaces the file once more while it does.
	 */
	private static Thread replaceTwice(Path lockFile, Take take) throws Exception {
		CountDownLatch replaced = new CountDownLatch(1);
		Thread replacer = new Thread(() -> {
			try {
				replace(lockFile);
				replaced.countDown();
				int spins = ThreadLocalRandom.current().nextInt(4000);
				for (int i = 0; i < spins; i++) {
					Thread.onSpinWait();
				}
				replace(lockFile);
			}
			catch (Exception ex) {
				throw new AssertionError(ex);
			}
		});
		replacer.start();
		replaced.await();
		take.run();
		return replacer;
	}

	private static void replace(Path lockFile) throws Exception {
		Path next = Files.createTempFile(lockFile.getParent(), "next", ".tmp");
		Files.move(next, lockFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	/** This JVM holds a lock on the very file the path names: another lock on it overlaps. */
	private static void assertHeldByThisJvm(Path lockFile) throws java.io.IOException {
		try (FileChannel probe = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
			FileLock lock = null;
			try {
				lock = probe.tryLock();
			}
			catch (OverlappingFileLockException expected) {
				return;
			}
			if (lock != null) {
				lock.release();
			}
			throw new AssertionError("the lock held is on another file than " + lockFile + " names");
		}
	}

}
