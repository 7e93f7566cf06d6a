package dev.scratchspace.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import dev.scratchspace.GcDecision;
import dev.scratchspace.GcOptions;
import dev.scratchspace.GcReport;
import dev.scratchspace.ScratchSpaceManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class GcFixtureTests {

	@TempDir
	Path dir;

	@Test
	void fixtureHasOneHundredSpacesPerOwnerAndTenLogEntriesPerSpace() throws IOException {
		GcFixture fixture = generate(300);
		try (Stream<Path> owners = Files.list(fixture.spacesRoot())) {
			assertThat(owners.filter(Files::isDirectory)).hasSize(3).allSatisfy((owner) -> {
				try (Stream<Path> spaces = Files.list(owner)) {
					assertThat(spaces).hasSize(100);
				}
			});
		}
		try (Stream<String> lines = Files.lines(fixture.usageLog(), StandardCharsets.UTF_8)) {
			assertThat(lines.filter((line) -> line.startsWith("[["))).hasSize(3_000);
		}
	}

	@Test
	void sizeThatDoesNotFillWholeOwnersIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> GcFixture.generate(this.dir, 150))
			.withMessageContaining("150");
	}

	@Test
	void realCollectionIsUndoneByRestoringTheLog() throws IOException {
		GcFixture fixture = generate(200);
		byte[] pristine = Files.readAllBytes(fixture.usageLog());
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder()
			.depot(fixture.depot())
			.trackAccess(false)
			.build()) {
			GcReport report = manager
				.collectGarbage(GcOptions.defaults().withCollectDelay(Duration.ofDays(365 * 100)));
			assertThat(report.decisions()).hasSize(200);
			assertThat(report.deletedCount()).isZero();
			assertThat(report.decisions()).extracting(GcDecision::action)
				.contains(GcDecision.Action.KEPT, GcDecision.Action.ORPHANED);
		}
		assertThat(Files.size(fixture.usageLog())).isLessThan(pristine.length);
		fixture.restoreLog();
		assertThat(Files.readAllBytes(fixture.usageLog())).isEqualTo(pristine);
		assertThat(fixture.depot().resolve("logs/orphaned.toml")).doesNotExist();
	}

	private GcFixture generate(int spaces) throws IOException {
		Path root = this.dir.toRealPath();
		GcFixture.generate(root, spaces);
		return GcFixture.obtain(spaces, new Fixtures.Fixture(root, false));
	}

}
