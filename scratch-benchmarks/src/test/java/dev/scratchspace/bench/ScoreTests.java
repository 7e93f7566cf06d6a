package dev.scratchspace.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class ScoreTests {

	@Test
	void jmhUnitsAreConvertedToNanoseconds() {
		assertThat(Score.of(2, 0.5, "us/op")).isEqualTo(new Score(2000, 500));
		assertThat(Score.of(3, 1, "ms/op").nanos()).isEqualTo(3e6);
		assertThat(Score.of(1.5, 0, "s/op").nanos()).isEqualTo(1.5e9);
	}

	@Test
	void throughputIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Score.of(10, 1, "ops/ms"))
			.withMessageContaining("'ops/ms'");
	}

	@Test
	void subtractingAddsErrorsInQuadrature() {
		Score difference = new Score(100, 3).minus(new Score(40, 4));
		assertThat(difference.nanos()).isEqualTo(60);
		assertThat(difference.error()).isEqualTo(5);
	}

	@Test
	void ratioCarriesTheRelativeErrorsOfBoth() {
		Score ratio = new Score(300, 30).ratioTo(new Score(100, 10));
		assertThat(ratio.nanos()).isEqualTo(3);
		assertThat(ratio.error()).isCloseTo(3 * Math.hypot(0.1, 0.1), within(1e-12));
	}

	@Test
	void timeIsShownInTheLargestUnitThatKeepsTheMeanAtOneOrMore() {
		assertThat(new Score(587.3, 6.2).formatTime()).isEqualTo("587 ± 6.20 ns");
		assertThat(new Score(21_953, Double.NaN).formatTime()).isEqualTo("22.0 µs");
		assertThat(new Score(1.5e9, 2e7).formatTime()).isEqualTo("1.50 ± 0.02 s");
	}

}
