package dev.scratchspace.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations and sizes as typed on the command line, in the forms the Spring properties take:
 * {@code 7d}, {@code 12h}, {@code PT12H}, a bare number of days; {@code 10GB} with binary
 * multiples, a bare number of megabytes. Negative values are refused.
 */
final class Quantities {

	private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);

	private static final Pattern SIZE = Pattern.compile("([0-9]+)(B|KB|MB|GB|TB)?", Pattern.CASE_INSENSITIVE);

	private static final String DURATION_RULE = "expected a non-negative number with a unit ms, s, m, h or d "
			+ "(a bare number is days), or ISO-8601 such as PT12H or P7D";

	private static final String SIZE_RULE = "expected a non-negative number with a unit B, KB, MB, GB or TB "
			+ "(multiples of 1024; a bare number is megabytes)";

	private Quantities() {
	}

	static Duration duration(Option option, String text) {
		Matcher simple = DURATION.matcher(text);
		try {
			if (simple.matches()) {
				long amount = Long.parseLong(simple.group(1));
				String unit = (simple.group(2) != null) ? simple.group(2).toLowerCase(Locale.ROOT) : "d";
				return switch (unit) {
					case "ms" -> Duration.ofMillis(amount);
					case "s" -> Duration.ofSeconds(amount);
					case "m" -> Duration.ofMinutes(amount);
					case "h" -> Duration.ofHours(amount);
					default -> Duration.ofDays(amount);
				};
			}
			if (text.startsWith("P") || text.startsWith("p")) {
				Duration duration = Duration.parse(text);
				if (!duration.isNegative()) {
					return duration;
				}
			}
		}
		catch (ArithmeticException | NumberFormatException | DateTimeParseException ex) {
			// Too large, or not ISO-8601 after all: reported below with the rule.
		}
		throw new UsageException(
				"invalid duration " + UsageException.quote(text) + " for " + option.flag() + ": " + DURATION_RULE);
	}

	static long size(Option option, String text) {
		Matcher matcher = SIZE.matcher(text);
		if (matcher.matches()) {
			try {
				long amount = Long.parseLong(matcher.group(1));
				String unit = (matcher.group(2) != null) ? matcher.group(2).toUpperCase(Locale.ROOT) : "MB";
				int shift = switch (unit) {
					case "B" -> 0;
					case "KB" -> 10;
					case "MB" -> 20;
					case "GB" -> 30;
					default -> 40;
				};
				return Math.multiplyExact(amount, 1L << shift);
			}
			catch (ArithmeticException | NumberFormatException ex) {
				// Too large: reported below with the rule.
			}
		}
		throw new UsageException(
				"invalid size " + UsageException.quote(text) + " for " + option.flag() + ": " + SIZE_RULE);
	}

	/** A byte count for people: {@code 512 B}, {@code 1.5 KB}, {@code 10.0 GB} (binary multiples). */
	static String humanSize(long bytes) {
		if (bytes < 1024) {
			return bytes + " B";
		}
		String[] units = { "KB", "MB", "GB", "TB", "PB", "EB" };
		double value = bytes;
		int unit = -1;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
	}

}
