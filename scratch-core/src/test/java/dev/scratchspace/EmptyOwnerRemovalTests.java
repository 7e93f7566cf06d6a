package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.scratchspace.GcDecision.Action;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the collector does with an owner directory it left empty when, just before it removes
 * it, another process puts something else in its place or a space in it.
 */
class EmptyOwnerRemovalTests {

	private static final GcOptions NO_DELAY = GcOptions.defaults().withCollectDelay(Duration.ZERO);

	@TempDir
	Path temp;

	private CollectionDepot depot;

	@BeforeEach
	void createDepot() throws IOException {
		this.depot = CollectionDepot.in(this.temp);
	}

	@Test
	void regularFilePutInPlaceOfTheEmptiedOwnerDirectoryStays() {
		Path doomed = this.depot.untracked("doomed");
		Path ownerDir = doomed.getParent();
		GcReport report = collect((dir) -> {
			assertThat(dir).isEqualTo(ownerDir);
			replace(dir, () -> Files.writeString(dir, "someone else's"));
		});
		assertThat(decision(report, doomed)).isEqualTo(Action.DELETED);
		assertThat(ownerDir).isRegularFile().hasContent("someone else's");
	}

	@Test
	void linkPutInPlaceOfTheEmptiedOwnerDirectoryStaysAndItsTargetIsUntouched() throws IOException {
		Path doomed = this.depot.untracked("doomed");
		Path ownerDir = doomed.getParent();
		Path elsewhere = Files.createDirectory(this.temp.resolve("elsewhere"));
		GcReport report = collect((dir) -> replace(dir, () -> Files.createSymbolicLink(dir, elsewhere)));
		assertThat(decision(report, doomed)).isEqualTo(Action.DELETED);
		assertThat(ownerDir).isSymbolicLink();
		assertThat(elsewhere).isEmptyDirectory();
	}

	@Test
	void spaceCreatedInTheEmptiedOwnerDirectoryMeanwhileSurvives() {
		Path doomed = this.depot.untracked("doomed");
		Path ownerDir = doomed.getParent();
		Path[] created = new Path[1];
		GcReport report = collect((dir) -> created[0] = this.depot.untracked("created"));
		assertThat(decision(report, doomed)).isEqualTo(Action.DELETED);
		assertThat(created[0]).isDirectory().hasParent(ownerDir);
		assertThat(doomed).doesNotExist();
	}

	@Test
	void spacePopulatedWhileACollectionRemovesItsEmptiedOwnerDirectoryIsPutInPlace() {
		Path doomed = this.depot.untracked("doomed");
		Path ownerDir = doomed.getParent();
		try (ScratchSpaceManager user = this.depot.untrackedManager()) {
			user.beforeMoveIntoPlace((space) -> {
				// The populator is done and the owner directory was checked: a collection now
				// deletes the only other space, and with it the owner directory it left empty.
				// It runs on a thread of its own, as another process would, so that it does
				// not share the populating thread's locks.
				GcReport report = onAnotherThread(() -> collect((dir) -> {
				}));
				assertThat(decision(report, doomed)).isEqualTo(Action.DELETED);
				assertThat(ownerDir).doesNotExist();
			});
			Path populated = user.getOrPopulate(CollectionDepot.LIBRARY, "populated",
					(dir) -> Files.writeString(dir.resolve("data"), "filled"));
			assertThat(populated).hasParent(ownerDir);
			assertThat(populated.resolve("data")).hasContent("filled");
		}
	}

	@Test
	void emptyOwnerDirectoryIsRemovedWhenNothingInterferes() {
		Path doomed = this.depot.untracked("doomed");
		GcReport report = collect((dir) -> {
		});
		assertThat(decision(report, doomed)).isEqualTo(Action.DELETED);
		assertThat(doomed.getParent()).doesNotExist();
	}

	private GcReport collect(Consumer<Path> beforeOwnerRemoval) {
		return this.depot.collect(NO_DELAY, (run) -> run.beforeOwnerRemoval(beforeOwnerRemoval));
	}

	private static <T> T onAnotherThread(Callable<T> action) {
		FutureTask<T> task = new FutureTask<>(action);
		Thread thread = new Thread(task, "collector");
		thread.start();
		try {
			return task.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
	}


	private static Action decision(GcReport report, Path space) {
		return report.decisions().stream().filter((d) -> d.path().equals(space)).findFirst().orElseThrow().action();
	}

	private static void replace(Path dir, IoAction putInPlace) {
		try {
			Files.delete(dir);
			putInPlace.run();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@FunctionalInterface
	private interface IoAction {

		void run() throws IOException;

	}

}
