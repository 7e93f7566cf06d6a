package dev.scratchspace;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LeaseGate}.
 */
class LeaseGateTests {

	@TempDir
	Path dir;

	@Test
	void gatesReachingOneLockFileThroughALinkShareOneLockAfterEveryUse() throws IOException {
		Path depot = Files.createDirectories(this.dir.resolve("depot"));
		Path leases = Files.createDirectories(depot.resolve("leases"));
		Path link = Files.createSymbolicLink(this.dir.resolve("link"), depot);
		LeaseGate direct = new LeaseGate(leases);
		LeaseGate linked = new LeaseGate(link.resolve("leases"));
		for (int round = 0; round < 3; round++) {
			try (LeaseGate.Held exclusive = direct.exclusive(Duration.ZERO)) {
				assertThat(exclusive).isNotNull();
				assertThat(inAnotherThread(linked, true)).isFalse();
			}
			try (LeaseGate.Held shared = linked.shared(Duration.ZERO)) {
				assertThat(shared).isNotNull();
				assertThat(inAnotherThread(direct, false)).isFalse();
			}
			assertThat(inAnotherThread(direct, false)).isTrue();
		}
	}

	@Test
	void gateUsedBeforeItsDirectoryExistsSharesTheLockOnceItDoes() throws IOException {
		Path depot = Files.createDirectories(this.dir.resolve("depot"));
		Path link = Files.createSymbolicLink(this.dir.resolve("link"), depot);
		LeaseGate linked = new LeaseGate(link.resolve("leases"));
		try (LeaseGate.Held first = linked.shared(Duration.ZERO)) {
			assertThat(first).isNotNull();
		}
		assertThat(depot.resolve("leases").resolve(LeaseGate.FILE_NAME)).exists();
		LeaseGate direct = new LeaseGate(depot.resolve("leases"));
		try (LeaseGate.Held exclusive = direct.exclusive(Duration.ZERO)) {
			assertThat(exclusive).isNotNull();
			assertThat(inAnotherThread(linked, true)).isFalse();
		}
		assertThat(inAnotherThread(linked, true)).isTrue();
	}

	@Test
	void lockFileReplacedBetweenTwoTakesIsTheFileLockedByTheNext() throws IOException {
		Path leases = Files.createDirectories(this.dir.resolve("depot").resolve("leases"));
		LeaseGate gate = new LeaseGate(leases);
		try (LeaseGate.Held first = gate.shared(Duration.ZERO)) {
			assertThat(first).isNotNull();
		}
		Path lockFile = leases.resolve(LeaseGate.FILE_NAME);
		Path replacement = Files.createFile(leases.resolve("replacement"));
		Files.move(replacement, lockFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		for (boolean shared : new boolean[] { true, false }) {
			try (LeaseGate.Held held = shared ? gate.shared(Duration.ZERO) : gate.exclusive(Duration.ZERO)) {
				assertThat(held).isNotNull();
				assertThat(isLockedInThisJvm(lockFile)).as("the file the path names is locked").isTrue();
			}
		}
	}

	@Test
	void leaseDirectoryReplacedBetweenTwoTakesSharesOneLockWithGatesMadeAfter() throws IOException {
		Path depot = Files.createDirectories(this.dir.resolve("depot"));
		Path leases = Files.createDirectories(depot.resolve("leases"));
		LeaseGate gate = new LeaseGate(leases);
		try (LeaseGate.Held first = gate.shared(Duration.ZERO)) {
			assertThat(first).isNotNull();
		}
		Files.move(leases, depot.resolve("leases.old"));
		Files.createDirectory(leases);
		try (LeaseGate.Held shared = gate.shared(Duration.ZERO)) {
			assertThat(shared).isNotNull();
			assertThat(isLockedInThisJvm(leases.resolve(LeaseGate.FILE_NAME))).isTrue();
			assertThat(inAnotherThread(new LeaseGate(leases), false)).isFalse();
		}
		assertThat(inAnotherThread(new LeaseGate(leases), false)).isTrue();
	}

	@Test
	void gateWhoseStateAnotherGateFoundStaleSharesTheLockWithGatesMadeAfter() throws IOException {
		Path depot = Files.createDirectories(this.dir.resolve("depot"));
		Path leases = Files.createDirectories(depot.resolve("leases"));
		LeaseGate first = new LeaseGate(leases);
		LeaseGate second = new LeaseGate(leases);
		for (LeaseGate gate : new LeaseGate[] { first, second }) {
			try (LeaseGate.Held held = gate.shared(Duration.ZERO)) {
				assertThat(held).isNotNull();
			}
		}
		Files.move(leases, depot.resolve("leases.old"));
		Files.createDirectory(leases);
		try (LeaseGate.Held held = second.shared(Duration.ZERO)) {
			assertThat(held).isNotNull();
		}
		try (LeaseGate.Held shared = first.shared(Duration.ZERO)) {
			assertThat(shared).isNotNull();
			assertThat(inAnotherThread(new LeaseGate(leases), false)).isFalse();
			assertThat(inAnotherThread(second, false)).isFalse();
		}
		assertThat(inAnotherThread(new LeaseGate(leases), false)).isTrue();
	}

	/**
	 * Whether this JVM holds a lock on the file: a JVM refuses to lock a file twice. Closing
	 * the probe's channel drops the process's OS locks on the file; the in-process locks,
	 * which the other assertions look at, stay.
	 */
	private static boolean isLockedInThisJvm(Path file) throws IOException {
		try (FileChannel probe = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			try {
				FileLock lock = probe.tryLock(0, Long.MAX_VALUE, true);
				if (lock != null) {
					lock.release();
				}
				return false;
			}
			catch (OverlappingFileLockException ex) {
				return true;
			}
		}
	}

	/**
	 * Whether another thread gets the lock at once: a thread that holds it exclusive may also
	 * take it shared, so only another thread sees whether two gates share one lock.
	 */
	private static boolean inAnotherThread(LeaseGate gate, boolean shared) {
		FutureTask<Boolean> attempt = new FutureTask<>(() -> {
			try (LeaseGate.Held held = shared ? gate.shared(Duration.ZERO) : gate.exclusive(Duration.ZERO)) {
				return held != null;
			}
		});
		Thread thread = new Thread(attempt);
		thread.start();
		try {
			return attempt.get();
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
