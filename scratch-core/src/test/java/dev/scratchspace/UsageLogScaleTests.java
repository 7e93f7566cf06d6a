package dev.scratchspace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads a usage log of the size the garbage collector must handle (a million entries over
 * 100,000 spaces). Wall-clock time depends on the machine, so it is printed, not asserted;
 * the JMH benchmark module holds the performance bar.
 */
class UsageLogScaleTests {

	private static final int ENTRIES = 1_000_000;

	private static final int SPACES = 100_000;

	private static final int PROJECTS = 7;

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	@TempDir
	Path dir;

	@Test
	void millionEntryLogReadsInOnePass() throws IOException {
		Path file = this.dir.resolve("scratch_usage.toml");
		String[] spaces = spaces();
		try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
			for (int i = 0; i < ENTRIES; i++) {
				out.write(UsageLog.formatEntry(spaces[i % SPACES], START.plusMillis(i),
						List.of("/tmp/d/projects/p" + (i % PROJECTS) + "/pom.xml")));
			}
		}
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long cpuStarted = threads.getCurrentThreadCpuTime();
		long started = System.nanoTime();
		UsageLog log = UsageLogReader.read(file);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		Duration cpu = Duration.ofNanos(threads.getCurrentThreadCpuTime() - cpuStarted);
		System.out.printf("Read %,d usage-log entries (%,d bytes, %,d spaces) in %d ms (%d ms CPU on the reading thread)%n",
				log.entryCount(), Files.size(file), log.spaces().size(), elapsed.toMillis(), cpu.toMillis());
		assertThat(log.entryCount()).isEqualTo(ENTRIES);
		assertThat(log.malformedCount()).isZero();
		assertThat(log.warnings()).isEmpty();
		assertThat(log.spaces()).hasSize(SPACES);
		assertThat(log.spaces().keySet()).first().isEqualTo(spaces[0]);
		// Space k is written at i = k, k + 100,000, ... k + 900,000; 100,000 % 7 == 5, so its
		// ten entries name every one of the seven projects.
		int k = 12_345;
		UsageLog.Usage usage = log.spaces().get(spaces[k]);
		assertThat(usage.newest()).isEqualTo(START.plusMillis(k + (long) (ENTRIES - SPACES)));
		assertThat(usage.parentProjects()).hasSize(PROJECTS).first().isEqualTo("/tmp/d/projects/p" + (k % PROJECTS) + "/pom.xml");
	}

	private static String[] spaces() {
		Random random = new Random(1);
		String[] spaces = new String[SPACES];
		for (int i = 0; i < SPACES; i++) {
			spaces[i] = "/tmp/d/scratchspaces/" + new UUID(random.nextLong(), random.nextLong()) + "/key-" + i;
		}
		return spaces;
	}

}
