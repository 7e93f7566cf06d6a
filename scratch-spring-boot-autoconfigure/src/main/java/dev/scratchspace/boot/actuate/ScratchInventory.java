package dev.scratchspace.boot.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

import dev.scratchspace.ScratchSpace;
import dev.scratchspace.ScratchSpaceManager;
import org.jspecify.annotations.Nullable;

/**
 * The spaces of a manager's depot, cached for a short time so that the endpoint, health and
 * metrics do not walk the whole depot on every request. The cache is dropped as soon as the
 * manager itself creates, deletes, clears or collects spaces (its
 * {@link ScratchSpaceManager#modificationCount() modification count} changed), so a caller
 * never misses its own change; changes by other processes show within the time to live.
 */
public final class ScratchInventory {

	/** How long a listing is reused when the manager changed nothing. */
	public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofSeconds(10);

	private final ScratchSpaceManager manager;

	private final long timeToLiveNanos;

	private final LongSupplier nanoTime;

	private @Nullable Snapshot snapshot;

	/**
	 * Creates an inventory that keeps a listing for {@link #DEFAULT_TIME_TO_LIVE}.
	 * @param manager the manager whose spaces to list
	 */
	public ScratchInventory(ScratchSpaceManager manager) {
		this(manager, DEFAULT_TIME_TO_LIVE, System::nanoTime);
	}

	ScratchInventory(ScratchSpaceManager manager, Duration timeToLive, LongSupplier nanoTime) {
		this.manager = Objects.requireNonNull(manager, "'manager' must not be null");
		this.timeToLiveNanos = timeToLive.toNanos();
		this.nanoTime = nanoTime;
	}

	/** @return the manager whose spaces are listed */
	public ScratchSpaceManager manager() {
		return this.manager;
	}

	/** @return every space in the depot, ordered by owner and key */
	public List<ScratchSpace> spaces() {
		return snapshot().spaces();
	}

	/** @return the sum of the sizes of every space in the depot, in bytes */
	public long totalBytes() {
		return snapshot().totalBytes();
	}

	private synchronized Snapshot snapshot() {
		// Read before listing: a change made while listing makes the next call list again.
		long modifications = this.manager.modificationCount();
		long now = this.nanoTime.getAsLong();
		Snapshot snapshot = this.snapshot;
		if (snapshot == null || snapshot.modifications() != modifications
				|| now - snapshot.takenAt() >= this.timeToLiveNanos) {
			List<ScratchSpace> spaces = this.manager.spaces();
			long total = spaces.stream().mapToLong(ScratchSpace::sizeBytes).sum();
			snapshot = new Snapshot(spaces, total, modifications, now);
			this.snapshot = snapshot;
		}
		return snapshot;
	}

	private record Snapshot(List<ScratchSpace> spaces, long totalBytes, long modifications, long takenAt) {
	}

}
