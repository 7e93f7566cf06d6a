package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Reads the artifact usage log, {@code logs/artifact_usage.toml}: which {@code Artifacts.toml}
 * files (or jars holding one) used artifacts, and when. Julia's {@code Pkg} writes the same
 * file, one entry per use:
 *
 * <pre>
 * [["/abs/path/to/Artifacts.toml"]]
 * time = 2026-11-29T22:10:40.123Z
 * </pre>
 *
 * The reader takes that shape appended entry after entry, and the condensed shape
 * {@code Pkg.gc()} writes (blank lines between entries), with comments, CRLF and date-times of
 * any precision, with or without an offset (a local date-time is taken as UTC, as Julia writes
 * local times). An entry it cannot read (a torn line, a bad date, no {@code time}, a header
 * that is not one quoted path) is skipped with a warning, and reading goes on at the next
 * header: one damaged entry never hides the others. An entry whose {@code time} was read
 * before damage that follows it keeps that time.
 */
final class ArtifactUsageReader {

	private static final byte[] TIME = "time".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DOUBLE_OPEN = "[[".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DOUBLE_CLOSE = "]]".getBytes(StandardCharsets.US_ASCII);

	/**
	 * What the log says.
	 * @param newest the newest time recorded for each {@code Artifacts.toml} (or jar), by the
	 * path as written, in the order first met
	 * @param malformedCount how many entries or lines were skipped
	 * @param warnings one per skipped entry, bounded
	 */
	record Usage(Map<String, Instant> newest, long malformedCount, List<String> warnings) {

		static final Usage EMPTY = new Usage(Map.of(), 0, List.of());

		Usage {
			newest = Collections.unmodifiableMap(newest);
			warnings = List.copyOf(warnings);
		}

		/** @return whether any entry or line was skipped */
		boolean damaged() {
			return this.malformedCount > 0;
		}

	}

	private final String fileName;

	private final Map<String, Instant> newest = new LinkedHashMap<>();

	private final BoundedWarnings warnings = new BoundedWarnings();

	private final TomlScanner scanner = new TomlScanner();

	private long malformedCount;

	/** The current entry's key, or null outside an entry (or in one being skipped). */
	private @Nullable String key;

	private @Nullable Instant time;

	private long headerLine;

	private boolean skipping;

	private ArtifactUsageReader(String fileName) {
		this.fileName = fileName;
	}

	/**
	 * Reads the log.
	 * @param file the log; a missing file reads as empty
	 * @return what the log says and what was wrong with it
	 * @throws RegularFiles.NotRegularFileException if it is not a regular file: it is never
	 * opened
	 * @throws IOException if it exists but cannot be read
	 */
	static Usage read(Path file) throws IOException {
		Objects.requireNonNull(file, "'file' must not be null");
		try (ByteLines lines = ByteLines.open(file)) {
			return new ArtifactUsageReader(String.valueOf(file.getFileName())).read(lines);
		}
		catch (NoSuchFileException ex) {
			return Usage.EMPTY;
		}
	}

	/**
	 * Reads lines of a log, such as what was appended to it from a position on.
	 * @param fileName the log's name, for warnings
	 * @param lines the lines
	 * @return what they say
	 */
	static Usage read(String fileName, ByteLines lines) throws IOException {
		return new ArtifactUsageReader(fileName).read(lines);
	}

	/**
	 * Writes entries in the shape Julia appends them: two lines each, the path escaped as
	 * {@link TomlText} does, the time in UTC with milliseconds.
	 * @param newest the newest time of each recorded file
	 * @return the UTF-8 bytes
	 */
	static byte[] format(Map<String, Instant> newest) {
		StringBuilder out = new StringBuilder(newest.size() * 100);
		newest.forEach((path, time) -> {
			out.append("[[");
			TomlText.appendQuoted(out, path);
			out.append("]]\ntime = ");
			TomlText.appendUtc(out, time, true);
			out.append('\n');
		});
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	private Usage read(ByteLines lines) throws IOException {
		while (lines.next()) {
			try {
				line(lines);
			}
			catch (MalformedTomlException ex) {
				problem(lines, ex.getMessage());
			}
		}
		endEntry(lines, true);
		return new Usage(this.newest, this.malformedCount, this.warnings.toList());
	}

	private void line(ByteLines lines) {
		if (lines.tooLong()) {
			throw new MalformedTomlException("the line is longer than " + lines.capacity() + " bytes");
		}
		this.scanner.reset(lines.buffer(), lines.start(), lines.end());
		int c = this.scanner.skipWhitespace();
		if (c == '[') {
			endEntry(lines, false);
			header(lines);
		}
		else if (c == -1 || this.skipping) {
			// A blank line, or the rest of an entry being skipped.
		}
		else if (c == '#') {
			this.scanner.comment();
		}
		else if (this.key == null) {
			throw new MalformedTomlException("unexpected " + rest());
		}
		else if (this.scanner.lookingAtKey(TIME)) {
			if (this.time != null) {
				// Two times: which one is right cannot be told, so the entry counts for nothing.
				this.time = null;
				throw new MalformedTomlException("'time' is given twice");
			}
			this.scanner.skipKeyAndEquals(TIME);
			try {
				this.scanner.dateTime();
			}
			catch (MalformedTomlException ex) {
				throw new MalformedTomlException("'time' is " + ex.getMessage());
			}
			Instant read = Instant.ofEpochSecond(this.scanner.epochSecond(), this.scanner.nano());
			this.scanner.expectLineEnd("after the 'time' value");
			this.time = read;
		}
		else if (isKeyStart(c)) {
			// Julia writes no other key; one written by a later version is no reason to
			// distrust the entry's time.
			this.scanner.keyAndEquals();
		}
		else {
			throw new MalformedTomlException("unexpected " + rest());
		}
	}

	private void header(ByteLines lines) {
		this.headerLine = lines.lineNumber();
		this.skipping = false;
		if (!this.scanner.lookingAt(DOUBLE_OPEN)) {
			throw new MalformedTomlException("a [table] header " + rest()
					+ " where [[\"<path of an Artifacts.toml>\"]] belongs");
		}
		this.scanner.advance(2);
		int c = this.scanner.skipWhitespace();
		if ((c != '"' && c != '\'') || this.scanner.atMultiLineString()) {
			throw new MalformedTomlException("the header is not [[\"<path of an Artifacts.toml>\"]]");
		}
		String path = this.scanner.string();
		if (this.scanner.skipWhitespace() != ']' || !this.scanner.lookingAt(DOUBLE_CLOSE)) {
			throw new MalformedTomlException("the header is not [[\"<path of an Artifacts.toml>\"]]");
		}
		this.scanner.advance(2);
		this.scanner.expectLineEnd("after the header");
		this.key = path;
	}

	private void endEntry(ByteLines lines, boolean atEof) {
		if (this.key != null) {
			if (this.time != null) {
				this.newest.merge(this.key, this.time, (a, b) -> a.isAfter(b) ? a : b);
			}
			else {
				String torn = (atEof && lines.lastLineUnterminated())
						? " (the file ends without a line break: a torn write?)" : "";
				malformed(this.headerLine, "skipped the entry for " + TomlText.quote(this.key)
						+ ": it has no 'time'" + torn);
			}
		}
		this.key = null;
		this.time = null;
		this.skipping = false;
	}

	/** Skips the rest of the entry; a time read before the damage still counts. */
	private void problem(ByteLines lines, String message) {
		if (lines.lastLineUnterminated()) {
			message += " (the file ends in this line without a line break: a torn write?)";
		}
		if (this.key == null) {
			if (this.skipping) {
				return;
			}
			this.skipping = true;
			malformed(lines.lineNumber(), "skipped text: " + message);
			return;
		}
		String subject = TomlText.quote(this.key);
		if (this.time != null) {
			malformed(lines.lineNumber(), "kept the entry for " + subject
					+ " as read up to this line, and skipped the rest of it: " + message);
			this.newest.merge(this.key, this.time, (a, b) -> a.isAfter(b) ? a : b);
		}
		else {
			malformed(lines.lineNumber(), "skipped the entry for " + subject + ": " + message);
		}
		this.key = null;
		this.time = null;
		this.skipping = true;
	}

	private void malformed(long line, String message) {
		this.malformedCount++;
		this.warnings.add(this.fileName + " line " + line + ": " + message);
	}

	private static boolean isKeyStart(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
				|| c == '"' || c == '\'';
	}

	private String rest() {
		return TomlText.excerpt(this.scanner.line(), this.scanner.pos(), this.scanner.end());
	}

}
