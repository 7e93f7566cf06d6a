package dev.scratchspace.boot.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.scratchspace.GcOptions;
import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchGarbageCollector;
import dev.scratchspace.boot.actuate.ScratchInventory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ScratchMetrics}.
 */
class ScratchMetricsTests {

	@TempDir
	Path depot;

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private ScratchSpaceManager manager;

	private ScratchInventory inventory;

	private ScratchGarbageCollector collector;

	@BeforeEach
	void bindMeters() {
		this.manager = ScratchSpaceManager.builder().depot(this.depot).trackAccess(false).build();
		this.inventory = new ScratchInventory(this.manager);
		ScratchMetrics metrics = new ScratchMetrics(this.inventory);
		metrics.bindTo(this.registry);
		this.collector = new ScratchGarbageCollector(this.manager,
				GcOptions.defaults().withCollectDelay(Duration.ZERO), List.of(metrics));
	}

	@AfterEach
	void closeManager() {
		this.manager.close();
	}

	@Test
	void gaugesCountTheSpacesAndTheirSize() throws Exception {
		Files.writeString(this.manager.getScratch("a").resolve("file"), "12345");
		Files.writeString(this.manager.getScratch("b").resolve("file"), "123");
		this.inventory.refresh();
		assertThat(this.registry.get("scratch.spaces").gauge().value()).isEqualTo(2);
		assertThat(this.registry.get("scratch.size").gauge().value()).isEqualTo(8);
		assertThat(this.registry.get("scratch.size").gauge().getId().getBaseUnit()).isEqualTo("bytes");
	}

	@Test
	void gaugesAreUnknownBeforeTheFirstWalkAndStayUntilTheNext() throws Exception {
		Files.writeString(this.manager.getScratch("a").resolve("file"), "12345");
		assertThat(this.registry.get("scratch.spaces").gauge().value()).isNaN();
		assertThat(this.registry.get("scratch.size").gauge().value()).isNaN();
		this.inventory.refresh();
		Files.writeString(this.manager.getScratch("b").resolve("file"), "123");
		assertThat(this.registry.get("scratch.spaces").gauge().value()).isEqualTo(1);
		assertThat(this.registry.get("scratch.size").gauge().value()).isEqualTo(5);
		assertThat(this.registry.get("scratch.size").gauge().getId().getDescription())
			.contains("scratch.inventory.refresh-interval");
	}

	@Test
	void artifactGaugesCountTheInstalledArtifactsAndTheirSizeFromTheSnapshot() throws Exception {
		assertThat(this.registry.get("scratch.artifacts").gauge().value()).isNaN();
		assertThat(this.registry.get("scratch.artifacts.size").gauge().value()).isNaN();
		this.manager.artifacts().create((dir) -> {
			Files.writeString(dir.resolve("weights.bin"), "1234567");
			Files.createDirectories(dir.resolve("sub"));
			Files.writeString(dir.resolve("sub/config"), "12");
		});
		this.manager.artifacts().create((dir) -> Files.writeString(dir.resolve("other"), "1"));
		this.inventory.refresh();
		this.manager.artifacts().create((dir) -> Files.writeString(dir.resolve("newer"), "123"));
		assertThat(this.registry.get("scratch.artifacts").gauge().value()).isEqualTo(2);
		assertThat(this.registry.get("scratch.artifacts.size").gauge().value()).isEqualTo(10);
		assertThat(this.registry.get("scratch.artifacts.size").gauge().getId().getBaseUnit()).isEqualTo("bytes");
		assertThat(this.registry.get("scratch.artifacts").gauge().getId().getDescription())
			.contains("scratch.inventory.refresh-interval");
		assertThat(this.registry.get("scratch.artifacts.size").gauge().getId().getDescription())
			.contains("scratch.inventory.refresh-interval");
		this.inventory.refresh();
		assertThat(this.registry.get("scratch.artifacts").gauge().value()).isEqualTo(3);
		assertThat(this.registry.get("scratch.artifacts.size").gauge().value()).isEqualTo(13);
	}

	@Test
	void garbageCollectionIsTimedAndCountsWhatItDeleted() throws Exception {
		untrackedSpace("old", "1234567");
		this.collector.collect();
		this.inventory.refresh();
		assertThat(this.registry.get("scratch.gc").timer().count()).isOne();
		assertThat(this.registry.get("scratch.gc.deleted").counter().count()).isEqualTo(1);
		assertThat(this.registry.get("scratch.gc.freed").counter().count()).isEqualTo(7);
		assertThat(this.registry.get("scratch.spaces").gauge().value()).isZero();
	}

	@Test
	void dryRunIsTimedButDeletesNothingToCount() throws Exception {
		untrackedSpace("old", "1234567");
		this.collector.collect(this.collector.defaultOptions().withDryRun(true));
		this.inventory.refresh();
		assertThat(this.registry.get("scratch.gc").timer().count()).isOne();
		assertThat(this.registry.get("scratch.gc.deleted").counter().count()).isZero();
		assertThat(this.registry.get("scratch.gc.freed").counter().count()).isZero();
		assertThat(this.registry.get("scratch.spaces").gauge().value()).isOne();
	}

	private void untrackedSpace(String key, String content) throws Exception {
		Path space = this.depot.resolve("scratchspaces").resolve(UUID.randomUUID().toString()).resolve(key);
		Files.createDirectories(space);
		Files.writeString(space.resolve("file"), content);
	}

}
