package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * {@link ArtifactUsageReader}: the appended and the condensed shape of
 * {@code logs/artifact_usage.toml}, and damage that costs one entry only.
 */
class ArtifactUsageReaderTests {

	@TempDir
	Path dir;

	private ArtifactUsageReader.Usage read(String text) throws IOException {
		return ArtifactUsageReader.read(Files.writeString(this.dir.resolve("artifact_usage.toml"), text));
	}

	@Test
	void missingLogReadsAsEmpty() throws IOException {
		ArtifactUsageReader.Usage usage = ArtifactUsageReader.read(this.dir.resolve("artifact_usage.toml"));
		assertThat(usage.newest()).isEmpty();
		assertThat(usage.damaged()).isFalse();
	}

	@Test
	void appendedAndCondensedShapesKeepTheNewestTimeOfEachFile() throws IOException {
		ArtifactUsageReader.Usage usage = read("[[\"/a/Artifacts.toml\"]]\ntime = 2026-11-20T10:00:00.125Z\n"
				+ "[[\"/b/app.jar\"]]\r\ntime = 2026-11-21T10:00:00Z\r\n\r\n"
				+ "# a comment\n[[ '/a/Artifacts.toml' ]]\n  time = 2026-11-22T10:00:00.123456789  # local\n\n"
				+ "[[\"/a/Artifacts.toml\"]]\ntime = 2026-11-19T10:00:00+01:00\nfuture_key = \"ignored\"\n");
		assertThat(usage.warnings()).isEmpty();
		assertThat(usage.newest()).containsExactly(entry("/a/Artifacts.toml", Instant.parse("2026-11-22T10:00:00.123456789Z")),
				entry("/b/app.jar", Instant.parse("2026-11-21T10:00:00Z")));
	}

	@Test
	void eachDamagedEntryIsSkippedWithAWarningAndTheOthersCount() throws IOException {
		ArtifactUsageReader.Usage usage = read("stray text\n" + "[[\"/ok\"]]\ntime = 2026-11-20T10:00:00Z\n"
				+ "[[\"/twice\"]]\ntime = 2026-11-20T10:00:00Z\ntime = 2026-11-21T10:00:00Z\n"
				+ "[[\"/no-time\"]]\n" + "[table]\n" + "[[\"/bad-date\"]]\ntime = yesterday\n"
				+ "[[\"/kept\"]]\ntime = 2026-11-20T10:00:00Z\n= garbage\n" + "[[\"/torn\"]]\ntime = 2026-11-2");
		assertThat(usage.newest()).containsOnlyKeys("/ok", "/kept");
		assertThat(usage.malformedCount()).isEqualTo(7);
		assertThat(usage.warnings()).hasSize(7);
		assertThat(usage.warnings().get(0)).isEqualTo("artifact_usage.toml line 1: skipped text: unexpected \"stray text\"");
		assertThat(usage.warnings().get(1))
			.isEqualTo("artifact_usage.toml line 6: skipped the entry for \"/twice\": 'time' is given twice");
		assertThat(usage.warnings()).anySatisfy((warning) -> assertThat(warning).isEqualTo(
				"artifact_usage.toml line 7: skipped the entry for \"/no-time\": it has no 'time'"));
		assertThat(usage.warnings()).anySatisfy((warning) -> assertThat(warning).startsWith(
				"artifact_usage.toml line 13: kept the entry for \"/kept\" as read up to this line"));
		assertThat(usage.warnings()).anySatisfy((warning) -> assertThat(warning).startsWith(
				"artifact_usage.toml line 8: skipped text: a [table] header"));
		assertThat(usage.warnings().get(6)).startsWith("artifact_usage.toml line 15: skipped the entry for \"/torn\"")
			.endsWith("(the file ends in this line without a line break: a torn write?)");
	}

	@Test
	void formattedEntriesReadBackAndParseAsToml() throws IOException {
		Map<String, Instant> newest = new LinkedHashMap<>();
		newest.put("/opt/app \"v2\"/Artifacts.toml", Instant.parse("2026-11-20T10:00:00Z"));
		newest.put("/opt/tab\there/日本.jar", Instant.parse("2026-11-20T10:00:00.5Z"));
		byte[] bytes = ArtifactUsageReader.format(newest);
		String text = new String(bytes, StandardCharsets.UTF_8);
		assertThat(text).startsWith("[[\"/opt/app \\\"v2\\\"/Artifacts.toml\"]]\ntime = 2026-11-20T10:00:00.000Z\n[[");
		TomlParseResult toml = Toml.parse(text);
		assertThat(toml.errors()).isEmpty();
		assertThat(toml.keySet()).containsExactlyInAnyOrderElementsOf(newest.keySet());
		ArtifactUsageReader.Usage usage = read(text);
		assertThat(usage.warnings()).isEmpty();
		assertThat(usage.newest()).isEqualTo(newest);
	}

}
