package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * Reads a usage log in one pass over its bytes. Parsing the whole file with a TOML library
 * would cost seconds per million entries and all of it in memory; this reader handles the
 * shape Julia writes directly and asks tomlj only about an entry it does not understand.
 * <p>
 * An <em>entry</em> runs from a line that starts with {@code [[} to the next such line (or
 * a line that starts with {@code [}). The fast path reads {@code [["path"]]} headers with
 * basic or literal strings, the keys {@code time} and {@code parent_projects} in either
 * order, blank lines, comments, CRLF, date-times of any precision with or without an offset
 * and multi-line arrays with trailing commas. Other keys, quoted or dotted keys and
 * multi-line strings send the entry's body to tomlj. An entry that is wrong either way is
 * skipped, counted and described in a warning; reading goes on at the next header. Lines
 * longer than the reader's buffer are skipped, so memory stays bounded.
 */
final class UsageLogReader {

	private static final byte[] TIME = ascii("time");

	private static final byte[] PARENT_PROJECTS = ascii("parent_projects");

	private static final byte[] DOUBLE_OPEN = ascii("[[");

	private static final byte[] DOUBLE_CLOSE = ascii("]]");

	private static final int MAX_PATH_IN_WARNING = 300;

	private final String fileName;

	private final ByteLines lines;

	private final TomlScanner scanner = new TomlScanner();

	/** Every space named by a header, by path; used only when a header's bytes are new. */
	private final Map<String, Aggregate> spaces = new HashMap<>();

	private final TokenInterner<Aggregate> headers = new TokenInterner<>(
			(path) -> this.spaces.computeIfAbsent(path, Aggregate::new));

	private final TokenInterner<String> projects = new TokenInterner<>(Function.identity());

	/** The spaces with at least one well-formed entry, in order of their first one. */
	private final List<Aggregate> spacesRead = new ArrayList<>();

	private final BoundedWarnings warnings = new BoundedWarnings();

	private long entryCount;

	private long malformedCount;

	private State state = State.OUTSIDE;

	private boolean garbageCounted;

	private long headerLine;

	private @Nullable Aggregate space;

	private boolean hasTime;

	private long epochSecond;

	private int nano;

	private boolean hasParents;

	private final List<String> parents = new ArrayList<>();

	private boolean expectingElement;

	private long arrayLine;

	private boolean needsTomlj;

	private @Nullable String problem;

	private long problemLine;

	/** Whether the current entry was recorded before damage that followed it. */
	private boolean recordedEarly;

	/** The line of an unknown key that followed a complete entry, or 0. */
	private long completeBefore;

	private final List<String> completeParents = new ArrayList<>();

	/**
	 * Reads a usage log, aggregating its entries per space path.
	 * @param file the log; a missing file reads as empty
	 * @return what the log says, and what was wrong with it
	 * @throws IOException if the file exists but cannot be read
	 * @throws RegularFiles.NotRegularFileException if it is not a regular file (a FIFO would
	 * block the reader): it is never opened
	 */
	static UsageLog read(Path file) throws IOException {
		Objects.requireNonNull(file, "'file' must not be null");
		try (ByteLines lines = ByteLines.open(file)) {
			return new UsageLogReader(String.valueOf(file.getFileName()), lines).read();
		}
		catch (NoSuchFileException ex) {
			return UsageLog.EMPTY;
		}
	}

	UsageLogReader(String fileName, ByteLines lines) {
		this.fileName = fileName;
		this.lines = lines;
	}

	UsageLog read() throws IOException {
		while (this.lines.next()) {
			try {
				line();
			}
			catch (MalformedTomlException ex) {
				problem(ex.getMessage());
			}
			if (this.state == State.SKIP || this.state == State.OUTSIDE) {
				headerAfterZeros();
			}
		}
		endEntry(true);
		Map<String, UsageLog.Usage> usages = new LinkedHashMap<>(this.spacesRead.size() * 4 / 3 + 1);
		this.spacesRead.forEach((aggregate) -> usages.put(aggregate.path, aggregate.toUsage()));
		return new UsageLog(usages, this.entryCount, this.malformedCount, this.warnings.toList());
	}

	private void line() {
		if (this.lines.tooLong()) {
			throw new MalformedTomlException("the line is longer than " + this.lines.capacity() + " bytes");
		}
		this.scanner.reset(this.lines.buffer(), this.lines.start(), this.lines.end());
		int c = this.scanner.skipWhitespace();
		if (this.state == State.ARRAY && !this.scanner.lookingAt(DOUBLE_OPEN)) {
			elements();
		}
		else if (c == '[') {
			endEntry(false);
			header();
		}
		else if (c == '#' && this.state != State.SKIP) {
			this.scanner.comment();
		}
		else if (c == 0 && this.state != State.SKIP) {
			throw new MalformedTomlException("binary zeros");
		}
		else if (c != -1 && c != '#') {
			if (this.state == State.ENTRY) {
				keyValue(c);
			}
			else if (this.state == State.OUTSIDE) {
				throw new MalformedTomlException("unexpected " + rest());
			}
		}
	}

	/**
	 * A crash can leave zeros where an append was under way, and the next append then
	 * starts on the same line, right after them: read that entry rather than lose it.
	 * Only damaged lines can hold a zero, so healthy entries never pay for this search.
	 */
	private void headerAfterZeros() {
		byte[] b = this.lines.buffer();
		int zero = this.lines.end() - 1;
		while (zero >= this.lines.start() && b[zero] != 0) {
			zero--;
		}
		if (zero < this.lines.start()) {
			return;
		}
		this.scanner.reset(b, zero + 1, this.lines.end());
		if (this.scanner.skipWhitespace() == '[' && this.scanner.lookingAt(DOUBLE_OPEN)) {
			problem("binary zeros");
			endEntry(false);
			try {
				header();
			}
			catch (MalformedTomlException ex) {
				problem(ex.getMessage());
			}
		}
	}

	private void header() {
		startEntry();
		if (!this.scanner.lookingAt(DOUBLE_OPEN)) {
			throw new MalformedTomlException("a [table] header " + rest() + " where [[\"<space path>\"]] belongs");
		}
		int headerStart = this.scanner.pos();
		this.scanner.advance(2);
		int c = this.scanner.skipWhitespace();
		if ((c != '"' && c != '\'') || this.scanner.atMultiLineString()) {
			throw notOneQuotedKey(headerStart);
		}
		this.space = this.headers.intern(this.scanner);
		if (this.scanner.skipWhitespace() != ']' || !this.scanner.lookingAt(DOUBLE_CLOSE)) {
			throw notOneQuotedKey(headerStart);
		}
		this.scanner.advance(2);
		this.scanner.expectLineEnd("after the header");
	}

	private MalformedTomlException notOneQuotedKey(int headerStart) {
		return new MalformedTomlException("the header "
				+ TomlText.excerpt(this.scanner.line(), headerStart, this.scanner.end())
				+ " is not [[\"<space path>\"]], an array of tables with one quoted key");
	}

	private void keyValue(int c) {
		if (this.scanner.lookingAtKey(TIME)) {
			time();
		}
		else if (this.scanner.lookingAtKey(PARENT_PROJECTS)) {
			parentProjects();
		}
		else if (isKeyStart(c)) {
			// A key this reader does not know: tomlj judges the entry. If the entry was
			// complete before it, a rejection costs only the lines from here on.
			if (isComplete()) {
				this.completeBefore = this.lines.lineNumber();
				this.completeParents.clear();
				this.completeParents.addAll(this.parents);
			}
			this.needsTomlj = true;
			this.state = State.SKIP;
		}
		else {
			throw new MalformedTomlException("unexpected " + rest());
		}
	}

	private void time() {
		if (this.hasTime) {
			contradiction("'time' is given twice");
			return;
		}
		this.scanner.skipKeyAndEquals(TIME);
		try {
			this.scanner.dateTime();
		}
		catch (MalformedTomlException ex) {
			throw new MalformedTomlException("'time' is " + ex.getMessage());
		}
		this.hasTime = true;
		this.epochSecond = this.scanner.epochSecond();
		this.nano = this.scanner.nano();
		this.scanner.expectLineEnd("after the 'time' value");
	}

	private void parentProjects() {
		if (this.hasParents) {
			contradiction("'parent_projects' is given twice");
			return;
		}
		this.scanner.skipKeyAndEquals(PARENT_PROJECTS);
		if (this.scanner.skipWhitespace() != '[') {
			throw new MalformedTomlException("'parent_projects' is not an array: " + rest());
		}
		this.scanner.advance(1);
		this.hasParents = true;
		this.expectingElement = true;
		this.arrayLine = this.lines.lineNumber();
		this.state = State.ARRAY;
		elements();
	}

	/** Reads array elements up to the end of the line or the closing bracket. */
	private void elements() {
		for (int c = this.scanner.skipWhitespace(); c != -1; c = this.scanner.skipWhitespace()) {
			if (c == '#') {
				this.scanner.comment();
			}
			else if (c == ']') {
				this.scanner.advance(1);
				this.state = State.ENTRY;
				this.scanner.expectLineEnd("after the 'parent_projects' array");
			}
			else if (c == ',' && !this.expectingElement) {
				this.scanner.advance(1);
				this.expectingElement = true;
			}
			else if (!this.expectingElement) {
				throw new MalformedTomlException("',' expected in 'parent_projects' before " + rest());
			}
			else if ((c == '"' || c == '\'') && this.scanner.atMultiLineString()) {
				this.needsTomlj = true;
				this.state = State.SKIP;
				return;
			}
			else if (c == '"' || c == '\'') {
				this.parents.add(this.projects.intern(this.scanner));
				this.expectingElement = false;
			}
			else {
				throw new MalformedTomlException("'parent_projects' holds " + rest() + ", which is not a string");
			}
		}
	}

	private void startEntry() {
		this.state = State.ENTRY;
		this.headerLine = this.lines.lineNumber();
		this.space = null;
		this.hasTime = false;
		this.hasParents = false;
		this.parents.clear();
		this.needsTomlj = false;
		this.problem = null;
		this.recordedEarly = false;
		this.completeBefore = 0;
		this.lines.mark();
	}

	private void endEntry(boolean atEof) {
		if (this.state == State.OUTSIDE) {
			return;
		}
		if (this.state == State.ARRAY) {
			this.problem = "the 'parent_projects' array is not closed";
			this.problemLine = this.arrayLine;
		}
		String torn = (atEof && this.lines.lastLineUnterminated())
				? " (the file ends without a line break: a torn write?)" : "";
		if (this.recordedEarly) {
			// Kept when the damage after it was found.
		}
		else if (this.problem != null) {
			malformed(this.problemLine, this.problem + ((this.state == State.ARRAY) ? torn : ""));
		}
		else if (this.needsTomlj) {
			readWithTomlj();
		}
		else if (!this.hasTime) {
			malformed(this.headerLine, "the entry has no 'time'" + torn);
		}
		else if (!this.hasParents) {
			malformed(this.headerLine, "the entry has no 'parent_projects'" + torn);
		}
		else {
			record();
		}
		this.lines.clearMark();
		this.state = State.OUTSIDE;
	}

	/** Lets tomlj judge the entry's body: the lines after its header. */
	private void readWithTomlj() {
		byte[] body = this.lines.marked();
		if (body == null) {
			rejected(this.headerLine, "the entry is larger than " + this.lines.capacity() + " bytes");
			return;
		}
		TomlTable toml;
		try {
			toml = TomljFallback.parse(body, 0, body.length);
		}
		catch (MalformedTomlException ex) {
			rejected(this.headerLine + ex.line(), ex.getMessage());
			return;
		}
		String wrong = fromTomlj(toml);
		if (wrong != null) {
			rejected(this.headerLine, wrong);
			return;
		}
		record();
	}

	/**
	 * The entry failed as a whole. When its time and parents were complete before the line
	 * that needed tomlj, keep what was read then, and skip only the rest: damage after an
	 * entry must not lose it, or its space would look unused.
	 */
	private void rejected(long line, String message) {
		if (this.completeBefore == 0) {
			malformed(line, message);
			return;
		}
		this.parents.clear();
		this.parents.addAll(this.completeParents);
		record();
		this.malformedCount++;
		this.warnings.add(this.fileName + " line " + this.completeBefore + ": kept the entry for "
				+ quotePath(Objects.requireNonNull(this.space, "'space' must not be null").path)
				+ " as read up to this line, and skipped the rest of it: " + message);
	}

	private @Nullable String fromTomlj(TomlTable toml) {
		Object time = toml.get(List.of("time"));
		Instant instant = (time instanceof OffsetDateTime offset) ? offset.toInstant()
				: (time instanceof LocalDateTime local) ? local.toInstant(ZoneOffset.UTC) : null;
		if (instant == null) {
			return (time != null) ? "'time' is not a date-time" : "the entry has no 'time'";
		}
		Object array = toml.get(List.of("parent_projects"));
		if (!(array instanceof TomlArray projects)) {
			return (array != null) ? "'parent_projects' is not an array" : "the entry has no 'parent_projects'";
		}
		this.parents.clear();
		for (int i = 0; i < projects.size(); i++) {
			if (!(projects.get(i) instanceof String project)) {
				return "'parent_projects' holds a value that is not a string";
			}
			this.parents.add(project);
		}
		this.epochSecond = instant.getEpochSecond();
		this.nano = instant.getNano();
		return null;
	}

	private void record() {
		Aggregate aggregate = Objects.requireNonNull(this.space, "'space' must not be null");
		if (!aggregate.listed) {
			aggregate.listed = true;
			this.spacesRead.add(aggregate);
		}
		aggregate.add(this.epochSecond, this.nano, this.parents);
		this.entryCount++;
	}

	private void problem(String message) {
		if (this.lines.lastLineUnterminated()) {
			message += " (the file ends in this line without a line break: a torn write?)";
		}
		if (this.state == State.OUTSIDE) {
			if (!this.garbageCounted) {
				this.garbageCounted = true;
				this.malformedCount++;
				this.warnings.add(
						this.fileName + " line " + this.lines.lineNumber() + ": skipped text before the first entry: " + message);
			}
		}
		else if (this.problem == null && !this.recordedEarly && isComplete()) {
			// Damage after a complete entry (a crash's debris, a stray line) costs the entry
			// nothing: keep it, and skip only what follows up to the next header.
			record();
			this.recordedEarly = true;
			this.malformedCount++;
			this.warnings.add(this.fileName + " line " + this.lines.lineNumber()
					+ ": kept the entry for " + quotePath(this.space.path) + " as read up to this line, and skipped the rest of it: " + message);
			this.state = State.SKIP;
		}
		else if (this.problem == null && !this.recordedEarly) {
			this.problem = message;
			this.problemLine = this.lines.lineNumber();
			this.state = State.SKIP;
		}
	}

	/** An entry that says two things: which one is right cannot be told, so none counts. */
	private void contradiction(String message) {
		if (this.problem == null) {
			this.problem = message;
			this.problemLine = this.lines.lineNumber();
		}
		this.state = State.SKIP;
	}

	/** Whether the current entry has its time and a closed list of parents, read directly. */
	private boolean isComplete() {
		return this.state == State.ENTRY && this.hasTime && this.hasParents && !this.needsTomlj && this.space != null;
	}

	private void malformed(long line, String message) {
		this.malformedCount++;
		String subject = (this.space != null) ? "the entry for " + quotePath(this.space.path) : "an entry";
		this.warnings.add(this.fileName + " line " + line + ": skipped " + subject + ": " + message);
	}

	private static String quotePath(String path) {
		return (path.length() <= MAX_PATH_IN_WARNING) ? TomlText.quote(path)
				: TomlText.quote(path.substring(0, MAX_PATH_IN_WARNING) + "…");
	}

	private String rest() {
		return TomlText.excerpt(this.scanner.line(), this.scanner.pos(), this.scanner.end());
	}

	private static boolean isKeyStart(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
				|| c == '"' || c == '\'';
	}

	private static byte[] ascii(String s) {
		return s.getBytes(StandardCharsets.US_ASCII);
	}

	private enum State {

		/** Before the first header. */
		OUTSIDE,

		/** After a header, between key-value lines. */
		ENTRY,

		/** Inside the {@code parent_projects} array. */
		ARRAY,

		/** Waiting for the next header: the entry is damaged or needs tomlj. */
		SKIP

	}

	/**
	 * What the entries for one space add up to so far. A space has few parents, so they sit
	 * in an array: cheaper to search than a set is to build, for every one of 100,000 spaces.
	 */
	private static final class Aggregate {

		private static final int MAX_SCANNED_PARENTS = 32;

		private final String path;

		private boolean listed;

		private long epochSecond = Long.MIN_VALUE;

		private int nano;

		private String[] parents = new String[2];

		private int parentCount;

		/** The parents as a set, once there are too many to search: a log can name thousands. */
		private @Nullable Set<String> index;

		Aggregate(String path) {
			this.path = path;
		}

		void add(long epochSecond, int nano, List<String> parents) {
			if (epochSecond > this.epochSecond || (epochSecond == this.epochSecond && nano > this.nano)) {
				this.epochSecond = epochSecond;
				this.nano = nano;
			}
			for (int i = 0; i < parents.size(); i++) {
				addParent(parents.get(i));
			}
		}

		private void addParent(String parent) {
			if (this.index != null) {
				if (!this.index.add(parent)) {
					return;
				}
			}
			else {
				for (int i = 0; i < this.parentCount; i++) {
					if (this.parents[i] == parent || this.parents[i].equals(parent)) {
						return;
					}
				}
				if (this.parentCount == MAX_SCANNED_PARENTS) {
					this.index = new HashSet<>(Arrays.asList(this.parents).subList(0, this.parentCount));
					this.index.add(parent);
				}
			}
			if (this.parentCount == this.parents.length) {
				this.parents = Arrays.copyOf(this.parents, this.parentCount * 2);
			}
			this.parents[this.parentCount++] = parent;
		}

		UsageLog.Usage toUsage() {
			return new UsageLog.Usage(Instant.ofEpochSecond(this.epochSecond, this.nano),
					OrderedStringSet.ofDistinct(this.parents, this.parentCount));
		}

	}

}
