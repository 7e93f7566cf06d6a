package dev.scratchspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
