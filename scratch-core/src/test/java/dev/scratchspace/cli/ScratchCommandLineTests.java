package dev.scratchspace.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.scratchspace.DirectorySnapshot;
import dev.scratchspace.ScratchOwner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code list} command and what every command shares: help, depot and exit status. */
class ScratchCommandLineTests {

	static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

	static final ScratchOwner ANONYMOUS = ScratchOwner.of(UUID.fromString("12345678-1234-5678-9abc-def012345678"));

	@TempDir
	Path temp;

	CliDepot depot;

	final ByteArrayOutputStream out = new ByteArrayOutputStream();

	final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@BeforeEach
	void createDepot() throws Exception {
		this.depot = new CliDepot(this.temp);
	}

	int run(String... args) {
		return run(Map.of(), args);
	}

	int run(Map<String, String> environment, String... args) {
		PrintStream outStream = new PrintStream(this.out, true, StandardCharsets.UTF_8);
		PrintStream errStream = new PrintStream(this.err, true, StandardCharsets.UTF_8);
		return new ScratchCommandLine(outStream, errStream, environment).run(args);
	}

	String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

	@Test
	void listPrintsOneAlignedRowPerSpaceAndATotal() throws Exception {
		Path gone = this.depot.project("gone.jar");
		this.depot.space(CliDepot.LIBRARY, "downloads", this.depot.project("app.jar"), 2048);
		this.depot.space(ANONYMOUS, "k", gone, 10);
		this.depot.space(ScratchOwner.GLOBAL, "shared", this.depot.project("app.jar"), 0);
		Files.delete(gone);

		assertThat(run("list", "--depot", this.depot.root.toString())).isEqualTo(ScratchCommandLine.OK);

		List<String> lines = out().lines().toList();
		assertThat(lines).hasSize(5);
		assertThat(lines.get(0).split(" {2,}")).containsExactly("OWNER", "KEY", "STATUS", "SIZE", "FILES",
				"LAST ACCESS", "LEASED");
		assertThat(lines.get(1).split(" {2,}")).containsExactly("global", "shared", "LIVE", "0 B", "1",
				"2026-01-02T03:04:05Z", "no");
		assertThat(lines.get(2).split(" {2,}")).containsExactly(ANONYMOUS.uuid().toString(), "k", "ORPHANED",
				"10 B", "1", "2026-01-02T03:04:05Z", "no");
		assertThat(lines.get(3).split(" {2,}")).containsExactly("org.example:lib", "downloads", "LIVE", "2.0 KB",
				"1", "2026-01-02T03:04:05Z", "no");
		List<String> rows = lines.subList(1, 4);
		for (String column : List.of("KEY", "STATUS", "LAST ACCESS", "LEASED")) {
			int at = lines.get(0).indexOf(column);
			assertThat(rows).allSatisfy((line) -> assertThat(line.charAt(at - 1)).isEqualTo(' '))
				.allSatisfy((line) -> assertThat(line.charAt(at)).isNotEqualTo(' '));
		}
		int sizeEnd = lines.get(0).indexOf("SIZE") + "SIZE".length();
		assertThat(rows).allSatisfy((line) -> assertThat(line.charAt(sizeEnd - 1)).isEqualTo('B'));
		assertThat(lines.get(4)).isEqualTo("3 spaces, 2.0 KB, in depot " + this.depot.root);
		assertThat(lines).noneMatch((line) -> line.endsWith(" "));
		assertThat(err()).isEmpty();
	}

	@Test
	void listJsonHasTheEndpointsFieldsAndValues() throws Exception {
		Path app = this.depot.project("app.jar");
		Path space = this.depot.space(CliDepot.LIBRARY, "downloads", app, 3);
		this.depot.space(ANONYMOUS, "untracked", app, 0);
		// Forget the second space's entries: an untracked space, as one made by hand.
		Files.delete(this.depot.root.resolve("logs/scratch_usage.toml"));
		this.depot.space(CliDepot.LIBRARY, "downloads", app, 3);

		assertThat(run("list", "--json", "--depot", this.depot.root.toString())).isEqualTo(ScratchCommandLine.OK);

		JsonNode list = JSON.readTree(out());
		assertThat(list.propertyNames()).containsExactly("depot", "totalBytes", "spaces");
		assertThat(list.get("depot").stringValue()).isEqualTo(this.depot.root.toString());
		assertThat(list.get("totalBytes").longValue()).isEqualTo(3);
		assertThat(list.get("spaces").size()).isEqualTo(2);
		JsonNode untracked = list.get("spaces").get(0);
		assertThat(untracked.propertyNames()).containsExactly("owner", "ownerName", "key", "path", "bytes", "files",
				"lastAccess", "status", "orphanedSince", "leased", "parentProjects");
		assertThat(untracked.get("owner").stringValue()).isEqualTo(ANONYMOUS.uuid().toString());
		assertThat(untracked.get("ownerName").isNull()).isTrue();
		assertThat(untracked.get("lastAccess").isNull()).isTrue();
		assertThat(untracked.get("status").stringValue()).isEqualTo("UNTRACKED");
		assertThat(untracked.get("parentProjects").isArray()).isTrue();
		assertThat(untracked.get("parentProjects").size()).isZero();
		JsonNode live = list.get("spaces").get(1);
		assertThat(live.get("owner").stringValue()).isEqualTo(CliDepot.LIBRARY.uuid().toString());
		assertThat(live.get("ownerName").stringValue()).isEqualTo("org.example:lib");
		assertThat(live.get("key").stringValue()).isEqualTo("downloads");
		assertThat(live.get("path").stringValue()).isEqualTo(space.toString());
		assertThat(live.get("bytes").longValue()).isEqualTo(3);
		assertThat(live.get("files").longValue()).isEqualTo(1);
		assertThat(live.get("lastAccess").stringValue()).isEqualTo("2026-01-02T03:04:05.678Z");
		assertThat(live.get("status").stringValue()).isEqualTo("LIVE");
		assertThat(live.get("orphanedSince").isNull()).isTrue();
		assertThat(live.get("leased").booleanValue()).isFalse();
		assertThat(live.get("parentProjects").get(0).stringValue()).isEqualTo(app.toString());
	}

	@Test
	void listShowsOrphanedSinceAndLeases() throws Exception {
		Path gone = this.depot.project("gone.jar");
		this.depot.space(CliDepot.LIBRARY, "old", gone, 1);
		Files.delete(gone);
		assertThat(run("gc", "--depot", this.depot.root.toString())).isEqualTo(ScratchCommandLine.OK);
		this.out.reset();
		try (var holder = dev.scratchspace.ScratchSpaceManager.builder().depot(this.depot.root).build()) {
			holder.getScratch(CliDepot.LIBRARY, "held");

			assertThat(run("list", "--json", "--depot", this.depot.root.toString())).isEqualTo(0);
		}
		JsonNode spaces = JSON.readTree(out()).get("spaces");
		assertThat(spaces.get(0).get("key").stringValue()).isEqualTo("held");
		assertThat(spaces.get(0).get("leased").booleanValue()).isTrue();
		assertThat(spaces.get(1).get("key").stringValue()).isEqualTo("old");
		assertThat(spaces.get(1).get("orphanedSince").stringValue()).endsWith("Z");
	}

	@Test
	void listOfAMissingDepotIsEmptyAndCreatesNothing() {
		assertThat(run("list", "--depot", this.depot.root.toString())).isEqualTo(ScratchCommandLine.OK);
		assertThat(run("list", "--json", "--depot", this.depot.root.toString())).isEqualTo(ScratchCommandLine.OK);

		assertThat(out()).startsWith("0 spaces, 0 B, in depot " + this.depot.root + "\n{");
		assertThat(this.depot.root).doesNotExist();
	}

	@Test
	void listRecordsNoUsageAndChangesNothing() throws Exception {
		this.depot.space(CliDepot.LIBRARY, "downloads", this.depot.project("app.jar"), 1);
		Map<String, String> before = DirectorySnapshot.of(this.depot.root);

		assertThat(run("list", "--depot", this.depot.root.toString())).isEqualTo(ScratchCommandLine.OK);
		assertThat(run("list", "--json", "--depot", this.depot.root.toString())).isEqualTo(ScratchCommandLine.OK);

		assertThat(DirectorySnapshot.of(this.depot.root)).isEqualTo(before);
	}

	@Test
	void depotDefaultsToScratchDepotFromTheEnvironment() throws Exception {
		this.depot.space(CliDepot.LIBRARY, "downloads", this.depot.project("app.jar"), 1);

		assertThat(run(Map.of("SCRATCH_DEPOT", this.depot.root.toString()), "list")).isEqualTo(0);

		assertThat(out()).contains("downloads").endsWith("in depot " + this.depot.root + "\n");
	}

	@Test
	void depotOptionWinsOverTheEnvironment() {
		Path other = this.temp.resolve("other");

		assertThat(run(Map.of("SCRATCH_DEPOT", other.toString()), "list", "--depot=" + this.depot.root))
			.isEqualTo(0);

		assertThat(out()).endsWith("in depot " + this.depot.root + "\n");
	}

	@Test
	void jsonEscapesEveryStringSoThatItParsesBack() throws Exception {
		CliDepot odd = new CliDepot(Files.createDirectories(this.temp.resolve("q\"uo\\te \u00e9\u6f22 \t\n\u0001")));
		odd.space(CliDepot.LIBRARY, "k", odd.project("app.jar"), 1);

		assertThat(run("list", "--json", "--depot", odd.root.toString())).isEqualTo(0);

		assertThat(out().chars()).allMatch((c) -> c == '\n' || (c >= 0x20 && c < 0x7f));
		JsonNode list = JSON.readTree(out());
		assertThat(list.get("depot").stringValue()).isEqualTo(odd.root.toString());
		assertThat(list.get("spaces").get(0).get("path").stringValue())
			.isEqualTo(odd.root.resolve("scratchspaces").resolve(CliDepot.LIBRARY.uuid().toString()).resolve("k")
				.toString());
	}

	@ParameterizedTest
	@ValueSource(strings = { "--help", "-h", "help", "list --help", "gc --dry-run -h", "clear --help" })
	void helpPrintsEverythingToStandardOutput(String args) {
		assertThat(run(args.split(" "))).isEqualTo(ScratchCommandLine.OK);

		assertThat(out()).isEqualTo(ScratchCommandLine.HELP_TEXT)
			.contains("list", "gc", "clear", "--depot", "--json", "--dry-run", "--collect-delay", "--max-unused-age",
					"--max-total-size", "SCRATCH_DEPOT", "Exit status");
		assertThat(err()).isEmpty();
	}

	@Test
	void anIoFailureExitsWithOneAndNamesThePath() throws Exception {
		Path file = Files.writeString(this.temp.resolve("not-a-directory"), "x");

		assertThat(run("gc", "--depot", file.toString())).isEqualTo(ScratchCommandLine.FAILED);

		assertThat(err()).startsWith("error: ").contains(file.toString()).doesNotContain("Usage:");
		assertThat(out()).isEmpty();
		assertThat(Files.readString(file)).isEqualTo("x");
	}

}
