package dev.scratchspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lease lock file replaced while a thread of this JVM holds it shared: a later take must
 * lock the file the path names now, as a collector in another process locks that one.
 */
class LeaseGateReplacedFileTests {

	@Test
	void takeAfterTheLockFileWasReplacedDuringASharedHoldLocksTheFileThePathNamesNow(@TempDir Path dir)
			throws Exception {
		Path leases = dir.resolve("depot").resolve("leases");
		Files.createDirectories(leases);
		LeaseGate holder = new LeaseGate(leases);
		LeaseGate cached = new LeaseGate(leases);
		LeaseGate fresh = new LeaseGate(leases);
		try (LeaseGate.Held warm = cached.shared(Duration.ofSeconds(30))) {
			assertThat(warm).isNotNull();
		}
		LeaseGate.Held held = holder.shared(Duration.ofSeconds(30));
		assertThat(held).isNotNull();
		Path replacement = leases.resolve("replacement");
		Files.createFile(replacement);
		Files.move(replacement, holder.lockFile(), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
		for (LeaseGate gate : new LeaseGate[] { cached, fresh }) {
			LeaseGate.Held joined = gate.shared(Duration.ofMillis(100));
			if (joined != null) {
				try (joined) {
					assertLockedByThisProcess(dir, holder.lockFile());
				}
			}
		}
		held.close();
		for (LeaseGate gate : new LeaseGate[] { cached, fresh }) {
			try (LeaseGate.Held taken = gate.shared(Duration.ofSeconds(30))) {
				assertThat(taken).isNotNull();
				assertLockedByThisProcess(dir, holder.lockFile());
			}
		}
	}

	/** A process that tries to lock the file the path names finds it locked. */
	private static void assertLockedByThisProcess(Path dir, Path lockFile) throws Exception {
		Path work = Files.createTempDirectory(dir, "probe");
		ChildJvm.awaitSuccess(ChildJvm.start(work, "probe-lock", dir.toString(), lockFile.toString()), work);
	}

}
