package dev.scratchspace.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.scratchspace.BenchmarkSupport;
import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpace;
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
 * SPEC 11, line 4: the inventory's size walk beside {@code du -sb} on the same tree.
 *
 * <p>{@link #sizeWalk} is the walk alone (list the spaces, sum each one's regular files), as
 * the inventory does it; {@link #inventory} is all of {@code spaces()}, which also reads the
 * usage log, the orphanage, the owner index and the leases. {@code du} runs as a child
 * process, so {@link #du} includes starting and ending one; {@link #duEmpty} is the same
 * command on an empty directory, and the runner subtracts it, so that the baseline is the
 * walk that {@code du} does, not the price of a process.
 *
 * <p>The tree: 2,000 spaces under 20 owners, 0 to 40 files each (half of them two levels
 * down), 40,000 files of up to 4 KiB in all. Like {@code du}, the walk follows no link.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SizeWalkBenchmark {

	static final int OWNERS = 20;

	static final int SPACES_PER_OWNER = 100;

	static final int MAX_FILES_PER_SPACE = 40;

	// Assigned in setUp(), before any benchmark method runs.
	private Fixtures.Fixture files;

	private Path spacesRoot;

	private Path emptyDirectory;

	private ScratchSpaceManager manager;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.files = Fixtures.obtain("walk-" + OWNERS * SPACES_PER_OWNER + "-v1", SizeWalkBenchmark::generate);
		Path depot = this.files.root().resolve("depot");
		this.spacesRoot = depot.resolve("scratchspaces");
		this.emptyDirectory = this.files.root().resolve("empty");
		this.manager = ScratchSpaceManager.builder().depot(depot).trackAccess(false).build();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.manager.close();
		this.files.release();
	}

	@Benchmark
	public long[] sizeWalk() throws IOException {
		return BenchmarkSupport.sizeWalk(this.spacesRoot.getParent());
	}

	@Benchmark
	public List<ScratchSpace> inventory() {
		return this.manager.spaces();
	}

	@Benchmark
	public long du() throws IOException, InterruptedException {
		return duSb(this.spacesRoot);
	}

	@Benchmark
	public long duEmpty() throws IOException, InterruptedException {
		return duSb(this.emptyDirectory);
	}

	private static long duSb(Path path) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("du", "-sb", path.toString()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int status = process.waitFor();
		if (status != 0) {
			throw new IllegalStateException("du -sb " + path + " exited with " + status + ": " + output);
		}
		return Long.parseLong(output.substring(0, output.indexOf('\t')));
	}

	static void generate(Path root) throws IOException {
		Random random = new Random(4711);
		Path depot = root.resolve("depot");
		Path spacesRoot = Files.createDirectories(depot.resolve("scratchspaces"));
		Files.createDirectories(root.resolve("empty"));
		Path project = Files.writeString(root.resolve("pom.xml"), "<project/>\n", StandardCharsets.UTF_8);
		Path logs = Files.createDirectories(depot.resolve("logs"));
		byte[] content = new byte[4096];
		try (var log = Files.newOutputStream(logs.resolve("scratch_usage.toml"))) {
			for (int o = 0; o < OWNERS; o++) {
				UUID owner = ScratchOwner.of("dev.scratchspace.bench.walk", "library-" + o).uuid();
				for (int s = 0; s < SPACES_PER_OWNER; s++) {
					Path space = Files.createDirectories(spacesRoot.resolve(owner.toString()).resolve("space-" + s));
					writeFiles(space, random, content);
					log.write(BenchmarkSupport.usageLogEntry(space, Instant.parse("2026-11-25T12:00:00Z"), project));
				}
			}
		}
	}

	private static void writeFiles(Path space, Random random, byte[] content) throws IOException {
		int count = random.nextInt(MAX_FILES_PER_SPACE + 1);
		for (int f = 0; f < count; f++) {
			Path dir = (f % 2 == 0) ? space
					: Files.createDirectories(space.resolve("objects").resolve(Integer.toHexString(f % 8)));
			try (var out = Files.newOutputStream(dir.resolve("file-" + f + ".bin"))) {
				out.write(content, 0, random.nextInt(content.length + 1));
			}
		}
	}

}
