package dev.scratchspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * A depot in a temporary directory, with a clock, for tests that run one collection
 * directly, through the seams of {@link CollectionRun}, to act between its steps.
 */
final class CollectionDepot {

	static final ScratchOwner LIBRARY = ScratchOwner.of("org.example", "library");

	private final Path root;

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-18T03:00:00Z"));

	private CollectionDepot(Path root) {
		this.root = root;
	}

	/** A new depot, {@code depot/} in the given directory. */
	static CollectionDepot in(Path temp) throws IOException {
		return new CollectionDepot(Files.createDirectories(temp.resolve("depot")).toRealPath());
	}

	Path root() {
		return this.root;
	}

	MutableClock clock() {
		return this.clock;
	}

	/** A manager of this depot that records nothing in the usage log. */
	ScratchSpaceManager untrackedManager() {
		return ScratchSpaceManager.builder()
			.depot(this.root)
			.clock(this.clock)
			.environment((name) -> null)
			.trackAccess(false)
			.build();
	}

	/** A space of {@link #LIBRARY} with no usage-log entry: with no delay, the next collection deletes it. */
	Path untracked(String key) {
		try (ScratchSpaceManager user = untrackedManager()) {
			return user.getScratch(LIBRARY, key);
		}
	}

	/**
	 * Runs one collection of the depot's spaces with the state of a manager that holds no
	 * lease.
	 * @param setUp sets the run's seams
	 */
	GcReport collect(GcOptions options, UnaryOperator<CollectionRun> setUp) {
		ManagerState state = new ManagerState(DepotLayout.of(this.root), LIBRARY, null, true, Duration.ofDays(1),
				this.clock, Duration.ofSeconds(30));
		try {
			return setUp.apply(new CollectionRun(state, DepotLayout.of(this.root).spaces(), options)).run();
		}
		finally {
			state.close();
		}
	}

}
