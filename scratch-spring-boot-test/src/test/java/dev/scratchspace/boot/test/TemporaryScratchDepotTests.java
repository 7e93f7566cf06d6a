package dev.scratchspace.boot.test;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.scratchspace.ScratchSpaceManager;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tests for {@link TemporaryScratchDepot @TemporaryScratchDepot} on a
 * {@code @SpringBootTest}, run by the build with every default location of the depot (the
 * user's home, {@code XDG_CACHE_HOME}, {@code SCRATCH_DEPOT}) and the application's own
 * {@code scratch.depot} inside one sentinel directory.
 */
@SpringBootTest(classes = TestApplication.class, properties = "app.early=$<scratch:early>")
@TemporaryScratchDepot
class TemporaryScratchDepotTests {

	@Autowired
	ScratchSpaceManager manager;

	@Autowired
	TestApplication.Downloads downloads;

	@Value("${app.early-seen}")
	String earlySeen;

	@Test
	void spacesAreInAFreshDirectoryUnderTheTemporaryDirectory() throws IOException {
		Path depot = this.manager.depot();
		assertThat(depot.getFileName().toString()).startsWith("scratch-test-depot-");
		assertThat(Files.isSameFile(depot.getParent(), Path.of(System.getProperty("java.io.tmpdir")))).isTrue();
		assertThat(this.downloads.path()).isDirectory().startsWith(depot.resolve("scratchspaces"));
	}

	@Test
	void depotIsAccessibleToItsOwnerOnly() throws IOException {
		assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.manager.depot())))
			.isEqualTo("rwx------");
	}

	@Test
	void noDepotConfiguredElsewhereIsTouched() {
		Path sentinel = Path.of(System.getProperty("sentinel.dir", "target/sentinel"));
		// Without the build's settings, the user's real depot would be at stake: refuse to pass.
		assertThat(Path.of(System.getProperty("user.home"))).startsWithRaw(sentinel);
		assertThat(System.getenv("XDG_CACHE_HOME")).startsWith(sentinel.toString());
		assertThat(System.getenv("SCRATCH_DEPOT")).startsWith(sentinel.toString());
		assertThat(this.manager.depot().startsWith(sentinel)).isFalse();
		assertThat(sentinel).doesNotExist();
	}

	@Test
	void placeholderReadWhileTheEnvironmentIsPreparedResolvesIntoTheTemporaryDepot() {
		assertThat(Path.of(this.earlySeen)).isDirectory()
			.startsWith(this.manager.depot())
			.isEqualTo(this.downloads.path().resolveSibling("early"));
	}

	@Test
	void accessesAreRecordedInTheTemporaryDepot() {
		assertThat(this.manager.depot().resolve("logs").resolve("scratch_usage.toml")).content()
			.contains(this.downloads.path().toString());
	}

	@Nested
	class NestedTests {

		@Autowired
		ScratchSpaceManager nestedManager;

		@Test
		void nestedClassSharesTheTemporaryDepot() {
			assertThat(this.nestedManager.depot()).isEqualTo(TemporaryScratchDepotTests.this.manager.depot());
		}

	}

}
