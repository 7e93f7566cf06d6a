package dev.scratchspace;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage log replaced, between two appends of one manager, by something else: the
 * manager's next append never writes outside the depot, and never to a file that is no
 * longer the log.
 */
class UsageLogReplacedTests {

	private static final String BAIT = "outside content\n";

	@Test
	void logReplacedByALinkToAnOutsideFileLeavesThatFileAlone(@TempDir Path dir) throws Exception {
		attack(dir, (log) -> {
			try {
				Files.delete(log);
				Files.createSymbolicLink(log, dir.resolve("outside").resolve("scratch_usage.toml"));
			}
			catch (Exception ex) {
				throw new AssertionError(ex);
			}
		});
	}

	@Test
	void logReplacedByAHardLinkToAnOutsideFileLeavesThatFileAlone(@TempDir Path dir) throws Exception {
		attack(dir, (log) -> {
			try {
				Files.delete(log);
				Files.createLink(log, dir.resolve("outside").resolve("scratch_usage.toml"));
			}
			catch (Exception ex) {
				throw new AssertionError(ex);
			}
		});
	}

	@Test
	void logDirectoryReplacedByALinkToAnOutsideDirectoryLeavesItAlone(@TempDir Path dir) throws Exception {
		attack(dir, (log) -> {
			try {
				Path logs = log.getParent();
				Files.move(logs, dir.resolve("moved-logs"));
				Files.createSymbolicLink(logs, dir.resolve("outside"));
			}
			catch (Exception ex) {
				throw new AssertionError(ex);
			}
		});
	}

	@Test
	void logTruncatedBySomeoneElseGetsTheNextEntryAtItsNewEnd(@TempDir Path dir) throws Exception {
		Path project = Files.writeString(dir.resolve("pom.xml"), "<project/>");
		Path depot = dir.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).defaultProject(project)
			.build()) {
			manager.getScratch("first");
			Path log = depot.resolve("logs").resolve("scratch_usage.toml");
			Files.write(log, new byte[0]);
			manager.getScratch("second");
			String text = Files.readString(log);
			assertThat(text).doesNotContain("\0").doesNotContain("first").contains("second");
		}
	}

	@Test
	void collectionBetweenTwoAppendsLosesNoEntry(@TempDir Path dir) throws Exception {
		Path project = Files.writeString(dir.resolve("pom.xml"), "<project/>");
		Path depot = dir.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).defaultProject(project)
			.build(); ScratchSpaceManager collector = ScratchSpaceManager.builder().depot(depot).build()) {
			manager.getScratch("first");
			Path log = depot.resolve("logs").resolve("scratch_usage.toml");
			Object before = Files.readAttributes(log, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
			collector.collectGarbage(GcOptions.defaults());
			Object after = Files.readAttributes(log, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
			assertThat(after).isNotEqualTo(before);
			manager.getScratch("second");
			assertThat(Files.readString(log)).contains("first").contains("second");
		}
	}

	private static void attack(Path dir, Consumer<Path> replace) throws Exception {
		Path outside = Files.createDirectories(dir.resolve("outside"));
		Path bait = Files.writeString(outside.resolve("scratch_usage.toml"), BAIT);
		Path project = Files.writeString(dir.resolve("pom.xml"), "<project/>");
		Path depot = dir.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).defaultProject(project)
			.build()) {
			manager.getScratch("first");
			Path log = depot.resolve("logs").resolve("scratch_usage.toml");
			assertThat(Files.readString(log)).contains("first");
			replace.accept(log);
			try {
				manager.getScratch("second");
			}
			catch (UncheckedIOException ex) {
				// Refusing is fine; writing outside is not.
			}
		}
		assertThat(Files.readString(bait, StandardCharsets.UTF_8)).isEqualTo(BAIT);
		try (var files = Files.list(outside)) {
			assertThat(files.map((p) -> p.getFileName().toString()).sorted().toList())
				.containsExactly("scratch_usage.toml");
		}
	}

}
