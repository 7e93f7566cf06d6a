package dev.scratchspace;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link Artifacts#bind}: Julia's format written, everything else kept, rebinding refused
 * unless forced, and concurrent binds from several processes all kept.
 */
class ArtifactsBindTests {

	private static final String HASH = "83c7a1f6e2b5d4c3b2a1908f7e6d5c4b3a291807";

	private static final String OTHER = "0123456789abcdef0123456789abcdef01234567";

	private static final String SHA = "9c1e".repeat(16);

	@TempDir
	Path temp;

	private Path depot;

	private ScratchSpaceManager manager;

	private Artifacts artifacts;

	private Path toml;

	@BeforeEach
	void createManager() {
		this.depot = this.temp.resolve("depot");
		this.manager = ScratchSpaceManager.builder().depot(this.depot).build();
		this.artifacts = this.manager.artifacts();
		this.toml = this.temp.resolve("Artifacts.toml");
	}

	@AfterEach
	void closeManager() throws IOException {
		this.manager.close();
		DepotFiles.deleteRecursively(this.depot);
	}

	@Test
	void aNewFileIsWrittenInJuliasFormat() throws IOException {
		this.artifacts.bind(this.toml, "tool", HASH, List.of(new Artifacts.Download(URI.create("https://example.org/t.tar.gz"), SHA),
				new Artifacts.Download(URI.create("file:///srv/t.tar.gz"), SHA)), false);
		assertThat(Files.readString(this.toml)).isEqualTo("""
				[tool]
				git-tree-sha1 = "%s"

				    [[tool.download]]
				    sha256 = "%s"
				    url = "https://example.org/t.tar.gz"

				    [[tool.download]]
				    sha256 = "%s"
				    url = "file:///srv/t.tar.gz"
				""".formatted(HASH, SHA, SHA));
		ArtifactsToml.Entry read = ArtifactsToml.read(this.toml).entry("tool");
		assertThat(read.treeHash()).isEqualTo(HASH);
		assertThat(read.downloads()).extracting(ArtifactsToml.Source::url)
			.containsExactly("https://example.org/t.tar.gz", "file:///srv/t.tar.gz");
		try (Stream<Path> files = Files.list(this.temp)) {
			assertThat(files.map((f) -> f.getFileName().toString()))
				.containsExactlyInAnyOrder("Artifacts.toml", "Artifacts.toml.lock");
		}
	}

	@Test
	void otherEntriesAndCommentsAreKeptByteForByte() throws IOException {
		String head = """
				# Artifacts of the example project.
				   # An odd comment, indented.

				[first]   # trailing comment
				git-tree-sha1 = "%s"
				text = \"""
				[tool]
				not a header\"""

				""".formatted(OTHER);
		String aboutTool = """
				# About the tool: kept above it.

				""";
		String oldTool = """
				[tool]
				git-tree-sha1 = "%s"
				lazy = true
				# A comment inside the old table goes with it.

				    [[tool.download]]
				    url = "https://old.example.org/t.tar.gz"
				    sha256 = "%s"

				""".formatted(HASH, SHA);
		String tail = """
				# About last.
				["last one"]
				git-tree-sha1 = "%s"
				# A comment at the end.
				""".formatted(OTHER);
		Files.writeString(this.toml, head + aboutTool + oldTool + tail);
		this.artifacts.bind(this.toml, "tool", HASH,
				List.of(new Artifacts.Download(URI.create("https://new.example.org/t.tar.gz"), SHA)), false);
		assertThat(Files.readString(this.toml)).isEqualTo(head + aboutTool + """
				[tool]
				git-tree-sha1 = "%s"
				lazy = true

				    [[tool.download]]
				    sha256 = "%s"
				    url = "https://new.example.org/t.tar.gz"

				""".formatted(HASH, SHA) + tail);

		String before = Files.readString(this.toml);
		this.artifacts.bind(this.toml, "new one", OTHER, List.of(), false);
		assertThat(Files.readString(this.toml)).isEqualTo(before + "\n[\"new one\"]\ngit-tree-sha1 = \"" + OTHER + "\"\n");
		TomlParseResult parsed = Toml.parse(Files.readString(this.toml));
		assertThat(parsed.errors()).isEmpty();
		assertThat(parsed.getString(List.of("first", "text"))).isEqualTo("[tool]\nnot a header");
		assertThat(parsed.keySet()).containsExactly("first", "tool", "last one", "new one");
	}

	@Test
	void rebindingToAnotherHashIsRefusedUnlessForced() throws IOException {
		this.artifacts.bind(this.toml, "tool", HASH, List.of(), false);
		String before = Files.readString(this.toml);
		// The same hash again is no rebinding.
		this.artifacts.bind(this.toml, "tool", HASH, List.of(), false);
		assertThat(Files.readString(this.toml)).isEqualTo(before);
		assertThatExceptionOfType(ArtifactException.class)
			.isThrownBy(() -> this.artifacts.bind(this.toml, "tool", OTHER, List.of(), false))
			.withMessage("The artifact 'tool' in " + this.toml + " is bound to " + HASH + ", not to " + OTHER
					+ ": binding it to another tree hash needs force");
		assertThat(Files.readString(this.toml)).isEqualTo(before);
		this.artifacts.bind(this.toml, "tool", OTHER, List.of(), true);
		assertThat(ArtifactsToml.read(this.toml).entry("tool").treeHash()).isEqualTo(OTHER);
	}

	@ParameterizedTest
	@ValueSource(strings = { "with space", "dotted.name", "quote\"and\\backslash", "caf\u00e9", "[bracket]",
			"tab\there", "_under-score_09" })
	void anyNonEmptyNameIsQuotedWhereTomlNeedsIt(String name) throws IOException {
		Files.writeString(this.toml, "[kept]\ngit-tree-sha1 = \"" + OTHER + "\"\n");
		this.artifacts.bind(this.toml, name, HASH, List.of(), false);
		this.artifacts.bind(this.toml, name, OTHER, List.of(), true);
		ArtifactsToml read = ArtifactsToml.read(this.toml);
		assertThat(read.entries()).containsOnlyKeys("kept", name);
		assertThat(read.entry(name).treeHash()).isEqualTo(OTHER);
	}

	@Test
	void invalidArgumentsAreRefusedBeforeAnythingIsWritten() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.artifacts.bind(this.toml, "", HASH, List.of(), false))
			.withMessage("An artifact name must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> this.artifacts.bind(this.toml, "t", "abc", List.of(), false))
			.withMessageContaining("Invalid tree hash 'abc'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Artifacts.Download(URI.create("ftp://example.org/t.tar.gz"), SHA))
			.withMessage("Invalid download: its url 'ftp://example.org/t.tar.gz' is not an https, http or file URI");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Artifacts.Download(URI.create("https://example.org/t.tar.gz"), SHA.toUpperCase()))
			.withMessageContaining("is not 64 lower-case hexadecimal digits");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Artifacts.Download(URI.create("https:/no-host"), SHA))
			.withMessageContaining("has no host");
		assertThat(this.toml).doesNotExist();
	}

	@Test
	void aLinkOrADirectoryIsRefused() throws IOException {
		Path real = Files.writeString(this.temp.resolve("real.toml"), "");
		Files.createSymbolicLink(this.toml, real);
		assertThatExceptionOfType(ArtifactException.class)
			.isThrownBy(() -> this.artifacts.bind(this.toml, "tool", HASH, List.of(), false))
			.withMessage("Cannot bind the artifact 'tool' in " + this.toml
					+ ": it is a symbolic link, not a regular file; bind in the file the link names");
		assertThat(Files.readString(real)).isEmpty();
		Path dir = Files.createDirectory(this.temp.resolve("dir.toml"));
		assertThatExceptionOfType(ArtifactException.class)
			.isThrownBy(() -> this.artifacts.bind(dir, "tool", HASH, List.of(), false))
			.withMessage("Cannot bind the artifact 'tool' in " + dir + ": it is a directory, not a regular file");
	}

	@Test
	void malformedFilesAndInlineEntriesAreLeftAlone() throws IOException {
		Files.writeString(this.toml, "[tool\n");
		assertThatExceptionOfType(ArtifactException.class)
			.isThrownBy(() -> this.artifacts.bind(this.toml, "tool", HASH, List.of(), false))
			.withMessageStartingWith("Malformed Artifacts.toml " + this.toml);
		String inline = "tool = { git-tree-sha1 = \"" + HASH + "\" }\n";
		Files.writeString(this.toml, inline);
		assertThatExceptionOfType(ArtifactException.class)
			.isThrownBy(() -> this.artifacts.bind(this.toml, "tool", OTHER, List.of(), true))
			.withMessageContaining("it is written as an inline table or dotted keys");
		assertThat(Files.readString(this.toml)).isEqualTo(inline);
	}

	@Test
	void theFilesPermissionsAreKept() throws IOException {
		Files.writeString(this.toml, "");
		Files.setPosixFilePermissions(this.toml, PosixFilePermissions.fromString("rw-r-----"));
		this.artifacts.bind(this.toml, "tool", HASH, List.of(), false);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.toml))).isEqualTo("rw-r-----");
	}

	@Test
	void concurrentBindsFromSeveralProcessesLoseNoEntry() throws Exception {
		List<Process> children = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			children.add(ChildJvm.start(this.temp.resolve("work-" + i), "artifact-bind", this.depot.toString(),
					this.toml.toString(), "p" + i, "15"));
		}
		for (int i = 0; i < children.size(); i++) {
			ChildJvm.awaitSuccess(children.get(i), this.temp.resolve("work-" + i));
		}
		ArtifactsToml read = ArtifactsToml.read(this.toml);
		assertThat(read.entries()).hasSize(45);
		for (int i = 0; i < 3; i++) {
			for (int j = 0; j < 15; j++) {
				assertThat(read.entry("p" + i + "-" + j).treeHash()).isEqualTo(String.format("%040x", j + 1));
			}
		}
	}

}
