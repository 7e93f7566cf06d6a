package dev.scratchspace.boot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.scratchspace.boot.actuate.ScratchGarbageCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.scheduling.TaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ScratchGcScheduler} as auto-configured.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScratchGcSchedulerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ScratchAutoConfiguration.class))
		.withPropertyValues("scratch.gc.initial-delay=0s", "scratch.gc.interval=20ms", "scratch.gc.collect-delay=0s");

	@TempDir
	Path temp;

	@Test
	void collectsOnItsOwnDaemonThreadAndLogsEachRun(CapturedOutput output) throws Exception {
		Path orphan = untrackedSpace("old-downloads");
		AtomicReference<Thread> gcThread = new AtomicReference<>();
		this.contextRunner.withPropertyValues("scratch.depot=" + depot())
			.withBean(ScratchGarbageCollector.Listener.class,
					() -> (report) -> gcThread.compareAndSet(null, Thread.currentThread()))
			.run((context) -> {
				await().atMost(TIMEOUT).until(() -> !Files.exists(orphan));
				await().atMost(TIMEOUT).until(() -> output.getOut().contains("Scratch space garbage collection in "
						+ depot() + ": 1 of 1 spaces deleted, 7 bytes freed"));
				assertThat(gcThread.get().getName()).startsWith("scratch-gc-");
				assertThat(gcThread.get().isDaemon()).isTrue();
				assertThat(context).doesNotHaveBean(TaskScheduler.class);
			});
		await().atMost(TIMEOUT).until(() -> !gcThread.get().isAlive());
	}

	@Test
	void failedRunDoesNotStopTheSchedule() {
		AtomicInteger runs = new AtomicInteger();
		this.contextRunner.withPropertyValues("scratch.depot=" + depot())
			.withBean(ScratchGarbageCollector.Listener.class, () -> (report) -> {
				if (runs.incrementAndGet() == 1) {
					throw new IllegalStateException("first run fails");
				}
			})
			.run((context) -> await().atMost(TIMEOUT).until(() -> runs.get() >= 2));
	}

	private Path depot() {
		return this.temp.resolve("depot");
	}

	private Path untrackedSpace(String key) throws Exception {
		Path space = depot().resolve("scratchspaces").resolve(UUID.randomUUID().toString()).resolve(key);
		Files.createDirectories(space);
		Files.writeString(space.resolve("file"), "content");
		return space;
	}

}
