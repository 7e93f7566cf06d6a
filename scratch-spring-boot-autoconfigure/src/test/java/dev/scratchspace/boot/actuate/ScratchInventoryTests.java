package dev.scratchspace.boot.actuate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.scratchspace.ScratchSpaceManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ScratchInventory}.
 */
class ScratchInventoryTests {

	@TempDir
	Path depot;

	private final AtomicLong nanoTime = new AtomicLong();

	private ScratchSpaceManager manager;

	private ScratchInventory inventory;

	@BeforeEach
	void createInventory() {
		this.manager = ScratchSpaceManager.builder().depot(this.depot).trackAccess(false).build();
		this.inventory = new ScratchInventory(this.manager, Duration.ofSeconds(10), this.nanoTime::get);
	}

	@AfterEach
	void closeManager() {
		this.manager.close();
	}

	@Test
	void listingIsReusedWithinTheTimeToLive() throws Exception {
		this.manager.getScratch("first");
		assertThat(this.inventory.spaces()).hasSize(1);
		createBehindTheManagersBack("second");
		this.nanoTime.addAndGet(Duration.ofSeconds(9).toNanos());
		assertThat(this.inventory.spaces()).hasSize(1);
		this.nanoTime.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(this.inventory.spaces()).hasSize(2);
	}

	@Test
	void managersOwnChangesDropTheListingAtOnce() {
		this.manager.getScratch("first");
		assertThat(this.inventory.spaces()).hasSize(1);
		this.manager.getScratch("second");
		assertThat(this.inventory.spaces()).hasSize(2);
		this.manager.deleteScratch("first");
		assertThat(this.inventory.spaces()).hasSize(1);
	}

	@Test
	void totalBytesIsTheSumOfTheSpaces() throws Exception {
		Files.writeString(this.manager.getScratch("a").resolve("file"), "12345");
		Files.writeString(this.manager.getScratch("b").resolve("file"), "123");
		assertThat(this.inventory.totalBytes()).isEqualTo(8);
	}

	private void createBehindTheManagersBack(String key) throws Exception {
		Files.createDirectories(this.depot.resolve("scratchspaces").resolve(UUID.randomUUID().toString()).resolve(key));
	}

}
