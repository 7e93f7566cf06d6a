package dev.scratchspace.boot.metrics;

import java.nio.file.Path;

import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchGarbageCollector;
import dev.scratchspace.boot.actuate.ScratchInventory;
import dev.scratchspace.boot.autoconfigure.ScratchAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ScratchMetricsAutoConfiguration}.
 */
class ScratchMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ScratchAutoConfiguration.class, ScratchMetricsAutoConfiguration.class));

	@TempDir
	Path temp;

	private ApplicationContextRunner runner() {
		return this.contextRunner.withPropertyValues("scratch.depot=" + this.temp.resolve("depot"),
				"scratch.gc.enabled=false");
	}

	@Test
	void metersCountTheSpacesAndTimeEveryGarbageCollection() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(ScratchMetrics.class);
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(ScratchMetrics.class).bindTo(registry);
			context.getBean(ScratchSpaceManager.class).getScratch("data");
			context.getBean(ScratchInventory.class).refresh();
			assertThat(registry.get("scratch.spaces").gauge().value()).isOne();
			ScratchGarbageCollector collector = context.getBean(ScratchGarbageCollector.class);
			collector.collect(collector.defaultOptions().withDryRun(true));
			assertThat(registry.get("scratch.gc").timer().count()).isOne();
		});
	}

	@Test
	void backsOffWhenScratchSpacesAreDisabled() {
		runner().withPropertyValues("scratch.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ScratchSpaceManager.class)
				.doesNotHaveBean(ScratchMetrics.class));
	}

	@Test
	void startsWithoutMicrometer() {
		runner().withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ScratchSpaceManager.class)
				.doesNotHaveBean(ScratchMetrics.class));
	}

}
