package dev.scratchspace.boot.health;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchInventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ScratchHealthIndicator}.
 */
class ScratchHealthIndicatorTests {

	@TempDir
	Path temp;

	@Test
	void upWithDepotFreeSpaceSizeAndCount() throws Exception {
		Path depot = this.temp.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			Files.writeString(manager.getScratch("a").resolve("file"), "1234");
			manager.getScratch("b");
			ScratchInventory inventory = new ScratchInventory(manager);
			Instant asOf = inventory.refresh().asOf();
			Health health = health(inventory, DataSize.ofBytes(0));
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("depot", depot.toString())
				.containsEntry("totalBytes", 4L)
				.containsEntry("spaces", 2)
				.containsEntry("sizesAsOf", asOf.toString())
				.containsKey("freeBytes");
			assertThat((Long) health.getDetails().get("freeBytes")).isPositive();
		}
	}

	@Test
	void upWithoutSizesBeforeTheFirstWalk() throws Exception {
		Path depot = this.temp.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			Files.writeString(manager.getScratch("a").resolve("file"), "1234");
			Health health = health(manager, DataSize.ofBytes(0));
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsOnlyKeys("depot", "freeBytes");
		}
	}

	@Test
	void missingDepotIsCreated() {
		Path depot = this.temp.resolve("not-yet");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			assertThat(health(manager, DataSize.ofBytes(0)).getStatus()).isEqualTo(Status.UP);
			assertThat(depot).isDirectory();
		}
	}

	@Test
	void downWhenAFileIsWhereTheDepotShouldBe() throws Exception {
		Path file = Files.writeString(this.temp.resolve("file"), "not a directory");
		Path depot = file.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			Health health = health(manager, DataSize.ofBytes(0));
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("depot", depot.toString());
			assertThat((String) health.getDetails().get("error")).startsWith("Cannot create depot " + depot)
				.contains(file.toString());
		}
	}

	@Test
	void downWhenFreeSpaceIsBelowTheMinimum() {
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(this.temp.resolve("depot")).build()) {
			ScratchInventory inventory = new ScratchInventory(manager);
			inventory.refresh();
			Health health = health(inventory, DataSize.ofBytes(Long.MAX_VALUE));
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsKeys("freeBytes", "totalBytes", "spaces");
			assertThat((String) health.getDetails().get("error")).contains("management.health.scratch.min-free-space");
		}
	}

	private static Health health(ScratchSpaceManager manager, DataSize minFreeSpace) {
		return health(new ScratchInventory(manager), minFreeSpace);
	}

	private static Health health(ScratchInventory inventory, DataSize minFreeSpace) {
		return new ScratchHealthIndicator(inventory, minFreeSpace).health();
	}

}
