package dev.scratchspace.cli;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Durations and sizes in the forms the Spring properties take. */
class QuantitiesTests {

	@ParameterizedTest
	@CsvSource({ "7d, PT168H", "12h, PT12H", "30m, PT30M", "45s, PT45S", "500ms, PT0.5S", "PT12H, PT12H",
			"P7D, PT168H", "P1DT2H, PT26H", "3, PT72H", "0, PT0S", "0s, PT0S", "7D, PT168H", "pt1m, PT1M" })
	void durationsInEveryAcceptedForm(String text, Duration expected) {
		assertThat(Quantities.duration(Option.COLLECT_DELAY, text)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource({ "123B, 123", "1KB, 1024", "500MB, 524288000", "10GB, 10737418240", "2TB, 2199023255552", "2, 2097152",
			"0, 0", "1kb, 1024" })
	void sizesInBinaryMultiplesWithMegabytesByDefault(String text, long expected) {
		assertThat(Quantities.size(Option.MAX_TOTAL_SIZE, text)).isEqualTo(expected);
	}

	@Test
	void sizesForPeopleUseBinaryMultiples() {
		assertThat(Quantities.humanSize(0)).isEqualTo("0 B");
		assertThat(Quantities.humanSize(1023)).isEqualTo("1023 B");
		assertThat(Quantities.humanSize(1024)).isEqualTo("1.0 KB");
		assertThat(Quantities.humanSize(1536)).isEqualTo("1.5 KB");
		assertThat(Quantities.humanSize(10L << 30)).isEqualTo("10.0 GB");
		assertThat(Quantities.humanSize(Long.MAX_VALUE)).isEqualTo("8.0 EB");
	}

}
