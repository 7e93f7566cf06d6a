package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A collector in another process never deletes a space that a manager leased, even when the
 * lease is taken after the collector started, and whatever path the manager reached the
 * depot by.
 */
class ReliabilityLeaseRaceTests {

	private static final ScratchOwner OWNER = ScratchOwner.of("org.example", "race");

	@TempDir
	Path temp;

	@Test
	void spaceLeasedWhileTheCollectorDeletesOrphansIsKept() throws Exception {
		Path depot = this.temp.resolve("depot");
		int spaces = 5_000;
		List<String> keys = orphans(depot, spaces);
		List<Path> markers = new ArrayList<>();
		try (WatchedChild collector = WatchedChild.start(this.temp.resolve("collector"), "collect",
				depot.toString()); ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			collector.awaitLine("collecting"::equals);
			Path owner = depot.resolve("scratchspaces").resolve(OWNER.uuid().toString());
			awaitFewerThan(owner, spaces);
			Collections.shuffle(keys, new Random(1));
			for (String key : keys) {
				if (markers.size() == 100) {
					break;
				}
				if (Files.isDirectory(owner.resolve(key), LinkOption.NOFOLLOW_LINKS)) {
					Path marker = manager.getScratch(OWNER, key).resolve("marker");
					Files.writeString(marker, "leased");
					markers.add(marker);
				}
			}
			collector.awaitSuccess();
			assertThat(markers).as("spaces leased while the collector ran").isNotEmpty();
			assertThat(markers.stream().filter((marker) -> !Files.exists(marker)).toList())
				.as("markers in leased spaces that the collector deleted")
				.isEmpty();
		}
	}

	@Test
	void manyWritersWithMarkersLoseNoneToACollectorWithoutDelay() throws Exception {
		Path depot = this.temp.resolve("depot");
		Path projects = Files.createDirectories(this.temp.resolve("projects"));
		int projectCount = 16;
		for (int p = 0; p < projectCount; p++) {
			Files.writeString(projects.resolve("project-" + p + ".jar"), "jar");
		}
		int writers = 8;
		int operations = 2_500;
		List<WatchedChild> children = new ArrayList<>();
		AtomicBoolean churning = new AtomicBoolean(true);
		AtomicLong churned = new AtomicLong();
		try (WatchedChild collector = WatchedChild.start(this.temp.resolve("collector"), "collect-loop",
				depot.toString())) {
			collector.awaitLine("started"::equals);
			Thread churn = new Thread(() -> churn(projects, projectCount, collector, churning, churned),
					"project churn");
			churn.start();
			for (int w = 0; w < writers; w++) {
				WatchedChild writer = WatchedChild.start(this.temp.resolve("writer-" + w), "marker-writer",
						depot.toString(), String.valueOf(w), String.valueOf(operations), "4", "60",
						projects.toString(), String.valueOf(projectCount), "150");
				writer.relatedTo(collector);
				children.add(writer);
			}
			long total = 0;
			for (WatchedChild writer : children) {
				String done = writer.awaitLine((line) -> line.startsWith("done "));
				assertThat(done).as(writer.describe()).endsWith(" lost=0");
				total += Long.parseLong(done.replaceAll(".*operations=(\\d+).*", "$1"));
				writer.awaitSuccess();
			}
			churning.set(false);
			churn.join();
			collector.closeInput();
			String stopped = collector.awaitLine((line) -> line.startsWith("stopped "));
			collector.awaitSuccess();
			assertThat(total).as("operations").isGreaterThanOrEqualTo(20_000);
			assertThat(churned.get()).as("project files deleted and recreated").isPositive();
			assertThat(Long.parseLong(stopped.replaceAll(".*deleted=(\\d+).*", "$1")))
				.as("spaces the collector deleted meanwhile: the race was really run")
				.isPositive();
		}
		finally {
			churning.set(false);
			children.forEach(WatchedChild::close);
		}
		TomlParseResult log = Toml.parse(Files.readString(depot.resolve("logs/scratch_usage.toml"),
				StandardCharsets.UTF_8));
		assertThat(log.errors()).as("usage log parse errors").isEmpty();
	}

	@Test
	void collectorReachingTheDepotThroughALinkKeepsSpacesLeasedThroughTheRealPath() throws Exception {
		Path depot = Files.createDirectories(this.temp.resolve("depot"));
		Path alias = Files.createSymbolicLink(this.temp.resolve("alias"), depot);
		Path signals = Files.createDirectories(this.temp.resolve("signals"));
		try (WatchedChild holder = WatchedChild.start(this.temp.resolve("holder"), "lease", depot.toString(),
				OWNER.uuid().toString(), "held", signals.resolve("ready").toString())) {
			awaitFile(signals.resolve("ready"), holder);
			try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(alias).build()) {
				GcReport report = manager.collectGarbage(GcOptions.defaults().withCollectDelay(java.time.Duration.ZERO));
				assertThat(report.decisions()).singleElement()
					.satisfies((decision) -> assertThat(decision.action()).isEqualTo(GcDecision.Action.SKIPPED_LEASED));
			}
			assertThat(depot.resolve("scratchspaces").resolve(OWNER.uuid().toString()).resolve("held")).isDirectory();
		}
	}

	@Test
	void listingThroughAnAliasInTheSameJvmKeepsTheLeaseLocked() throws Exception {
		Path depot = Files.createDirectories(this.temp.resolve("depot"));
		Path alias = Files.createSymbolicLink(this.temp.resolve("alias"), depot);
		try (ScratchSpaceManager holder = ScratchSpaceManager.builder().depot(depot).build();
				ScratchSpaceManager lister = ScratchSpaceManager.builder().depot(alias).build()) {
			Path space = holder.getScratch(OWNER, "held");
			assertThat(lister.spaces()).singleElement().satisfies((listed) -> assertThat(listed.leased()).isTrue());
			Process collector = ChildJvm.start(this.temp.resolve("collector"), "collect", depot.toString());
			ChildJvm.awaitSuccess(collector, this.temp.resolve("collector"));
			assertThat(space).as("leased space after a collection in another process").isDirectory();
		}
	}

	private static List<String> orphans(Path depot, int count) throws IOException {
		Path owner = Files.createDirectories(depot.resolve("scratchspaces").resolve(OWNER.uuid().toString()));
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String key = "orphan-" + i;
			Path space = Files.createDirectory(owner.resolve(key));
			Files.writeString(space.resolve("a"), "a");
			Files.writeString(space.resolve("b"), "b");
			keys.add(key);
		}
		return keys;
	}

	/** Waits until the collector has removed at least one space from the owner directory. */
	private static void awaitFewerThan(Path owner, int count) throws Exception {
		long deadline = System.nanoTime() + WatchedChild.DEADLINE.toNanos();
		while (true) {
			try (var listing = Files.list(owner)) {
				if (listing.count() < count) {
					return;
				}
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("the collector deleted nothing");
			}
			Thread.onSpinWait();
		}
	}

	/** Waits, by watching its directory, until the child has written the file. */
	private static void awaitFile(Path file, WatchedChild child) throws Exception {
		long deadline = System.nanoTime() + WatchedChild.DEADLINE.toNanos();
		try (WatchService watcher = file.getFileSystem().newWatchService()) {
			file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
			while (!Files.exists(file)) {
				if (System.nanoTime() > deadline) {
					throw new AssertionError("no " + file + ": " + child.describe());
				}
				WatchKey key = watcher.poll(1, TimeUnit.SECONDS);
				if (key != null) {
					key.pollEvents();
					key.reset();
				}
			}
		}
	}

	/**
	 * Deletes one project file after another, each until the collector has finished one more
	 * run, so that the spaces it kept alive look orphaned to at least one whole collection.
	 */
	private static void churn(Path projects, int count, WatchedChild collector, AtomicBoolean running,
			AtomicLong churned) {
		Random random = new Random(3);
		Predicate<String> run = (line) -> line.startsWith("gc ");
		try {
			while (running.get()) {
				Path project = projects.resolve("project-" + random.nextInt(count) + ".jar");
				long runs = collector.count(run);
				Files.deleteIfExists(project);
				collector.awaitLines(run, runs + 1);
				Files.writeString(project, "jar");
				churned.incrementAndGet();
			}
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
