package dev.scratchspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on the safety guarantees: a careless operator or another process of the same user
 * acting between a check and an act, or naming things the way the project does.
 */
class ReliabilityAttackTests {

	private static final ScratchOwner OWNER = ScratchOwner.of("org.example", "attack");

	private static final GcOptions NOW = GcOptions.defaults().withCollectDelay(Duration.ZERO);

	@TempDir
	Path temp;

	/**
	 * A manager's identity is fixed when it is built: the real path of the depot's longest
	 * existing ancestor. An operator who then puts the depot's location behind a link (or a
	 * bind mount) leaves that manager writing leases under another name than a collector
	 * built later sees for the very same directories.
	 */
	@Test
	void spaceLeasedThroughALinkMadeAfterTheManagerWasBuiltIsKept() throws Exception {
		Path real = Files.createDirectories(this.temp.resolve("real").resolve("depot")).getParent();
		Path link = this.temp.resolve("link");
		try (ScratchSpaceManager holder = ScratchSpaceManager.builder().depot(link.resolve("depot")).build()) {
			Files.createSymbolicLink(link, real);
			Path marker = holder.getScratch(OWNER, "held").resolve("marker");
			Files.writeString(marker, "leased");
			try (ScratchSpaceManager collector = ScratchSpaceManager.builder().depot(real.resolve("depot")).build()) {
				collector.collectGarbage(NOW);
			}
			assertThat(real.resolve("depot/scratchspaces").resolve(OWNER.uuid().toString()).resolve("held/marker"))
				.as("a marker in a space that a live manager leased").exists();
		}
	}

	/**
	 * Two managers of one JVM that name one depot differently (one built before its location
	 * was put behind a link) lock the same populate lock file. The second may neither open its
	 * own channel on the file, fail to lock it and close it (which drops the first one's POSIX
	 * lock), nor populate at the same time: it waits for the first.
	 */
	@Test
	void managerOfAnotherNameForTheDepotNeverDropsAPopulateLock() throws Exception {
		Path real = Files.createDirectories(this.temp.resolve("real").resolve("depot")).getParent();
		Path link = this.temp.resolve("link");
		Path lockFile = real.resolve("depot/staging").resolve(OWNER.uuid() + ".populated.lock");
		AtomicReference<Throwable> secondFailed = new AtomicReference<>();
		AtomicInteger probe = new AtomicInteger(-1);
		try (ScratchSpaceManager first = ScratchSpaceManager.builder().depot(link.resolve("depot")).build()) {
			Files.createSymbolicLink(link, real);
			try (ScratchSpaceManager later = ScratchSpaceManager.builder().depot(real.resolve("depot")).build()) {
				AtomicReference<Thread> second = new AtomicReference<>();
				first.getOrPopulate(OWNER, "populated", (dir) -> {
					Thread other = new Thread(() -> {
						try {
							later.getOrPopulate(OWNER, "populated",
									(again) -> Files.writeString(again.resolve("second"), "2"));
						}
						catch (Throwable ex) {
							secondFailed.set(ex);
						}
					});
					second.set(other);
					other.start();
					while (other.getState() != Thread.State.WAITING && other.getState() != Thread.State.TIMED_WAITING
							&& other.getState() != Thread.State.TERMINATED) {
						Thread.onSpinWait();
					}
					Process prober = ChildJvm.start(this.temp.resolve("prober"), "probe-lock", real.toString(),
							lockFile.toString());
					probe.set(prober.waitFor());
					Files.writeString(dir.resolve("first"), "1");
				});
				second.get().join();
			}
		}
		assertThat(probe.get()).as("exit code of another process probing the populate lock (0: held, 1: free)")
			.isZero();
		assertThat(secondFailed.get()).as("the second manager's populate").isNull();
	}

	/**
	 * An operator who deletes {@code leases/} by hand while a manager runs removes its lease
	 * file; a manager that then kept writing to its open, unlinked file would lease nothing
	 * any collector sees.
	 */
	@Test
	void spaceLeasedAfterTheLeaseDirectoryWasDeletedByHandIsKept() throws Exception {
		Path depot = this.temp.resolve("depot");
		try (ScratchSpaceManager holder = ScratchSpaceManager.builder().depot(depot).build()) {
			holder.getScratch(OWNER, "before");
			deleteLeasesByHand(depot);
			Path marker = holder.getScratch(OWNER, "after").resolve("marker");
			Files.writeString(marker, "leased");
			try (ScratchSpaceManager collector = ScratchSpaceManager.builder().depot(depot).build()) {
				collector.collectGarbage(NOW);
			}
			assertThat(marker).as("a space leased after the lease directory was deleted").exists();
		}
	}

	private static void deleteLeasesByHand(Path depot) throws Exception {
		try (var leases = Files.list(depot.resolve("leases"))) {
			for (Path lease : leases.toList()) {
				Files.delete(lease);
			}
		}
		Files.delete(depot.resolve("leases"));
	}

	/**
	 * A collector's listing reads the leases without the lease lock, in the same JVM as
	 * managers that are creating theirs. It must never open and close a channel on a lease
	 * file that a manager of this JVM has locked but not yet registered: that would drop the
	 * manager's lock, and a collector in another process would take the lease for dead.
	 */
	@Test
	void leaseScannedWhileBeingCreatedStaysLocked() throws Exception {
		int managers = 150;
		AtomicReference<Path> scanned = new AtomicReference<>();
		AtomicBoolean done = new AtomicBoolean();
		Thread scanner = new Thread(() -> {
			while (!done.get()) {
				Path leases = scanned.get();
				if (leases != null) {
					Lease.scan(leases, false);
				}
			}
		});
		scanner.start();
		List<ScratchSpaceManager> open = new ArrayList<>();
		List<String> failures = new ArrayList<>();
		List<String> leaseFiles = new ArrayList<>();
		try {
			for (int i = 0; i < managers; i++) {
				Path depot = this.temp.resolve("depot-" + i);
				scanned.set(depot.resolve("leases"));
				ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).trackAccess(false).build();
				open.add(manager);
				try {
					manager.getScratch(OWNER, "held");
				}
				catch (RuntimeException ex) {
					failures.add(ex.toString());
				}
				try (var files = Files.list(depot.resolve("leases"))) {
					files.filter((file) -> file.getFileName().toString().endsWith(Lease.SUFFIX))
						.forEach((file) -> leaseFiles.add(file.toString()));
				}
			}
			done.set(true);
			scanner.join();
			List<String> args = new ArrayList<>(List.of("probe-lock", this.temp.toString()));
			args.addAll(leaseFiles);
			Path work = this.temp.resolve("prober");
			Process prober = ChildJvm.start(work, args.toArray(new String[0]));
			int exit = prober.waitFor();
			assertThat(failures).as("managers that failed to lease").isEmpty();
			assertThat(exit).as("exit code of another process probing every lease (0: all held, 1: one free)")
				.isZero();
		}
		finally {
			done.set(true);
			for (ScratchSpaceManager manager : open) {
				manager.close();
			}
		}
	}

	/**
	 * The staging sweep removes only what a populator left: {@code <uuid>.<key>.<16 hex
	 * digits>}. Anything else in {@code staging/} is not the collector's to delete.
	 */
	@Test
	void stagingSweepTouchesOnlyPopulatorNames() throws Exception {
		Path depot = this.temp.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			manager.getOrPopulate(OWNER, "populated", (dir) -> Files.writeString(dir.resolve("file"), "x"));
			Path staging = depot.resolve("staging");
			Path foreign = Files.createDirectories(staging.resolve("notes.keep"));
			Files.writeString(foreign.resolve("important"), "keep me");
			Path almost = Files.createDirectories(staging.resolve(OWNER.uuid() + ".populated.not-hex-digits"));
			Files.writeString(almost.resolve("important"), "keep me");
			manager.collectGarbage(NOW);
			assertThat(foreign.resolve("important")).exists();
			assertThat(almost.resolve("important")).exists();
			assertThat(staging.resolve("notes.lock")).as("a lock file the sweep made up").doesNotExist();
		}
	}

	/** The sweep of stale temporaries in {@code logs/} removes only names a rewrite gives. */
	@Test
	void logsSweepTouchesOnlyRewriteTemporaries() throws Exception {
		Path depot = this.temp.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			manager.getScratch(OWNER, "used");
			Path logs = Files.createDirectories(depot.resolve("logs"));
			Path notes = Files.writeString(logs.resolve("my.tmp-notes"), "keep me");
			Path emptyDirectory = Files.createDirectories(logs.resolve("old.tmp-dir"));
			manager.collectGarbage(NOW);
			assertThat(notes).exists();
			assertThat(emptyDirectory).exists();
		}
	}

}
