package dev.scratchspace.bench;

import java.nio.file.Path;

import dev.scratchspace.bench.BenchmarkRunner.Arguments;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchmarkRunnerArgumentsTests {

	@Test
	void noArgumentsRunEveryGroupWithFullSettings() {
		Arguments arguments = Arguments.parse(new String[0]);
		assertThat(arguments.quick()).isFalse();
		assertThat(arguments.selects("gc")).isTrue();
		assertThat(arguments.selects("start-cold")).isTrue();
		assertThat(arguments.fixtures()).isNull();
	}

	@Test
	void onlySelectsGroupsByNameOrPrefix() {
		Arguments arguments = Arguments.parse(new String[] { "--quick", "--only=warm,start" });
		assertThat(arguments.quick()).isTrue();
		assertThat(arguments.selects("warm")).isTrue();
		assertThat(arguments.selects("start-cold")).isTrue();
		assertThat(arguments.selects("start-warm")).isTrue();
		assertThat(arguments.selects("gc")).isFalse();
	}

	@Test
	void scrapeSelectsTheReadsAndTheBackgroundWalk() {
		Arguments arguments = Arguments.parse(new String[] { "--quick", "--only=scrape" });
		assertThat(arguments.selects("scrape")).isTrue();
		assertThat(arguments.selects("scrape-walk")).isTrue();
		assertThat(arguments.selects("walk")).isFalse();
	}

	@Test
	void fixturesDirectoryIsMadeAbsolute() {
		Arguments arguments = Arguments.parse(new String[] { "--fixtures=target/fixtures" });
		assertThat(arguments.fixtures()).isEqualTo(Path.of("target/fixtures").toAbsolutePath());
	}

	@Test
	void unknownGroupIsRefusedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> Arguments.parse(new String[] { "--only=warmup" }))
			.withMessage("Unknown group 'warmup'");
	}

	@Test
	void gcSpacesMustFillWholeOwners() {
		assertThat(Arguments.parse(new String[] { "--gc-spaces=100,10000" }).gcSpaces()).containsExactly("100", "10000");
		assertThatIllegalArgumentException().isThrownBy(() -> Arguments.parse(new String[] { "--gc-spaces=150" }))
			.withMessageContaining("'150'");
	}

	@Test
	void unknownArgumentIsRefusedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> Arguments.parse(new String[] { "-f", "1" }))
			.withMessage("Unknown argument '-f'");
	}

}
