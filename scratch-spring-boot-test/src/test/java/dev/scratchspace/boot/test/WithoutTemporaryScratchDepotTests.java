package dev.scratchspace.boot.test;

import java.nio.file.Path;

import dev.scratchspace.ScratchSpaceManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @SpringBootTest} without {@link TemporaryScratchDepot @TemporaryScratchDepot}
 * keeps the depot that the test configures.
 */
@SpringBootTest(classes = TestApplication.class)
@DirtiesContext
class WithoutTemporaryScratchDepotTests {

	@TempDir
	static Path depot;

	@DynamicPropertySource
	static void depot(DynamicPropertyRegistry registry) {
		registry.add("scratch.depot", depot::toString);
	}

	@Autowired
	ScratchSpaceManager manager;

	@Autowired
	TestApplication.Downloads downloads;

	@Test
	void depotIsTheConfiguredOne() {
		assertThat(this.manager.depot()).isEqualTo(depot);
		assertThat(this.downloads.path()).startsWith(depot.resolve("scratchspaces"));
	}

}
