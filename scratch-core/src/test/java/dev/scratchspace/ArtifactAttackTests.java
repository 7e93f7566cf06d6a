package dev.scratchspace;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Recorded files built to make the collector read without end: each must cost a bounded
 * amount of work, and what could not be read within it deletes nothing.
 */
class ArtifactAttackTests {

	private static final GcOptions NO_DELAY = GcOptions.defaults().withCollectDelay(Duration.ZERO);

	@TempDir
	Path temp;

	@Test
	void installedRefusesAnArtifactsDirectoryReplacedByALinkToOutside() throws IOException {
		Path depot = this.temp.resolve("depot");
		Path outside = Files.createDirectories(this.temp.resolve("outside").resolve("b".repeat(40)));
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).trackAccess(false).build()) {
			manager.artifacts().create((dir) -> Files.writeString(dir.resolve("file"), "x"));
			Path artifacts = depot.resolve("artifacts");
			Files.move(artifacts, this.temp.resolve("moved-away"));
			Files.createSymbolicLink(artifacts, outside.getParent());
			assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> manager.artifacts().installed())
				.withMessageContaining(artifacts.toString())
				.withMessageContaining("symbolic link");
		}
		assertThat(outside).isDirectory();
	}

	@Test
	void jarWhoseArtifactsTomlEntriesTogetherExceedTheBoundDeletesNoUnboundArtifact() throws IOException {
		Path depot = this.temp.resolve("depot");
		Path unbound = depot.resolve("artifacts").resolve("a".repeat(40));
		Files.createDirectories(unbound);
		Files.writeString(unbound.resolve("file"), "x");
		// 40 entries of 1 MiB each (a comment: valid TOML that binds nothing), a few KiB
		// compressed: together far more than one Artifacts.toml may hold.
		Path jar = this.temp.resolve("bomb.jar");
		byte[] entry = new byte[1024 * 1024];
		Arrays.fill(entry, (byte) ' ');
		entry[0] = '#';
		try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
			for (int i = 0; i < 40; i++) {
				zip.putNextEntry(new ZipEntry("d" + i + "/Artifacts.toml"));
				zip.write(entry);
				zip.closeEntry();
			}
		}
		Map<String, Instant> recorded = new LinkedHashMap<>();
		recorded.put(jar.toString(), Instant.parse("2026-01-01T00:00:00Z"));
		Files.createDirectories(depot.resolve("logs"));
		Files.write(depot.resolve("logs").resolve("artifact_usage.toml"), ArtifactUsageReader.format(recorded));
		GcReport report;
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).trackAccess(false).build()) {
			report = manager.collectGarbage(NO_DELAY);
		}
		assertThat(unbound).isDirectory();
		assertThat(report.deletedCount()).isZero();
		assertThat(String.join("\n", report.warnings())).contains(jar.toString())
			.contains(String.valueOf(ArtifactsToml.MAX_BYTES));
		assertThat(new String(Files.readAllBytes(unbound.resolve("file")), StandardCharsets.UTF_8)).isEqualTo("x");
	}

}
