package dev.scratchspace.bench;

import java.util.Locale;

/**
 * One benchmark's result, in nanoseconds per operation.
 * @param nanos the mean
 * @param error half the width of the confidence interval JMH gives, or NaN when it has too
 * few samples for one
 */
record Score(double nanos, double error) {

	/**
	 * Converts a JMH score.
	 * @param score the score
	 * @param error its error
	 * @param unit JMH's unit, such as {@code us/op}
	 * @return the score in nanoseconds
	 * @throws IllegalArgumentException for a unit that is not a time per operation
	 */
	static Score of(double score, double error, String unit) {
		double factor = switch (unit) {
			case "ns/op" -> 1;
			case "us/op" -> 1e3;
			case "ms/op" -> 1e6;
			case "s/op" -> 1e9;
			case "min/op" -> 60e9;
			default -> throw new IllegalArgumentException("Not a time per operation: '" + unit + "'");
		};
		return new Score(score * factor, error * factor);
	}

	/**
	 * This score less another, as when a fixed cost measured on its own is taken out; the
	 * errors of independent measurements add in quadrature.
	 * @param other the score to subtract
	 * @return the difference
	 */
	Score minus(Score other) {
		return new Score(this.nanos - other.nanos, Math.hypot(this.error, other.error));
	}

	/** @return the ratio of this score to another, its error propagated from both */
	Score ratioTo(Score baseline) {
		double ratio = this.nanos / baseline.nanos;
		double relative = Math.hypot(this.error / this.nanos, baseline.error / baseline.nanos);
		return new Score(ratio, Math.abs(ratio * relative));
	}

	/** @return the mean and its error in the largest unit that keeps the mean at 1 or more */
	String formatTime() {
		double abs = Math.abs(this.nanos);
		String unit;
		double divisor;
		if (abs >= 1e9) {
			unit = "s";
			divisor = 1e9;
		}
		else if (abs >= 1e6) {
			unit = "ms";
			divisor = 1e6;
		}
		else if (abs >= 1e3) {
			unit = "µs";
			divisor = 1e3;
		}
		else {
			unit = "ns";
			divisor = 1;
		}
		return withError(this.nanos / divisor, this.error / divisor) + " " + unit;
	}

	static String withError(double value, double error) {
		String formatted = threeDigits(value);
		return Double.isNaN(error) ? formatted : formatted + " ± " + threeDigits(error);
	}

	private static String threeDigits(double value) {
		double abs = Math.abs(value);
		String pattern = (abs >= 100) ? "%.0f" : (abs >= 10) ? "%.1f" : "%.2f";
		return String.format(Locale.ROOT, pattern, value);
	}

}
