package dev.scratchspace.boot.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchInventory;
import org.junit.jupiter.api.Assumptions;
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
			manager.artifacts().create((dir) -> Files.writeString(dir.resolve("weights.bin"), "123456"));
			ScratchInventory inventory = new ScratchInventory(manager);
			Instant asOf = inventory.refresh().asOf();
			Health health = health(inventory, DataSize.ofBytes(0));
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("depot", depot.toString())
				.containsEntry("readOnly", false)
				.doesNotContainKey("warning")
				.containsEntry("totalBytes", 4L)
				.containsEntry("spaces", 2)
				.containsEntry("artifacts", 1)
				.containsEntry("artifactBytes", 6L)
				.containsEntry("sizesAsOf", asOf.toString())
				.containsKey("freeBytes");
			assertThat((Long) health.getDetails().get("freeBytes")).isPositive();
			try (Stream<Path> logs = Files.list(depot.resolve("logs"))) {
				assertThat(logs).as("no probe file is left").noneMatch((file) -> file.toString().contains(".tmp-"));
			}
		}
	}

	@Test
	void readOnlyDepotIsUpAndSaysSo() throws Exception {
		// Permission bits stop no write of root, a read-only mount does: a child JVM in its own
		// user and mount namespace, where the depot is bind-mounted read-only.
		Assumptions.assumeTrue(canUnshare(), "needs unshare(1) with user and mount namespaces");
		Path depot = this.temp.resolve("depot");
		Path space;
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			space = manager.getScratch("existing");
		}
		List<String> command = List.of("unshare", "-rm", "sh", "-c", "mount --bind -o ro \"$0\" \"$0\" && exec \"$@\"",
				depot.toString(), Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				ReadOnlyHealthChild.class.getName(), depot.toString(), "existing");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output.lines()).as(output)
			.contains("space " + space, "status UP", "detail readOnly=true", "detail spaces=1")
			.anySatisfy((line) -> assertThat(line).startsWith("detail warning=The depot is read-only (Read-only file system)"));
	}

	private static boolean canUnshare() {
		try {
			Process process = new ProcessBuilder("unshare", "-rm", "true").redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Test
	void upWithoutSizesBeforeTheFirstWalk() throws Exception {
		Path depot = this.temp.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			Files.writeString(manager.getScratch("a").resolve("file"), "1234");
			Health health = health(manager, DataSize.ofBytes(0));
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsOnlyKeys("depot", "readOnly", "freeBytes");
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
