package dev.scratchspace;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * TOML strings and date-times as the depot's files write and read them.
 * <p>
 * Writing follows Julia's TOML printer ({@code print_toml_escaped} in the {@code TOML}
 * standard library): {@code \\ \" \b \t \n \f \r} by name, every other control character
 * (C0, DEL and C1) as {@code \}{@code u} with four lower-case hex digits, everything else as
 * is, so non-ASCII text stays readable UTF-8.
 * <p>
 * Reading accepts single-line basic and literal strings as TOML 1.0 defines them, and also
 * the escapes that Julia's {@code escape_string} writes (Scratch.jl formats its log entries
 * with it): {@code \a \v \e \0}, {@code \}{@code xHH} (read as the code point U+00HH, as in
 * TOML 1.1) and {@code \}{@code u}/{@code \}{@code U} with fewer than 4/8 hex digits. Input
 * that is valid TOML reads the same either way.
 */
final class TomlText {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	/** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: TOML years have four digits. */
	private static final long MIN_SECOND = -62167219200L;

	private static final long MAX_SECOND = 253402300800L;

	private static final int EXCERPT_LENGTH = 40;

	private TomlText() {
	}

	/**
	 * Writes a string as a TOML basic string.
	 * @param s the string
	 * @return the string between double quotes, escaped
	 * @throws IllegalArgumentException if {@code s} holds an unpaired surrogate, which no
	 * TOML string can express
	 */
	static String quote(String s) {
		StringBuilder out = new StringBuilder(s.length() + 2);
		appendQuoted(out, s);
		return out.toString();
	}

	/**
	 * Appends a string as a TOML basic string.
	 * @param out where to append
	 * @param s the string
	 * @throws IllegalArgumentException if {@code s} holds an unpaired surrogate
	 */
	static void appendQuoted(StringBuilder out, String s) {
		Objects.requireNonNull(out, "'out' must not be null");
		Objects.requireNonNull(s, "'s' must not be null");
		out.append('"');
		int plain = plainLength(s);
		out.append(s, 0, plain);
		for (int i = plain; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\b' -> out.append("\\b");
				case '\t' -> out.append("\\t");
				case '\n' -> out.append("\\n");
				case '\f' -> out.append("\\f");
				case '\r' -> out.append("\\r");
				default -> {
					if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
						out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
							.append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
					}
					else if (Character.isSurrogate(c)) {
						if (!Character.isHighSurrogate(c) || i + 1 == s.length()
								|| !Character.isLowSurrogate(s.charAt(i + 1))) {
							throw new IllegalArgumentException("Cannot write " + excerpt(s) + " as TOML: "
									+ "unpaired surrogate U+" + Integer.toHexString(c).toUpperCase() + " at index " + i);
						}
						out.append(c).append(s.charAt(++i));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

	/**
	 * How many chars at the start of {@code s} a basic string holds as they are: printable
	 * ASCII other than a quote or a backslash. Paths are almost always that all along, and
	 * then they are copied whole instead of char by char.
	 * @return the index of the first char that needs an escape or more than one byte
	 */
	static int plainLength(String s) {
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
				return i;
			}
		}
		return s.length();
	}

	/**
	 * Reads one single-line TOML string, basic or literal, including its quotes.
	 * @param token the quoted string, nothing before or after it
	 * @return the string's value
	 * @throws IllegalArgumentException if {@code token} is not one TOML string
	 */
	static String unquote(String token) {
		Objects.requireNonNull(token, "'token' must not be null");
		byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
		try {
			if (bytes.length == 0 || (bytes[0] != '"' && bytes[0] != '\'')) {
				throw new MalformedTomlException("it does not start with a quote");
			}
			if (tokenEnd(bytes, 0, bytes.length) != bytes.length) {
				throw new MalformedTomlException("there is text after the closing quote");
			}
			return unquote(bytes, 0, bytes.length);
		}
		catch (MalformedTomlException ex) {
			throw new IllegalArgumentException("Not a TOML string " + excerpt(token) + ": " + ex.getMessage());
		}
	}

	/**
	 * Finds the end of the single-line string that starts at {@code from}, without decoding it.
	 * @param b the text
	 * @param from the opening quote, {@code "} or {@code '}
	 * @param to the end of the line
	 * @return the index after the closing quote
	 * @throws MalformedTomlException if the string is multi-line or not closed on this line
	 */
	static int tokenEnd(byte[] b, int from, int to) {
		byte quote = b[from];
		if (isMultiLineStart(b, from, to)) {
			throw new MalformedTomlException("multi-line string");
		}
		int i = from + 1;
		for (;;) {
			// A literal string has no escapes; in a basic one, a backslash hides the next byte.
			int stop = (quote == '"') ? ByteSearch.indexOfEither(b, i, to, quote, (byte) '\\')
					: ByteSearch.indexOf(b, i, to, quote);
			if (stop < 0) {
				throw new MalformedTomlException("string is not closed on its line");
			}
			if (b[stop] == quote) {
				return stop + 1;
			}
			i = Math.min(stop + 2, to);
		}
	}

	/**
	 * Whether a multi-line string ({@code """} or {@code '''}) starts at {@code from}.
	 * @param b the text
	 * @param from the opening quote
	 * @param to the end of the line
	 * @return whether three quotes start there
	 */
	static boolean isMultiLineStart(byte[] b, int from, int to) {
		return from + 2 < to && b[from + 1] == b[from] && b[from + 2] == b[from];
	}

	/**
	 * Decodes one single-line string token whose bounds {@link #tokenEnd} found.
	 * @param b the text
	 * @param from the opening quote
	 * @param to the index after the closing quote
	 * @return the string's value
	 * @throws MalformedTomlException on invalid UTF-8, a raw control character or a bad escape
	 */
	static String unquote(byte[] b, int from, int to) {
		int start = from + 1;
		int end = to - 1;
		boolean ascii = true;
		int i = start;
		for (; i < end; i++) {
			byte c = b[i];
			if (c < 0) {
				ascii = false;
			}
			else if (c == '\\' && b[from] == '"') {
				break;
			}
			else if (isControl(c)) {
				throw controlCharacter(c);
			}
		}
		if (i == end) {
			return ascii ? new String(b, start, end - start, StandardCharsets.ISO_8859_1) : utf8(b, start, end);
		}
		return unescape(b, start, end);
	}

	private static String utf8(byte[] b, int start, int end) {
		int i = start;
		while (i < end) {
			i = (b[i] >= 0) ? i + 1 : i + codePointLength(b, i, end);
		}
		return new String(b, start, end - start, StandardCharsets.UTF_8);
	}

	private static String unescape(byte[] b, int start, int end) {
		StringBuilder out = new StringBuilder(end - start);
		int i = start;
		while (i < end) {
			byte c = b[i];
			if (c == '\\') {
				i = appendEscape(out, b, i + 1, end);
			}
			else if (c >= 0) {
				if (isControl(c)) {
					throw controlCharacter(c);
				}
				out.append((char) c);
				i++;
			}
			else {
				int length = codePointLength(b, i, end);
				out.append(new String(b, i, length, StandardCharsets.UTF_8));
				i += length;
			}
		}
		return out.toString();
	}

	private static int appendEscape(StringBuilder out, byte[] b, int i, int end) {
		if (i == end) {
			throw new MalformedTomlException("string ends in a lone backslash");
		}
		byte e = b[i];
		switch (e) {
			case 'b' -> out.append('\b');
			case 't' -> out.append('\t');
			case 'n' -> out.append('\n');
			case 'f' -> out.append('\f');
			case 'r' -> out.append('\r');
			case '"' -> out.append('"');
			case '\\' -> out.append('\\');
			case 'e' -> out.append('\u001b');
			case 'a' -> out.append('\u0007');
			case 'v' -> out.append('\u000b');
			case '0' -> out.append('\0');
			case 'x' -> {
				return appendHex(out, b, i + 1, end, 2, 2);
			}
			case 'u' -> {
				return appendHex(out, b, i + 1, end, 1, 4);
			}
			case 'U' -> {
				return appendHex(out, b, i + 1, end, 1, 8);
			}
			default -> throw new MalformedTomlException("invalid escape " + excerpt(b, i - 1, Math.min(i + 1, end)));
		}
		return i + 1;
	}

	private static int appendHex(StringBuilder out, byte[] b, int from, int end, int min, int max) {
		int codePoint = 0;
		int i = from;
		while (i < end && i - from < max && Character.digit(b[i], 16) >= 0) {
			codePoint = (codePoint << 4) | Character.digit(b[i], 16);
			i++;
		}
		if (i - from < min) {
			throw new MalformedTomlException("escape " + excerpt(b, from - 2, Math.min(from + max, end))
					+ " lacks hex digits");
		}
		if (codePoint > Character.MAX_CODE_POINT || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
			throw new MalformedTomlException("escape " + excerpt(b, from - 2, i) + " is not a Unicode scalar value");
		}
		out.appendCodePoint(codePoint);
		return i;
	}

	/**
	 * The length of the UTF-8 sequence that starts with a non-ASCII byte, checked strictly:
	 * no overlong forms, no surrogates, nothing above U+10FFFF.
	 */
	private static int codePointLength(byte[] b, int i, int end) {
		int lead = b[i] & 0xff;
		int length;
		int min = 0x80;
		int max = 0xbf;
		if (lead >= 0xc2 && lead <= 0xdf) {
			length = 2;
		}
		else if (lead >= 0xe0 && lead <= 0xef) {
			length = 3;
			min = (lead == 0xe0) ? 0xa0 : 0x80;
			max = (lead == 0xed) ? 0x9f : 0xbf;
		}
		else if (lead >= 0xf0 && lead <= 0xf4) {
			length = 4;
			min = (lead == 0xf0) ? 0x90 : 0x80;
			max = (lead == 0xf4) ? 0x8f : 0xbf;
		}
		else {
			throw invalidUtf8(b, i, end);
		}
		if (i + length > end) {
			throw invalidUtf8(b, i, end);
		}
		int second = b[i + 1] & 0xff;
		if (second < min || second > max) {
			throw invalidUtf8(b, i, end);
		}
		for (int k = 2; k < length; k++) {
			if ((b[i + k] & 0xc0) != 0x80) {
				throw invalidUtf8(b, i, end);
			}
		}
		return length;
	}

	/**
	 * Checks that a range is valid UTF-8 without control characters other than tab, as TOML
	 * requires of comments.
	 * @param b the text
	 * @param from the start
	 * @param to the end
	 * @throws MalformedTomlException if it is not
	 */
	static void checkText(byte[] b, int from, int to) {
		int i = from;
		while (i < to) {
			byte c = b[i];
			if (c >= 0) {
				if (isControl(c)) {
					throw controlCharacter(c);
				}
				i++;
			}
			else {
				i += codePointLength(b, i, to);
			}
		}
	}

	private static boolean isControl(byte c) {
		return (c < 0x20 && c != '\t') || c == 0x7f;
	}

	private static MalformedTomlException controlCharacter(byte c) {
		return new MalformedTomlException(String.format("control character U+%04X", c & 0xff));
	}

	private static MalformedTomlException invalidUtf8(byte[] b, int i, int end) {
		StringBuilder hex = new StringBuilder();
		for (int k = i; k < Math.min(end, i + 4); k++) {
			hex.append(String.format(" %02X", b[k] & 0xff));
		}
		return new MalformedTomlException("invalid UTF-8 (bytes" + hex + ")");
	}

	/**
	 * Appends a time in UTC, as an offset date-time ending in {@code Z}.
	 * @param out where to append
	 * @param time the time; sub-millisecond digits are dropped
	 * @param alwaysMillis whether to write three fractional digits even when they are zero
	 * @throws IllegalArgumentException if the time's year has more than four digits
	 */
	static void appendUtc(StringBuilder out, Instant time, boolean alwaysMillis) {
		Objects.requireNonNull(out, "'out' must not be null");
		Objects.requireNonNull(time, "'time' must not be null");
		if (time.getEpochSecond() < MIN_SECOND || time.getEpochSecond() >= MAX_SECOND) {
			throw new IllegalArgumentException("Time " + time + " is outside the years 0000 to 9999 that TOML can hold");
		}
		LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
		digits(out, t.getYear(), 4).append('-');
		digits(out, t.getMonthValue(), 2).append('-');
		digits(out, t.getDayOfMonth(), 2).append('T');
		digits(out, t.getHour(), 2).append(':');
		digits(out, t.getMinute(), 2).append(':');
		digits(out, t.getSecond(), 2);
		int millis = time.getNano() / 1_000_000;
		if (alwaysMillis || millis != 0) {
			digits(out.append('.'), millis, 3);
		}
		out.append('Z');
	}

	private static StringBuilder digits(StringBuilder out, int value, int width) {
		for (int div = (width == 4) ? 1000 : (width == 3) ? 100 : 10; div > 0; div /= 10) {
			out.append((char) ('0' + (value / div) % 10));
		}
		return out;
	}

	/**
	 * A short, quoted, escaped excerpt of raw text for a warning.
	 * @param b the text, possibly not UTF-8
	 * @param from the start
	 * @param to the end
	 * @return the excerpt
	 */
	static String excerpt(byte[] b, int from, int to) {
		int end = Math.min(to, from + 4 * EXCERPT_LENGTH);
		String text = new String(b, from, Math.max(0, end - from), StandardCharsets.UTF_8);
		return excerpt((end < to) ? text + "…" : text);
	}

	private static String excerpt(String text) {
		// An unpaired surrogate cannot be quoted; the excerpt shows U+FFFD in its place.
		StringBuilder out = new StringBuilder(Math.min(text.length(), 2 * EXCERPT_LENGTH));
		text.codePoints()
			.limit(EXCERPT_LENGTH)
			.forEach((cp) -> out.appendCodePoint((cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp));
		if (text.codePointCount(0, text.length()) > EXCERPT_LENGTH) {
			out.append('…');
		}
		return quote(out.toString());
	}

}
