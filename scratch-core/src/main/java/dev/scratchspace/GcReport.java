package dev.scratchspace;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The result of one garbage-collection run.
 *
 * @param decisions one decision per space found on disk, then one per artifact directory
 * ({@code <depot>/artifacts/<tree hash>}), ordered by path
 * @param deletedCount how many spaces were deleted or evicted, and artifacts deleted (would
 * have been, in a dry run)
 * @param bytesFreed the bytes those spaces and artifacts held
 * @param warnings what went wrong without stopping the run: damaged log entries, failed
 * deletions, a run skipped because another one holds the lock
 * @param elapsed how long the run took
 * @param dryRun whether the run only reported and changed nothing
 */
public record GcReport(List<GcDecision> decisions, int deletedCount, long bytesFreed, List<String> warnings,
		Duration elapsed, boolean dryRun) {

	public GcReport {
		decisions = List.copyOf(decisions);
		warnings = List.copyOf(warnings);
		Objects.requireNonNull(elapsed, "'elapsed' must not be null");
	}

}
