package dev.scratchspace.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link DatasetIndex}'s version-specific key and its check of a read-only index.
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

	@Test
	void readOnlyIndexIsADirectoryWithAnIndexFile(@TempDir Path temp) throws IOException {
		Files.writeString(temp.resolve("index.tsv"), "");
		assertThat(DatasetIndex.checkReadOnly(temp)).isEqualTo(temp);
	}

	@Test
	void readOnlyIndexWithoutAnIndexFileIsRefusedNamingTheProperty(@TempDir Path temp) {
		Path unresolved = temp.resolve("$<artifact:index>");
		assertThatIllegalStateException().isThrownBy(() -> DatasetIndex.checkReadOnly(unresolved))
			.withMessageContaining("sample.index.directory")
			.withMessageContaining(unresolved.toString());
		assertThatIllegalStateException().isThrownBy(() -> DatasetIndex.checkReadOnly(temp))
			.withMessageContaining(temp.toString());
	}

}
