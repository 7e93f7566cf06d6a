package dev.scratchspace.boot.actuate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import dev.scratchspace.Artifacts;
import dev.scratchspace.GcOptions;
import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpace;
import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchInventory.ListedArtifact;
import dev.scratchspace.boot.actuate.ScratchInventory.ListedSpace;
import dev.scratchspace.boot.actuate.ScratchInventory.Listing;
import dev.scratchspace.boot.actuate.ScratchInventory.Sizes;
import dev.scratchspace.boot.actuate.ScratchInventory.Snapshot;
import dev.scratchspace.boot.actuate.endpoint.ScratchEndpoint;
import dev.scratchspace.boot.actuate.endpoint.ScratchEndpoint.ArtifactDescriptor;
import dev.scratchspace.boot.actuate.endpoint.ScratchEndpoint.SpaceDescriptor;
import dev.scratchspace.boot.actuate.endpoint.ScratchEndpoint.SpacesDescriptor;
import dev.scratchspace.boot.health.ScratchHealthIndicator;
import dev.scratchspace.boot.metrics.ScratchMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ScratchInventory}.
 */
class ScratchInventoryTests {

	private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

	private static final Duration LONG = Duration.ofHours(1);

	@TempDir
	Path depot;

	private final RecordingWalk walk = new RecordingWalk();

	private final RecordingArtifactListing artifactListing = new RecordingArtifactListing();

	private final BlockingQueue<Snapshot> refreshed = new LinkedBlockingQueue<>();

	private ScratchSpaceManager manager;

	private ScratchInventory inventory;

	@BeforeEach
	void createManager() {
		this.manager = ScratchSpaceManager.builder().depot(this.depot).trackAccess(false).build();
	}

	@AfterEach
	void stopAndClose() {
		if (this.inventory != null) {
			this.inventory.stop();
		}
		this.manager.close();
	}

	private ScratchInventory inventory(Duration refreshInterval, Duration changeCheckInterval) {
		this.inventory = new ScratchInventory(this.manager, refreshInterval, changeCheckInterval,
				Clock.fixed(NOW, ZoneOffset.UTC), System::nanoTime, (nanos) -> {
				}, this.walk, this.artifactListing);
		this.inventory.onRefresh(this.refreshed::add);
		return this.inventory;
	}

	@Test
	void listingShowsTheSpacesThatExistWithTheSizesOfTheLastWalk() throws Exception {
		ScratchInventory inventory = inventory(LONG, LONG);
		Path a = this.manager.getScratch("a");
		Files.writeString(a.resolve("file"), "12345");
		Path gone = this.manager.getScratch("gone");
		Listing before = inventory.list();
		assertThat(before.sizesAsOf()).isNull();
		assertThat(before.spaces()).extracting(ListedSpace::sizes).containsOnlyNulls();
		assertThat(inventory.snapshot()).isNull();

		Snapshot snapshot = inventory.refresh();
		assertThat(snapshot.asOf()).isEqualTo(NOW);
		assertThat(snapshot.totalBytes()).isEqualTo(5);
		assertThat(snapshot.spaceCount()).isEqualTo(2);
		assertThat(inventory.snapshot()).isSameAs(snapshot);

		Files.writeString(a.resolve("more"), "678");
		Path b = this.manager.getScratch("b");
		this.manager.deleteScratch("gone");
		Listing after = inventory.list();
		assertThat(after.sizesAsOf()).isEqualTo(NOW);
		assertThat(after.spaces()).extracting((listed) -> listed.space().path()).containsExactly(a, b);
		assertThat(after.spaces()).extracting(ListedSpace::sizes).containsExactly(new Sizes(5, 1), null);
		assertThat(inventory.snapshot().sizes(gone)).isEqualTo(new Sizes(0, 0));
		assertThat(inventory.measure(a)).map(ScratchSpace::sizeBytes).contains(8L);
		assertThat(inventory.measure(gone)).isEmpty();
	}

	@Test
	void listingAndOneSpaceMeasureNoMoreThanTheyShow() throws Exception {
		ScratchInventory inventory = inventory(LONG, LONG);
		Path a = this.manager.getScratch("a");
		this.manager.getScratch("b");
		inventory.list();
		assertThat(this.walk.measured).isEmpty();
		inventory.measure(a);
		assertThat(this.walk.measured).extracting(Measured::path).containsExactly(a);
	}

	@Test
	void gaugesHealthAndListingReadTheSnapshotWhileAWalkIsBlocked() throws Exception {
		ScratchInventory inventory = inventory(LONG, LONG);
		Path a = this.manager.getScratch(ScratchOwner.GLOBAL, "a");
		Files.writeString(a.resolve("file"), "12345");
		inventory.refresh();
		MeterRegistry registry = new SimpleMeterRegistry();
		new ScratchMetrics(inventory).bindTo(registry);
		ScratchHealthIndicator health = new ScratchHealthIndicator(inventory, DataSize.ofBytes(0));
		ScratchEndpoint endpoint = new ScratchEndpoint(inventory,
				new ScratchGarbageCollector(this.manager, GcOptions.defaults(), List.of(inventory)));
		Files.writeString(a.resolve("more"), "678");
		this.walk.block = true;
		this.walk.measured.clear();
		this.refreshed.clear();
		inventory.start();
		inventory.requestRefresh();
		this.walk.blocked.await();

		assertThat(registry.get("scratch.size").gauge().value()).isEqualTo(5);
		assertThat(registry.get("scratch.spaces").gauge().value()).isEqualTo(1);
		Health checked = health.health();
		assertThat(checked.getDetails()).containsEntry("totalBytes", 5L)
			.containsEntry("spaces", 1)
			.containsEntry("sizesAsOf", NOW.toString());
		SpacesDescriptor listing = endpoint.spaces();
		assertThat(listing.totalBytes()).isEqualTo(5);
		assertThat(listing.sizesAsOf()).isEqualTo(NOW.toString());
		assertThat(listing.spaces()).extracting(SpaceDescriptor::bytes).containsExactly(5L);
		assertThat(endpoint.ownerSpaces("global").spaces()).extracting(SpaceDescriptor::files).containsExactly(1L);
		// Only the background thread measured anything, and it is still blocked on its first space.
		assertThat(this.walk.measured).singleElement()
			.satisfies((measured) -> assertThat(measured.thread().getName())
				.startsWith(ScratchInventory.THREAD_NAME_PREFIX));

		this.walk.release.countDown();
		Snapshot next = this.refreshed.take();
		assertThat(next.totalBytes()).isEqualTo(8);
		assertThat(registry.get("scratch.size").gauge().value()).isEqualTo(8);
	}

	@Test
	void artifactsComeFromTheSnapshotAndAreNeverListedOnTheCallersThread() throws Exception {
		ScratchInventory inventory = inventory(LONG, LONG);
		String first = this.manager.artifacts().create((dir) -> Files.writeString(dir.resolve("file"), "12345"));
		MeterRegistry registry = new SimpleMeterRegistry();
		new ScratchMetrics(inventory).bindTo(registry);
		ScratchHealthIndicator health = new ScratchHealthIndicator(inventory, DataSize.ofBytes(0));
		ScratchEndpoint endpoint = new ScratchEndpoint(inventory,
				new ScratchGarbageCollector(this.manager, GcOptions.defaults(), List.of(inventory)));

		SpacesDescriptor before = endpoint.spaces();
		assertThat(before.artifacts()).isEmpty();
		assertThat(before.artifactsWarning()).isEqualTo(ScratchInventory.NOT_LISTED_YET);
		assertThat(before.sizesAsOf()).isNull();
		assertThat(endpoint.ownerSpaces("global").artifactsWarning()).isNull();

		inventory.refresh();
		String second = this.manager.artifacts().create((dir) -> Files.writeString(dir.resolve("file"), "123"));
		this.artifactListing.block = true;
		this.artifactListing.threads.clear();
		this.refreshed.clear();
		inventory.start();
		inventory.requestRefresh();
		this.artifactListing.blocked.await();

		// The walk is stuck listing the artifacts: every reader answers from the last snapshot.
		SpacesDescriptor listing = endpoint.spaces();
		assertThat(listing.artifacts()).extracting(ArtifactDescriptor::treeHash).containsExactly(first);
		assertThat(listing.artifacts()).extracting(ArtifactDescriptor::bytes).containsExactly(5L);
		assertThat(listing.artifacts()).extracting(ArtifactDescriptor::status).containsExactly("UNBOUND");
		assertThat(listing.artifactsWarning()).isNull();
		assertThat(listing.sizesAsOf()).isEqualTo(NOW.toString());
		assertThat(health.health().getDetails()).containsEntry("artifacts", 1).containsEntry("artifactBytes", 5L);
		assertThat(registry.get("scratch.artifacts").gauge().value()).isEqualTo(1);
		assertThat(registry.get("scratch.artifacts.size").gauge().value()).isEqualTo(5);
		assertThat(inventory.list().artifacts()).hasSize(1);
		assertThat(this.artifactListing.threads).singleElement()
			.satisfies((thread) -> assertThat(thread.getName()).startsWith(ScratchInventory.THREAD_NAME_PREFIX));

		this.artifactListing.release.countDown();
		Snapshot next = this.refreshed.take();
		assertThat(next.artifacts()).extracting(Artifacts.Installed::treeHash)
			.containsExactlyElementsOf(List.of(first, second).stream().sorted().toList());
		assertThat(endpoint.spaces().artifacts()).hasSize(2);
	}

	@Test
	void ownArtifactsAreListedSoon() throws Exception {
		ScratchInventory inventory = inventory(LONG, Duration.ofMillis(10));
		inventory.start();
		assertThat(this.refreshed.take().artifactCount()).isZero();
		String created = this.manager.artifacts().create((dir) -> Files.writeString(dir.resolve("file"), "12"));
		Snapshot snapshot = this.refreshed.take();
		assertThat(snapshot.artifacts()).extracting(Artifacts.Installed::treeHash).containsExactly(created);
		assertThat(inventory.list().artifacts()).extracting(ListedArtifact::sizes).containsExactly(new Sizes(2, 1));
	}

	@Test
	void anArtifactsDirectoryThatCannotBeListedIsAWarningOfTheSnapshot() throws Exception {
		ScratchInventory inventory = inventory(LONG, LONG);
		Path a = this.manager.getScratch("a");
		Files.writeString(this.depot.resolve("artifacts"), "not a directory");
		Snapshot snapshot = inventory.refresh();
		assertThat(snapshot.artifacts()).isEmpty();
		assertThat(snapshot.artifactsWarning()).startsWith("Cannot list the artifacts: ")
			.contains(this.depot.resolve("artifacts").toString());
		Listing listing = inventory.list();
		assertThat(listing.artifactsWarning()).isEqualTo(snapshot.artifactsWarning());
		assertThat(listing.spaces()).extracting((listed) -> listed.space().path()).containsExactly(a);
	}

	@Test
	void refreshThreadIsADaemonNamedAsDocumentedAndEndsWithStop() throws Exception {
		ScratchInventory inventory = inventory(LONG, LONG);
		this.manager.getScratch("a");
		inventory.start();
		assertThat(inventory.isRunning()).isTrue();
		this.refreshed.take();
		Thread thread = this.walk.measured.get(0).thread();
		assertThat(thread.getName()).startsWith(ScratchInventory.THREAD_NAME_PREFIX);
		assertThat(thread.isDaemon()).isTrue();
		inventory.stop();
		assertThat(inventory.isRunning()).isFalse();
		thread.join();
		assertThat(thread.isAlive()).isFalse();
	}

	@Test
	void ownChangesAreMeasuredSoon() throws Exception {
		ScratchInventory inventory = inventory(LONG, Duration.ofMillis(10));
		inventory.start();
		assertThat(this.refreshed.take().spaceCount()).isZero();
		Path created = this.manager.getScratch("new");
		assertThat(this.refreshed.take().sizes(created)).isNotNull();
	}

	@Test
	void collectionIsMeasuredAtOnce() throws Exception {
		ScratchInventory inventory = inventory(LONG, LONG);
		inventory.start();
		assertThat(this.refreshed.take().spaceCount()).isZero();
		// Another process's space: no change of this manager's own would show it.
		Path untracked = this.depot.resolve("scratchspaces").resolve(UUID.randomUUID().toString()).resolve("x");
		Files.createDirectories(untracked);
		inventory.collected(this.manager.collectGarbage(GcOptions.defaults().withDryRun(true)));
		assertThat(this.refreshed.take().sizes(untracked)).isEqualTo(new Sizes(0, 0));
	}

	@Test
	void walkPausesBetweenSpacesForThreeTimesItsWork() {
		AtomicLong nanoTime = new AtomicLong();
		List<Long> pauses = new CopyOnWriteArrayList<>();
		WalkThrottle.Sleeper sleeper = (nanos) -> {
			pauses.add(nanos);
			nanoTime.addAndGet(nanos);
		};
		// Each space takes 20 ms of the fake clock to walk.
		ScratchInventory.SizeWalk slowWalk = (manager, measure) -> manager.spaces((path) -> {
			nanoTime.addAndGet(Duration.ofMillis(20).toNanos());
			return measure.test(path);
		});
		this.inventory = new ScratchInventory(this.manager, LONG, LONG, Clock.fixed(NOW, ZoneOffset.UTC), nanoTime::get,
				sleeper, slowWalk);
		this.manager.getScratch("a");
		this.manager.getScratch("b");
		this.manager.getScratch("c");
		Snapshot snapshot = this.inventory.refresh();
		assertThat(pauses).containsExactly(ms(60), ms(60), ms(60));
		assertThat(snapshot.walkTime()).isEqualTo(Duration.ofMillis(240));
	}

	@Test
	void stopEndsAWalkBetweenSpacesAndKeepsTheSnapshot() throws Exception {
		CountDownLatch pausing = new CountDownLatch(1);
		AtomicLong nanoTime = new AtomicLong();
		WalkThrottle.Sleeper sleeper = (nanos) -> {
			pausing.countDown();
			new CountDownLatch(1).await(); // until the walk is interrupted
		};
		this.inventory = new ScratchInventory(this.manager, LONG, LONG, Clock.fixed(NOW, ZoneOffset.UTC),
				() -> nanoTime.addAndGet(Duration.ofSeconds(1).toNanos()), sleeper, this.walk);
		this.manager.getScratch("a");
		this.inventory.start();
		pausing.await();
		Thread thread = this.walk.threads.get(0);
		this.inventory.stop();
		thread.join();
		assertThat(this.inventory.snapshot()).isNull();
		assertThat(this.walk.measured).isEmpty();
	}

	@Test
	void refreshIntervalMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ScratchInventory(this.manager, Duration.ZERO))
			.withMessageContaining("'refreshInterval' must be positive");
	}

	private static long ms(long millis) {
		return Duration.ofMillis(millis).toNanos();
	}

	/** Reads through the manager; records who measured what, and can block before measuring. */
	static final class RecordingWalk implements ScratchInventory.SizeWalk {

		final List<Measured> measured = new CopyOnWriteArrayList<>();

		final List<Thread> threads = new CopyOnWriteArrayList<>();

		final CountDownLatch blocked = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		volatile boolean block;

		@Override
		public List<ScratchSpace> spaces(ScratchSpaceManager manager, Predicate<? super Path> measure) {
			this.threads.add(Thread.currentThread());
			return manager.spaces((path) -> {
				boolean measuring = measure.test(path);
				if (measuring) {
					this.measured.add(new Measured(path, Thread.currentThread()));
					if (this.block) {
						this.blocked.countDown();
						awaitRelease();
					}
				}
				return measuring;
			});
		}

		private void awaitRelease() {
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	record Measured(Path path, Thread thread) {
	}

	/** Lists through the manager; records who listed, and can block before listing. */
	static final class RecordingArtifactListing implements ScratchInventory.ArtifactListing {

		final List<Thread> threads = new CopyOnWriteArrayList<>();

		final CountDownLatch blocked = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		volatile boolean block;

		@Override
		public List<Artifacts.Installed> installed(ScratchSpaceManager manager) {
			this.threads.add(Thread.currentThread());
			// Only the inventory's own thread may wait here: a caller's thread must never list.
			if (this.block && Thread.currentThread().getName().startsWith(ScratchInventory.THREAD_NAME_PREFIX)) {
				this.blocked.countDown();
				try {
					this.release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
			return manager.artifacts().installed();
		}

	}

}
