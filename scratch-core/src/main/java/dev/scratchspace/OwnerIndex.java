package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The owner index, {@code logs/owners.toml}: which Maven artifact each owner UUID stands for,
 * so that people see names instead of UUIDs. One line per owner:
 *
 * <pre>
 * "1b8c5d8e-5c2a-5f53-9a4e-0d6a7d1f2c3b" = "com.example:indexer"
 * </pre>
 *
 * The index only helps people read the depot, so reading it never fails on bad content: a
 * line that is not a UUID key with a string value is skipped, and an unreadable file reads
 * as empty; both are reported as warnings for the caller to pass on.
 */
final class OwnerIndex {

	private OwnerIndex() {
	}

	/**
	 * What was read of the owner index.
	 * @param owners the coordinates by owner UUID, in file order, unmodifiable
	 * @param warnings what was skipped, and why
	 */
	record Contents(Map<UUID, String> owners, List<String> warnings) {
	}

	/**
	 * Reads the owner index.
	 * @param file the file; missing, unreadable or damaged parts read as absent
	 * @return the owners, and warnings about what could not be read
	 */
	static Contents read(Path file) {
		Objects.requireNonNull(file, "'file' must not be null");
		Map<UUID, String> owners = new LinkedHashMap<>();
		long skipped = 0;
		long firstSkipped = 0;
		try (ByteLines lines = ByteLines.open(file)) {
			TomlScanner scanner = new TomlScanner();
			while (lines.next()) {
				if (!lines.tooLong() && readLine(lines, scanner, owners)) {
					continue;
				}
				firstSkipped = (skipped++ == 0) ? lines.lineNumber() : firstSkipped;
			}
		}
		catch (NoSuchFileException ex) {
			return new Contents(Map.of(), List.of());
		}
		catch (IOException ex) {
			return new Contents(Map.of(), List.of("Could not read the owner index " + file + "; owners show as UUIDs: "
					+ DepotFiles.describe(ex)));
		}
		List<String> warnings = (skipped == 0) ? List.of()
				: List.of("Skipped " + skipped + " damaged line(s) of the owner index " + file + ", the first at line "
						+ firstSkipped);
		return new Contents(Collections.unmodifiableMap(owners), warnings);
	}

	/** @return false if the line is damaged */
	private static boolean readLine(ByteLines lines, TomlScanner scanner, Map<UUID, String> owners) {
		scanner.reset(lines.buffer(), lines.start(), lines.end());
		try {
			int c = scanner.skipWhitespace();
			if (c == '#') {
				scanner.comment();
			}
			else if (c != -1) {
				// A UUID is a valid bare key too.
				UUID uuid = uuid(scanner.keyAndEquals());
				c = scanner.skipWhitespace();
				if (uuid == null || (c != '"' && c != '\'')) {
					return false;
				}
				String coordinates = scanner.string();
				scanner.expectLineEnd("after the coordinates");
				owners.put(uuid, coordinates);
			}
			return true;
		}
		catch (MalformedTomlException ex) {
			return false;
		}
	}

	/** Only the canonical 8-4-4-4-12 form: {@link UUID#fromString} also takes "1-2-3-4-5". */
	private static @Nullable UUID uuid(String text) {
		return ScratchKeys.isCanonicalUuid(text) ? UUID.fromString(text) : null;
	}

	/**
	 * Writes the owner index.
	 * @param owners the coordinates by owner UUID
	 * @return the file's UTF-8 bytes, one line per owner, sorted by UUID text
	 */
	static byte[] format(Map<UUID, String> owners) {
		Objects.requireNonNull(owners, "'owners' must not be null");
		Map<String, String> sorted = new TreeMap<>();
		owners.forEach((uuid, coordinates) -> sorted.put(Objects.requireNonNull(uuid, "'owners' must not hold null").toString(),
				Objects.requireNonNull(coordinates, "'owners' must not hold null")));
		StringBuilder out = new StringBuilder(sorted.size() * 80);
		sorted.forEach((uuid, coordinates) -> {
			TomlText.appendQuoted(out, uuid);
			out.append(" = ");
			TomlText.appendQuoted(out, coordinates);
			out.append('\n');
		});
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

}
