package dev.scratchspace.sample;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DatasetIndex}'s version-specific key.
 */
class DatasetIndexTests {

	@Test
	void versionKeyHasMajorAndMinorOnly() {
		assertThat(DatasetIndex.versionKey("0.1.0-SNAPSHOT")).isEqualTo("data_for_version-0.1");
		assertThat(DatasetIndex.versionKey("2.13.7")).isEqualTo("data_for_version-2.13");
		assertThat(DatasetIndex.versionKey("3.0")).isEqualTo("data_for_version-3.0");
		assertThat(DatasetIndex.versionKey("1.4-RC1")).isEqualTo("data_for_version-1.4");
	}

	@Test
	void versionWithoutMajorAndMinorIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> DatasetIndex.versionKey("nightly"))
			.withMessageContaining("'nightly'");
		assertThatIllegalArgumentException().isThrownBy(() -> DatasetIndex.versionKey(null))
			.withMessageContaining("'null'");
	}

}
