package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Nothing blocks forever: depot files replaced by FIFOs, and processes stopped with
 * {@code SIGSTOP} while they hold a lock. Every call returns; what it could not do comes back
 * as one logged warning or as a warning in the garbage-collection report, and a collector
 * that cannot read or lock what it needs deletes nothing. The outer timeouts only turn a hang
 * into a failure: no test measures how long a call takes.
 */
class ReliabilityBlockingTests {

	private static final ScratchOwner OWNER = ScratchOwner.of("org.example", "blocking");

	private static final GcOptions NO_DELAY = GcOptions.defaults().withCollectDelay(Duration.ZERO);

	/** Only a guard against hangs; a passing run takes a few seconds. */
	private static final Duration HANG_GUARD = Duration.ofSeconds(60);

	private static final Duration SHORT = Duration.ofSeconds(1);

	@TempDir
	Path temp;

	private Path depot;

	private Path project;

	private final Logger stateLogger = Logger.getLogger(ManagerState.class.getName());

	private final List<String> warnings = new CopyOnWriteArrayList<>();

	private final Handler capture = new Handler() {

		private final SimpleFormatter formatter = new SimpleFormatter();

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
				ReliabilityBlockingTests.this.warnings.add(this.formatter.formatMessage(record));
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	@BeforeEach
	void setUp() throws IOException {
		this.depot = this.temp.resolve("depot");
		this.project = Files.writeString(this.temp.resolve("app.jar"), "jar");
		this.stateLogger.addHandler(this.capture);
		this.stateLogger.setUseParentHandlers(false);
	}

	@AfterEach
	void tearDown() {
		this.stateLogger.removeHandler(this.capture);
		this.stateLogger.setUseParentHandlers(true);
	}

	@Test
	void fifoAsUsageLogIsRefusedAndNeitherTheCollectorNorAnAccessBlocks() throws Exception {
		Path tracked = track("tracked");
		Path log = this.depot.resolve("logs/scratch_usage.toml");
		Files.delete(log);
		mkfifo(log);
		guard(() -> {
			try (ScratchSpaceManager manager = builder().build()) {
				GcReport report = manager.collectGarbage(NO_DELAY);
				assertThat(report.warnings()).anySatisfy((warning) -> assertThat(warning).contains(log.toString())
					.contains("deleted nothing"));
				assertThat(report.decisions()).isEmpty();
				assertThat(report.deletedCount()).isZero();
				assertThat(tracked).isDirectory();
				Path fromThread = CompletableFuture
					.supplyAsync(() -> manager.getScratch(OWNER.withProject(this.project), "from-thread"))
					.get();
				assertThat(fromThread).isDirectory();
				assertThat(manager.getScratch(OWNER.withProject(this.project), "second")).isDirectory();
				assertThat(manager.spaces()).hasSize(3);
			}
			Path work = this.temp.resolve("child");
			ChildJvm.awaitSuccess(ChildJvm.start(work, "track", this.depot.toString(), "org.example:blocking",
					this.project.toString(), "from-child"), work);
			assertThat(this.depot.resolve("scratchspaces").resolve(OWNER.uuid().toString()).resolve("from-child"))
				.isDirectory();
		});
		assertThat(this.warnings).filteredOn((warning) -> warning.contains(log.toString())).hasSize(1);
		assertThat(Files.readAttributes(log, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther())
			.as("the FIFO is left for a person to look at").isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "orphaned.toml", "owners.toml" })
	void fifoAsOrphanageOrOwnerIndexIsRefusedWithAWarning(String name) throws Exception {
		Path tracked = track("tracked");
		Path file = this.depot.resolve("logs").resolve(name);
		Files.deleteIfExists(file);
		mkfifo(file);
		guard(() -> {
			try (ScratchSpaceManager manager = builder().build()) {
				GcReport report = manager.collectGarbage(NO_DELAY);
				assertThat(report.warnings()).anySatisfy((warning) -> assertThat(warning).contains(file.toString()));
				assertThat(report.deletedCount()).isZero();
				assertThat(tracked).isDirectory();
				assertThat(manager.spaces()).extracting(ScratchSpace::path).containsExactly(tracked);
				assertThat(manager.getScratch(OWNER.withProject(this.project), "after")).isDirectory();
			}
		});
	}

	@Test
	void processStoppedHoldingTheUsageLogLockDelaysAccessesAndCollectorsOnlyByTheTimeout() throws Exception {
		Files.createDirectories(this.depot);
		Path lock = this.depot.resolve("logs/scratch_usage.toml.lock");
		Path log = this.depot.resolve("logs/scratch_usage.toml");
		try (ScratchSpaceManager manager = builder().lockTimeout(SHORT).build()) {
			Path first;
			Path second;
			try (WatchedChild holder = stoppedHolder(lock, "exclusive")) {
				first = guard(() -> manager.getScratch(OWNER.withProject(this.project), "first"));
				second = guard(() -> manager.getScratch(OWNER.withProject(this.project), "second"));
				assertThat(first).isDirectory();
				assertThat(second).isDirectory();
				assertThat(logText(log)).doesNotContain(first.toString()).doesNotContain(second.toString());
				GcReport report = guard(() -> manager.collectGarbage(NO_DELAY));
				assertThat(report.warnings()).anySatisfy((warning) -> assertThat(warning).contains(lock.toString())
					.contains("deleted nothing"));
				assertThat(report.decisions()).isEmpty();
				assertThat(this.warnings).filteredOn((warning) -> warning.contains(lock.toString())).hasSize(1);
				resume(holder);
			}
			// Nothing was recorded, so the next access records it.
			assertThat(manager.getScratch(OWNER.withProject(this.project), "first")).isEqualTo(first);
			assertThat(logText(log)).contains(first.toString());
		}
	}

	@Test
	void processStoppedHoldingTheLeaseLockLeavesSpacesUnleasedAndTheCollectorGivesUp() throws Exception {
		Files.createDirectories(this.depot);
		Path lock = this.depot.resolve("leases/leases.lock");
		try (ScratchSpaceManager manager = builder().lockTimeout(SHORT).build();
				WatchedChild holder = stoppedHolder(lock, "exclusive")) {
			Path first = guard(() -> manager.getScratch(OWNER.withProject(this.project), "first"));
			Path second = guard(() -> manager.getScratch(OWNER.withProject(this.project), "second"));
			assertThat(first).isDirectory();
			assertThat(second).isDirectory();
			assertThat(manager.spaces()).extracting(ScratchSpace::leased).containsOnly(false);
			GcReport report = guard(() -> manager.collectGarbage(NO_DELAY));
			assertThat(report.warnings()).anySatisfy((warning) -> assertThat(warning).contains(lock.toString()));
			assertThat(report.deletedCount()).isZero();
			assertThat(this.warnings).filteredOn((warning) -> warning.contains(lock.toString())).hasSize(1);
			resume(holder);
		}
	}

	@Test
	void processStoppedHoldingThePopulateLockFailsThePopulationNamingTheLock() throws Exception {
		Files.createDirectories(this.depot);
		Path lock = this.depot.resolve("staging").resolve(OWNER.uuid() + ".data.lock");
		try (ScratchSpaceManager manager = builder().lockTimeout(SHORT).build();
				WatchedChild holder = stoppedHolder(lock, "exclusive")) {
			guard(() -> assertThatExceptionOfType(UncheckedIOException.class)
				.isThrownBy(() -> manager.getOrPopulate(OWNER, "data",
						(staging) -> Files.writeString(staging.resolve("file"), "x")))
				.withMessageContaining(lock.toString())
				.withMessageContaining("lockTimeout"));
			resume(holder);
			assertThat(manager.getOrPopulate(OWNER, "data", (staging) -> Files.writeString(staging.resolve("file"), "x")))
				.isDirectoryContaining((file) -> file.getFileName().toString().equals("file"));
		}
	}

	private Path track(String key) {
		try (ScratchSpaceManager manager = builder().build()) {
			return manager.getScratch(OWNER.withProject(this.project), key);
		}
	}

	private ScratchSpaceManager.Builder builder() {
		return ScratchSpaceManager.builder().depot(this.depot);
	}

	/** A child that holds a lock on the file and is then stopped with SIGSTOP. */
	private WatchedChild stoppedHolder(Path lockFile, String mode) throws Exception {
		WatchedChild child = WatchedChild.start(this.temp.resolve("holder-" + lockFile.getFileName()), "hold-lock",
				this.depot.toString(), lockFile.toString(), mode);
		try {
			child.awaitLine((line) -> line.startsWith("locked"));
			signal("STOP", child);
			return child;
		}
		catch (Exception | Error ex) {
			child.kill();
			throw ex;
		}
	}

	/** Lets a stopped holder go on, so that it ends when its input closes. */
	private static void resume(WatchedChild child) throws Exception {
		signal("CONT", child);
		child.closeInput();
		child.awaitSuccess();
	}

	private static void signal(String signal, WatchedChild child) throws Exception {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).inheritIO().start();
		assertThat(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal).isTrue();
	}

	private static void mkfifo(Path path) throws Exception {
		Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
		assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo").isTrue();
	}

	private static String logText(Path log) throws IOException {
		return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
	}

	private static void guard(Executable action) {
		assertTimeoutPreemptively(HANG_GUARD, action);
	}

	private static <T> T guard(org.junit.jupiter.api.function.ThrowingSupplier<T> action) {
		return assertTimeoutPreemptively(HANG_GUARD, action);
	}

}
