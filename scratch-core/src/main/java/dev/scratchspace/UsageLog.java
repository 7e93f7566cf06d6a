package dev.scratchspace;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
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
 */
final class UsageLog {

	static final UsageLog EMPTY = new UsageLog(Map.of(), 0, 0, List.of());

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
	 * {@link #formatEntry} writes it.
	 * @param spaces the usage per space path
	 * @return the log's UTF-8 bytes
	 */
	static byte[] format(Map<String, Usage> spaces) {
		Objects.requireNonNull(spaces, "'spaces' must not be null");
		StringBuilder out = new StringBuilder(spaces.size() * 160);
		spaces.forEach((path, usage) -> appendEntry(out, path, usage.newest(), usage.parentProjects()));
		return out.toString().getBytes(StandardCharsets.UTF_8);
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
