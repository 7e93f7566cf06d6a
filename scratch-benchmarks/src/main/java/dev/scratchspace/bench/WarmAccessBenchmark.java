package dev.scratchspace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
 * SPEC 11, line 1: a warm {@code getScratch(owner, key)} (the space exists, its access was
 * already logged in this interval) beside a bare {@code Files.isDirectory} of the same path,
 * and beside the same check without following links, which is what a space needs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WarmAccessBenchmark {

	private static final String KEY = "warm";

	// Assigned in setUp(), before any benchmark method runs.
	private Path root;

	private ScratchSpaceManager manager;

	private ScratchOwner owner;

	private Path space;

	private long logSize;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.root = Fixtures.newTemporaryDirectory("warm");
		Path project = Files.createFile(this.root.resolve("pom.xml"));
		this.owner = ScratchOwner.of("dev.scratchspace.bench", "warm-access").withProject(project);
		this.manager = ScratchSpaceManager.builder().depot(this.root.resolve("depot")).build();
		// The first access creates the space, leases it and logs it: what follows is warm.
		this.space = this.manager.getScratch(this.owner, KEY);
		this.logSize = logSize();
		if (this.logSize == 0) {
			throw new IllegalStateException("The first access logged nothing: is SCRATCH_TRACK_ACCESS=0 set?");
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		long after = logSize();
		this.manager.close();
		Fixtures.deleteTree(this.root);
		// A warm access that writes is not the path this benchmark claims to measure.
		if (after != this.logSize) {
			throw new IllegalStateException("Warm accesses wrote to the usage log: " + this.logSize + " -> " + after);
		}
	}

	private long logSize() throws IOException {
		Path log = this.manager.usageLog();
		return Files.exists(log) ? Files.size(log) : 0;
	}

	@Benchmark
	public Path getScratch() {
		return this.manager.getScratch(this.owner, KEY);
	}

	@Benchmark
	public boolean isDirectory() {
		return Files.isDirectory(this.space);
	}

	/**
	 * The check a space needs, since spaces never follow links. On JDK 17 it costs more than
	 * {@link #isDirectory()}: without options the JDK asks the kernel for the file type only,
	 * with {@code NOFOLLOW_LINKS} it reads and copies every attribute.
	 * @return whether the space is a directory and not a link
	 */
	@Benchmark
	public boolean isDirectoryNoFollow() {
		return Files.isDirectory(this.space, LinkOption.NOFOLLOW_LINKS);
	}

}
