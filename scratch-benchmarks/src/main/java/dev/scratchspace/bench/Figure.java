package dev.scratchspace.bench;

/**
 * One line of the report: a measured figure, the baseline it is compared with, and the
 * target of that comparison. Results are looked up by key, {@code <group>/<method>} plus
 * {@code [param=value]} when the benchmark has parameters.
 * @param name what was measured, for people
 * @param key the result of the figure
 * @param baselineName the baseline, for people
 * @param baselineKey the result of the baseline
 * @param comparison how the two are compared
 * @param target the largest ratio, or the largest difference in milliseconds, that passes
 * @param detail whether this line explains a figure rather than being one of the bar
 */
record Figure(String name, String key, String baselineName, String baselineKey, Comparison comparison,
		double target, boolean detail) {

	/** How a figure is held against its baseline. */
	enum Comparison {

		/** Figure divided by baseline, at most the target. */
		RATIO,

		/** Figure less baseline, at most the target in milliseconds. */
		DIFFERENCE

	}

	static Figure ratio(String name, String key, String baselineName, String baselineKey, double target) {
		return new Figure(name, key, baselineName, baselineKey, Comparison.RATIO, target, false);
	}

	static Figure difference(String name, String key, String baselineName, String baselineKey, double targetMillis) {
		return new Figure(name, key, baselineName, baselineKey, Comparison.DIFFERENCE, targetMillis, false);
	}

	/** @return the same comparison, shown as a detail */
	Figure asDetail() {
		return new Figure(this.name, this.key, this.baselineName, this.baselineKey, this.comparison, this.target,
				true);
	}

}
