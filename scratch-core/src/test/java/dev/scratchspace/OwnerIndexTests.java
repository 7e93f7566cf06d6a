package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link OwnerIndex}.
 */
class OwnerIndexTests {

	/** Sorts after {@link #LOW} as text, but before it as a {@code UUID}, whose bits are signed. */
	private static final UUID HIGH = UUID.fromString("9b8c5d8e-5c2a-5f53-9a4e-0d6a7d1f2c3b");

	private static final UUID LOW = UUID.fromString("1b8c5d8e-5c2a-5f53-9a4e-0d6a7d1f2c3b");

	@TempDir
	Path dir;

	@Test
	void formatWritesOneLinePerOwnerSortedByUuidText() {
		assertThat(HIGH.compareTo(LOW)).isNegative();
		Map<UUID, String> owners = new LinkedHashMap<>();
		owners.put(HIGH, "com.example:indexer");
		owners.put(LOW, "org.acme:\"quoted\"");
		assertThat(new String(OwnerIndex.format(owners), StandardCharsets.UTF_8))
			.isEqualTo("\"" + LOW + "\" = \"org.acme:\\\"quoted\\\"\"\n\"" + HIGH + "\" = \"com.example:indexer\"\n");
	}

	@Test
	void formattedIndexParsesWithTomljToTheSameValues() {
		Map<UUID, String> owners = Map.of(HIGH, "com.example:indexer", LOW, "org.acme:ünï");
		TomlParseResult toml = Toml.parse(new String(OwnerIndex.format(owners), StandardCharsets.UTF_8));
		assertThat(toml.errors()).isEmpty();
		assertThat(toml.getString(java.util.List.of(HIGH.toString()))).isEqualTo("com.example:indexer");
		assertThat(toml.getString(java.util.List.of(LOW.toString()))).isEqualTo("org.acme:ünï");
	}

	@Test
	void formattedIndexReadsBack() throws IOException {
		Map<UUID, String> owners = Map.of(HIGH, "com.example:indexer", LOW, "org.acme:app", new UUID(0, 0), "global");
		assertThat(read(OwnerIndex.format(owners))).isEqualTo(owners);
	}

	@Test
	void readsBareAndLiteralKeysCommentsAndCrlf() throws IOException {
		Map<UUID, String> owners = read(("# owners\r\n" + HIGH + " = 'g:a' # bare key\r\n'" + LOW.toString().toUpperCase()
				+ "' = \"g:b\"\r\n").getBytes(StandardCharsets.UTF_8));
		assertThat(owners).containsExactly(entry(HIGH, "g:a"), entry(LOW, "g:b"));
	}

	@Test
	void damagedLinesAreSkipped() throws IOException {
		byte[] content = bytes("\"not-a-uuid\" = \"g:a\"\n", "\"1-2-3-4-5\" = \"g:a\"\n", "\"" + HIGH + "\" = 42\n",
				"\"" + HIGH + "\" = \"unclosed\n", "\"" + HIGH + "\" \"g:a\"\n", "\"" + HIGH + "\" = \"g:a\" junk\n",
				new byte[] { 0, 1, 2, (byte) 0xFE, '\n' }, "\"" + HIGH + "\" = \"g:", new byte[] { (byte) 0xC3, 0x28 }, "\"\n",
				"\"１b8c5d8e-5c2a-5f53-9a4e-0d6a7d1f2c3b\" = \"g:a\"\n", "\"" + LOW + "\" = \"org.acme:app\"\n");
		assertThat(read(content)).containsExactly(entry(LOW, "org.acme:app"));
		assertThat(OwnerIndex.read(this.dir.resolve("owners.toml")).warnings()).singleElement()
			.asString()
			.startsWith("Skipped 9 damaged line(s) of the owner index ")
			.endsWith(", the first at line 1");
	}

	@Test
	void missingFileReadsAsEmpty() {
		OwnerIndex.Contents absent = OwnerIndex.read(this.dir.resolve("absent.toml"));
		assertThat(absent.owners()).isEmpty();
		assertThat(absent.warnings()).isEmpty();
	}

	@Test
	void unreadableFileReadsAsEmpty() throws IOException {
		Path directory = Files.createDirectory(this.dir.resolve("owners.toml"));
		OwnerIndex.Contents unreadable = OwnerIndex.read(directory);
		assertThat(unreadable.owners()).isEmpty();
		assertThat(unreadable.warnings()).singleElement()
			.asString()
			.startsWith("Could not read the owner index " + directory + "; owners show as UUIDs: ");
	}

	@Test
	void ownersCannotBeChanged() throws IOException {
		assertThat(read(OwnerIndex.format(Map.of(LOW, "g:a")))).isUnmodifiable();
	}

	private Map<UUID, String> read(byte[] content) throws IOException {
		Path file = this.dir.resolve("owners.toml");
		Files.write(file, content);
		return OwnerIndex.read(file).owners();
	}

	private static byte[] bytes(Object... parts) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		for (Object part : parts) {
			out.writeBytes((part instanceof String text) ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) part);
		}
		return out.toByteArray();
	}

}
