package dev.scratchspace;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over one line of TOML bytes: whitespace, comments, bare keys, strings and
 * date-times, read in place without building a {@code String} per line. One instance is
 * reused for every line of a file; the last date-time read is left in
 * {@link #epochSecond()} and {@link #nano()} so that nothing is allocated for it.
 */
final class TomlScanner {

	private static final byte[] EMPTY = {};

	private static final int SECONDS_PER_DAY = 86_400;

	private byte[] line = EMPTY;

	private int pos;

	private int end;

	private long epochSecond;

	private int nano;

	void reset(byte[] line, int start, int end) {
		this.line = line;
		this.pos = start;
		this.end = end;
	}

	byte[] line() {
		return this.line;
	}

	int pos() {
		return this.pos;
	}

	int end() {
		return this.end;
	}

	void advance(int count) {
		this.pos += count;
	}

	/**
	 * Skips spaces and tabs.
	 * @return the byte after them (0 to 255), or -1 at the end of the line
	 */
	int skipWhitespace() {
		while (this.pos < this.end && (this.line[this.pos] == ' ' || this.line[this.pos] == '\t')) {
			this.pos++;
		}
		return (this.pos < this.end) ? this.line[this.pos] & 0xff : -1;
	}

	/**
	 * Whether {@code word} follows, as a whole bare key.
	 * @param word the key, ASCII
	 * @return whether the key is at the cursor, followed by whitespace or {@code =}
	 */
	boolean lookingAtKey(byte[] word) {
		int after = this.pos + word.length;
		if (after >= this.end || !lookingAt(word)) {
			return false;
		}
		byte next = this.line[after];
		return next == ' ' || next == '\t' || next == '=';
	}

	boolean lookingAt(byte[] word) {
		if (this.pos + word.length > this.end) {
			return false;
		}
		for (int i = 0; i < word.length; i++) {
			if (this.line[this.pos + i] != word[i]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Skips {@code word}, whitespace, {@code =} and whitespace.
	 * @param word the key at the cursor
	 * @throws MalformedTomlException if no {@code =} follows the key
	 */
	void skipKeyAndEquals(byte[] word) {
		this.pos += word.length;
		if (skipWhitespace() != '=') {
			throw new MalformedTomlException("no '=' after the key");
		}
		this.pos++;
		skipWhitespace();
	}

	/**
	 * Requires the rest of the line to be whitespace and an optional comment.
	 * @param what where the line should have ended, for the message
	 * @throws MalformedTomlException if anything else follows
	 */
	void expectLineEnd(String what) {
		int c = skipWhitespace();
		if (c == '#') {
			comment();
		}
		else if (c != -1) {
			throw new MalformedTomlException("unexpected " + TomlText.excerpt(this.line, this.pos, this.end) + " " + what);
		}
	}

	/**
	 * Checks the comment at the cursor and moves to the end of the line.
	 * @throws MalformedTomlException if the comment holds invalid UTF-8 or a control character
	 */
	void comment() {
		TomlText.checkText(this.line, this.pos + 1, this.end);
		this.pos = this.end;
	}

	/**
	 * Moves over the string token at the cursor, without decoding it.
	 * @return the index where the token started
	 * @throws MalformedTomlException if it is multi-line or not closed on this line
	 */
	int skipString() {
		int start = this.pos;
		this.pos = TomlText.tokenEnd(this.line, start, this.end);
		return start;
	}

	/**
	 * Reads the string token at the cursor and moves past it.
	 * @return the string's value
	 * @throws MalformedTomlException if it is multi-line, not closed on this line, or cannot
	 * be decoded
	 */
	String string() {
		int start = skipString();
		return TomlText.unquote(this.line, start, this.pos);
	}

	/**
	 * Reads a key, quoted or bare, then whitespace, {@code =} and whitespace.
	 * @return the key
	 * @throws MalformedTomlException if the key is a malformed string or no {@code =} follows
	 */
	String keyAndEquals() {
		String key;
		int c = (this.pos < this.end) ? this.line[this.pos] : -1;
		if (c == '"' || c == '\'') {
			key = string();
		}
		else {
			int from = this.pos;
			while (this.pos < this.end && isBareKeyByte(this.line[this.pos])) {
				this.pos++;
			}
			key = new String(this.line, from, this.pos - from, StandardCharsets.US_ASCII);
		}
		if (skipWhitespace() != '=') {
			throw new MalformedTomlException("no '=' after the key");
		}
		this.pos++;
		skipWhitespace();
		return key;
	}

	private static boolean isBareKeyByte(byte c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
	}

	boolean atMultiLineString() {
		return TomlText.isMultiLineStart(this.line, this.pos, this.end);
	}

	/**
	 * Reads a date-time value: a TOML offset date-time, or a local date-time taken as UTC.
	 * Fractional seconds of any length are truncated to nanoseconds.
	 * @throws MalformedTomlException if no valid date-time is at the cursor
	 */
	void dateTime() {
		int start = this.pos;
		try {
			readDateTime();
		}
		catch (MalformedTomlException ex) {
			int stop = start;
			while (stop < this.end && this.line[stop] != ' ' && this.line[stop] != '\t' && this.line[stop] != '#') {
				stop++;
			}
			throw new MalformedTomlException(
					"not a valid date-time " + TomlText.excerpt(this.line, start, stop) + " (" + ex.getMessage() + ")");
		}
	}

	private void readDateTime() {
		int year = number(4, 0, 9999, "year");
		expect('-');
		int month = number(2, 1, 12, "month");
		expect('-');
		int day = number(2, 1, daysInMonth(year, month), "day");
		if (this.pos == this.end || !isTimeDelimiter()) {
			throw new MalformedTomlException("a date without a time");
		}
		this.pos++;
		int hour = number(2, 0, 23, "hour");
		expect(':');
		int minute = number(2, 0, 59, "minute");
		expect(':');
		int second = number(2, 0, 59, "second");
		this.nano = fraction();
		this.epochSecond = epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second
				- offsetSeconds();
	}

	private boolean isTimeDelimiter() {
		byte c = this.line[this.pos];
		if (c == 'T' || c == 't') {
			return true;
		}
		// A space separates date and time only when a time follows; otherwise it ends a date.
		return c == ' ' && this.pos + 3 < this.end && isDigit(this.line[this.pos + 1])
				&& isDigit(this.line[this.pos + 2]) && this.line[this.pos + 3] == ':';
	}

	private int fraction() {
		if (this.pos == this.end || this.line[this.pos] != '.') {
			return 0;
		}
		this.pos++;
		int digits = 0;
		int value = 0;
		while (this.pos < this.end && isDigit(this.line[this.pos])) {
			if (digits < 9) {
				value = value * 10 + (this.line[this.pos] - '0');
			}
			digits++;
			this.pos++;
		}
		if (digits == 0) {
			throw new MalformedTomlException("no digits after the decimal point");
		}
		for (int i = digits; i < 9; i++) {
			value *= 10;
		}
		return value;
	}

	private int offsetSeconds() {
		if (this.pos == this.end) {
			return 0;
		}
		byte c = this.line[this.pos];
		if (c == 'Z' || c == 'z') {
			this.pos++;
			return 0;
		}
		if (c != '+' && c != '-') {
			return 0;
		}
		this.pos++;
		int hours = number(2, 0, 23, "offset hour");
		expect(':');
		int minutes = number(2, 0, 59, "offset minute");
		int seconds = hours * 3600 + minutes * 60;
		return (c == '-') ? -seconds : seconds;
	}

	private int number(int digits, int min, int max, String what) {
		if (this.pos + digits > this.end) {
			throw new MalformedTomlException("the " + what + " is cut off");
		}
		int value = 0;
		for (int i = 0; i < digits; i++) {
			byte c = this.line[this.pos + i];
			if (!isDigit(c)) {
				throw new MalformedTomlException("the " + what + " is not " + digits + " digits");
			}
			value = value * 10 + (c - '0');
		}
		if (value < min || value > max) {
			throw new MalformedTomlException("the " + what + " " + value + " is out of range");
		}
		this.pos += digits;
		return value;
	}

	private void expect(char c) {
		if (this.pos == this.end || this.line[this.pos] != c) {
			throw new MalformedTomlException("'" + c + "' expected");
		}
		this.pos++;
	}

	private static boolean isDigit(byte c) {
		return c >= '0' && c <= '9';
	}

	private static int daysInMonth(int year, int month) {
		return switch (month) {
			case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
			case 4, 6, 9, 11 -> 30;
			default -> 31;
		};
	}

	/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
	static long epochDay(int year, int month, int day) {
		int y = (month <= 2) ? year - 1 : year;
		int era = Math.floorDiv(y, 400);
		int yearOfEra = y - era * 400;
		int dayOfYear = (153 * (month + ((month > 2) ? -3 : 9)) + 2) / 5 + day - 1;
		int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
		return era * 146_097L + dayOfEra - 719_468;
	}

	/** @return the seconds of the last date-time read */
	long epochSecond() {
		return this.epochSecond;
	}

	/** @return the nanoseconds of the last date-time read */
	int nano() {
		return this.nano;
	}

}
