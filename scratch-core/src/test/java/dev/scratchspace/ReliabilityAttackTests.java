package dev.scratchspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on the safety guarantees: a careless operator or another process of the same user
 * acting between a check and an act, or naming things the way the project does.
 */
class ReliabilityAttackTests {

	private static final ScratchOwner OWNER = ScratchOwner.of("org.example", "attack");

	private static final GcOptions NOW = GcOptions.defaults().withCollectDelay(Duration.ZERO);

	@TempDir
	Path temp;

	/**
	 * The staging sweep removes only what a populator left: {@code <uuid>.<key>.<16 hex
	 * digits>}. Anything else in {@code staging/} is not the collector's to delete.
	 */
	@Test
	void stagingSweepTouchesOnlyPopulatorNames() throws Exception {
		Path depot = this.temp.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			manager.getOrPopulate(OWNER, "populated", (dir) -> Files.writeString(dir.resolve("file"), "x"));
			Path staging = depot.resolve("staging");
			Path foreign = Files.createDirectories(staging.resolve("notes.keep"));
			Files.writeString(foreign.resolve("important"), "keep me");
			Path almost = Files.createDirectories(staging.resolve(OWNER.uuid() + ".populated.not-hex-digits"));
			Files.writeString(almost.resolve("important"), "keep me");
			manager.collectGarbage(NOW);
			assertThat(foreign.resolve("important")).exists();
			assertThat(almost.resolve("important")).exists();
			assertThat(staging.resolve("notes.lock")).as("a lock file the sweep made up").doesNotExist();
		}
	}

	/** The sweep of stale temporaries in {@code logs/} removes only names a rewrite gives. */
	@Test
	void logsSweepTouchesOnlyRewriteTemporaries() throws Exception {
		Path depot = this.temp.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			manager.getScratch(OWNER, "used");
			Path logs = Files.createDirectories(depot.resolve("logs"));
			Path notes = Files.writeString(logs.resolve("my.tmp-notes"), "keep me");
			Path emptyDirectory = Files.createDirectories(logs.resolve("old.tmp-dir"));
			manager.collectGarbage(NOW);
			assertThat(notes).exists();
			assertThat(emptyDirectory).exists();
		}
	}

}
