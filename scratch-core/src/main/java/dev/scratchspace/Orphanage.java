package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.tomlj.TomlTable;

/**
 * The orphanage, {@code logs/orphaned.toml}: when each orphaned space was first found
 * orphaned. A flat TOML table, one line per space, as {@code Pkg.gc()} writes it:
 *
 * <pre>
 * "/home/me/.cache/jvm-scratch/scratchspaces/1b8c…/old-key" = 2026-11-18T03:00:00Z
 * </pre>
 *
 * {@link #format} writes the lines sorted by path, times in UTC with milliseconds only when
 * they are not zero, each followed by a comment that says why the space was orphaned
 * ({@code # parent project /opt/app.jar no longer exists}): the usage log forgets an orphan's
 * parents when it is condensed, and the comment lets a later run still explain its decision.
 * Readers that know nothing of it see an ordinary TOML comment. {@link #read} reads each line on its own: a quoted key and a date-time
 * directly (a local date-time, as older Julia versions write, is taken as UTC), anything else
 * through tomlj; a line that is wrong either way is skipped with a warning. A path given
 * twice keeps the later time, so that a damaged file never makes a space collectable sooner.
 */
final class Orphanage {

	private static final Orphanage EMPTY = new Orphanage(Map.of(), Map.of(), 0, List.of());

	private final Map<String, Instant> orphans;

	private final Map<String, String> causes;

	private final long malformedCount;

	private final List<String> warnings;

	private Orphanage(Map<String, Instant> orphans, Map<String, String> causes, long malformedCount,
			List<String> warnings) {
		this.orphans = Collections.unmodifiableMap(orphans);
		this.causes = Collections.unmodifiableMap(causes);
		this.malformedCount = malformedCount;
		this.warnings = warnings;
	}

	/**
	 * Reads the orphanage.
	 * @param file the file; a missing file reads as empty
	 * @return the orphans and what was wrong with the file
	 * @throws IOException if the file exists but cannot be read
	 */
	static Orphanage read(Path file) throws IOException {
		Objects.requireNonNull(file, "'file' must not be null");
		try (ByteLines lines = ByteLines.open(file)) {
			return read(String.valueOf(file.getFileName()), lines);
		}
		catch (NoSuchFileException ex) {
			return EMPTY;
		}
		catch (RegularFiles.NotRegularFileException ex) {
			// Read as empty: every orphan's clock starts again, which deletes nothing sooner.
			return new Orphanage(Map.of(), Map.of(), 0, List.of("Refused to read the orphanage " + file + ": "
					+ DepotFiles.describe(ex) + "; orphaned spaces are timed from this run"));
		}
	}

	private static Orphanage read(String fileName, ByteLines lines) throws IOException {
		Map<String, Instant> orphans = new LinkedHashMap<>();
		Map<String, String> causes = new LinkedHashMap<>();
		BoundedWarnings warnings = new BoundedWarnings();
		TomlScanner scanner = new TomlScanner();
		long malformed = 0;
		while (lines.next()) {
			String problem = readLine(lines, scanner, orphans, causes);
			if (problem != null) {
				malformed++;
				warnings.add(fileName + " line " + lines.lineNumber() + ": " + problem);
			}
		}
		return new Orphanage(orphans, causes, malformed, warnings.toList());
	}

	/** @return what was wrong with the line, or null */
	private static @Nullable String readLine(ByteLines lines, TomlScanner scanner, Map<String, Instant> orphans,
			Map<String, String> causes) {
		if (lines.tooLong()) {
			return "skipped the line: it is longer than " + lines.capacity() + " bytes";
		}
		scanner.reset(lines.buffer(), lines.start(), lines.end());
		try {
			int c = scanner.skipWhitespace();
			if (c == '#') {
				scanner.comment();
			}
			else if (c != -1) {
				if (c != '"' && c != '\'') {
					throw new MalformedTomlException("the key is not a quoted path");
				}
				String path = scanner.keyAndEquals();
				try {
					scanner.dateTime();
				}
				catch (MalformedTomlException ex) {
					throw new MalformedTomlException("the value is " + ex.getMessage());
				}
				Instant since = Instant.ofEpochSecond(scanner.epochSecond(), scanner.nano());
				if (scanner.skipWhitespace() == '#') {
					int from = scanner.pos() + 1;
					scanner.comment();
					String cause = new String(scanner.line(), from, scanner.pos() - from, StandardCharsets.UTF_8).strip();
					if (!cause.isEmpty()) {
						causes.put(path, cause);
					}
				}
				else {
					scanner.expectLineEnd("after the date-time");
				}
				return put(orphans, path, since);
			}
			return null;
		}
		catch (MalformedTomlException ex) {
			return readWithTomlj(lines, orphans, "skipped the line: " + ex.getMessage());
		}
	}

	private static @Nullable String readWithTomlj(ByteLines lines, Map<String, Instant> orphans, String problem) {
		TomlTable toml;
		try {
			toml = TomljFallback.parse(lines.buffer(), lines.start(), lines.end(), lines.lineNumber() - 1);
		}
		catch (MalformedTomlException ex) {
			return problem;
		}
		if (toml.size() != 1) {
			return problem;
		}
		String path = toml.keySet().iterator().next();
		Object value = toml.get(List.of(path));
		if (value instanceof OffsetDateTime offset) {
			return put(orphans, path, offset.toInstant());
		}
		if (value instanceof LocalDateTime local) {
			return put(orphans, path, local.toInstant(ZoneOffset.UTC));
		}
		return "skipped the line: the value of " + TomlText.quote(path) + " is not a date-time";
	}

	private static @Nullable String put(Map<String, Instant> orphans, String path, Instant since) {
		Instant earlier = orphans.putIfAbsent(path, since);
		if (earlier == null) {
			return null;
		}
		if (since.isAfter(earlier)) {
			orphans.put(path, since);
		}
		return TomlText.quote(path) + " is given more than once; the later time counts";
	}

	/**
	 * Writes the orphanage.
	 * @param orphans when each space was first found orphaned
	 * @return the file's UTF-8 bytes, one line per space, sorted by path
	 */
	static byte[] format(Map<String, Instant> orphans) {
		return format(orphans, Map.of());
	}

	/**
	 * Writes the orphanage with the reason of each orphan as a comment.
	 * @param orphans when each space was first found orphaned
	 * @param causes why, by space path; spaces without one get no comment
	 * @return the file's UTF-8 bytes, one line per space, sorted by path
	 */
	static byte[] format(Map<String, Instant> orphans, Map<String, String> causes) {
		Objects.requireNonNull(orphans, "'orphans' must not be null");
		Objects.requireNonNull(causes, "'causes' must not be null");
		StringBuilder out = new StringBuilder(orphans.size() * 120);
		new TreeMap<>(orphans).forEach((path, since) -> {
			Objects.requireNonNull(since, "'orphans' must not contain a null time");
			TomlText.appendQuoted(out, path);
			out.append(" = ");
			TomlText.appendUtc(out, since, false);
			String cause = causes.get(path);
			if (cause != null && !cause.isBlank()) {
				out.append(" # ");
				cause.codePoints()
					.map((c) -> (Character.isISOControl(c) || c == 0xFFFD) ? ' ' : c)
					.forEach(out::appendCodePoint);
			}
			out.append('\n');
		});
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** @return when each space was first found orphaned, by space path, in file order */
	Map<String, Instant> orphans() {
		return this.orphans;
	}

	/** @return why each space was orphaned, by space path, where the file says */
	Map<String, String> causes() {
		return this.causes;
	}

	/** @return one warning per skipped line, bounded */
	List<String> warnings() {
		return this.warnings;
	}

	/** @return whether any line was skipped */
	boolean damaged() {
		return this.malformedCount > 0;
	}

}
