package dev.scratchspace;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * tomlj, for the rare stretch of a depot file that the fast readers do not understand, with
 * guards for input that tomlj does not survive: it throws some errors instead of reporting
 * them, its recursive parser overflows the stack on a few hundred nested brackets, and it
 * slows down far faster than linearly on runs of blank or comment-only lines (which
 * {@link TomlLines#stripTrivia} removes first), all of which a damaged file can easily hold.
 */
final class TomljFallback {

	/** Far deeper than any depot file nests; far shallower than what overflows tomlj. */
	static final int MAX_NESTING = 32;

	/**
	 * Far more lines than a depot file's entry or an {@code Artifacts.toml} holds once its
	 * blank and comment lines are removed (Julia's largest hold some thousands); few enough
	 * that tomlj, which spends microseconds and kilobytes on every line it sees (on every
	 * line of a multi-line string too, and on every line of a file that is all errors), is
	 * done in a few seconds and a few hundred megabytes at most.
	 */
	static final int MAX_LINES = 100_000;

	private TomljFallback() {
	}

	/**
	 * Parses a stretch of a file.
	 * @param b the bytes
	 * @param from the start
	 * @param to the end
	 * @param linesBefore the lines of the file before {@code from}, so that the lines named
	 * in a message are lines of the file
	 * @return the table they hold
	 * @throws MalformedTomlException if they are not valid TOML, naming the line (counted
	 * from the first line of the stretch) when known
	 */
	static TomlTable parse(byte[] b, int from, int to, long linesBefore) {
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, from, to - from)).toString();
		}
		catch (CharacterCodingException ex) {
			throw new MalformedTomlException("invalid UTF-8");
		}
		checkNesting(text);
		TomlLines.Stripped stripped = stripTrivia(text);
		TomlParseResult toml;
		try {
			toml = Toml.parse(stripped.text());
		}
		catch (TomlParseError ex) {
			throw malformed(stripped, ex, linesBefore);
		}
		catch (RuntimeException | StackOverflowError ex) {
			throw new MalformedTomlException("tomlj failed: " + ex);
		}
		if (toml.hasErrors()) {
			throw malformed(stripped, toml.errors().get(0), linesBefore);
		}
		return toml;
	}

	/**
	 * The text without its blank and comment lines, as tomlj should see it.
	 * @throws MalformedTomlException if more than {@link #MAX_LINES} lines are left
	 */
	static TomlLines.Stripped stripTrivia(String text) {
		TomlLines.Stripped stripped = TomlLines.stripTrivia(text);
		if (stripped.lineCount() > MAX_LINES) {
			throw new MalformedTomlException("more than " + MAX_LINES + " lines that are not blank or comments",
					stripped.originalLine(MAX_LINES + 1));
		}
		return stripped;
	}

	private static MalformedTomlException malformed(TomlLines.Stripped stripped, TomlParseError error,
			long linesBefore) {
		return new MalformedTomlException(stripped.originalLines(error.getMessage(), linesBefore),
				stripped.originalLine(error.position().line()));
	}

	/** Counts brackets and braces outside strings and comments, line by line. */
	static void checkNesting(String text) {
		int depth = 0;
		int line = 1;
		char quote = 0;
		boolean comment = false;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\n') {
				line++;
				quote = 0;
				comment = false;
			}
			else if (comment) {
				continue;
			}
			else if (quote != 0) {
				if (c == quote) {
					quote = 0;
				}
				else if (c == '\\' && quote == '"') {
					i++;
				}
			}
			else if (c == '"' || c == '\'') {
				quote = c;
			}
			else if (c == '#') {
				comment = true;
			}
			else if ((c == '[' || c == '{') && ++depth > MAX_NESTING) {
				throw new MalformedTomlException("nested deeper than " + MAX_NESTING + " levels", line);
			}
			else if ((c == ']' || c == '}') && depth > 0) {
				depth--;
			}
		}
	}

}
