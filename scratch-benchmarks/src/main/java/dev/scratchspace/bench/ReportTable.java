package dev.scratchspace.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Holds figures against their baselines and renders the result as Markdown tables, ready to
 * paste into the README. A verdict compares the mean alone; the ± columns say how far to
 * trust it.
 */
final class ReportTable {

	private ReportTable() {
	}

	/** The verdict of one line. */
	enum Verdict {

		PASS, MISS,

		/** The figure or its baseline produced no result (it failed, or was not run). */
		NO_RESULT,

		/** The comparison means nothing in this build (e.g. the compared code is absent). */
		NOT_APPLICABLE;

		String label() {
			return switch (this) {
				case PASS -> "PASS";
				case MISS -> "MISS";
				case NO_RESULT -> "no result";
				case NOT_APPLICABLE -> "n/a";
			};
		}

	}

	/** A figure with its results; the scores are null where a result is missing. */
	record Row(Figure figure, @Nullable Score score, @Nullable Score baseline, @Nullable Score comparison,
			Verdict verdict) {
	}

	static List<Row> evaluate(List<Figure> figures, Map<String, Score> scores, Set<String> notApplicable) {
		List<Row> rows = new ArrayList<>(figures.size());
		for (Figure figure : figures) {
			Score score = scores.get(figure.key());
			Score baseline = scores.get(figure.baselineKey());
			if (score == null || baseline == null) {
				rows.add(new Row(figure, score, baseline, null, Verdict.NO_RESULT));
				continue;
			}
			Score comparison = switch (figure.comparison()) {
				case RATIO -> score.ratioTo(baseline);
				case DIFFERENCE -> score.minus(baseline);
			};
			double limit = (figure.comparison() == Figure.Comparison.DIFFERENCE) ? figure.target() * 1e6
					: figure.target();
			Verdict verdict = notApplicable.contains(figure.key()) ? Verdict.NOT_APPLICABLE
					: (comparison.nanos() <= limit) ? Verdict.PASS : Verdict.MISS;
			rows.add(new Row(figure, score, baseline, comparison, verdict));
		}
		return rows;
	}

	static String render(List<Row> rows) {
		StringBuilder out = new StringBuilder();
		appendTable(out, "Performance bar (SPEC section 11)", rows.stream().filter((row) -> !row.figure().detail()).toList());
		List<Row> details = rows.stream().filter((row) -> row.figure().detail()).toList();
		if (!details.isEmpty()) {
			out.append('\n');
			appendTable(out, "Details", details);
		}
		return out.toString();
	}

	private static void appendTable(StringBuilder out, String title, List<Row> rows) {
		out.append("### ").append(title).append("\n\n");
		out.append("| figure | time | baseline | baseline time | ratio or difference | target | verdict |\n");
		out.append("|---|---:|---|---:|---:|---:|---|\n");
		for (Row row : rows) {
			Figure figure = row.figure();
			out.append("| ").append(figure.name())
				.append(" | ").append(time(row.score()))
				.append(" | ").append(figure.baselineName())
				.append(" | ").append(time(row.baseline()))
				.append(" | ").append(comparison(figure, row.comparison()))
				.append(" | ").append(target(figure))
				.append(" | ").append(row.verdict().label())
				.append(" |\n");
		}
	}

	private static String time(@Nullable Score score) {
		return (score != null) ? score.formatTime() : "—";
	}

	private static String comparison(Figure figure, @Nullable Score comparison) {
		if (comparison == null) {
			return "—";
		}
		if (figure.comparison() == Figure.Comparison.RATIO) {
			return Score.withError(comparison.nanos(), comparison.error()) + "×";
		}
		String sign = (comparison.nanos() >= 0) ? "+" : "";
		return sign + Score.withError(comparison.nanos() / 1e6, comparison.error() / 1e6) + " ms";
	}

	private static String target(Figure figure) {
		String value = (figure.target() == Math.rint(figure.target()))
				? String.format(Locale.ROOT, "%.0f", figure.target()) : String.valueOf(figure.target());
		return (figure.comparison() == Figure.Comparison.RATIO) ? "≤ " + value + "×" : "≤ +" + value + " ms";
	}

}
