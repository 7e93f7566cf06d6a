package dev.scratchspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The staging lock protocol of every artifact build ({@code create}, {@code exportScratch}):
 * the lock {@code staging/artifact.<hex>.lock} is held while the directory exists, deleted
 * afterwards, and the artifact handed out is leased.
 */
class ArtifactStagingTests {

	private static final ScratchOwner OWNER = ScratchOwner.of("org.example", "exporter");

	@TempDir
	Path temp;

	private Path depot;

	private ScratchSpaceManager manager;

	private Artifacts artifacts;

	@BeforeEach
	void createManager() {
		this.depot = this.temp.resolve("depot");
		this.manager = ScratchSpaceManager.builder().depot(this.depot).build();
		this.artifacts = this.manager.artifacts();
	}

	@AfterEach
	void closeManager() throws IOException {
		this.manager.close();
		DepotFiles.deleteRecursively(this.depot);
	}

	@Test
	void theStagingLockIsHeldWhileTheDirectoryExistsThenDeleted() throws Exception {
		AtomicReference<Path> seen = new AtomicReference<>();
		AtomicReference<Boolean> lockedElsewhere = new AtomicReference<>();
		String hash = this.artifacts.create((staging) -> {
			seen.set(staging);
			assertThat(staging.getFileName().toString()).matches("artifact\\.[0-9a-f]{16}");
			Path lock = staging.resolveSibling(staging.getFileName() + ".lock");
			assertThat(lock).isRegularFile();
			// Another thread stands for the sweep: the lock cannot be taken at once.
			lockedElsewhere.set(CompletableFuture.supplyAsync(() -> {
				try (FileMutex.Held held = new FileMutex(lock).tryAcquire()) {
					return held == null;
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}).get());
			ArtifactChild.fill(staging);
		});
		assertThat(lockedElsewhere.get()).isTrue();
		assertThat(seen.get()).doesNotExist();
		assertThat(stagingEntries()).isEmpty();
		assertThat(leased()).contains(this.artifacts.root().resolve(hash).toString());
	}

	@Test
	void aFailedBuildRemovesItsDirectoryAndLock() {
		assertThatIllegalStateException().isThrownBy(() -> this.artifacts.create((staging) -> {
			Files.writeString(staging.resolve("half"), "written");
			throw new IllegalStateException("populator failed");
		})).withMessage("populator failed");
		assertThat(stagingEntries()).isEmpty();
		assertThat(leased()).isEmpty();
	}

	@Test
	void anExportedArtifactIsLeasedAndLeavesNoStaging() throws Exception {
		Path space = this.manager.getScratch(OWNER, "tools");
		ArtifactChild.fill(space);
		String hash = this.artifacts.exportScratch(OWNER, "tools");
		assertThat(leased()).contains(this.artifacts.root().resolve(hash).toString());
		assertThat(stagingEntries()).isEmpty();
		// Built again: the copy is discarded, the lock removed, the artifact still leased.
		assertThat(this.artifacts.exportScratch(OWNER, "tools")).isEqualTo(hash);
		assertThat(stagingEntries()).isEmpty();
	}

	private List<String> leased() {
		return List.copyOf(Lease.scan(this.depot.resolve("leases"), false).leasedPaths());
	}

	private List<String> stagingEntries() {
		Path staging = this.depot.resolve("staging");
		if (!Files.exists(staging)) {
			return List.of();
		}
		try (Stream<Path> entries = Files.list(staging)) {
			return entries.map((entry) -> entry.getFileName().toString()).toList();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
