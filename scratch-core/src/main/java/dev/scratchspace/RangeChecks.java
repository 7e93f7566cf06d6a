package dev.scratchspace;

import java.time.Duration;

/**
 * The range rules of settings, and their messages ({@code <name> must not be negative, but
 * was <value>}), shared by {@link GcOptions}, the manager's builder and the adapters that
 * bind the same settings from elsewhere (Spring Boot properties).
 */
public final class RangeChecks {

	private RangeChecks() {
	}

	/**
	 * Requires a duration that is zero or positive.
	 * @param name the setting, for the message
	 * @param value the value
	 * @return the value
	 * @throws IllegalArgumentException naming the setting and the value if it is negative
	 */
	public static Duration notNegative(String name, Duration value) {
		return check(!value.isNegative(), name, "must not be negative", value);
	}

	/**
	 * Requires a duration that is positive.
	 * @param name the setting, for the message
	 * @param value the value
	 * @return the value
	 * @throws IllegalArgumentException naming the setting and the value if it is zero or
	 * negative
	 */
	public static Duration positive(String name, Duration value) {
		return check(!value.isNegative() && !value.isZero(), name, "must be positive", value);
	}

	/**
	 * Requires a value to be in range, for values of other types (a size in bytes, or an
	 * adapter's own size type).
	 * @param <T> the type of the value
	 * @param inRange whether the value is in range
	 * @param name the setting, for the message
	 * @param rule the range, for the message: {@code must not be negative}
	 * @param value the value
	 * @return the value
	 * @throws IllegalArgumentException {@code <name> <rule>, but was <value>} if not in range
	 */
	public static <T> T check(boolean inRange, String name, String rule, T value) {
		if (!inRange) {
			throw new IllegalArgumentException(name + " " + rule + ", but was " + value);
		}
		return value;
	}

}
