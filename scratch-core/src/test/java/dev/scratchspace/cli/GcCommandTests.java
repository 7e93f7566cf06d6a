package dev.scratchspace.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.scratchspace.DirectorySnapshot;
import dev.scratchspace.GcDecision;
import dev.scratchspace.GcDecision.Action;
import dev.scratchspace.GcReport;
import dev.scratchspace.ScratchSpaceManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code gc} command against real depots. */
class GcCommandTests {

	@TempDir
	Path temp;

	CliDepot depot;

	final ByteArrayOutputStream out = new ByteArrayOutputStream();

	final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@BeforeEach
	void createDepot() throws Exception {
		this.depot = new CliDepot(this.temp);
	}

	int gc(String... options) {
		String[] args = new String[options.length + 3];
		args[0] = "gc";
		args[1] = "--depot";
		args[2] = this.depot.root.toString();
		System.arraycopy(options, 0, args, 3, options.length);
		this.out.reset();
		this.err.reset();
		return new ScratchCommandLine(new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8), Map.of())
			.run(args);
	}

	String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

	/** A live space and an orphaned one of 5 bytes. */
	Path[] liveAndOrphaned() throws Exception {
		Path gone = this.depot.project("gone.jar");
		Path live = this.depot.space(CliDepot.LIBRARY, "live", this.depot.project("app.jar"), 7);
		Path orphan = this.depot.space(CliDepot.LIBRARY, "orphan", gone, 5);
		Files.delete(gone);
		return new Path[] { live, orphan };
	}

	@Test
	void orphansWaitForTheDefaultCollectDelay() throws Exception {
		Path[] spaces = liveAndOrphaned();

		assertThat(gc()).isEqualTo(ScratchCommandLine.OK);

		List<String> lines = out().lines().toList();
		assertThat(lines).hasSize(4);
		assertThat(lines.get(0)).matches("ACTION +PATH +REASON");
		assertThat(lines.get(1)).startsWith("KEPT      " + spaces[0] + "  ");
		assertThat(lines.get(2)).startsWith("ORPHANED  " + spaces[1] + "  ").contains("gone.jar");
		assertThat(lines.get(3)).startsWith("Deleted 0 of 2 spaces, freed 0 B, in depot " + this.depot.root + " (");
		assertThat(spaces[1]).isDirectory();
		assertThat(err()).isEmpty();
	}

	@Test
	void collectDelayOfZeroDeletesOrphansAtOnce() throws Exception {
		Path[] spaces = liveAndOrphaned();

		assertThat(gc("--collect-delay", "0s")).isEqualTo(ScratchCommandLine.OK);

		assertThat(out()).contains("DELETED  " + spaces[1]).contains("Deleted 1 of 2 spaces, freed 5 B");
		assertThat(spaces[1]).doesNotExist();
		assertThat(spaces[0]).isDirectory();
	}

	@Test
	void artifactsAreCountedApartFromSpaces() throws Exception {
		Path[] spaces = liveAndOrphaned();
		String hash;
		// Built by a manager that is then closed, so that its lease does not keep the artifact.
		try (ScratchSpaceManager builder = ScratchSpaceManager.builder().depot(this.depot.root).build()) {
			hash = builder.artifacts().create((dir) -> Files.writeString(dir.resolve("data.txt"), "artifact\n"));
		}

		assertThat(gc("--dry-run", "--collect-delay", "0")).isEqualTo(ScratchCommandLine.OK);

		assertThat(out()).contains("DELETED  " + spaces[1])
			.contains("artifacts/" + hash)
			.contains("Dry run: would delete 1 of 2 spaces and 1 of 1 artifact, freeing 14 B");
	}

	@Test
	void collectDelayAcceptsIsoDurations() throws Exception {
		Path[] spaces = liveAndOrphaned();

		assertThat(gc("--collect-delay=PT0S")).isEqualTo(ScratchCommandLine.OK);

		assertThat(spaces[1]).doesNotExist();
	}

	@Test
	void dryRunReportsTheDeletionsAndLeavesTheDepotUnchanged() throws Exception {
		Path[] spaces = liveAndOrphaned();
		// Any run, dry or not, leaves the collector's lock file logs/gc.lock behind: take it first.
		assertThat(gc("--dry-run")).isEqualTo(ScratchCommandLine.OK);
		Map<String, String> before = DirectorySnapshot.of(this.depot.root);

		assertThat(gc("--dry-run", "--collect-delay", "0", "--json")).isEqualTo(ScratchCommandLine.OK);

		assertThat(DirectorySnapshot.of(this.depot.root)).isEqualTo(before);
		JsonNode report = ScratchCommandLineTests.JSON.readTree(out());
		assertThat(report.get("dryRun").booleanValue()).isTrue();
		assertThat(report.get("deletedCount").intValue()).isEqualTo(1);
		assertThat(report.get("bytesFreed").longValue()).isEqualTo(5);
		assertThat(report.get("decisions").get(1).get("action").stringValue()).isEqualTo("DELETED");
		assertThat(spaces[1]).isDirectory();
		assertThat(gc("--dry-run", "--collect-delay", "0")).isEqualTo(ScratchCommandLine.OK);
		assertThat(out()).contains("Dry run: would delete 1 of 2 spaces, freeing 5 B");
		assertThat(DirectorySnapshot.of(this.depot.root)).isEqualTo(before);
	}

	@Test
	void jsonHasTheEndpointsReportFields() throws Exception {
		Path[] spaces = liveAndOrphaned();

		assertThat(gc("--json", "--collect-delay", "0d")).isEqualTo(ScratchCommandLine.OK);

		JsonNode report = ScratchCommandLineTests.JSON.readTree(out());
		assertThat(report.propertyNames()).containsExactly("deletedCount", "bytesFreed", "dryRun", "elapsedMillis",
				"warnings", "decisions");
		assertThat(report.get("deletedCount").intValue()).isEqualTo(1);
		assertThat(report.get("bytesFreed").longValue()).isEqualTo(5);
		assertThat(report.get("dryRun").booleanValue()).isFalse();
		assertThat(report.get("elapsedMillis").canConvertToLong()).isTrue();
		assertThat(report.get("warnings").isArray()).isTrue();
		assertThat(report.get("warnings").size()).isZero();
		JsonNode deleted = report.get("decisions").get(1);
		assertThat(deleted.propertyNames()).containsExactly("path", "action", "reason");
		assertThat(deleted.get("path").stringValue()).isEqualTo(spaces[1].toString());
		assertThat(deleted.get("action").stringValue()).isEqualTo("DELETED");
		assertThat(deleted.get("reason").stringValue()).contains("gone.jar");
		assertThat(report.get("decisions").get(0).get("action").stringValue()).isEqualTo("KEPT");
	}

	@Test
	void maxUnusedAgeOrphansSpacesNotUsedForThatLong() throws Exception {
		Path[] spaces = liveAndOrphaned();

		assertThat(gc("--max-unused-age", "30d", "--collect-delay", "0")).isEqualTo(ScratchCommandLine.OK);

		assertThat(spaces[0]).doesNotExist();
		assertThat(out()).contains("Deleted 2 of 2 spaces, freed 12 B");
	}

	@Test
	void maxTotalSizeEvictsUntilTheRestFits() throws Exception {
		Path small = this.depot.space(CliDepot.LIBRARY, "small", this.depot.project("a.jar"), 100);
		Path large = this.depot.space(CliDepot.LIBRARY, "large", this.depot.project("b.jar"), 2048);

		assertThat(gc("--max-total-size", "1KB")).isEqualTo(ScratchCommandLine.OK);

		assertThat(out()).contains("EVICTED").contains("Deleted 1 of 2 spaces, freed 2.0 KB");
		assertThat(large).doesNotExist();
		assertThat(small).isDirectory();
	}

	@Test
	void aBareSizeIsMegabytes() throws Exception {
		Path space = this.depot.space(CliDepot.LIBRARY, "large", this.depot.project("a.jar"), 2048);

		assertThat(gc("--max-total-size", "1")).isEqualTo(ScratchCommandLine.OK);

		assertThat(space).isDirectory();
		assertThat(gc("--max-total-size", "2047B")).isEqualTo(ScratchCommandLine.OK);
		assertThat(space).doesNotExist();
	}

	@Test
	void warningsArePrintedButDoNotFailTheRun() throws Exception {
		liveAndOrphaned();
		damageTheUsageLog();

		assertThat(gc()).isEqualTo(ScratchCommandLine.OK);

		assertThat(err()).startsWith("warning: ");
		assertThat(out()).contains("warning(s)");
		damageTheUsageLog();
		assertThat(gc("--json")).isEqualTo(ScratchCommandLine.OK);
		assertThat(ScratchCommandLineTests.JSON.readTree(out()).get("warnings").size()).isPositive();
	}

	private void damageTheUsageLog() throws Exception {
		Files.writeString(this.depot.root.resolve("logs/scratch_usage.toml"), "[[\"torn\nnot toml at all ===\n",
				StandardOpenOption.APPEND);
	}

	@Test
	void aMissingDepotHasNothingToCollectAndStaysMissing() {
		assertThat(gc()).isEqualTo(ScratchCommandLine.OK);

		assertThat(out()).startsWith("Deleted 0 of 0 spaces, freed 0 B, in depot " + this.depot.root);
		assertThat(this.depot.root).doesNotExist();
	}

	@Test
	void aFailedDeleteFailsTheCommand() {
		GcReport report = new GcReport(
				List.of(new GcDecision(Path.of("/d/scratchspaces/u/a"), Action.DELETED, "orphaned for 8 days"),
						new GcDecision(Path.of("/d/scratchspaces/u/b"), Action.FAILED, "delete failed: busy")),
				1, 10, List.of("delete failed: busy"), Duration.ofMillis(3), false);
		PrintStream stream = new PrintStream(this.out, true, StandardCharsets.UTF_8);
		PrintStream errors = new PrintStream(this.err, true, StandardCharsets.UTF_8);

		assertThat(GcCommand.report(report, Path.of("/d"), false, stream, errors)).isEqualTo(ScratchCommandLine.FAILED);
		assertThat(GcCommand.report(report, Path.of("/d"), true, stream, errors)).isEqualTo(ScratchCommandLine.FAILED);

		assertThat(out()).contains("FAILED   /d/scratchspaces/u/b  delete failed: busy")
			.contains("Deleted 1 of 2 spaces, freed 10 B, 1 failed, 1 warning(s), in depot /d (3 ms)");
		assertThat(err()).isEqualTo("warning: delete failed: busy\n");
	}

}
