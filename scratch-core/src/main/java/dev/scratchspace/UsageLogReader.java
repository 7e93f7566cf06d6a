package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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

	private static final int NO_SPACE = -1;

	/** The size from which a log's spaces are looked up on a thread of their own: about 6,000 entries. */
	static final long CONCURRENT_FROM = 1 << 20;

	private final String fileName;

	private final ByteLines lines;

	private final TomlScanner scanner = new TomlScanner();

	/** Every space and project the headers and arrays name, and what the entries say of them. */
	private final SpaceAggregates aggregates;

	private final BoundedWarnings warnings = new BoundedWarnings();

	private long entryCount;

	private long malformedCount;

	private State state = State.OUTSIDE;

	private boolean garbageCounted;

	private long headerLine;

	/** The number of the current entry's space, or {@link #NO_SPACE}. */
	private int space = NO_SPACE;

	private boolean hasTime;

	private long epochSecond;

	private int nano;

	private boolean hasParents;

	/** The current entry's parent projects, by number, from index 0. */
	private int[] parents = new int[4];

	private int parentCount;

	private boolean expectingElement;

	private long arrayLine;

	private boolean needsTomlj;

	private @Nullable String problem;

	private long problemLine;

	/** Whether the current entry was recorded before damage that followed it. */
	private boolean recordedEarly;

	/** The line of an unknown key that followed a complete entry, or 0. */
	private long completeBefore;

	private int[] completeParents = new int[4];

	private int completeParentCount;

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
			return new UsageLogReader(String.valueOf(file.getFileName()), lines, lines.size() >= CONCURRENT_FROM)
				.read();
		}
		catch (NoSuchFileException ex) {
			return UsageLog.EMPTY;
		}
	}

	/** Reads lines, looking their spaces up on the same thread. */
	UsageLogReader(String fileName, ByteLines lines) {
		this(fileName, lines, false);
	}

	/**
	 * @param concurrent whether the spaces are looked up on a thread of their own while the
	 * lines are read (see {@link SpaceAggregates})
	 */
	UsageLogReader(String fileName, ByteLines lines, boolean concurrent) {
		this.fileName = fileName;
		this.lines = lines;
		this.aggregates = new SpaceAggregates(concurrent);
	}

	UsageLog read() throws IOException {
		try {
			return readLines();
		}
		finally {
			this.aggregates.close();
		}
	}

	private UsageLog readLines() throws IOException {
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
		return new UsageLog(this.aggregates.usages(), this.entryCount, this.malformedCount, this.warnings.toList());
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
		this.space = this.aggregates.space(this.scanner);
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
				this.completeParents = Arrays.copyOf(this.parents, this.parents.length);
				this.completeParentCount = this.parentCount;
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
				addParent(this.aggregates.project(this.scanner));
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
		this.space = NO_SPACE;
		this.hasTime = false;
		this.hasParents = false;
		this.parentCount = 0;
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
			toml = TomljFallback.parse(body, 0, body.length, this.headerLine);
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
		this.parents = Arrays.copyOf(this.completeParents, this.completeParents.length);
		this.parentCount = this.completeParentCount;
		record();
		this.malformedCount++;
		this.warnings.add(this.fileName + " line " + this.completeBefore + ": kept the entry for "
				+ quotePath(this.aggregates.path(this.space))
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
		this.parentCount = 0;
		for (int i = 0; i < projects.size(); i++) {
			if (!(projects.get(i) instanceof String project)) {
				return "'parent_projects' holds a value that is not a string";
			}
			addParent(this.aggregates.project(project));
		}
		this.epochSecond = instant.getEpochSecond();
		this.nano = instant.getNano();
		return null;
	}

	private void record() {
		if (this.space == NO_SPACE) {
			throw new IllegalStateException("An entry without a space is recorded");
		}
		this.aggregates.record(this.space, this.epochSecond, this.nano, this.parents, this.parentCount);
		this.entryCount++;
	}

	private void addParent(int project) {
		if (this.parentCount == this.parents.length) {
			this.parents = Arrays.copyOf(this.parents, this.parentCount * 2);
		}
		this.parents[this.parentCount++] = project;
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
					+ ": kept the entry for " + quotePath(this.aggregates.path(this.space)) + " as read up to this line, and skipped the rest of it: " + message);
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
		return this.state == State.ENTRY && this.hasTime && this.hasParents && !this.needsTomlj && this.space != NO_SPACE;
	}

	private void malformed(long line, String message) {
		this.malformedCount++;
		String subject = (this.space != NO_SPACE) ? "the entry for " + quotePath(this.aggregates.path(this.space))
				: "an entry";
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

}
