package dev.scratchspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A manager in another process that keeps its usage log open, while collections in this one
 * rename condensed logs over it between its appends: no entry is lost, none goes to a log
 * that was already replaced.
 */
class UsageLogCondenseRaceTests {

	private static final int ACCESSES = 1500;

	@Test
	void collectionsRenamingTheLogBetweenAppendsOfAnotherProcessLoseNoEntry(@TempDir Path dir) throws Exception {
		Path depot = dir.resolve("depot");
		Path project = Files.writeString(dir.resolve("pom.xml"), "<project/>");
		UUID owner = UUID.randomUUID();
		Path log = depot.resolve("logs").resolve("scratch_usage.toml");
		Process child = ChildJvm.start(dir.resolve("child"), "track-many", depot.toString(), owner.toString(),
				project.toString(), "key-", Integer.toString(ACCESSES));
		Set<Object> logs = new HashSet<>();
		int collections = 0;
		try (ScratchSpaceManager collector = ScratchSpaceManager.builder().depot(depot).trackAccess(false).build()) {
			while (child.isAlive()) {
				collector.collectGarbage(GcOptions.defaults());
				collections++;
				if (Files.exists(log)) {
					logs.add(Files.readAttributes(log, BasicFileAttributes.class).fileKey());
				}
			}
			ChildJvm.awaitSuccess(child, dir.resolve("child"));
			assertThat(collections).isPositive();
			// The collections really put new logs in place while the child appended.
			assertThat(logs).hasSizeGreaterThan(1);
			collector.collectGarbage(GcOptions.defaults());
		}
		String text = Files.readString(log);
		List<String> missing = new ArrayList<>();
		for (int i = 0; i < ACCESSES; i++) {
			if (!text.contains("/key-" + i + "\"")) {
				missing.add("key-" + i);
			}
		}
		assertThat(missing).isEmpty();
	}

}
