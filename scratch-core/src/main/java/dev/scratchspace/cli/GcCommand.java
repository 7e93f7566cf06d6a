package dev.scratchspace.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.scratchspace.GcDecision;
import dev.scratchspace.GcOptions;
import dev.scratchspace.GcReport;
import dev.scratchspace.ScratchSpaceManager;

/**
 * {@code gc}: one garbage-collection run, reported decision by decision. Warnings (a damaged
 * log, another run holding the lock) do not fail the command; a space whose deletion failed
 * does, so that a cron job notices a depot it cannot clean.
 */
final class GcCommand {

	private GcCommand() {
	}

	static GcOptions options(Arguments arguments) {
		GcOptions options = GcOptions.defaults().withDryRun(arguments.has(Option.DRY_RUN));
		String collectDelay = arguments.get(Option.COLLECT_DELAY);
		if (collectDelay != null) {
			options = options.withCollectDelay(Quantities.duration(Option.COLLECT_DELAY, collectDelay));
		}
		String maxUnusedAge = arguments.get(Option.MAX_UNUSED_AGE);
		if (maxUnusedAge != null) {
			Duration age = Quantities.duration(Option.MAX_UNUSED_AGE, maxUnusedAge);
			if (age.isZero()) {
				throw new UsageException("invalid duration " + UsageException.quote(maxUnusedAge) + " for "
						+ Option.MAX_UNUSED_AGE.flag() + ": must be positive");
			}
			options = options.withMaxUnusedAge(age);
		}
		String maxTotalSize = arguments.get(Option.MAX_TOTAL_SIZE);
		if (maxTotalSize != null) {
			options = options.withMaxTotalSize(Quantities.size(Option.MAX_TOTAL_SIZE, maxTotalSize));
		}
		return options;
	}

	static int run(ScratchSpaceManager manager, GcOptions options, boolean json, PrintStream out, PrintStream err) {
		long started = System.nanoTime();
		// A missing depot has nothing to collect; a run would create its log directory.
		GcReport report = Files.exists(manager.depot(), LinkOption.NOFOLLOW_LINKS) ? manager.collectGarbage(options)
				: new GcReport(List.of(), 0, 0, List.of(), Duration.ofNanos(System.nanoTime() - started),
						options.dryRun());
		return report(report, manager.depot(), json, out, err);
	}

	/** Prints a report; the status is {@link ScratchCommandLine#FAILED} when a delete failed. */
	static int report(GcReport report, Path depot, boolean json, PrintStream out, PrintStream err) {
		long failed = report.decisions().stream().filter((d) -> d.action() == GcDecision.Action.FAILED).count();
		if (json) {
			out.println(json(report));
		}
		else {
			table(report, out);
			out.println(summary(depot, report, failed));
			report.warnings().forEach((warning) -> err.println("warning: " + warning));
		}
		return (failed > 0) ? ScratchCommandLine.FAILED : ScratchCommandLine.OK;
	}

	private static void table(GcReport report, PrintStream out) {
		if (report.decisions().isEmpty()) {
			return;
		}
		Table table = new Table("ACTION", "PATH", "REASON");
		for (GcDecision decision : report.decisions()) {
			table.add(decision.action().name(), decision.path().toString(), decision.reason());
		}
		table.print(out);
	}

	private static String summary(Path depot, GcReport report, long failed) {
		// Artifacts are <depot>/artifacts/<tree hash>; a space's parent is its owner's UUID.
		int artifacts = 0;
		int deletedArtifacts = 0;
		for (GcDecision decision : report.decisions()) {
			Path parent = decision.path().getParent();
			if (parent != null && parent.getFileName() != null
					&& "artifacts".equals(parent.getFileName().toString())) {
				artifacts++;
				if (decision.action() == GcDecision.Action.DELETED || decision.action() == GcDecision.Action.EVICTED) {
					deletedArtifacts++;
				}
			}
		}
		int spaces = report.decisions().size() - artifacts;
		String counted = (report.deletedCount() - deletedArtifacts) + " of " + spaces
				+ ((spaces == 1) ? " space" : " spaces");
		if (artifacts > 0) {
			counted += " and " + deletedArtifacts + " of " + artifacts + ((artifacts == 1) ? " artifact" : " artifacts");
		}
		String freed = Quantities.humanSize(report.bytesFreed());
		StringBuilder summary = new StringBuilder(report.dryRun()
				? "Dry run: would delete " + counted + ", freeing " + freed
				: "Deleted " + counted + ", freed " + freed);
		if (failed > 0) {
			summary.append(", ").append(failed).append(" failed");
		}
		if (!report.warnings().isEmpty()) {
			summary.append(", ").append(report.warnings().size()).append(" warning(s)");
		}
		return summary.append(", in depot ")
			.append(depot)
			.append(" (")
			.append(report.elapsed().toMillis())
			.append(" ms)")
			.toString();
	}

	static String json(GcReport report) {
		JsonWriter json = new JsonWriter().beginObject();
		json.name("deletedCount").value(report.deletedCount());
		json.name("bytesFreed").value(report.bytesFreed());
		json.name("dryRun").value(report.dryRun());
		json.name("elapsedMillis").value(report.elapsed().toMillis());
		json.name("warnings").beginArray();
		report.warnings().forEach(json::value);
		json.endArray();
		json.name("decisions").beginArray();
		for (GcDecision decision : report.decisions()) {
			json.beginObject();
			json.name("path").value(decision.path().toString());
			json.name("action").value(decision.action().name());
			json.name("reason").value(decision.reason());
			json.endObject();
		}
		return json.endArray().endObject().toString();
	}

}
