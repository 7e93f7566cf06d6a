package dev.scratchspace.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import dev.scratchspace.BenchmarkSupport;
import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;

/**
 * The first access of {@link FirstAccessBenchmark} outside JMH, for two measurements that a
 * loaded machine does not spoil:
 *
 * <ul>
 * <li>{@code syscalls N}: N first accesses (spaces made beforehand, three warm-up accesses
 * before) between a check of {@code /FIRST-ACCESS-START} and one of
 * {@code /FIRST-ACCESS-END}, so that {@code strace -f} shows the calls of exactly those
 * accesses; {@code syscalls-append N} does the same for the baseline append;</li>
 * <li>{@code cpu N ROUNDS}: the CPU time of the accessing thread (system calls included)
 * per first access and per baseline append, in blocks of 100 of each, alternating, N of
 * each per round; the first round warms up and is not reported.</li>
 * </ul>
 *
 * Run with {@code java -cp scratch-benchmarks/target/benchmarks.jar
 * dev.scratchspace.bench.FirstAccessProbe MODE ...}.
 */
public final class FirstAccessProbe {

	private static final int BLOCK = 100;

	private FirstAccessProbe() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length < 2) {
			System.err.println("Usage: FirstAccessProbe syscalls|syscalls-append N | cpu N ROUNDS");
			System.exit(2);
		}
		int count = Integer.parseInt(args[1]);
		Path root = Fixtures.newTemporaryDirectory("first-access-probe");
		try {
			switch (args[0]) {
				case "syscalls" -> syscalls(root, count, false);
				case "syscalls-append" -> syscalls(root, count, true);
				case "cpu" -> cpu(root, count, Integer.parseInt(args[2]));
				default -> throw new IllegalArgumentException("Unknown mode: " + args[0]);
			}
		}
		finally {
			Fixtures.deleteTree(root);
		}
	}

	private static void syscalls(Path root, int count, boolean append) throws IOException {
		Round round = new Round(root, "depot", count + 3);
		try {
			for (int i = count; i < count + 3; i++) {
				round.access(append, i);
			}
			Files.exists(Path.of("/FIRST-ACCESS-START"));
			for (int i = 0; i < count; i++) {
				round.access(append, i);
			}
			Files.exists(Path.of("/FIRST-ACCESS-END"));
		}
		finally {
			round.manager.close();
		}
	}

	private static void cpu(Path root, int count, int rounds) throws IOException {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		List<Double> firsts = new ArrayList<>();
		List<Double> appends = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		for (int r = 0; r < rounds; r++) {
			Round round = new Round(root, "depot-" + r, count);
			long first = 0;
			long appended = 0;
			try {
				for (int block = 0; block < count; block += BLOCK) {
					int end = Math.min(count, block + BLOCK);
					long start = threads.getCurrentThreadCpuTime();
					for (int i = block; i < end; i++) {
						round.access(false, i);
					}
					long middle = threads.getCurrentThreadCpuTime();
					for (int i = block; i < end; i++) {
						round.access(true, i);
					}
					first += middle - start;
					appended += threads.getCurrentThreadCpuTime() - middle;
				}
			}
			finally {
				round.manager.close();
				Fixtures.deleteTree(root.resolve("depot-" + r));
			}
			if (r > 0) {
				firsts.add(first / 1e3 / count);
				appends.add(appended / 1e3 / count);
				ratios.add((double) first / appended);
			}
		}
		System.out.printf(Locale.ROOT, "first access: %s µs%nappend: %s µs%nratio: %s%n", median(firsts),
				median(appends), median(ratios));
	}

	private static String median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return String.format(Locale.ROOT, "median %.2f (%.2f to %.2f over %d rounds)", sorted.get(sorted.size() / 2),
				sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
	}

	/** A manager, its primer access made, and spaces made on disk for the first accesses. */
	private static final class Round {

		final ScratchSpaceManager manager;

		final ScratchOwner owner;

		final String[] keys;

		final byte[][] entries;

		final Path baselineLog;

		Round(Path root, String depot, int count) throws IOException {
			Path project = root.resolve("pom.xml");
			if (!Files.exists(project)) {
				Files.createFile(project);
			}
			this.owner = ScratchOwner.of("dev.scratchspace.bench", "first-access").withProject(project);
			this.manager = ScratchSpaceManager.builder().depot(root.resolve(depot)).build();
			Path primer = this.manager.getScratch(this.owner, "primer");
			if (!Files.exists(this.manager.usageLog())) {
				throw new IllegalStateException("The primer access logged nothing: is SCRATCH_TRACK_ACCESS=0 set?");
			}
			this.baselineLog = this.manager.usageLog().resolveSibling("baseline-append.toml");
			this.keys = new String[count];
			this.entries = new byte[count][];
			for (int i = 0; i < count; i++) {
				this.keys[i] = "space-" + i;
				Path space = Files.createDirectory(primer.resolveSibling(this.keys[i]));
				this.entries[i] = BenchmarkSupport.usageLogEntry(space, Instant.now(), project);
			}
		}

		void access(boolean append, int i) throws IOException {
			if (append) {
				Files.write(this.baselineLog, this.entries[i], StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
			else {
				this.manager.getScratch(this.owner, this.keys[i]);
			}
		}

	}

}
