package dev.scratchspace.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark of the performance bar with JMH and prints each figure beside its
 * baseline, their ratio (or difference), the target and PASS or MISS.
 *
 * <pre>
 * java -jar scratch-benchmarks/target/benchmarks.jar [--quick] [--only=GROUP,...]
 *     [--gc-spaces=N,...] [--fixtures=DIR] [--prof=PROFILER[:OPTIONS]]... [--report=FILE]
 * </pre>
 *
 * Groups: {@code warm}, {@code first}, {@code gc}, {@code walk}, {@code start} (both
 * {@code start-cold} and {@code start-warm}), {@code scrape} (both {@code scrape} and
 * {@code scrape-walk}). {@code --quick} is a smoke run: one fork and a
 * few short iterations. Generated depots go to a temporary directory that is deleted at the
 * end, or to {@code --fixtures=DIR}, where they are kept and reused by later runs.
 * {@code --gc-spaces} replaces the two depot sizes of the collection benchmark (10,000 and
 * 100,000 spaces); {@code --prof} adds a JMH profiler such as {@code gc} or {@code stack}.
 */
public final class BenchmarkRunner {

	private static final List<Group> GROUPS = List.of(
			new Group("warm", WarmAccessBenchmark.class, "getScratch|isDirectory|isDirectoryNoFollow", Mode.AverageTime,
					TimeUnit.NANOSECONDS, Settings.timed(2, 3, 5, 1000), Settings.timed(1, 2, 3, 500), List.of()),
			new Group("first", FirstAccessBenchmark.class, "firstAccess|append|repeatedAccessZeroInterval",
					Mode.AverageTime, TimeUnit.MICROSECONDS, Settings.timed(2, 3, 5, 1000),
					Settings.timed(1, 2, 3, 500), List.of()),
			new Group("gc", GarbageCollectionBenchmark.class, "dryRun|realRun|listAndRead", Mode.SingleShotTime,
					// Single shots need several warm-ups before the collector's code is compiled.
					TimeUnit.MILLISECONDS, Settings.singleShot(1, 5, 5), Settings.singleShot(1, 3, 3),
					// A fixed heap, so that a machine with more memory does not collect less often.
					List.of("-Xms4g", "-Xmx4g")),
			new Group("walk", SizeWalkBenchmark.class, "sizeWalk|inventory|du|duEmpty", Mode.AverageTime,
					TimeUnit.MILLISECONDS, Settings.timed(2, 2, 5, 1000), Settings.timed(1, 1, 3, 1000), List.of()),
			new Group("scrape", ScrapeBenchmark.class, "gaugeRead|healthCheck|cachedLong", Mode.AverageTime,
					TimeUnit.NANOSECONDS, Settings.timed(1, 3, 5, 1000), Settings.timed(1, 1, 2, 500), List.of()),
			// One refresh per iteration: a throttled walk of a million files takes seconds.
			new Group("scrape-walk", ScrapeBenchmark.class, "refresh", Mode.SingleShotTime, TimeUnit.MILLISECONDS,
					Settings.singleShot(1, 1, 3), Settings.singleShot(1, 0, 1), List.of()),
			new Group("start-cold", ContextStartBenchmark.class, "withStarter|withoutStarter", Mode.SingleShotTime,
					TimeUnit.MILLISECONDS, Settings.singleShot(12, 0, 1), Settings.singleShot(4, 0, 1), List.of()),
			new Group("start-warm", ContextStartBenchmark.class, "withStarter|withoutStarter", Mode.AverageTime,
					TimeUnit.MILLISECONDS, Settings.timed(1, 5, 5, 1000), Settings.timed(1, 3, 3, 1000), List.of()));

	private static final String DU_NET = "walk/duNet";

	/** The CPU time of one background refresh, reported without a target. */
	private static final String REFRESH_CPU = "scrape-walk/refresh:cpuMillis";

	private static final List<Figure> FIGURES = List.of(
			Figure.ratio("warm getScratch(owner, key)", "warm/getScratch", "Files.isDirectory(path)",
					"warm/isDirectory", 1.5),
			Figure.ratio("first access with tracking (new key, space exists)", "first/firstAccess",
					"Files.write(entry, CREATE, APPEND)", "first/append", 3),
			Figure.ratio("GC dry run, 10,000 spaces, 100 owners, 100,000-entry log", "gc/dryRun[spaces=10000]",
					"list the directories + read the log", "gc/listAndRead[spaces=10000]", 10),
			Figure.ratio("GC dry run, 100,000 spaces, 1,000 owners, 1,000,000-entry log",
					"gc/dryRun[spaces=100000]", "list the directories + read the log",
					"gc/listAndRead[spaces=100000]", 10),
			Figure.ratio("GC dry run, growth from 10,000 to 100,000 spaces", "gc/dryRun[spaces=100000]",
					"GC dry run, 10,000 spaces", "gc/dryRun[spaces=10000]", 12),
			Figure.ratio("inventory size walk (listing + sizeAndCount)", "walk/sizeWalk",
					"du -sb, less starting the process", DU_NET, 1.5),
			Figure.difference("context start with the starter, fresh JVM", "start-cold/withStarter",
					"the same without the starter", "start-cold/withoutStarter", 20),
			Figure.difference("scratch.size gauge read, 1,000,000-file depot", "scrape/gaugeRead",
					"read one cached long", "scrape/cachedLong", 1),
			Figure.difference("scratch health check, 1,000,000-file depot", "scrape/healthCheck",
					"read one cached long", "scrape/cachedLong", 1),
			Figure.ratio("warm getScratch(owner, key)", "warm/getScratch", "Files.isDirectory(path, NOFOLLOW_LINKS)",
					"warm/isDirectoryNoFollow", 1.5)
				.asDetail(),
			Figure.ratio("repeated access, interval 0 (the logged append alone)", "first/repeatedAccessZeroInterval",
					"Files.write(entry, CREATE, APPEND)", "first/append", 3)
				.asDetail(),
			Figure.ratio("GC real run, 10,000 spaces", "gc/realRun[spaces=10000]",
					"list the directories + read the log", "gc/listAndRead[spaces=10000]", 10)
				.asDetail(),
			Figure.ratio("GC real run, 100,000 spaces", "gc/realRun[spaces=100000]",
					"list the directories + read the log", "gc/listAndRead[spaces=100000]", 10)
				.asDetail(),
			Figure.ratio("GC real run, growth from 10,000 to 100,000 spaces", "gc/realRun[spaces=100000]",
					"GC real run, 10,000 spaces", "gc/realRun[spaces=10000]", 12)
				.asDetail(),
			Figure.ratio("inventory, all of spaces()", "walk/inventory", "du -sb, less starting the process",
					DU_NET, 1.5)
				.asDetail(),
			Figure.ratio("inventory size walk (listing + sizeAndCount)", "walk/sizeWalk",
					"du -sb, process start included", "walk/du", 1.5)
				.asDetail(),
			Figure.difference("context start with the starter, warm JVM", "start-warm/withStarter",
					"the same without the starter", "start-warm/withoutStarter", 20)
				.asDetail());

	private BenchmarkRunner() {
	}

	public static void main(String[] args) throws RunnerException, IOException {
		Arguments arguments;
		try {
			arguments = Arguments.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.println("Usage: java -jar benchmarks.jar [--quick] [--only=warm,first,gc,walk,start,scrape]"
					+ " [--gc-spaces=N,...] [--fixtures=DIR] [--prof=PROFILER[:OPTIONS]]... [--report=FILE]");
			System.exit(2);
			return;
		}
		boolean temporaryFixtures = arguments.fixtures() == null;
		Path fixtures = temporaryFixtures ? Fixtures.newTemporaryDirectory("fixtures") : arguments.fixtures();
		Thread cleanup = new Thread(() -> Fixtures.deleteTree(fixtures), "delete-benchmark-fixtures");
		if (temporaryFixtures) {
			Runtime.getRuntime().addShutdownHook(cleanup);
		}
		String before = loadAverage();
		Map<String, Score> scores = new LinkedHashMap<>();
		Set<String> groupsRun = new java.util.HashSet<>();
		try {
			for (Group group : GROUPS) {
				if (arguments.selects(group.id())) {
					groupsRun.add(group.id());
					collect(group, new Runner(group.options(arguments, fixtures)).run(), scores);
				}
			}
		}
		finally {
			if (temporaryFixtures) {
				Runtime.getRuntime().removeShutdownHook(cleanup);
				Fixtures.deleteTree(fixtures);
			}
		}
		Score du = scores.get("walk/du");
		Score duEmpty = scores.get("walk/duEmpty");
		if (du != null && duEmpty != null) {
			scores.put(DU_NET, du.minus(duEmpty));
		}
		String report = report(arguments, scores, groupsRun, before);
		System.out.println();
		System.out.println(report);
		if (arguments.report() != null) {
			Files.writeString(arguments.report(), report, StandardCharsets.UTF_8);
		}
	}

	private static void collect(Group group, Collection<RunResult> results, Map<String, Score> scores) {
		for (RunResult result : results) {
			BenchmarkParams params = result.getParams();
			String benchmark = params.getBenchmark();
			StringBuilder key = new StringBuilder(group.id()).append('/')
				.append(benchmark.substring(benchmark.lastIndexOf('.') + 1));
			for (String name : params.getParamsKeys()) {
				key.append('[').append(name).append('=').append(params.getParam(name)).append(']');
			}
			Result<?> primary = result.getPrimaryResult();
			scores.put(key.toString(), Score.of(primary.getScore(), primary.getScoreError(), primary.getScoreUnit()));
			// Auxiliary counters in milliseconds, such as the CPU time of a refresh.
			result.getSecondaryResults().forEach((label, secondary) -> {
				if (label.endsWith("Millis")) {
					scores.put(key + ":" + label, Score.of(secondary.getScore(), secondary.getScoreError(), "ms/op"));
				}
			});
		}
	}

	private static String report(Arguments arguments, Map<String, Score> scores, Set<String> groupsRun,
			String loadBefore) {
		List<Figure> figures = FIGURES.stream()
			.filter((figure) -> groupsRun.contains(group(figure.key())) || groupsRun.contains(group(figure.baselineKey())))
			.toList();
		Set<String> notApplicable = (ContextStartBenchmark.AUTO_CONFIGURATION_PRESENT
				|| groupsRun.stream().noneMatch((id) -> id.startsWith("start-"))) ? Set.of()
						: Set.of("start-cold/withStarter", "start-warm/withStarter");
		StringBuilder out = new StringBuilder();
		out.append("## Benchmark results").append(arguments.quick() ? " (quick settings: a smoke run)" : "")
			.append("\n\n");
		out.append("Java ").append(System.getProperty("java.vm.version")).append(", ")
			.append(Runtime.getRuntime().availableProcessors()).append(" cores, load average ").append(loadBefore)
			.append(" before and ").append(loadAverage()).append(" after.\n\n");
		out.append(ReportTable.render(ReportTable.evaluate(figures, scores, notApplicable)));
		Score refreshCpu = scores.get(REFRESH_CPU);
		Score refreshWall = scores.get("scrape-walk/refresh");
		if (refreshCpu != null && refreshWall != null) {
			out.append("\nBackground refresh of the 1,000,000-file depot (no target): ")
				.append(refreshCpu.formatTime())
				.append(" of CPU per refresh, ")
				.append(refreshWall.formatTime())
				.append(" of wall time with the throttle's pauses.\n");
		}
		if (!notApplicable.isEmpty()) {
			out.append("\n").append(ContextStartBenchmark.AUTO_CONFIGURATION)
				.append(" is not on the class path: both context starts are the same, their difference is noise.\n");
		}
		out.append("\n### Every result\n\n");
		scores.forEach((key, score) -> out.append("- `").append(key).append("`: ").append(score.formatTime()).append('\n'));
		return out.toString();
	}

	private static String group(String key) {
		return key.substring(0, key.indexOf('/'));
	}

	private static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return String.format(java.util.Locale.ROOT, "%.2f",
					ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		}
	}

	/** How long and how often one group runs. */
	record Settings(int forks, int warmupIterations, int measurementIterations, @Nullable TimeValue iterationTime) {

		static Settings timed(int forks, int warmupIterations, int measurementIterations, long iterationMillis) {
			return new Settings(forks, warmupIterations, measurementIterations, TimeValue.milliseconds(iterationMillis));
		}

		static Settings singleShot(int forks, int warmupIterations, int measurementIterations) {
			return new Settings(forks, warmupIterations, measurementIterations, null);
		}

	}

	/** Benchmarks of one class that run with the same settings. */
	record Group(String id, Class<?> type, String methods, Mode mode, TimeUnit unit, Settings full, Settings quick,
			List<String> jvmArgs) {

		org.openjdk.jmh.runner.options.Options options(Arguments arguments, Path fixtures) {
			Settings settings = arguments.quick() ? this.quick : this.full;
			List<String> forkArgs = new ArrayList<>(this.jvmArgs);
			forkArgs.add("-D" + Fixtures.FIXTURES_PROPERTY + "=" + fixtures);
			ChainedOptionsBuilder builder = new OptionsBuilder()
				.include("^" + Pattern.quote(this.type.getName()) + "\\.(" + this.methods + ")$")
				.mode(this.mode)
				.timeUnit(this.unit)
				.forks(settings.forks())
				.warmupIterations(settings.warmupIterations())
				.measurementIterations(settings.measurementIterations())
				.jvmArgsAppend(forkArgs.toArray(String[]::new))
				// A failing benchmark is reported as "no result"; the other groups still run.
				.shouldFailOnError(false);
			if (this.type == GarbageCollectionBenchmark.class && !arguments.gcSpaces().isEmpty()) {
				builder.param("spaces", arguments.gcSpaces().toArray(String[]::new));
			}
			TimeValue time = settings.iterationTime();
			if (time != null) {
				builder.warmupTime(time).measurementTime(time);
			}
			else {
				builder.warmupBatchSize(1).measurementBatchSize(1);
			}
			for (String profiler : arguments.profilers()) {
				int colon = profiler.indexOf(':');
				if (colon < 0) {
					builder.addProfiler(profiler);
				}
				else {
					builder.addProfiler(profiler.substring(0, colon), profiler.substring(colon + 1));
				}
			}
			return builder.build();
		}

	}

	/** The command line. */
	record Arguments(boolean quick, List<String> only, @Nullable Path fixtures, List<String> profilers,
			@Nullable Path report, List<String> gcSpaces) {

		static Arguments parse(String[] args) {
			boolean quick = false;
			List<String> only = new ArrayList<>();
			Path fixtures = null;
			List<String> profilers = new ArrayList<>();
			Path report = null;
			List<String> gcSpaces = new ArrayList<>();
			for (String arg : args) {
				if (arg.equals("--quick")) {
					quick = true;
				}
				else if (arg.startsWith("--only=")) {
					only.addAll(List.of(arg.substring("--only=".length()).split(",")));
				}
				else if (arg.startsWith("--fixtures=")) {
					fixtures = Path.of(arg.substring("--fixtures=".length())).toAbsolutePath();
				}
				else if (arg.startsWith("--prof=")) {
					profilers.add(arg.substring("--prof=".length()));
				}
				else if (arg.startsWith("--gc-spaces=")) {
					gcSpaces.addAll(List.of(arg.substring("--gc-spaces=".length()).split(",")));
				}
				else if (arg.startsWith("--report=")) {
					report = Path.of(arg.substring("--report=".length()));
				}
				else {
					throw new IllegalArgumentException("Unknown argument '" + arg + "'");
				}
			}
			for (String name : only) {
				if (GROUPS.stream().noneMatch((group) -> selects(name, group.id()))) {
					throw new IllegalArgumentException("Unknown group '" + name + "'");
				}
			}
			for (String spaces : gcSpaces) {
				if (!spaces.matches("[1-9][0-9]*00")) {
					throw new IllegalArgumentException("--gc-spaces takes multiples of 100, not '" + spaces + "'");
				}
			}
			return new Arguments(quick, List.copyOf(only), fixtures, List.copyOf(profilers), report,
					List.copyOf(gcSpaces));
		}

		boolean selects(String group) {
			return this.only.isEmpty() || this.only.stream().anyMatch((name) -> selects(name, group));
		}

		private static boolean selects(String name, String group) {
			return group.equals(name) || group.startsWith(name + "-");
		}

	}

}
