package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link Orphanage}.
 */
class OrphanageTests {

	private static final String OLD_KEY = "/d/scratchspaces/5a4f8c2e-7b1d-5e3f-9c0a-1d2e3f4a5b6c/old-key";

	private static final String OTHER = "/d/scratchspaces/00000000-0000-0000-0000-000000000000/tmp";

	@TempDir
	Path dir;

	@Test
	void formatWritesOneLinePerSpaceSortedByPathWithMillisecondsOnlyWhenNotZero() {
		Map<String, Instant> orphans = new LinkedHashMap<>();
		orphans.put(OLD_KEY, Instant.parse("2026-11-18T03:00:00Z"));
		orphans.put(OTHER, Instant.parse("2026-11-18T03:00:00.250999Z"));
		assertThat(new String(Orphanage.format(orphans), StandardCharsets.UTF_8))
			.isEqualTo("\"" + OTHER + "\" = 2026-11-18T03:00:00.250Z\n" + "\"" + OLD_KEY + "\" = 2026-11-18T03:00:00Z\n");
		assertThat(Orphanage.format(Map.of())).isEmpty();
	}

	@Test
	void formattedOrphanageParsesWithTomljToTheSameValues() {
		Map<String, Instant> orphans = Map.of(OLD_KEY, Instant.parse("2026-11-18T03:00:00Z"), "/d/quote\"\n\\ü",
				Instant.parse("2026-11-18T03:00:00.001Z"));
		TomlParseResult toml = Toml.parse(new String(Orphanage.format(orphans), StandardCharsets.UTF_8));
		assertThat(toml.errors()).isEmpty();
		assertThat(toml.keySet()).containsExactlyInAnyOrderElementsOf(orphans.keySet());
		orphans.forEach((path, since) -> assertThat(toml.getOffsetDateTime(List.of(path)).toInstant()).isEqualTo(since));
	}

	@Test
	void causesAreWrittenAsCommentsAndReadBack() throws IOException {
		Map<String, Instant> orphans = Map.of(OLD_KEY, Instant.parse("2026-11-18T03:00:00Z"), "/d/other",
				Instant.parse("2026-11-19T03:00:00Z"));
		Map<String, String> causes = Map.of(OLD_KEY, "parent project /opt/app.jar no longer exists\nforged = 1");
		byte[] bytes = Orphanage.format(orphans, causes);
		String text = new String(bytes, StandardCharsets.UTF_8);
		assertThat(text).contains("2026-11-18T03:00:00Z # parent project /opt/app.jar no longer exists forged = 1\n");
		TomlParseResult parsed = Toml.parse(text);
		assertThat(parsed.errors()).isEmpty();
		assertThat(parsed.keySet()).containsExactlyInAnyOrder(OLD_KEY, "/d/other");
		Path file = Files.write(this.dir.resolve("orphaned.toml"), bytes);
		Orphanage read = Orphanage.read(file);
		assertThat(read.warnings()).isEmpty();
		assertThat(read.orphans()).isEqualTo(orphans);
		assertThat(read.causes())
			.containsExactly(entry(OLD_KEY, "parent project /opt/app.jar no longer exists forged = 1"));
	}

	@Test
	void formattedOrphanageReadsBack() throws IOException {
		Map<String, Instant> orphans = Map.of(OLD_KEY, Instant.parse("2026-11-18T03:00:00Z"), "/d/tab\there/日本",
				Instant.parse("2026-11-18T03:00:00.5Z"), "", Instant.parse("1970-01-01T00:00:00Z"));
		Orphanage orphanage = read(Orphanage.format(orphans));
		assertThat(orphanage.orphans()).isEqualTo(orphans);
		assertThat(orphanage.damaged()).isFalse();
		assertThat(orphanage.warnings()).isEmpty();
	}

	@Test
	void readsWhatJuliaWritesIncludingLocalDateTimesAsUtc() throws IOException {
		Orphanage orphanage = read("""
				"/j/scratchspaces/a/k1" = 2020-05-28T13:46:34.123Z
				"/j/scratchspaces/a/k2" = 2020-05-28T13:46:34.123
				"/j/scratchspaces/a/k3" = 2020-05-28 13:46:34+02:00
				""");
		assertThat(orphanage.warnings()).isEmpty();
		assertThat(orphanage.orphans()).containsExactly(entry("/j/scratchspaces/a/k1", Instant.parse("2020-05-28T13:46:34.123Z")),
				entry("/j/scratchspaces/a/k2", Instant.parse("2020-05-28T13:46:34.123Z")),
				entry("/j/scratchspaces/a/k3", Instant.parse("2020-05-28T11:46:34Z")));
	}

	@Test
	void readsCommentsBlankLinesCrlfAndLiteralKeys() throws IOException {
		Orphanage orphanage = read("# orphans\r\n\r\n  'C:\\d\\k' = 2026-11-18T03:00:00Z  # first\r\n");
		assertThat(orphanage.warnings()).isEmpty();
		assertThat(orphanage.orphans()).containsExactly(entry("C:\\d\\k", Instant.parse("2026-11-18T03:00:00Z")));
	}

	@Test
	void otherValidTomlLinesAreReadThroughTomlj() throws IOException {
		Orphanage orphanage = read("bare-key = 2026-11-18T03:00:00Z\n\"\"\"not\"\"\" = 2026-11-18T03:00:00Z\n");
		assertThat(orphanage.orphans()).containsExactly(entry("bare-key", Instant.parse("2026-11-18T03:00:00Z")));
		assertThat(orphanage.warnings()).singleElement().asString().startsWith("orphaned.toml line 2: skipped the line: ");
	}

	@Test
	void damagedLinesAreSkippedWithAWarningAndTheRestIsRead() throws IOException {
		byte[] content = bytes("\"/d/bad-date\" = 2026-02-30T00:00:00Z\n", "\"/d/good1\" = 2026-11-18T03:00:00Z\n",
				"\"/d/no-value\" =\n", "\"/d/not-a-date\" = \"yesterday\"\n", "\"/d/number\" = 1764000000\n",
				"\"/d/torn\" = 2026-11-18T0\n", "[table]\n", new byte[] { 1, 2, 3, (byte) 0xFF, '\n' }, "\"/d/",
				new byte[] { (byte) 0xC3, 0x28 }, "\" = 2026-11-18T03:00:00Z\n", "\"/d/deep\" = " + "[".repeat(5000) + "\n",
				"\"/d/bad-escape\\q\" = 2026-11-18T03:00:00Z\n", "\"/d/good2\" = 2026-11-18T04:00:00Z");
		Orphanage orphanage = read(content);
		assertThat(orphanage.orphans()).containsExactly(entry("/d/good1", Instant.parse("2026-11-18T03:00:00Z")),
				entry("/d/good2", Instant.parse("2026-11-18T04:00:00Z")));
		assertThat(orphanage.damaged()).isTrue();
		assertThat(orphanage.warnings()).hasSize(10);
		assertThat(orphanage.warnings().get(0)).isEqualTo(
				"orphaned.toml line 1: skipped the line: the value is not a valid date-time \"2026-02-30T00:00:00Z\" (the day 30 is out of range)");
		assertThat(orphanage.warnings().get(1)).startsWith("orphaned.toml line 3: skipped the line: ");
		assertThat(orphanage.warnings().get(7)).isEqualTo("orphaned.toml line 9: skipped the line: invalid UTF-8 (bytes C3 28)");
		assertThat(orphanage.warnings().get(8)).startsWith("orphaned.toml line 10: skipped the line: ");
	}

	@Test
	void pathGivenTwiceKeepsTheLaterTime() throws IOException {
		Orphanage orphanage = read("\"/d/k\" = 2026-11-18T03:00:00Z\n\"/d/k\" = 2026-11-19T03:00:00Z\n\"/d/k\" = 2026-11-17T03:00:00Z\n");
		assertThat(orphanage.orphans()).containsExactly(entry("/d/k", Instant.parse("2026-11-19T03:00:00Z")));
		assertThat(orphanage.damaged()).isTrue();
		assertThat(orphanage.warnings()).containsExactly(
				"orphaned.toml line 2: \"/d/k\" is given more than once; the later time counts",
				"orphaned.toml line 3: \"/d/k\" is given more than once; the later time counts");
	}

	@Test
	void missingFileReadsAsEmpty() throws IOException {
		Orphanage orphanage = Orphanage.read(this.dir.resolve("absent.toml"));
		assertThat(orphanage.orphans()).isEmpty();
		assertThat(orphanage.warnings()).isEmpty();
		assertThat(orphanage.damaged()).isFalse();
	}

	@Test
	void orphansCannotBeChanged() throws IOException {
		Orphanage orphanage = read("\"/d/k\" = 2026-11-18T03:00:00Z\n");
		assertThat(orphanage.orphans()).isUnmodifiable();
	}

	private Orphanage read(String content) {
		return read(content.getBytes(StandardCharsets.UTF_8));
	}

	private Orphanage read(byte[] content) {
		try {
			Path file = this.dir.resolve("orphaned.toml");
			Files.write(file, content);
			return Orphanage.read(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] bytes(Object... parts) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		for (Object part : parts) {
			out.writeBytes((part instanceof String text) ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) part);
		}
		return out.toByteArray();
	}

}
