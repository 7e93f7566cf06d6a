package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link ArtifactsToml}: Julia's {@code Artifacts.toml}, read and refused.
 */
class ArtifactsTomlTests {

	private static final String HASH = "83c7a1f6e2b5d4c3b2a1908f7e6d5c4b3a291807";

	private static final String SHA = "9c1e".repeat(16);

	@TempDir
	Path temp;

	@Test
	void readsJuliasFormat() throws IOException {
		Path toml = write("""
				# A comment Julia keeps.
				[tool]
				git-tree-sha1 = "%s"
				lazy = true

				    [[tool.download]]
				    url = "https://example.org/tool.tar.gz"
				    sha256 = "%s"

				    [[tool.download]]
				    url = "file:///srv/tool.tar.gz"
				    sha256 = "%s"

				["name with.dots"]
				git-tree-sha1 = "%s"
				""".formatted(HASH, SHA, SHA, HASH.replace('8', '9')));
		ArtifactsToml read = ArtifactsToml.read(toml);
		assertThat(read.entries()).containsOnlyKeys("tool", "name with.dots");
		ArtifactsToml.Entry tool = read.entry("tool");
		assertThat(tool.treeHash()).isEqualTo(HASH);
		assertThat(tool.lazy()).isTrue();
		assertThat(tool.downloads()).containsExactly(
				new ArtifactsToml.Source("https://example.org/tool.tar.gz", SHA),
				new ArtifactsToml.Source("file:///srv/tool.tar.gz", SHA));
		ArtifactsToml.Entry dotted = read.entry("name with.dots");
		assertThat(dotted.lazy()).isFalse();
		assertThat(dotted.downloads()).isEmpty();
		assertThat(read.boundHashes()).containsExactly(HASH, HASH.replace('8', '9'));
	}

	@Test
	void platformSpecificEntriesBindEveryHashButCannotBeInstalled() throws IOException {
		String other = HASH.replace('a', 'b');
		Path toml = write("""
				[[tool]]
				arch = "x86_64"
				os = "linux"
				git-tree-sha1 = "%s"

				[[tool]]
				arch = "aarch64"
				os = "macos"
				git-tree-sha1 = "%s"
				""".formatted(HASH, other));
		ArtifactsToml read = ArtifactsToml.read(toml);
		assertThat(read.boundHashes()).containsExactly(HASH, other);
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> read.entry("tool").treeHash())
			.withMessageContaining("'tool'")
			.withMessageContaining(toml.toString())
			.withMessageContaining("platform-specific artifacts are not supported")
			.extracting(ArtifactException::reason)
			.isEqualTo(ArtifactException.Reason.PLATFORM_SPECIFIC);
	}

	@Test
	void aMissingNameIsNamedWithTheFile() throws IOException {
		Path toml = write("[tool]\ngit-tree-sha1 = \"" + HASH + "\"\n");
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> ArtifactsToml.read(toml).entry("other"))
			.withMessage("No artifact named 'other' in " + toml + "; it binds 'tool'")
			.extracting(ArtifactException::reason)
			.isEqualTo(ArtifactException.Reason.NOT_BOUND);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			[tool]\\nlazy = true                                       | 'tool' | it has no git-tree-sha1
			[tool]\\ngit-tree-sha1 = "83C7A1F6E2B5D4C3B2A1908F7E6D5C4B3A291807" | 'tool' | is not 40 lower-case hexadecimal digits
			[tool]\\ngit-tree-sha1 = "abc"                             | 'tool' | its git-tree-sha1 'abc' is not 40
			[tool]\\ngit-tree-sha1 = 12                                | 'tool' | its git-tree-sha1 12 is not 40
			tool = "x"                                                  | 'tool' | it must be a table [tool]
			[tool]\\ngit-tree-sha1 = "%s"\\nlazy = "yes"                | 'tool' | its lazy 'yes' is not true or false
			[tool]\\ngit-tree-sha1 = "%s"\\ndownload = "x"              | 'tool' | its download must be an array of tables
			[tool]\\ngit-tree-sha1 = "%s"\\n[[tool.download]]\\nurl = "ftp://h/x"\\nsha256 = "%s" | download 1 of artifact 'tool' | is not an https, http or file URI
			[tool]\\ngit-tree-sha1 = "%s"\\n[[tool.download]]\\nurl = "https://h/x"\\nsha256 = "AB" | download 1 of artifact 'tool' | its sha256 'AB' is not 64
			[tool]\\ngit-tree-sha1 = "%s"\\n[[tool.download]]\\nsha256 = "%s" | download 1 of artifact 'tool' | its url (missing) is not a string
			[tool]\\ngit-tree-sha1 = "%s"\\n[[tool.download]]\\nurl = "https://h/x" | download 1 of artifact 'tool' | its sha256 (missing) is not a string
			[tool\\ngit-tree-sha1 = "%s"                                | Malformed Artifacts.toml | line 1
			""")
	void malformedContentIsRefusedNamingTheFileAndTheEntry(String content, String entry, String problem)
			throws IOException {
		Path toml = write(content.replace("\\n", "\n").replace("%s\"\n[[", HASH + "\"\n[[")
			.replace("git-tree-sha1 = \"%s\"", "git-tree-sha1 = \"" + HASH + "\"")
			.replace("sha256 = \"%s\"", "sha256 = \"" + SHA + "\""));
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> ArtifactsToml.read(toml))
			.withMessageContaining(toml.toString())
			.withMessageContaining(entry)
			.withMessageContaining(problem)
			.extracting(ArtifactException::reason)
			.isEqualTo(ArtifactException.Reason.MALFORMED_TOML);
	}

	@Test
	void aDirectoryOrMissingFileOrNonUtf8IsRefused() throws IOException {
		Path dir = Files.createDirectory(this.temp.resolve("Artifacts.toml"));
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> ArtifactsToml.read(dir))
			.withMessage("Cannot read the Artifacts.toml " + dir + ": it is a directory, not a regular file");
		Path missing = this.temp.resolve("missing.toml");
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> ArtifactsToml.read(missing))
			.withMessage("Cannot read the Artifacts.toml " + missing + ": it does not exist")
			.extracting(ArtifactException::reason)
			.isEqualTo(ArtifactException.Reason.UNREADABLE_TOML);
		Path latin1 = Files.write(this.temp.resolve("latin1.toml"),
				"# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> ArtifactsToml.read(latin1))
			.withMessage("Malformed Artifacts.toml " + latin1 + ": it is not UTF-8 text")
			.extracting(ArtifactException::reason)
			.isEqualTo(ArtifactException.Reason.MALFORMED_TOML);
	}

	@Test
	void anEmptyFileBindsNothing() throws IOException {
		Path toml = write("# nothing yet\n");
		assertThat(ArtifactsToml.read(toml).entries()).isEmpty();
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> ArtifactsToml.read(toml).entry("x"))
			.withMessageEndingWith(", which binds no artifact");
		assertThat(List.copyOf(ArtifactsToml.read(toml).boundHashes())).isEmpty();
	}

	@Test
	void blankAndCommentLinesInsideMultiLineStringsAreKept() throws IOException {
		String value = "\n  \n# not a comment\n\n[not.a.header]\n";
		Path toml = write("[tool]\ngit-tree-sha1 = \"" + HASH + "\"\nnote = \"\"\"\n" + value + "\"\"\"\n"
				+ "other = \'\'\'\n" + value + "\'\'\'\n");
		TomlLines.Stripped stripped = TomlLines.stripTrivia(Files.readString(toml));
		TomlParseResult parsed = Toml.parse(stripped.text());
		assertThat(parsed.errors()).isEmpty();
		assertThat(parsed.getString("tool.note")).isEqualTo(value);
		assertThat(parsed.getString("tool.other")).isEqualTo(value);
		assertThat(ArtifactsToml.read(toml).entry("tool").treeHash()).isEqualTo(HASH);
	}

	@Test
	void errorsAfterRemovedLinesNameTheLinesOfTheFile() throws IOException {
		Path toml = write("\n\n# one\n  # two\n[tool]\n\ngit-tree-sha1 = \"" + HASH + "\"\n\n\n[tool]\n");
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> ArtifactsToml.read(toml))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(ArtifactException.Reason.MALFORMED_TOML))
			.withMessageContaining(toml.toString())
			.withMessageContaining("line 5, column 1")
			.withMessageContaining("(line 10, column 1)");
		Path invalid = write("\n\n# one\n\n[tool]\n\ngit-tree-sha1 = \n");
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> ArtifactsToml.read(invalid))
			.withMessageContaining("(line 7, column ");
	}

	@Test
	void moreLinesThanTheCapThatAreNotBlankOrCommentsAreRefusedBeforeTomljSeesThem() throws IOException {
		String entry = "[tool]\ngit-tree-sha1 = \"" + HASH + "\"\n";
		// Values of a multi-line string count: tomlj pays for every line it sees.
		Path toml = write("\n".repeat(10) + entry + "note = \"\"\"" + "\n".repeat(TomljFallback.MAX_LINES) + "\"\"\"\n");
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> ArtifactsToml.read(toml))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(ArtifactException.Reason.MALFORMED_TOML))
			.withMessage("Malformed Artifacts.toml " + toml + ": line " + (TomljFallback.MAX_LINES + 11) + ": more than "
					+ TomljFallback.MAX_LINES + " lines that are not blank or comments");
	}

	private Path write(String content) throws IOException {
		return Files.writeString(this.temp.resolve("Artifacts.toml"), content);
	}

}
