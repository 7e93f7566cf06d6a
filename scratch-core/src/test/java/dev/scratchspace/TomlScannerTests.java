package dev.scratchspace;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link TomlScanner}.
 */
class TomlScannerTests {

	private final TomlScanner scanner = new TomlScanner();

	@Test
	void epochDayMatchesJavaTimeForEveryDayOfFourDigitYears() {
		List<LocalDate> wrong = new ArrayList<>();
		for (LocalDate date = LocalDate.of(0, 1, 1); date.getYear() <= 9999; date = date.plusDays(1)) {
			if (TomlScanner.epochDay(date.getYear(), date.getMonthValue(), date.getDayOfMonth()) != date.toEpochDay()) {
				wrong.add(date);
			}
		}
		assertThat(wrong).isEmpty();
	}

	@Test
	void dateTimesMatchJavaTime() {
		Random random = new Random(3);
		DateTimeFormatter[] formats = { DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX"),
				DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSXXX"),
				DateTimeFormatter.ofPattern("uuuu-MM-dd't'HH:mm:ss.SSSSSSSSSxxx") };
		for (int i = 0; i < 20_000; i++) {
			long second = -62_000_000_000L + (long) (random.nextDouble() * 315_000_000_000L);
			ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(35) - 17) * 3600 + random.nextInt(2) * 1800);
			OffsetDateTime time = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000)).atOffset(offset);
			if (time.getYear() < 0 || time.getYear() > 9999) {
				continue;
			}
			String text = time.format(formats[i % formats.length]);
			Instant expected = OffsetDateTime.parse(text, formats[i % formats.length]).toInstant();
			read(text);
			assertThat(Instant.ofEpochSecond(this.scanner.epochSecond(), this.scanner.nano())).as(text).isEqualTo(expected);
			assertThat(this.scanner.pos()).isEqualTo(text.length());
		}
	}

	@Test
	void localDateTimesReadAsUtc() {
		read("2020-05-28T13:46:34.123");
		assertThat(Instant.ofEpochSecond(this.scanner.epochSecond(), this.scanner.nano()))
			.isEqualTo(Instant.parse("2020-05-28T13:46:34.123Z"));
	}

	@Test
	void fractionsBeyondNanosecondsAreTruncated() {
		read("2020-05-28T13:46:34.1234567899999Z");
		assertThat(this.scanner.nano()).isEqualTo(123_456_789);
	}

	@Test
	void dateTimeStopsAtTheEndOfTheValue() {
		read("2020-05-28T13:46:34Z # comment");
		assertThat(this.scanner.pos()).isEqualTo(20);
		read("2020-05-28 13:46:34 # a space separates date and time");
		assertThat(this.scanner.pos()).isEqualTo(19);
	}

	@Test
	void invalidDateTimesAreRejectedWithTheReason() {
		List<String> bad = List.of("2021-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
				"2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
				"2026-01-01T00:00:60Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00+01:60",
				"2026-01-01T00:00:00+0100", "2026-01-01", "2026-01-01 # date only", "2026-01-01 00:00", "2026-1-01T00:00:00Z",
				"+2026-01-01T00:00:00Z", "2026-01-01T00:00Z", "");
		for (String text : bad) {
			assertThatExceptionOfType(MalformedTomlException.class).as(text).isThrownBy(() -> read(text))
				.withMessageStartingWith("not a valid date-time");
		}
	}

	@Test
	void leapDaysAreValid() {
		read("2000-02-29T00:00:00Z");
		assertThat(Instant.ofEpochSecond(this.scanner.epochSecond())).isEqualTo(Instant.parse("2000-02-29T00:00:00Z"));
	}

	@Test
	void commentsMustBeValidText() {
		byte[] line = "# ok ü\t".getBytes(StandardCharsets.UTF_8);
		this.scanner.reset(line, 0, line.length);
		this.scanner.comment();
		assertThat(this.scanner.pos()).isEqualTo(line.length);
		byte[] bad = { '#', ' ', 0x01 };
		this.scanner.reset(bad, 0, bad.length);
		assertThatExceptionOfType(MalformedTomlException.class).isThrownBy(this.scanner::comment)
			.withMessage("control character U+0001");
	}

	@Test
	void keysMatchOnlyAsWholeKeys() {
		byte[] time = "time".getBytes(StandardCharsets.US_ASCII);
		assertThat(keyAt("time = 1", time)).isTrue();
		assertThat(keyAt("time\t=1", time)).isTrue();
		assertThat(keyAt("time=1", time)).isTrue();
		assertThat(keyAt("times = 1", time)).isFalse();
		assertThat(keyAt("time.x = 1", time)).isFalse();
		assertThat(keyAt("time", time)).isFalse();
	}

	private boolean keyAt(String text, byte[] key) {
		byte[] line = text.getBytes(StandardCharsets.UTF_8);
		this.scanner.reset(line, 0, line.length);
		return this.scanner.lookingAtKey(key);
	}

	private void read(String text) {
		byte[] line = text.getBytes(StandardCharsets.UTF_8);
		this.scanner.reset(line, 0, line.length);
		this.scanner.dateTime();
	}

}
