package dev.scratchspace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import dev.scratchspace.BenchmarkSupport;
import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * SPEC 11, line 2: the first access of a space with tracking on, beside a bare
 * {@code Files.write(CREATE, APPEND)} of the same usage-log entry.
 *
 * <p>"First access" is what a process pays the first time it asks a manager for a space that
 * already exists on disk (a cache left by an earlier run): every invocation asks for a new key
 * whose directory was created just before, untimed. It includes what belongs to that first
 * access — key validation, the lease line, the check of the directory, the locked append —
 * and excludes what a manager pays once in its life whatever the number of spaces (creating
 * its lease file and the log directory, indexing the owner), which a primer access pays
 * before each iteration.
 *
 * <p>{@link #repeatedAccessZeroInterval} isolates the recording itself: one fixed space with
 * an access-log interval of zero, so every call appends.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FirstAccessBenchmark {

	@Benchmark
	public Path firstAccess(NewSpace state) {
		return state.manager.getScratch(state.owner, state.key);
	}

	@Benchmark
	public Path append(NewSpace state) throws IOException {
		return Files.write(state.baselineLog, state.entry, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	@Benchmark
	public Path repeatedAccessZeroInterval(RepeatedAccess state) {
		return state.manager.getScratch(state.owner, RepeatedAccess.KEY);
	}

	/** A fresh, existing space for every invocation. */
	@State(Scope.Benchmark)
	public static class NewSpace {

		// Assigned in the setup methods, before any benchmark method runs.
		private Path root;

		private Path depot;

		private Path project;

		private Path ownerDirectory;

		private Path baselineLog;

		private ScratchOwner owner;

		private ScratchSpaceManager manager;

		private long counter;

		private String key;

		private byte[] entry;

		@Setup(Level.Trial)
		public void setUpTrial() throws IOException {
			this.root = Fixtures.newTemporaryDirectory("first-access");
			this.project = Files.createFile(this.root.resolve("pom.xml"));
			this.owner = ScratchOwner.of("dev.scratchspace.bench", "first-access").withProject(this.project);
			this.depot = this.root.resolve("depot");
		}

		@Setup(Level.Iteration)
		public void startManager() {
			this.manager = ScratchSpaceManager.builder().depot(this.depot).build();
			Path primer = this.manager.getScratch(this.owner, "primer");
			if (!Files.exists(this.manager.usageLog())) {
				throw new IllegalStateException("The primer access logged nothing: is SCRATCH_TRACK_ACCESS=0 set?");
			}
			this.ownerDirectory = primer.getParent();
			// Beside the usage log, so both appends go to the same directory of the same disk.
			this.baselineLog = this.manager.usageLog().resolveSibling("baseline-append.toml");
		}

		@Setup(Level.Invocation)
		public void nextSpace() throws IOException {
			this.key = "space-" + this.counter++;
			Path space = Files.createDirectory(this.ownerDirectory.resolve(this.key));
			this.entry = BenchmarkSupport.usageLogEntry(space, Instant.now(), this.project);
		}

		@TearDown(Level.Iteration)
		public void stopManager() {
			this.manager.close();
			// Start every iteration from an empty depot, so no directory or file keeps growing.
			Fixtures.deleteTree(this.depot);
		}

		@TearDown(Level.Trial)
		public void tearDownTrial() {
			Fixtures.deleteTree(this.root);
		}

	}

	/** One space, accessed over and over by a manager that logs every access. */
	@State(Scope.Benchmark)
	public static class RepeatedAccess {

		static final String KEY = "repeated";

		// Assigned in setUp(), before any benchmark method runs.
		private Path root;

		private ScratchOwner owner;

		private ScratchSpaceManager manager;

		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.root = Fixtures.newTemporaryDirectory("repeated-access");
			Path project = Files.createFile(this.root.resolve("pom.xml"));
			this.owner = ScratchOwner.of("dev.scratchspace.bench", "repeated-access").withProject(project);
			this.manager = ScratchSpaceManager.builder()
				.depot(this.root.resolve("depot"))
				.accessLogInterval(Duration.ZERO)
				.build();
			this.manager.getScratch(this.owner, KEY);
		}

		@TearDown(Level.Iteration)
		public void truncateLog() throws IOException {
			// Keeps the log from growing across iterations; the next append creates it again.
			Files.deleteIfExists(this.manager.usageLog());
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.manager.close();
			Fixtures.deleteTree(this.root);
		}

	}

}
