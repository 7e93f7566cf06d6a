package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/** Interim orphanage codec on tomlj; replaced by the streaming codec. */
final class Orphanage {

	private final Map<String, Instant> orphans;

	private final List<String> warnings;

	private Orphanage(Map<String, Instant> orphans, List<String> warnings) {
		this.orphans = orphans;
		this.warnings = warnings;
	}

	Map<String, Instant> orphans() {
		return this.orphans;
	}

	List<String> warnings() {
		return this.warnings;
	}

	boolean damaged() {
		return !this.warnings.isEmpty();
	}

	static Orphanage read(Path file) throws IOException {
		String text;
		try {
			text = Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException ex) {
			return new Orphanage(new LinkedHashMap<>(), List.of());
		}
		TomlParseResult result = Toml.parse(text);
		List<String> warnings = new ArrayList<>();
		result.errors().forEach((error) -> warnings.add(error.toString()));
		Map<String, Instant> orphans = new LinkedHashMap<>();
		for (String key : result.keySet()) {
			OffsetDateTime time = result.getOffsetDateTime(List.of(key));
			if (time != null) {
				orphans.put(key, time.toInstant());
			}
		}
		return new Orphanage(orphans, warnings);
	}

	static byte[] format(Map<String, Instant> orphans) {
		StringBuilder out = new StringBuilder();
		orphans.forEach((path, time) -> {
			TomlText.appendQuoted(out, path);
			out.append(" = ").append(time).append('\n');
		});
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

}
