package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/** Interim owner-index codec on tomlj; replaced by the streaming codec. */
final class OwnerIndex {

	private OwnerIndex() {
	}

	static Map<UUID, String> read(Path file) {
		Map<UUID, String> owners = new TreeMap<>();
		try {
			if (!Files.exists(file)) {
				return owners;
			}
			TomlParseResult result = Toml.parse(Files.readString(file, StandardCharsets.UTF_8));
			for (String key : result.keySet()) {
				String value = result.getString(List.of(key));
				if (value != null && ScratchSpaceManager.isOwnerDirectoryName(key)) {
					owners.put(UUID.fromString(key), value);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			return owners;
		}
		return owners;
	}

	static byte[] format(Map<UUID, String> owners) {
		StringBuilder out = new StringBuilder();
		new TreeMap<>(owners).forEach((uuid, coordinates) -> {
			TomlText.appendQuoted(out, uuid.toString());
			out.append(" = ");
			TomlText.appendQuoted(out, coordinates);
			out.append('\n');
		});
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	private interface List {

		static java.util.List<String> of(String key) {
			return java.util.List.of(key);
		}

	}

}
