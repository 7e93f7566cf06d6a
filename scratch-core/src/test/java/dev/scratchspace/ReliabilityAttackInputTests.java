package dev.scratchspace;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.scratchspace.cli.ScratchCommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Attacks on what the depot and the command line accept: every valid key can be used, and
 * every bad depot setting given to the command line is bad usage (exit 2) with a message that
 * names the input and the setting, and touches nothing.
 */
class ReliabilityAttackInputTests {

	@TempDir
	Path temp;

	@Test
	void cliRefusesADepotOptionThatIsNotADepotAsBadUsageNamingTheOption() throws Exception {
		Path home = Files.createDirectories(this.temp.resolve("home"));
		Files.writeString(home.resolve(".bashrc"), "export PATH");
		Map<String, String> before = DirectorySnapshot.of(home);
		Run run = run(Map.of(), "gc", "--depot", home.toString());
		assertThat(run.status()).isEqualTo(ScratchCommandLine.USAGE);
		assertThat(run.err()).contains("--depot").contains(home.toRealPath().toString()).contains("'.bashrc'");
		assertThat(DirectorySnapshot.of(home)).isEqualTo(before);
	}

	@Test
	void cliRefusesTheRootAsDepotAsBadUsageNamingTheOption() {
		Run run = run(Map.of(), "list", "--depot", "/");
		assertThat(run.status()).isEqualTo(ScratchCommandLine.USAGE);
		assertThat(run.err()).contains("--depot").contains("'/'");
	}

	@Test
	void cliRefusesARelativeScratchDepotNamingTheVariableAndItsValue() {
		String relative = "relative-depot-" + ProcessHandle.current().pid();
		Run run = run(Map.of("SCRATCH_DEPOT", relative), "clear", "global", "key");
		assertThat(run.status()).isEqualTo(ScratchCommandLine.USAGE);
		assertThat(run.err()).contains("SCRATCH_DEPOT").contains(relative);
		assertThat(Path.of(relative)).doesNotExist();
	}

	@Test
	void cliRefusesABlankDepotOptionAsBadUsage() {
		Run run = run(Map.of(), "clear", "--depot", "  ", "global", "key");
		assertThat(run.status()).isEqualTo(ScratchCommandLine.USAGE);
		assertThat(run.err()).contains("--depot").contains("'  '");
		assertThat(Path.of("  ")).doesNotExist();
	}

	@Test
	void cliListOfADepotThatIsAFileFailsNamingItLikeEveryOtherCommand() throws Exception {
		Path file = Files.writeString(this.temp.resolve("notes.txt"), "notes");
		for (String[] args : new String[][] { { "list", "--depot", file.toString() },
				{ "list", "--json", "--depot", file.toString() }, { "gc", "--depot", file.toString() } }) {
			Run run = run(Map.of(), args);
			assertThat(run.status()).as(String.join(" ", args)).isEqualTo(ScratchCommandLine.FAILED);
			assertThat(run.err()).as(String.join(" ", args)).startsWith("error: ").contains(file.toString());
			assertThat(run.out()).as(String.join(" ", args)).isEmpty();
		}
		assertThat(file).hasContent("notes");
	}

	@Test
	void everyValidKeyCanBePopulatedEvenAtTheLongestLength() throws Exception {
		Path depot = this.temp.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).trackAccess(false).build()) {
			for (String key : new String[] { "k".repeat(200), "k".repeat(214), "K".repeat(255) }) {
				Path space = manager.getOrPopulate(ScratchOwner.GLOBAL, key,
						(dir) -> Files.writeString(dir.resolve("data"), key));
				assertThat(space).isEqualTo(manager.scratchPath(ScratchOwner.GLOBAL, key)).isAbsolute();
				assertThat(space.resolve("data")).hasContent(key);
			}
		}
		String owner = ScratchOwner.GLOBAL.uuid().toString();
		String stagingKey = ScratchSpaceManager.stagingKey("K".repeat(255));
		assertThat(owner + "." + stagingKey + ".0123456789abcdef").hasSizeLessThanOrEqualTo(255);
		assertThat(CollectionRun.stagingLockName(owner + "." + stagingKey + ".0123456789abcdef"))
			.isEqualTo(owner + "." + stagingKey + ".lock");
	}

	@Test
	void populateLockThatIsAFifoIsNamedInTheFailure() throws Exception {
		Path depot = this.temp.resolve("depot");
		Path lock = Files.createDirectories(depot.resolve("staging"))
			.resolve(ScratchOwner.GLOBAL.uuid() + ".cache.lock");
		Process mkfifo = new ProcessBuilder("mkfifo", lock.toString()).inheritIO().start();
		assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo").isTrue();
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).trackAccess(false).build()) {
			assertThatExceptionOfType(UncheckedIOException.class)
				.isThrownBy(() -> manager.getOrPopulate(ScratchOwner.GLOBAL, "cache", (dir) -> {
				}))
				.withMessageContaining(lock.toString())
				.withMessageContaining("not a regular file");
		}
		assertThat(depot.resolve("scratchspaces/" + ScratchOwner.GLOBAL.uuid() + "/cache")).doesNotExist();
	}

	@Test
	void stagingLockThatIsAFifoCostsOnlyItsOwnStagingDirectoryInTheSweep() throws Exception {
		Path depot = this.temp.resolve("depot");
		Path staging = Files.createDirectories(depot.resolve("staging"));
		String uuid = ScratchOwner.GLOBAL.uuid().toString();
		Path blocked = Files.createDirectory(staging.resolve(uuid + ".blocked.00000000000000aa"));
		Path fifo = staging.resolve(uuid + ".blocked.lock");
		Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
		assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo").isTrue();
		// Names sort after the blocked one and before it: the sweep must reach both whatever the order.
		Path staleAfter = Files.createDirectory(staging.resolve(uuid + ".zz-stale.00000000000000bb"));
		Path staleBefore = Files.createDirectory(staging.resolve(uuid + ".aa-stale.00000000000000cc"));
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).trackAccess(false).build()) {
			GcReport report = manager.collectGarbage(GcOptions.defaults());
			assertThat(report.warnings()).anySatisfy((warning) -> assertThat(warning).contains(fifo.toString()));
		}
		assertThat(staleAfter).as("a stale staging directory beside the blocked one").doesNotExist();
		assertThat(staleBefore).as("a stale staging directory beside the blocked one").doesNotExist();
		assertThat(blocked).as("the staging directory whose lock is not a regular file").isDirectory();
		assertThat(fifo).as("the FIFO, left for a person to look at").exists();
	}

	private static Run run(Map<String, String> environment, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = new ScratchCommandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), environment)
			.run(args);
		return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private record Run(int status, String out, String err) {
	}

}
