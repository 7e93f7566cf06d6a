package dev.scratchspace.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.scratchspace.DirectorySnapshot;
import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code clear} command: it removes exactly what it names, and says so. */
class ClearCommandTests {

	static final ScratchOwner OTHER = ScratchOwner.of("org.example", "other");

	@TempDir
	Path temp;

	CliDepot depot;

	Path app;

	final ByteArrayOutputStream out = new ByteArrayOutputStream();

	final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@BeforeEach
	void createDepot() throws Exception {
		this.depot = new CliDepot(this.temp);
		this.app = this.depot.project("app.jar");
	}

	int clear(String... operands) {
		String[] args = new String[operands.length + 1];
		args[0] = "clear";
		System.arraycopy(operands, 0, args, 1, operands.length);
		return new ScratchCommandLine(new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8), Map.of("SCRATCH_DEPOT", this.depot.root.toString()))
			.run(args);
	}

	String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	@Test
	void ownerAndKeyRemoveThatSpaceOnly() throws Exception {
		Path target = this.depot.space(CliDepot.LIBRARY, "a", this.app, 1);
		this.depot.space(CliDepot.LIBRARY, "b", this.app, 1);
		this.depot.space(OTHER, "a", this.app, 1);
		Map<String, String> before = DirectorySnapshot.of(this.depot.root);

		assertThat(clear("org.example:lib", "a")).isEqualTo(ScratchCommandLine.OK);

		assertThat(out()).isEqualTo("Removed " + target + "\n");
		assertThat(target).doesNotExist();
		Map<String, String> after = DirectorySnapshot.of(this.depot.root);
		String owner = this.depot.root.relativize(target.getParent()).toString();
		before.keySet().removeIf((name) -> name.startsWith(owner + "/a"));
		before.remove(owner);
		after.remove(owner);
		assertThat(after).isEqualTo(before);
	}

	@Test
	void ownerAloneRemovesEverySpaceOfThatOwnerOnly() throws Exception {
		Path a = this.depot.space(CliDepot.LIBRARY, "a", this.app, 1);
		Path b = this.depot.space(CliDepot.LIBRARY, "b", this.app, 1);
		this.depot.space(OTHER, "a", this.app, 1);
		this.depot.space(ScratchOwner.GLOBAL, "a", this.app, 1);
		Map<String, String> before = DirectorySnapshot.of(this.depot.root);

		assertThat(clear(CliDepot.LIBRARY.uuid().toString())).isEqualTo(ScratchCommandLine.OK);

		assertThat(out()).isEqualTo("Removed " + a + "\nRemoved " + b + "\nRemoved 2 spaces of owner org.example:lib ("
				.replace("org.example:lib (", CliDepot.LIBRARY.uuid() + "\n"));
		assertThat(a.getParent()).doesNotExist();
		Map<String, String> after = DirectorySnapshot.of(this.depot.root);
		String owner = this.depot.root.relativize(a.getParent()).toString();
		before.keySet().removeIf((name) -> name.startsWith(owner));
		before.remove("scratchspaces");
		after.remove("scratchspaces");
		assertThat(after).isEqualTo(before);
	}

	@Test
	void ownerGivenByCoordinatesIsNamedByThem() throws Exception {
		this.depot.space(CliDepot.LIBRARY, "a", this.app, 1);

		assertThat(clear("--depot", this.depot.root.toString(), "org.example:lib")).isEqualTo(0);

		assertThat(out()).endsWith("Removed 1 space of owner org.example:lib (" + CliDepot.LIBRARY.uuid() + ")\n");
	}

	@Test
	void globalOwnerIsAccepted() throws Exception {
		Path space = this.depot.space(ScratchOwner.GLOBAL, "a", this.app, 1);

		assertThat(clear("global", "a")).isEqualTo(0);
		assertThat(clear("global", "b")).isEqualTo(0);

		assertThat(space).doesNotExist();
		assertThat(out()).contains("No space b of owner global (00000000-0000-0000-0000-000000000000) at ");
	}

	@Test
	void leasesDoNotProtectAgainstClear() throws Exception {
		try (ScratchSpaceManager holder = ScratchSpaceManager.builder().depot(this.depot.root).build()) {
			Path held = holder.getScratch(CliDepot.LIBRARY, "held");

			assertThat(clear("org.example:lib", "held")).isEqualTo(0);

			assertThat(held).doesNotExist();
		}
	}

	@Test
	void removingWhatIsNotThereSucceedsAndCreatesNothing() throws Exception {
		assertThat(clear("org.example:lib", "a")).isEqualTo(ScratchCommandLine.OK);
		assertThat(clear("org.example:lib")).isEqualTo(ScratchCommandLine.OK);

		assertThat(out()).startsWith("No space a of owner org.example:lib (" + CliDepot.LIBRARY.uuid() + ") at ")
			.endsWith("; nothing removed\nRemoved 0 spaces of owner org.example:lib (" + CliDepot.LIBRARY.uuid()
					+ ")\n");
		assertThat(this.depot.root).doesNotExist();
	}

	@Test
	void aFileInTheWayFailsWithOne() throws Exception {
		Files.createDirectories(this.depot.root);
		Files.writeString(this.depot.root.resolve("scratchspaces"), "not a directory");

		assertThat(clear("org.example:lib", "a")).isEqualTo(ScratchCommandLine.FAILED);

		assertThat(this.err.toString(StandardCharsets.UTF_8)).startsWith("error: ").contains("scratchspaces");
	}

}
