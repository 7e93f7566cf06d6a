package dev.scratchspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The usage log, {@code logs/scratch_usage.toml}: one entry per recorded access to a space,
 * in the format Julia's Scratch.jl appends ({@code track_scratch_access}):
 *
 * <pre>
 * [["/home/me/.cache/jvm-scratch/scratchspaces/1b8c…/index"]]
 * time = 2026-11-25T10:15:30.123Z
 * parent_projects = ["/opt/app/app.jar"]
 * </pre>
 *
 * {@link #formatEntry} writes exactly these three lines, {@code \n}-terminated, with no blank
 * line before or after, as Scratch.jl does: the header is the space's path as a quoted key
 * of an array of tables; {@code time} comes before {@code parent_projects}; one space each
 * side of {@code =}; the array on one line with {@code ", "} between elements. Strings use
 * the escapes of Julia's TOML printer (see {@link TomlText}). Where Julia differs, this
 * class follows the TOML spec: Scratch.jl writes the machine's local time followed by
 * {@code Z} and escapes with Julia's own {@code escape_string}; here {@code time} is UTC with
 * exactly three fractional digits, and the escapes are TOML's, so every entry parses as TOML
 * 1.0.
 * <p>
 * {@link #read} takes every shape Julia leaves in the file: Scratch.jl's appends, the
 * condensed log {@code Pkg.gc()} writes with {@code TOML.print(…, sorted=true)}
 * ({@code parent_projects} before {@code time}, a blank line between entries), local
 * date-times without an offset (taken as UTC), and any other valid TOML entry of this shape.
 * An entry it cannot read is skipped with a warning; see {@link UsageLogReader}.
 * <p>
 * <strong>What {@link #format} writes, {@link #read} reads.</strong> The reader skips a line
 * longer than its buffer ({@link ByteLines#DEFAULT_CAPACITY}), and a condensed entry gathers
 * the parents of every entry of its space onto one line: 12,000 projects of 100 bytes made a
 * 1.2 MB line that the next run skipped, so that a space with thousands of existing parents
 * looked untracked. So a condensed entry keeps at most {@link #MAX_PARENTS} parents and no
 * line longer than {@link #MAX_LINE_BYTES} (a quarter of the reader's buffer, so a copy
 * re-escaped by another writer still fits): the parents that appear <em>last</em> in the
 * log, which are the most recently added, in their order. One existing parent is all it
 * takes to keep a space, and a project that was dropped is added again the next time it
 * uses the space. Times outside the years 0000 to 9999, which TOML cannot hold but an offset
 * can reach ({@code 9999-12-31T23:00:00-05:00}), are clamped to that range.
 */
final class UsageLog {

	static final UsageLog EMPTY = new UsageLog(Map.of(), 0, 0, List.of());

	/** The most parent projects a condensed entry keeps. */
	static final int MAX_PARENTS = 256;

	/** The longest line, in UTF-8 bytes without its line break, that {@link #format} writes. */
	static final int MAX_LINE_BYTES = ByteLines.DEFAULT_CAPACITY / 4;

	/** The earliest time TOML can write: 0000-01-01T00:00:00Z. */
	static final Instant MIN_TIME = Instant.parse("0000-01-01T00:00:00Z");

	/** The latest time TOML can write, to the millisecond: 9999-12-31T23:59:59.999Z. */
	static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999Z");

	private static final String PARENTS_PREFIX = "parent_projects = [";

	/** How much text {@link #write} gathers before it writes it. */
	private static final int WRITE_CHUNK = 1 << 16;

	private final Map<String, Usage> spaces;

	private final long entryCount;

	private final long malformedCount;

	private final List<String> warnings;

	/** Takes the map over without copying it: a reader builds one for 100,000 spaces. */
	UsageLog(Map<String, Usage> spaces, long entryCount, long malformedCount, List<String> warnings) {
		this.spaces = Collections.unmodifiableMap(spaces);
		this.entryCount = entryCount;
		this.malformedCount = malformedCount;
		this.warnings = List.copyOf(warnings);
	}

	/**
	 * One entry, as one append to the log.
	 * @param spacePath the space's absolute path
	 * @param time the access time, written in UTC to the millisecond
	 * @param parentProjects the project files the access is attributed to
	 * @return the entry's UTF-8 bytes
	 */
	static byte[] formatEntry(String spacePath, Instant time, List<String> parentProjects) {
		Objects.requireNonNull(parentProjects, "'parentProjects' must not be null");
		StringBuilder out = new StringBuilder(128);
		appendEntry(out, spacePath, time, parentProjects);
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The condensed log: one entry per space, in the map's order, each as
	 * {@link #formatEntry} writes it, with the parents {@link #fitted} keeps and the time
	 * clamped to what TOML can hold. A space whose header alone would be longer than
	 * {@link #MAX_LINE_BYTES} is left out (see {@link #fits}).
	 * @param spaces the usage per space path
	 * @return the log's UTF-8 bytes, every line of which {@link UsageLogReader} reads
	 */
	static byte[] format(Map<String, Usage> spaces) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try {
			write(spaces, bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Writes what {@link #format} returns to a stream, a few kilobytes at a time: the
	 * condensed log of 100,000 spaces is 16 MB, which as one text and one array of bytes
	 * made a young collection of its own.
	 * @param spaces the usage per space path
	 * @param out where the log's UTF-8 bytes go
	 * @throws IOException if writing to {@code out} fails
	 */
	static void write(Map<String, Usage> spaces, OutputStream out) throws IOException {
		Objects.requireNonNull(spaces, "'spaces' must not be null");
		StringBuilder text = new StringBuilder(WRITE_CHUNK + 1024);
		for (Map.Entry<String, Usage> each : spaces.entrySet()) {
			String path = each.getKey();
			if (fits(path)) {
				Usage usage = each.getValue();
				appendEntry(text, path, clamp(usage.newest()), fitted(usage.parentProjects()));
				if (text.length() >= WRITE_CHUNK) {
					out.write(text.toString().getBytes(StandardCharsets.UTF_8));
					text.setLength(0);
				}
			}
		}
		out.write(text.toString().getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Whether a space's header fits in a line the reader reads. A space that exists has a
	 * path the file system accepted, far shorter; only a foreign log can name a longer one.
	 * @param spacePath the space's path
	 * @return whether {@link #format} writes an entry for it
	 */
	static boolean fits(String spacePath) {
		return quotedLength(spacePath) + 4 <= MAX_LINE_BYTES;
	}

	/**
	 * The parents a condensed entry keeps: the last {@link #MAX_PARENTS} of them, fewer if
	 * their line would be longer than {@link #MAX_LINE_BYTES}, in their order. A single
	 * parent too long for any line is dropped.
	 * @param parents the parents, in order of first appearance in the log
	 * @return the parents to write
	 */
	static Collection<String> fitted(Collection<String> parents) {
		// "parent_projects = [" and "]"; ", " before every parent but the first.
		long length = PARENTS_PREFIX.length() + 1;
		if (parents.size() <= MAX_PARENTS) {
			long all = length;
			for (String parent : parents) {
				all += quotedLength(parent) + 2;
			}
			if (all <= MAX_LINE_BYTES) {
				// The usual case, a few short parents: all of them.
				return parents;
			}
		}
		List<String> all = (parents instanceof List<String> list) ? list : new ArrayList<>(parents);
		Deque<String> kept = new ArrayDeque<>();
		for (int i = all.size() - 1; i >= 0 && kept.size() < MAX_PARENTS; i--) {
			String parent = all.get(i);
			long more = quotedLength(parent) + (kept.isEmpty() ? 0 : 2);
			if (length + more > MAX_LINE_BYTES) {
				continue;
			}
			length += more;
			kept.addFirst(parent);
		}
		return new ArrayList<>(kept);
	}

	/** A time TOML can hold: the given one, or the nearest end of the years 0000 to 9999. */
	static Instant clamp(Instant time) {
		return time.isBefore(MIN_TIME) ? MIN_TIME : time.isAfter(MAX_TIME) ? MAX_TIME : time;
	}

	/** The UTF-8 length of a string written as a TOML basic string, quotes included. */
	private static long quotedLength(String s) {
		int plain = TomlText.plainLength(s);
		long length = 2 + plain;
		for (int i = plain; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '"' || c == '\\' || c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r') {
				length += 2;
			}
			else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
				length += 6;
			}
			else if (c < 0x80) {
				length += 1;
			}
			else if (c < 0x800) {
				length += 2;
			}
			else if (Character.isHighSurrogate(c)) {
				// With its low surrogate: one code point of four bytes.
				length += 4;
				i++;
			}
			else {
				length += 3;
			}
		}
		return length;
	}

	private static void appendEntry(StringBuilder out, String spacePath, Instant time, Collection<String> parents) {
		Objects.requireNonNull(spacePath, "'spacePath' must not be null");
		out.append("[[");
		TomlText.appendQuoted(out, spacePath);
		out.append("]]\ntime = ");
		TomlText.appendUtc(out, time, true);
		out.append("\nparent_projects = [");
		boolean first = true;
		for (String parent : parents) {
			Objects.requireNonNull(parent, "'parentProjects' must not contain null");
			if (!first) {
				out.append(", ");
			}
			TomlText.appendQuoted(out, parent);
			first = false;
		}
		out.append("]\n");
	}

	/** @return the usage per space path, exactly as the log spells it, in order of first appearance */
	Map<String, Usage> spaces() {
		return this.spaces;
	}

	/** @return how many well-formed entries were read */
	long entryCount() {
		return this.entryCount;
	}

	/** @return how many entries (or stretches of text outside any entry) were skipped */
	long malformedCount() {
		return this.malformedCount;
	}

	/** @return one warning per skipped entry, naming the line and the problem, bounded */
	List<String> warnings() {
		return this.warnings;
	}

	/** @return whether anything was skipped */
	boolean damaged() {
		return this.malformedCount > 0;
	}

	/**
	 * What the log says about one space.
	 *
	 * @param newest the newest access time over all its entries
	 * @param parentProjects every project file its entries name, in order of first appearance
	 */
	record Usage(Instant newest, Set<String> parentProjects) {

		Usage {
			Objects.requireNonNull(newest, "'newest' must not be null");
			Objects.requireNonNull(parentProjects, "'parentProjects' must not be null");
			parentProjects = OrderedStringSet.copyOf(parentProjects);
		}

	}

}
