package dev.scratchspace;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TomlText}.
 */
class TomlTextTests {

	@Test
	void quoteEscapesAsJuliasTomlPrinterDoes() {
		assertThat(TomlText.quote("a\"b\\c\bd\te\nf\fg\rh")).isEqualTo("\"a\\\"b\\\\c\\bd\\te\\nf\\fg\\rh\"");
		assertThat(TomlText.quote("\0\u0001\u001b\u001f\u007f\u0080\u0085\u009f"))
			.isEqualTo("\"\\u0000\\u0001\\u001b\\u001f\\u007f\\u0080\\u0085\\u009f\"");
		assertThat(TomlText.quote("/d/k")).isEqualTo("\"/d/k\"");
		assertThat(TomlText.quote("")).isEqualTo("\"\"");
	}

	@Test
	void quoteKeepsOtherCharactersAsTheyAre() {
		assertThat(TomlText.quote("'#[]=ü日本😀\u00a0\u2028")).isEqualTo("\"'#[]=ü日本😀\u00a0\u2028\"");
	}

	@Test
	void appendQuotedAppends() {
		StringBuilder out = new StringBuilder("k = ");
		TomlText.appendQuoted(out, "v\"");
		assertThat(out).hasToString("k = \"v\\\"\"");
	}

	@Test
	void quoteEscapesAfterAPlainStartAsWithinIt() {
		// The plain start of a string is copied whole: what follows it is escaped all the same.
		assertThat(TomlText.quote("/d/scratchspaces/k\"x\u007f")).isEqualTo("\"/d/scratchspaces/k\\\"x\\u007f\"");
		assertThat(TomlText.quote("\\/d")).isEqualTo("\"\\\\/d\"");
		assertThat(TomlText.quote("/d/ü\n")).isEqualTo("\"/d/ü\\n\"");
		assertThat(TomlText.plainLength("/d/k")).isEqualTo(4);
		assertThat(TomlText.plainLength("/d/\u007fk")).isEqualTo(3);
		assertThat(TomlText.plainLength("~ü")).isEqualTo(1);
		assertThat(TomlText.plainLength("")).isZero();
	}

	@Test
	void quoteRejectsUnpairedSurrogates() {
		assertThatIllegalArgumentException().isThrownBy(() -> TomlText.quote("/d/\ud800x"))
			.withMessageContaining("unpaired surrogate U+D800 at index 3");
		assertThatIllegalArgumentException().isThrownBy(() -> TomlText.quote("/d/\udc00"))
			.withMessageContaining("unpaired surrogate U+DC00");
		assertThatIllegalArgumentException().isThrownBy(() -> TomlText.quote("\ud83d"));
	}

	@Test
	void unquoteReadsEveryTomlEscape() {
		assertThat(TomlText.unquote("\"\\b\\t\\n\\f\\r\\\"\\\\\\u00e9\\U0001F600\"")).isEqualTo("\b\t\n\f\r\"\\é😀");
	}

	@Test
	void unquoteReadsTheEscapesJuliasEscapeStringWrites() {
		assertThat(TomlText.unquote("\"\\e\\a\\v\\0\\x1f\\u85/\\U1F600.\"")).isEqualTo("\u001b\u0007\u000b\0\u001f\u0085/😀.");
	}

	@Test
	void unquoteReadsLiteralStringsWithoutEscapes() {
		assertThat(TomlText.unquote("'C:\\dir\\\"x\"'")).isEqualTo("C:\\dir\\\"x\"");
		assertThat(TomlText.unquote("''")).isEmpty();
	}

	@Test
	void unquoteKeepsNonAsciiText() {
		assertThat(TomlText.unquote("\"ünï日本😀\"")).isEqualTo("ünï日本😀");
		assertThat(TomlText.unquote("\"ünï\\t日本😀\"")).isEqualTo("ünï\t日本😀");
	}

	@Test
	void unquoteRejectsWhatIsNotOneSingleLineString() {
		List<String> bad = List.of("\"\\q\"", "\"\\u\"", "\"\\uD800\"", "\"\\U00110000\"", "\"\\x4\"", "\"a\u0001\"",
				"'a\u007f'", "\"open", "\"\"\"multi\"\"\"", "'''multi'''", "\"a\" b", "bare", "");
		for (String token : bad) {
			assertThatIllegalArgumentException().as(token).isThrownBy(() -> TomlText.unquote(token))
				.withMessageStartingWith("Not a TOML string");
		}
	}

	@Test
	void unquoteOfBytesRejectsInvalidUtf8() {
		byte[][] bad = { { '"', (byte) 0xC3, '"' }, { '"', (byte) 0xC0, (byte) 0x80, '"' },
				{ '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"' }, { '"', (byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80, '"' },
				{ '\'', (byte) 0xE2, (byte) 0x82, '\'' }, { '"', (byte) 0x80, '"' } };
		for (byte[] token : bad) {
			assertThatExceptionOfType(MalformedTomlException.class).isThrownBy(() -> TomlText.unquote(token, 0, token.length))
				.withMessageStartingWith("invalid UTF-8");
		}
	}

	@Test
	void quotedRandomStringsReadBackAndTomljAgrees() {
		Random random = new Random(7);
		for (int n = 0; n < 500; n++) {
			StringBuilder s = new StringBuilder();
			for (int i = random.nextInt(20); i > 0; i--) {
				int cp = switch (random.nextInt(4)) {
					case 0 -> random.nextInt(0x80);
					case 1 -> random.nextInt(0x800);
					case 2 -> random.nextInt(0xd800);
					default -> 0x10000 + random.nextInt(0x100000);
				};
				s.appendCodePoint(cp);
			}
			String value = s.toString();
			String quoted = TomlText.quote(value);
			assertThat(TomlText.unquote(quoted)).isEqualTo(value);
			TomlParseResult toml = Toml.parse("k = " + quoted);
			assertThat(toml.errors()).as(quoted).isEmpty();
			assertThat(toml.getString("k")).isEqualTo(value);
		}
	}

	@Test
	void tokenEndSkipsEscapedQuotes() {
		byte[] line = "\"a\\\"b\" = 1".getBytes(StandardCharsets.UTF_8);
		assertThat(TomlText.tokenEnd(line, 0, line.length)).isEqualTo(6);
		byte[] literal = "'a\\' = 1".getBytes(StandardCharsets.UTF_8);
		assertThat(TomlText.tokenEnd(literal, 0, literal.length)).isEqualTo(4);
	}

	@Test
	void appendUtcWritesMillisecondsAlwaysOrOnlyWhenNotZero() {
		assertThat(utc(Instant.parse("2026-11-18T03:00:00Z"), true)).isEqualTo("2026-11-18T03:00:00.000Z");
		assertThat(utc(Instant.parse("2026-11-18T03:00:00Z"), false)).isEqualTo("2026-11-18T03:00:00Z");
		assertThat(utc(Instant.parse("2026-11-18T03:00:00.000999Z"), false)).isEqualTo("2026-11-18T03:00:00Z");
		assertThat(utc(Instant.parse("2026-11-18T03:00:00.01Z"), false)).isEqualTo("2026-11-18T03:00:00.010Z");
		assertThat(utc(Instant.parse("0000-01-01T00:00:00Z"), false)).isEqualTo("0000-01-01T00:00:00Z");
		assertThat(utc(Instant.parse("9999-12-31T23:59:59.999Z"), false)).isEqualTo("9999-12-31T23:59:59.999Z");
		assertThat(utc(Instant.parse("1969-12-31T23:59:59.5Z"), true)).isEqualTo("1969-12-31T23:59:59.500Z");
	}

	@Test
	void appendUtcRejectsYearsOutsideFourDigits() {
		assertThatIllegalArgumentException().isThrownBy(() -> utc(Instant.parse("-0001-12-31T23:59:59Z"), true));
		assertThatIllegalArgumentException().isThrownBy(() -> utc(Instant.parse("+10000-01-01T00:00:00Z"), true));
		assertThatIllegalArgumentException().isThrownBy(() -> utc(Instant.MAX, true));
	}

	@Test
	void excerptIsShortQuotedAndEscaped() {
		byte[] text = ("line\u0001" + "x".repeat(100)).getBytes(StandardCharsets.UTF_8);
		assertThat(TomlText.excerpt(text, 0, text.length)).isEqualTo("\"line\\u0001" + "x".repeat(35) + "…\"");
		byte[] invalid = { 'a', (byte) 0xFF, 'b' };
		assertThat(TomlText.excerpt(invalid, 0, 3)).isEqualTo("\"a\ufffdb\"");
	}

	private static String utc(Instant time, boolean alwaysMillis) {
		StringBuilder out = new StringBuilder();
		TomlText.appendUtc(out, time, alwaysMillis);
		return out.toString();
	}

}
