package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/** Interim usage-log codec on tomlj; replaced by the streaming reader. */
final class UsageLog {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	record Usage(Instant newest, Set<String> parentProjects) {
	}

	private final Map<String, Usage> spaces;

	private final List<String> warnings;

	private final long malformed;

	private UsageLog(Map<String, Usage> spaces, List<String> warnings, long malformed) {
		this.spaces = spaces;
		this.warnings = warnings;
		this.malformed = malformed;
	}

	Map<String, Usage> spaces() {
		return this.spaces;
	}

	List<String> warnings() {
		return this.warnings;
	}

	boolean damaged() {
		return this.malformed > 0;
	}

	static byte[] formatEntry(String spacePath, Instant time, List<String> parentProjects) {
		StringBuilder out = new StringBuilder();
		out.append("[[");
		TomlText.appendQuoted(out, spacePath);
		out.append("]]\ntime = ").append(TIME.format(time)).append("\nparent_projects = [");
		for (int i = 0; i < parentProjects.size(); i++) {
			if (i > 0) {
				out.append(", ");
			}
			TomlText.appendQuoted(out, parentProjects.get(i));
		}
		out.append("]\n");
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	static byte[] format(Map<String, Usage> spaces) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		spaces.forEach((path, usage) -> out.writeBytes(formatEntry(path, usage.newest(), List.copyOf(usage.parentProjects()))));
		return out.toByteArray();
	}

	static UsageLog read(Path file) throws IOException {
		String text;
		try {
			text = Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException ex) {
			return new UsageLog(new LinkedHashMap<>(), List.of(), 0);
		}
		TomlParseResult result = Toml.parse(text);
		Map<String, Usage> spaces = new LinkedHashMap<>();
		List<String> warnings = new ArrayList<>();
		result.errors().forEach((error) -> warnings.add(error.toString()));
		for (String key : result.keySet()) {
			TomlArray entries = result.getArray(List.of(key));
			if (entries == null) {
				continue;
			}
			for (int i = 0; i < entries.size(); i++) {
				TomlTable entry = entries.getTable(i);
				OffsetDateTime time = entry.getOffsetDateTime("time");
				TomlArray parents = entry.getArray("parent_projects");
				if (time == null || parents == null) {
					continue;
				}
				Set<String> projects = new LinkedHashSet<>();
				for (int j = 0; j < parents.size(); j++) {
					projects.add(parents.getString(j));
				}
				Usage old = spaces.get(key);
				Instant newest = time.toInstant();
				if (old != null) {
					projects.addAll(old.parentProjects());
					newest = old.newest().isAfter(newest) ? old.newest() : newest;
				}
				spaces.put(key, new Usage(newest, projects));
			}
		}
		return new UsageLog(spaces, warnings, warnings.size());
	}

}
