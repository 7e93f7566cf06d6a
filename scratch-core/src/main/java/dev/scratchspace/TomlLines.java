package dev.scratchspace;

import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of TOML text, told apart by a scan that knows TOML's four string forms and
 * comments, so that a line of a multi-line string is never taken for a header or for a line
 * that holds nothing.
 * <p>
 * It also removes the lines that hold nothing before text goes to tomlj: tomlj's parser
 * slows down far faster than linearly on a run of blank or comment-only lines (64 kB of them
 * take seconds to minutes, a megabyte hours), which a damaged or hostile file can easily
 * hold. TOML gives such a line no meaning, so removing it changes nothing but the line
 * numbers, which {@link Stripped} maps back.
 */
final class TomlLines {

	private static final Pattern LINE = Pattern.compile("\\bline (\\d{1,9})\\b");

	private TomlLines() {
	}

	/**
	 * Visits the start of every line that does not begin inside a multi-line string.
	 * @param text the text
	 * @param action called with each such line's start, in order
	 */
	static void forEachLineStart(String text, IntConsumer action) {
		int i = 0;
		int n = text.length();
		boolean lineStart = true;
		while (i < n) {
			char c = text.charAt(i);
			if (lineStart) {
				action.accept(i);
				lineStart = false;
			}
			if (c == '\n') {
				lineStart = true;
				i++;
			}
			else if (c == '#') {
				i = skipTo(text, i, "\n");
			}
			else if (text.startsWith("\"\"\"", i)) {
				i = skipMultiLine(text, i + 3, "\"\"\"", true);
			}
			else if (text.startsWith("'''", i)) {
				i = skipMultiLine(text, i + 3, "'''", false);
			}
			else if (c == '"') {
				i = skipString(text, i + 1, '"', true);
			}
			else if (c == '\'') {
				i = skipString(text, i + 1, '\'', false);
			}
			else {
				i++;
			}
		}
	}

	/**
	 * Where a single-line string that opened before {@code from} ends: after its closing
	 * quote, or at the end of its line if it is not closed there.
	 */
	static int skipString(String text, int from, char quote, boolean escapes) {
		int i = from;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (c == '\n') {
				return i;
			}
			if (escapes && c == '\\') {
				i += 2;
				continue;
			}
			i++;
			if (c == quote) {
				return i;
			}
		}
		return i;
	}

	private static int skipTo(String text, int from, String end) {
		int at = text.indexOf(end, from);
		return (at < 0) ? text.length() : at;
	}

	private static int skipMultiLine(String text, int from, String delimiter, boolean escapes) {
		int i = from;
		while (i < text.length()) {
			if (escapes && text.charAt(i) == '\\') {
				i += 2;
				continue;
			}
			if (text.startsWith(delimiter, i)) {
				i += 3;
				// Up to two more quotes belong to the string's content.
				for (int extra = 0; extra < 2 && i < text.length() && text.charAt(i) == delimiter.charAt(0); extra++) {
					i++;
				}
				return i;
			}
			i++;
		}
		return i;
	}

	/**
	 * The text without the lines, outside multi-line strings, that hold only spaces, tabs
	 * and a comment: what tomlj parses in linear time. A comment holding a character TOML
	 * forbids in one (a control character other than tab) is kept, so that tomlj still
	 * refuses it.
	 * @param text the text
	 * @return the text left and where its lines were
	 */
	static Stripped stripTrivia(String text) {
		int n = text.length();
		Ints outside = new Ints();
		forEachLineStart(text, outside::add);
		StringBuilder out = new StringBuilder(n);
		Ints lines = new Ints();
		int next = 0;
		int line = 1;
		int start = 0;
		while (start < n) {
			int newline = text.indexOf('\n', start);
			int end = (newline < 0) ? n : newline + 1;
			while (next < outside.size && outside.values[next] < start) {
				next++;
			}
			boolean removable = next < outside.size && outside.values[next] == start && isTrivia(text, start, end);
			if (!removable) {
				out.append(text, start, end);
				lines.add(line);
			}
			if (newline >= 0) {
				line++;
			}
			start = end;
		}
		if (out.length() == 0 || out.charAt(out.length() - 1) == '\n') {
			// The empty last line of what is left stands for the end of the text.
			lines.add(line);
		}
		return new Stripped(out.toString(), Arrays.copyOf(lines.values, lines.size));
	}

	/** Whether the line {@code [start, end)} holds only spaces, tabs and a valid comment. */
	private static boolean isTrivia(String text, int start, int end) {
		int i = start;
		while (i < end && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
			i++;
		}
		if (i < end && text.charAt(i) == '#') {
			i++;
			while (i < end) {
				char c = text.charAt(i);
				if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) {
					return false;
				}
				if (c == '\r' && !(i + 1 < end && text.charAt(i + 1) == '\n')) {
					return false;
				}
				i++;
			}
			return true;
		}
		return i == end || (text.charAt(i) == '\n') || (text.charAt(i) == '\r' && i + 1 < end && text.charAt(i + 1) == '\n');
	}

	/** A growing list of ints: a line start or number per line of a large file. */
	private static final class Ints {

		private int[] values = new int[16];

		private int size;

		void add(int value) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = value;
		}

	}

	/**
	 * Text with its trivia lines removed.
	 * @param text what is left
	 * @param lines for each line of {@code text} (the empty one after a last line break
	 * included), the 1-based number of its line in the original text
	 */
	record Stripped(String text, int[] lines) {

		/** The lines of {@link #text()}, the empty one after a last line break not counted. */
		int lineCount() {
			return this.lines.length - ((this.text.isEmpty() || this.text.endsWith("\n")) ? 1 : 0);
		}

		/** The original line of a line of {@link #text()}; one past its end counts on. */
		int originalLine(int line) {
			if (line < 1 || this.lines.length == 0) {
				return line;
			}
			if (line <= this.lines.length) {
				return this.lines[line - 1];
			}
			return this.lines[this.lines.length - 1] + (line - this.lines.length);
		}

		/** The message with every "line N" in it (tomlj's positions) made an original line. */
		String originalLines(String message) {
			return originalLines(message, 0);
		}

		/**
		 * The message with every "line N" in it made an original line, counted on from
		 * {@code linesBefore}: the lines of the file before the text.
		 */
		String originalLines(String message, long linesBefore) {
			Matcher matcher = LINE.matcher(message);
			return matcher.replaceAll((match) -> "line " + (linesBefore + originalLine(Integer.parseInt(match.group(1)))));
		}

	}

}
