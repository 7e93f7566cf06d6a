package dev.scratchspace.boot.autoconfigure;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import dev.scratchspace.boot.actuate.ScratchGarbageCollector;
import dev.scratchspace.boot.actuate.ScratchInventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.scheduling.TaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the background measurement of the {@link ScratchInventory} as auto-configured.
 */
class ScratchInventoryRefreshTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ScratchAutoConfiguration.class))
		.withPropertyValues("scratch.gc.enabled=false");

	@TempDir
	Path temp;

	@Test
	void measuresOnItsOwnDaemonThreadThatEndsWithTheContext() throws Exception {
		// Contexts cached by other tests of this JVM may have threads of their own.
		Set<Thread> before = refreshThreads();
		Thread[] thread = new Thread[1];
		this.contextRunner.withPropertyValues("scratch.depot=" + this.temp.resolve("depot")).run((context) -> {
			assertThat(context.getBean(ScratchInventory.class).isRunning()).isTrue();
			Set<Thread> started = refreshThreads();
			started.removeAll(before);
			assertThat(started).hasSize(1);
			thread[0] = started.iterator().next();
			assertThat(thread[0].isDaemon()).isTrue();
			assertThat(context).doesNotHaveBean(TaskScheduler.class);
		});
		thread[0].join();
		assertThat(thread[0].isAlive()).isFalse();
	}

	@Test
	void inventoryListensToTheCollector() {
		// The collector tells every listener bean about each run: the inventory measures again.
		this.contextRunner.withPropertyValues("scratch.depot=" + this.temp.resolve("depot"))
			.run((context) -> assertThat(context.getBeanProvider(ScratchGarbageCollector.Listener.class).stream())
				.contains(context.getBean(ScratchInventory.class)));
	}

	@Test
	void refreshIntervalComesFromItsProperty() {
		this.contextRunner
			.withPropertyValues("scratch.depot=" + this.temp.resolve("depot"), "scratch.inventory.refresh-interval=2h")
			.run((context) -> assertThat(context.getBean(ScratchInventory.class).refreshInterval())
				.hasHours(2));
	}

	private static Set<Thread> refreshThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith(ScratchInventory.THREAD_NAME_PREFIX))
			.filter(Thread::isAlive)
			.collect(Collectors.toSet());
	}

}
