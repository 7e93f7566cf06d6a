package dev.scratchspace;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link Artifacts#ensureInstalled}: an installed artifact is leased, its use recorded in
 * Julia's format, and its directory returned.
 */
class ArtifactsEnsureInstalledTests {

	private static final Instant NOW = Instant.parse("2026-11-29T22:10:40.123Z");

	@TempDir
	Path temp;

	private Path depot;

	private ScratchSpaceManager manager;

	private Artifacts artifacts;

	@BeforeEach
	void createManager() {
		this.depot = this.temp.resolve("depot");
		this.manager = ScratchSpaceManager.builder()
			.depot(this.depot)
			.clock(java.time.Clock.fixed(NOW, ZoneOffset.UTC))
			.build();
		this.artifacts = this.manager.artifacts();
	}

	@AfterEach
	void closeManager() throws IOException {
		this.manager.close();
		DepotFiles.deleteRecursively(this.depot);
	}

	@Test
	void anInstalledArtifactIsLeasedRecordedAndReturned() throws IOException {
		String hash = this.artifacts.create(ArtifactChild::fill);
		Path project = Files.createDirectories(this.temp.resolve("project"));
		Path toml = Files.writeString(project.resolve("Artifacts.toml"), "[tool]\ngit-tree-sha1 = \"" + hash + "\"\n");
		Path relative = Path.of("").toAbsolutePath().relativize(toml);
		Path dir = this.artifacts.ensureInstalled(relative.getParent().resolve("../project/./Artifacts.toml"), "tool");
		assertThat(dir).isEqualTo(this.artifacts.root().resolve(hash));
		assertThat(Lease.scan(this.depot.resolve("leases"), false).leasedPaths()).contains(dir.toString());
		String entry = "[[" + TomlText.quote(toml.toString()) + "]]\ntime = 2026-11-29T22:10:40.123Z\n";
		assertThat(Files.readString(this.depot.resolve("logs/artifact_usage.toml"))).isEqualTo(entry);
		this.artifacts.ensureInstalled(toml, "tool");
		assertThat(Files.readString(this.depot.resolve("logs/artifact_usage.toml"))).isEqualTo(entry + entry);
		assertThat(Files.exists(this.depot.resolve("logs/artifact_usage.toml.lock"))).isTrue();
	}

	@Test
	void creatingInstallingOrRecordingAnArtifactCountsAsAModification() throws IOException {
		long start = this.manager.modificationCount();
		String hash = this.artifacts.create(ArtifactChild::fill);
		long created = this.manager.modificationCount();
		assertThat(created).isGreaterThan(start);
		Path toml = Files.writeString(this.temp.resolve("Artifacts.toml"), "[tool]\ngit-tree-sha1 = \"" + hash + "\"\n");
		this.artifacts.ensureInstalled(toml, "tool");
		long recorded = this.manager.modificationCount();
		assertThat(recorded).isGreaterThan(created);
		this.artifacts.installed();
		this.artifacts.verify(hash);
		assertThat(this.manager.modificationCount()).isEqualTo(recorded);
		ScratchOwner owner = ScratchOwner.of("g", "a");
		Files.writeString(this.manager.getScratch(owner, "x").resolve("file"), "content");
		long exported = this.manager.modificationCount();
		this.artifacts.exportScratch(owner, "x");
		assertThat(this.manager.modificationCount()).isGreaterThan(exported);
	}

	@Test
	void aTornLogGetsAFreshLine() throws IOException {
		String hash = this.artifacts.create(ArtifactChild::fill);
		Path toml = Files.writeString(this.temp.resolve("Artifacts.toml"), "[tool]\ngit-tree-sha1 = \"" + hash + "\"\n");
		Files.createDirectories(this.depot.resolve("logs"));
		Files.writeString(this.depot.resolve("logs/artifact_usage.toml"), "[[\"/torn");
		this.artifacts.ensureInstalled(toml, "tool");
		assertThat(Files.readString(this.depot.resolve("logs/artifact_usage.toml"))).isEqualTo("[[\"/torn\n[["
				+ TomlText.quote(toml.toString()) + "]]\ntime = 2026-11-29T22:10:40.123Z\n");
	}

	@Test
	void anArtifactsTomlInsideAJarIsRecordedAsTheJar() throws IOException {
		String hash = this.artifacts.create(ArtifactChild::fill);
		Path jar = this.temp.resolve("app.jar");
		try (FileSystem zip = FileSystems.newFileSystem(jar, Map.of("create", "true"))) {
			Path inside = zip.getPath("/META-INF/artifacts/Artifacts.toml");
			Files.createDirectories(inside.getParent());
			Files.writeString(inside, "[tool]\ngit-tree-sha1 = \"" + hash + "\"\n");
		}
		try (FileSystem zip = FileSystems.newFileSystem(jar)) {
			Path dir = this.artifacts.ensureInstalled(zip.getPath("/META-INF/artifacts/Artifacts.toml"), "tool");
			assertThat(dir).isEqualTo(this.artifacts.root().resolve(hash));
		}
		assertThat(Files.readString(this.depot.resolve("logs/artifact_usage.toml")))
			.isEqualTo("[[" + TomlText.quote(jar.toString()) + "]]\ntime = 2026-11-29T22:10:40.123Z\n");
	}

	@Test
	void aJarWhosePathNeedsEscapingIsRecordedByItsPath() throws IOException {
		Path jar = Files.createDirectories(this.temp.resolve("dir with space é")).resolve("app.jar");
		try (FileSystem zip = FileSystems.newFileSystem(jar, Map.of("create", "true"))) {
			assertThat(Artifacts.recordedPath(zip.getPath("/a/../Artifacts.toml"))).isEqualTo(jar.toString());
		}
		try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
			assertThat(Artifacts.recordedPath(zip.getPath("Artifacts.toml"))).isEqualTo(jar.toString());
		}
		assertThat(Artifacts.recordedPath(this.temp.resolve("a/../Artifacts.toml")))
			.isEqualTo(this.temp.resolve("Artifacts.toml").toString());
	}

	@Test
	void anArtifactThatIsNotInstalledAndHasNoDownloadIsNamed() throws IOException {
		String hash = "0123456789abcdef0123456789abcdef01234567";
		Path toml = Files.writeString(this.temp.resolve("Artifacts.toml"), "[tool]\ngit-tree-sha1 = \"" + hash + "\"\n");
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> this.artifacts.ensureInstalled(toml, "tool"))
			.withMessage("The artifact 'tool' (" + hash + ") of " + toml + " is not installed in "
					+ this.artifacts.root() + ", and the Artifacts.toml lists no download for it");
		assertThat(this.depot.resolve("logs/artifact_usage.toml")).doesNotExist();
	}

	@Test
	void aLinkInTheArtifactsPlaceIsNotAnInstalledArtifact() throws IOException {
		String hash = this.artifacts.create(ArtifactChild::fill);
		String other = "0123456789abcdef0123456789abcdef01234567";
		Files.createSymbolicLink(this.artifacts.root().resolve(other), this.artifacts.root().resolve(hash));
		Path toml = Files.writeString(this.temp.resolve("Artifacts.toml"), "[tool]\ngit-tree-sha1 = \"" + other + "\"\n");
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> this.artifacts.ensureInstalled(toml, "tool"))
			.withMessageContaining("is not installed");
	}

	@Test
	void malformedTomlAndUnknownNamesAreRefused() throws IOException {
		Path toml = Files.writeString(this.temp.resolve("Artifacts.toml"), "[tool]\ngit-tree-sha1 = \"xyz\"\n");
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> this.artifacts.ensureInstalled(toml, "tool"))
			.withMessageContaining(toml.toString())
			.withMessageContaining("'tool'");
		Files.writeString(toml, "");
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> this.artifacts.ensureInstalled(toml, "tool"))
			.withMessage("No artifact named 'tool' in " + toml + ", which binds no artifact");
	}

	@Test
	void longRunsOfBlankOrCommentLinesBeforeTheEntryAreRead() throws IOException {
		String hash = this.artifacts.create(ArtifactChild::fill);
		String entry = "[tool]\ngit-tree-sha1 = \"" + hash + "\"\n";
		for (String padding : List.of("\n".repeat(1_000_000), "# a comment\n".repeat(100_000),
				"  \t\r\n".repeat(100_000))) {
			Path toml = Files.writeString(this.temp.resolve("Artifacts.toml"), padding + entry);
			assertThat(this.artifacts.ensureInstalled(toml, "tool")).isEqualTo(this.artifacts.root().resolve(hash));
		}
	}

	@Test
	void aClosedManagerRefuses() throws IOException {
		Path toml = Files.writeString(this.temp.resolve("Artifacts.toml"), "");
		this.manager.close();
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.artifacts.ensureInstalled(toml, "tool"));
	}

}
