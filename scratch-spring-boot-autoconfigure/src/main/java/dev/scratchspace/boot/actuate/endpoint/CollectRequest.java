package dev.scratchspace.boot.actuate.endpoint;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.convert.DurationStyle;

/**
 * The body of {@code POST /actuator/scratch}, read strictly: empty, or a JSON object with
 * only {@code dryRun} (a JSON boolean) and {@code collectDelay} (a duration string), each at
 * most once. Actuator itself binds body fields leniently ({@code "yes"}, {@code "0"} and
 * {@code 0} turn into booleans, unknown and misspelled fields are ignored, the last of
 * duplicate keys wins), and a lenient reading of this body starts a real collection where a
 * dry run was meant. So everything else is refused, naming the field and the rule.
 *
 * <p>A bare number in {@code collectDelay} means days, as in {@code scratch.gc.collect-delay}.
 *
 * @param dryRun the requested {@code dryRun}, if any
 * @param collectDelay the requested {@code collectDelay}, if any
 */
record CollectRequest(@Nullable Boolean dryRun, @Nullable Duration collectDelay) {

	/**
	 * The longest {@code collectDelay} accepted: longer is "never" in practice, and far longer
	 * overflows the arithmetic on instants.
	 */
	static final Duration MAX_COLLECT_DELAY = Duration.ofDays(36500);

	private static final String ALLOWED = "the body may hold only \"dryRun\" (a JSON boolean) and "
			+ "\"collectDelay\" (a duration string such as \"PT0S\" or \"7d\")";

	private static final String DRY_RUN_RULE = "\"dryRun\" must be a JSON boolean, true or false";

	private static final String COLLECT_DELAY_RULE = "\"collectDelay\" must be a string holding an ISO-8601 or "
			+ "Spring Boot duration such as \"PT0S\" or \"7d\" (a bare number means days), from zero to "
			+ MAX_COLLECT_DELAY.toDays() + "d";

	/**
	 * Reads a request body.
	 * @param body the bytes of the body, possibly empty
	 * @return the request
	 * @throws InvalidEndpointRequestException if the body is anything but empty or a JSON
	 * object with only {@code dryRun} and {@code collectDelay} of the right types
	 */
	static CollectRequest parse(byte[] body) {
		if (body.length == 0) {
			return new CollectRequest(null, null);
		}
		return new Reader(utf8(body)).request();
	}

	/**
	 * Reads a {@code dryRun} as actuator hands it to the endpoint: only {@code true} and
	 * {@code false} count, never {@code yes}, {@code on} or {@code 1}.
	 * @param value the value
	 * @return the boolean
	 */
	static boolean dryRun(String value) {
		return switch (value) {
			case "true" -> true;
			case "false" -> false;
			default -> throw invalid(DRY_RUN_RULE + ", but was " + quote(value));
		};
	}

	/**
	 * Reads a {@code collectDelay}.
	 * @param value an ISO-8601 or Spring Boot duration; a bare number means days
	 * @return the duration, from zero to {@link #MAX_COLLECT_DELAY}
	 */
	static Duration collectDelay(String value) {
		Duration delay;
		try {
			delay = DurationStyle.detectAndParse(value, ChronoUnit.DAYS);
		}
		catch (RuntimeException ex) {
			throw invalid(COLLECT_DELAY_RULE + ", but was " + quote(value));
		}
		if (delay.isNegative() || delay.compareTo(MAX_COLLECT_DELAY) > 0) {
			throw invalid(COLLECT_DELAY_RULE + ", but was " + quote(value));
		}
		return delay;
	}

	private static String utf8(byte[] body) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw invalid("The body is not valid UTF-8 JSON");
		}
	}

	/** A short, printable rendering of text that came from the request. */
	private static String quote(String value) {
		String shown = (value.length() > 40) ? value.substring(0, 40) + "..." : value;
		return "\"" + shown + "\"";
	}

	private static InvalidEndpointRequestException invalid(String message) {
		return new InvalidEndpointRequestException(message, message);
	}

	/**
	 * Reads one JSON object. Only what this body may hold is read in full (names, strings,
	 * {@code true}, {@code false}); any other value is refused by its first character.
	 */
	private static final class Reader {

		private final String text;

		private int position;

		Reader(String text) {
			this.text = text;
		}

		CollectRequest request() {
			skipWhitespace();
			if (peek() != '{') {
				throw invalid("The body must be empty or a JSON object, but was " + kind());
			}
			this.position++;
			Boolean dryRun = null;
			Duration collectDelay = null;
			Set<String> seen = new HashSet<>();
			skipWhitespace();
			if (peek() == '}') {
				this.position++;
			}
			else {
				while (true) {
					skipWhitespace();
					if (peek() != '"') {
						throw malformed("expected a field name in double quotes");
					}
					String name = string();
					skipWhitespace();
					expect(':');
					skipWhitespace();
					if (!name.equals("dryRun") && !name.equals("collectDelay")) {
						throw invalid("Unknown field " + quote(name) + suggestion(name) + ": " + ALLOWED);
					}
					if (!seen.add(name)) {
						throw invalid("Duplicate field " + quote(name) + ": each field may appear only once");
					}
					if (name.equals("dryRun")) {
						dryRun = booleanValue();
					}
					else {
						collectDelay = collectDelay(stringValue());
					}
					skipWhitespace();
					if (peek() == '}') {
						this.position++;
						break;
					}
					if (peek() != ',') {
						throw malformed("expected ',' or '}' after a field");
					}
					this.position++;
				}
			}
			skipWhitespace();
			if (this.position < this.text.length()) {
				throw malformed("unexpected text after the JSON object");
			}
			return new CollectRequest(dryRun, collectDelay);
		}

		private boolean booleanValue() {
			if (this.text.startsWith("true", this.position)) {
				this.position += 4;
				return true;
			}
			if (this.text.startsWith("false", this.position)) {
				this.position += 5;
				return false;
			}
			throw invalid(DRY_RUN_RULE + ", but was " + kind());
		}

		private String stringValue() {
			if (peek() != '"') {
				throw invalid(COLLECT_DELAY_RULE + ", but was " + kind());
			}
			return string();
		}

		/** What the value that starts here is, for a message; malformed when it is none. */
		private String kind() {
			int c = peek();
			if (c == '"') {
				return "a string";
			}
			if (c == '{') {
				return "an object";
			}
			if (c == '[') {
				return "an array";
			}
			if (c == '-' || (c >= '0' && c <= '9')) {
				return "a number";
			}
			if (this.text.startsWith("null", this.position)) {
				return "null";
			}
			if (this.text.startsWith("true", this.position) || this.text.startsWith("false", this.position)) {
				return "a boolean";
			}
			throw malformed((c < 0) ? "unexpected end of the body" : "expected a JSON value");
		}

		private String string() {
			expect('"');
			StringBuilder value = new StringBuilder();
			while (true) {
				int c = peek();
				if (c < 0) {
					throw malformed("unterminated string");
				}
				if (c < 0x20) {
					throw malformed("control character in a string");
				}
				this.position++;
				if (c == '"') {
					return value.toString();
				}
				if (c != '\\') {
					value.append((char) c);
					continue;
				}
				int escaped = peek();
				this.position++;
				switch (escaped) {
					case '"', '\\', '/' -> value.append((char) escaped);
					case 'b' -> value.append('\b');
					case 'f' -> value.append('\f');
					case 'n' -> value.append('\n');
					case 'r' -> value.append('\r');
					case 't' -> value.append('\t');
					case 'u' -> value.append(unicodeEscape());
					default -> {
						this.position--;
						throw malformed("invalid escape in a string");
					}
				}
			}
		}

		private char unicodeEscape() {
			int c = 0;
			for (int i = 0; i < 4; i++) {
				int digit = peek();
				if (digit < 0 || !HexFormat.isHexDigit(digit)) {
					throw malformed("invalid \\u escape in a string");
				}
				c = c * 16 + HexFormat.fromHexDigit(digit);
				this.position++;
			}
			return (char) c;
		}

		private void expect(char expected) {
			if (peek() != expected) {
				throw malformed("expected '" + expected + "'");
			}
			this.position++;
		}

		private int peek() {
			return (this.position < this.text.length()) ? this.text.charAt(this.position) : -1;
		}

		private void skipWhitespace() {
			while (this.position < this.text.length() && isWhitespace(this.text.charAt(this.position))) {
				this.position++;
			}
		}

		private static boolean isWhitespace(char c) {
			return c == ' ' || c == '\t' || c == '\n' || c == '\r';
		}

		private InvalidEndpointRequestException malformed(String problem) {
			return invalid("The body is not valid JSON: " + problem + " at character " + (this.position + 1));
		}

		private static String suggestion(String name) {
			for (String field : new String[] { "dryRun", "collectDelay" }) {
				if (field.equalsIgnoreCase(name.strip())) {
					return " (did you mean \"" + field + "\"?)";
				}
			}
			return "";
		}

	}

}
