package dev.scratchspace.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.scratchspace.bench.ReportTable.Row;
import dev.scratchspace.bench.ReportTable.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTableTests {

	private static final Figure WARM = Figure.ratio("warm", "warm/getScratch", "isDirectory", "warm/isDirectory", 1.5);

	private static final Figure START = Figure.difference("start", "start/with", "without", "start/without", 20);

	@Test
	void ratioAtTheTargetPasses() {
		Row row = evaluate(WARM, Map.of("warm/getScratch", new Score(150, 1), "warm/isDirectory", new Score(100, 1)));
		assertThat(row.verdict()).isEqualTo(Verdict.PASS);
		assertThat(row.comparison().nanos()).isEqualTo(1.5);
	}

	@Test
	void ratioAboveTheTargetMisses() {
		Row row = evaluate(WARM, Map.of("warm/getScratch", new Score(151, 1), "warm/isDirectory", new Score(100, 1)));
		assertThat(row.verdict()).isEqualTo(Verdict.MISS);
	}

	@Test
	void differenceIsHeldAgainstATargetInMilliseconds() {
		Score without = new Score(500e6, 1e6);
		assertThat(evaluate(START, Map.of("start/with", new Score(519e6, 1e6), "start/without", without)).verdict())
			.isEqualTo(Verdict.PASS);
		assertThat(evaluate(START, Map.of("start/with", new Score(521e6, 1e6), "start/without", without)).verdict())
			.isEqualTo(Verdict.MISS);
	}

	@Test
	void missingBaselineGivesNoResult() {
		Row row = evaluate(WARM, Map.of("warm/getScratch", new Score(150, 1)));
		assertThat(row.verdict()).isEqualTo(Verdict.NO_RESULT);
		assertThat(row.comparison()).isNull();
	}

	@Test
	void figureMarkedNotApplicableIsNeverJudged() {
		List<Row> rows = ReportTable.evaluate(List.of(START),
				Map.of("start/with", new Score(900e6, 1e6), "start/without", new Score(500e6, 1e6)), Set.of("start/with"));
		assertThat(rows.get(0).verdict()).isEqualTo(Verdict.NOT_APPLICABLE);
	}

	@Test
	void renderingSeparatesTheBarFromItsDetails() {
		Map<String, Score> scores = Map.of("warm/getScratch", new Score(150, 3), "warm/isDirectory", new Score(120, 2),
				"start/with", new Score(512e6, 4e6), "start/without", new Score(500e6, 3e6));
		String table = ReportTable.render(ReportTable.evaluate(List.of(WARM, START.asDetail()), scores, Set.of()));
		assertThat(table).contains("### Performance bar (SPEC section 11)", "### Details")
			.contains("| warm | 150 ± 3.00 ns | isDirectory | 120 ± 2.00 ns | 1.25 ± 0.03× | ≤ 1.5× | PASS |")
			.contains("| start | 512 ± 4.00 ms | without | 500 ± 3.00 ms | +12.0 ± 5.00 ms | ≤ +20 ms | PASS |");
		assertThat(table.indexOf("| warm |")).isLessThan(table.indexOf("### Details"));
		assertThat(table.indexOf("| start |")).isGreaterThan(table.indexOf("### Details"));
	}

	private static Row evaluate(Figure figure, Map<String, Score> scores) {
		return ReportTable.evaluate(List.of(figure), scores, Set.of()).get(0);
	}

}
