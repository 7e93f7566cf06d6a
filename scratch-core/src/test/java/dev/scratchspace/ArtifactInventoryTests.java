package dev.scratchspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Artifacts#installed()}: which artifacts are on disk, which recorded
 * {@code Artifacts.toml} files bind them, when they were last used and since when they are
 * orphaned.
 */
class ArtifactInventoryTests {

	private static final Instant T1 = Instant.parse("2026-11-20T10:00:00.125Z");

	private static final Instant T2 = Instant.parse("2026-11-21T10:00:00Z");

	private static final Instant T3 = Instant.parse("2026-11-22T10:00:00.001Z");

	@TempDir
	Path temp;

	private Path depot;

	private ScratchSpaceManager manager;

	private Artifacts artifacts;

	@BeforeEach
	void createManager() {
		this.manager = ScratchSpaceManager.builder().depot(this.temp.resolve("depot")).build();
		this.depot = this.manager.depot();
		this.artifacts = this.manager.artifacts();
	}

	@AfterEach
	void closeManager() throws IOException {
		this.manager.close();
		DepotFiles.deleteRecursively(this.depot);
	}

	@Test
	void withoutArtifactsDirectoryNothingIsInstalled() {
		assertThat(this.artifacts.installed()).isEmpty();
		assertThat(this.depot.resolve("artifacts")).doesNotExist();
	}

	@Test
	void listsOnlyDirectoriesNamedByATreeHashWithoutFollowingLinks() throws IOException {
		String a = ArtifactFixtures.install(this.artifacts, "a");
		String b = ArtifactFixtures.install(this.artifacts, "b");
		Path outside = Files.createDirectories(this.temp.resolve("outside"));
		Path root = this.artifacts.root();
		Files.createSymbolicLink(root.resolve("1".repeat(40)), outside);
		Files.writeString(root.resolve("2".repeat(40)), "a file");
		Files.createDirectory(root.resolve("not-a-hash"));
		Files.createDirectory(root.resolve("A".repeat(40)));
		Files.createDirectory(root.resolve(".deleting-0123456789abcdef"));
		List<Artifacts.Installed> installed = this.artifacts.installed();
		assertThat(installed).extracting(Artifacts.Installed::treeHash)
			.containsExactlyElementsOf(List.of(a, b).stream().sorted().toList());
		assertThat(installed).extracting(Artifacts.Installed::path)
			.containsExactlyElementsOf(List.of(root.resolve(a), root.resolve(b)).stream().sorted().toList());
		assertThat(installed).allSatisfy((artifact) -> {
			assertThat(artifact.boundBy()).isEmpty();
			assertThat(artifact.lastAccess()).isNull();
			assertThat(artifact.orphanedSince()).isNull();
		});
	}

	@Test
	void boundByListsTheExistingRecordedFilesThatBindTheHashAndLastAccessIsTheNewestOfThem() throws IOException {
		String one = ArtifactFixtures.install(this.artifacts, "one");
		String two = ArtifactFixtures.install(this.artifacts, "two");
		String three = ArtifactFixtures.install(this.artifacts, "three");
		String loose = ArtifactFixtures.install(this.artifacts, "loose");
		Path a = ArtifactFixtures.writeToml(this.temp.resolve("a/Artifacts.toml"), Map.of("one", one));
		Path b = ArtifactFixtures.writeToml(this.temp.resolve("b/Artifacts.toml"), Map.of("one", one, "two", two));
		Path gone = ArtifactFixtures.writeToml(this.temp.resolve("gone/Artifacts.toml"), Map.of("loose", loose));
		Path jar = ArtifactFixtures.writeJar(this.temp.resolve("app/app.jar"), "BOOT-INF/classes/Artifacts.toml",
				ArtifactFixtures.toml(Map.of("three", three)));
		ArtifactFixtures.recordUse(this.depot, b, T2);
		ArtifactFixtures.recordUse(this.depot, a, T1);
		ArtifactFixtures.recordUse(this.depot, gone, T3);
		ArtifactFixtures.recordUse(this.depot, jar, T3);
		ArtifactFixtures.recordUse(this.depot, a, T1.minusSeconds(60));
		Files.delete(gone);
		Map<String, Artifacts.Installed> installed = byHash(this.artifacts.installed());
		assertThat(installed.get(one).boundBy()).containsExactly(b, a);
		assertThat(installed.get(one).lastAccess()).isEqualTo(T2);
		assertThat(installed.get(two).boundBy()).containsExactly(b);
		assertThat(installed.get(two).lastAccess()).isEqualTo(T2);
		assertThat(installed.get(three).boundBy()).containsExactly(jar);
		assertThat(installed.get(three).lastAccess()).isEqualTo(T3);
		assertThat(installed.get(loose).boundBy()).isEmpty();
		assertThat(installed.get(loose).lastAccess()).isNull();
	}

	@Test
	void jarReadsArtifactsTomlAtItsRootAndPlatformSpecificEntriesBindEveryHash() throws IOException {
		String linux = ArtifactFixtures.install(this.artifacts, "linux");
		String mac = ArtifactFixtures.install(this.artifacts, "mac");
		String toml = "[[tool]]\narch = \"x86_64\"\nos = \"linux\"\ngit-tree-sha1 = \"" + linux + "\"\n\n"
				+ "[[tool]]\narch = \"aarch64\"\nos = \"macos\"\ngit-tree-sha1 = \"" + mac + "\"\n";
		Path jar = ArtifactFixtures.writeJar(this.temp.resolve("lib.jar"), "Artifacts.toml", toml);
		ArtifactFixtures.recordUse(this.depot, jar, T1);
		Map<String, Artifacts.Installed> installed = byHash(this.artifacts.installed());
		assertThat(installed.get(linux).boundBy()).containsExactly(jar);
		assertThat(installed.get(mac).boundBy()).containsExactly(jar);
	}

	@Test
	void orphanedSinceComesFromTheOrphanage() throws IOException {
		String hash = ArtifactFixtures.install(this.artifacts, "orphan");
		String other = ArtifactFixtures.install(this.artifacts, "other");
		Path artifact = this.artifacts.root().resolve(hash);
		Files.write(Files.createDirectories(this.depot.resolve("logs")).resolve("orphaned.toml"), Orphanage.format(Map.of(artifact.toString(), T1,
				this.depot.resolve("scratchspaces/" + "0".repeat(8) + "-0000-0000-0000-000000000000/k").toString(), T2)));
		Map<String, Artifacts.Installed> installed = byHash(this.artifacts.installed());
		assertThat(installed.get(hash).orphanedSince()).isEqualTo(T1);
		assertThat(installed.get(other).orphanedSince()).isNull();
	}

	@Test
	void damagedLogEntryCostsOnlyThatEntry() throws IOException {
		String hash = ArtifactFixtures.install(this.artifacts, "kept");
		Path a = ArtifactFixtures.writeToml(this.temp.resolve("a/Artifacts.toml"), Map.of("kept", hash));
		Path b = ArtifactFixtures.writeToml(this.temp.resolve("b/Artifacts.toml"), Map.of("kept", hash));
		ArtifactFixtures.recordUse(this.depot, a, T1);
		ArtifactFixtures.appendToLog(this.depot, "[[" + TomlText.quote(b.toString()) + "]]\ntime = 2026-13-45T99:00Z\n");
		ArtifactFixtures.appendToLog(this.depot, "garbage\n[[\"/torn");
		Artifacts.Installed installed = this.artifacts.installed().get(0);
		assertThat(installed.boundBy()).containsExactly(a);
		assertThat(installed.lastAccess()).isEqualTo(T1);
	}

	private static Map<String, Artifacts.Installed> byHash(List<Artifacts.Installed> installed) {
		Map<String, Artifacts.Installed> byHash = new LinkedHashMap<>();
		installed.forEach((artifact) -> byHash.put(artifact.treeHash(), artifact));
		return byHash;
	}

}
