package dev.scratchspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Processes racing to populate one space: the populator runs once, and every process gets
 * the complete content.
 */
class ReliabilityPopulateTests {

	private static final int PROCESSES = 6;

	private static final int FILES = 50;

	@TempDir
	Path temp;

	@Test
	void processesRacingForOneSpaceRunThePopulatorOnceAndAllGetItComplete() throws Exception {
		Path depot = this.temp.resolve("depot");
		Path counter = this.temp.resolve("runs");
		Path arrivals = Files.createDirectories(this.temp.resolve("arrivals"));
		List<WatchedChild> racers = new ArrayList<>();
		try {
			// The populator that runs waits until every process has arrived at getOrPopulate.
			for (int i = 0; i < PROCESSES; i++) {
				racers.add(WatchedChild.start(this.temp.resolve("racer-" + i), "populate-race", depot.toString(),
						"org.example:racer", "shared-download", String.valueOf(FILES), counter.toString(),
						arrivals.toString(), String.valueOf(PROCESSES)));
			}
			for (WatchedChild racer : racers) {
				assertThat(racer.awaitLine((line) -> line.startsWith("populated "))).as(racer.describe())
					.isEqualTo("populated files=" + FILES + " complete=true");
				racer.awaitSuccess();
			}
		}
		finally {
			racers.forEach(WatchedChild::close);
		}
		assertThat(Files.readAllLines(counter)).as("populator runs").hasSize(1);
		try (Stream<Path> arrived = Files.list(arrivals)) {
			assertThat(arrived).hasSize(PROCESSES);
		}
		try (Stream<Path> staged = Files.list(depot.resolve("staging"))) {
			assertThat(staged.filter(Files::isDirectory)).as("staging directories").isEmpty();
		}
	}

	@Test
	void spaceFilledMeanwhileWithoutThePopulateLockIsKeptAndTheStagingDiscarded() throws Exception {
		Path depot = this.temp.resolve("depot");
		ScratchOwner owner = ScratchOwner.of("org.example", "racer");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			Path space = manager.scratchPath(owner, "filled-meanwhile");
			Path populated = manager.getOrPopulate(owner, "filled-meanwhile", (staging) -> {
				Files.writeString(staging.resolve("ours"), "ours");
				// Someone who uses getScratch, not getOrPopulate, fills the space meanwhile.
				try (ScratchSpaceManager other = ScratchSpaceManager.builder().depot(depot).build()) {
					Files.writeString(other.getScratch(owner, "filled-meanwhile").resolve("theirs"), "theirs");
				}
			});
			assertThat(populated).isEqualTo(space);
			assertThat(space.resolve("theirs")).hasContent("theirs");
			assertThat(space.resolve("ours")).doesNotExist();
		}
		try (Stream<Path> staged = Files.list(depot.resolve("staging"))) {
			assertThat(staged.filter(Files::isDirectory)).as("staging directories").isEmpty();
		}
	}

}
