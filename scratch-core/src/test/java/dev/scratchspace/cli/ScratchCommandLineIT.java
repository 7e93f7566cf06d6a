package dev.scratchspace.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.scratchspace.DirectorySnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar, run as operators run it: {@code java -jar scratch-core-<version>.jar}, in a
 * child JVM whose class path is only what the jar's manifest names.
 */
class ScratchCommandLineIT {

	@TempDir
	Path temp;

	CliDepot depot;

	Path orphan;

	@BeforeEach
	void createDepot() throws Exception {
		this.depot = new CliDepot(this.temp);
		Path gone = this.depot.project("gone.jar");
		this.depot.space(CliDepot.LIBRARY, "live", this.depot.project("app.jar"), 7);
		this.orphan = this.depot.space(CliDepot.LIBRARY, "orphan", gone, 5);
		Files.delete(gone);
	}

	@Test
	void listPrintsTheSpacesAsJson() throws Exception {
		Result result = java("list", "--depot", this.depot.root.toString(), "--json");

		assertThat(result.status()).as(result.toString()).isZero();
		JsonNode list = ScratchCommandLineTests.JSON.readTree(result.out());
		assertThat(list.get("depot").stringValue()).isEqualTo(this.depot.root.toString());
		assertThat(list.get("totalBytes").longValue()).isEqualTo(12);
		assertThat(list.get("spaces").size()).isEqualTo(2);
		assertThat(list.get("spaces").get(1).get("status").stringValue()).isEqualTo("ORPHANED");
		assertThat(result.err()).isEmpty();
	}

	@Test
	void gcDryRunReportsAndChangesNothing() throws Exception {
		// Any run, dry or not, leaves the collector's lock file logs/gc.lock behind: take it first.
		assertThat(java("gc", "--dry-run", "--depot", this.depot.root.toString()).status()).isZero();
		Map<String, String> before = DirectorySnapshot.of(this.depot.root);

		Result result = java("gc", "--dry-run", "--collect-delay", "0", "--depot", this.depot.root.toString());

		assertThat(result.status()).as(result.toString()).isZero();
		assertThat(result.out()).contains("DELETED  " + this.orphan)
			.contains("Dry run: would delete 1 of 2 spaces, freeing 5 B");
		assertThat(DirectorySnapshot.of(this.depot.root)).isEqualTo(before);
		assertThat(this.orphan).isDirectory();
	}

	@Test
	void badUsageExitsWithTwo() throws Exception {
		Result result = java("gc", "--collect-delay", "soon");

		assertThat(result.status()).isEqualTo(ScratchCommandLine.USAGE);
		assertThat(result.err()).startsWith("error: invalid duration 'soon' for --collect-delay")
			.contains("Usage: java -jar scratch-core-<version>.jar");
		assertThat(result.out()).isEmpty();
	}

	private Result java(String... args) throws IOException, InterruptedException {
		String jar = System.getProperty("scratch.core.jar");
		assertThat(jar).as("system property scratch.core.jar (set by the Failsafe configuration)").isNotNull();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xshare:auto", "-XX:TieredStopAtLevel=1", "-jar", jar));
		command.addAll(List.of(args));
		Path out = this.temp.resolve("out.txt");
		Path err = this.temp.resolve("err.txt");
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
		builder.environment().remove("SCRATCH_DEPOT");
		builder.environment().remove("SCRATCH_TRACK_ACCESS");
		Process process = builder.start();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("java -jar " + List.of(args) + " did not finish within 120 s");
		}
		return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
				Files.readString(err, StandardCharsets.UTF_8));
	}

	record Result(int status, String out, String err) {
	}

}
