package dev.scratchspace.boot.autoconfigure;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.endpoint.ScratchEndpoint;
import dev.scratchspace.boot.actuate.endpoint.ScratchEndpointAutoConfiguration;
import dev.scratchspace.boot.health.ScratchHealthContributorAutoConfiguration;
import dev.scratchspace.boot.health.ScratchHealthIndicator;
import dev.scratchspace.boot.metrics.ScratchMetrics;
import dev.scratchspace.boot.metrics.ScratchMetricsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.annotation.Configurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the auto-configurations of scratch spaces as an application finds them: listed
 * in {@code AutoConfiguration.imports}, ordered, and each one excluded on its own with
 * {@code spring.autoconfigure.exclude}, which only {@link EnableAutoConfiguration} reads.
 */
class ScratchAutoConfigurationImportsTests {

	private static final List<Class<?>> AUTO_CONFIGURATIONS = List.of(ScratchAutoConfiguration.class,
			ScratchEndpointAutoConfiguration.class, ScratchHealthContributorAutoConfiguration.class,
			ScratchMetricsAutoConfiguration.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(AutoConfiguredApplication.class);

	@TempDir
	Path temp;

	private ApplicationContextRunner runner() {
		return this.contextRunner.withPropertyValues("scratch.depot=" + this.temp.resolve("depot"),
				"scratch.gc.enabled=false", "management.endpoints.web.exposure.include=scratch");
	}

	@Test
	void everyAutoConfigurationIsListed() {
		List<String> listed = ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())
			.getCandidates()
			.stream()
			.filter((candidate) -> candidate.startsWith("dev.scratchspace."))
			.toList();
		assertThat(listed)
			.containsExactlyInAnyOrderElementsOf(AUTO_CONFIGURATIONS.stream().map(Class::getName).toList());
	}

	@Test
	void endpointHealthAndMetricsComeAfterScratchAutoConfiguration() throws Exception {
		Properties metadata = ownAutoConfigureMetadata();
		for (Class<?> concern : AUTO_CONFIGURATIONS.subList(1, AUTO_CONFIGURATIONS.size())) {
			assertThat(metadata.getProperty(concern.getName() + ".AutoConfigureAfter")).as(concern.getName())
				.isEqualTo(ScratchAutoConfiguration.class.getName());
		}
		AutoConfigurations reversed = AutoConfigurations.of(ScratchMetricsAutoConfiguration.class,
				ScratchHealthContributorAutoConfiguration.class, ScratchEndpointAutoConfiguration.class,
				ScratchAutoConfiguration.class);
		assertThat(Configurations.getClasses(reversed)).startsWith(ScratchAutoConfiguration.class);
	}

	@Test
	void everyConcernIsThereWhenNothingIsExcluded() {
		runner().run((context) -> assertThat(context).hasSingleBean(ScratchSpaceManager.class)
			.hasSingleBean(ScratchEndpoint.class)
			.hasSingleBean(ScratchHealthIndicator.class)
			.hasSingleBean(ScratchMetrics.class));
	}

	@Test
	void excludingTheEndpointLeavesHealthAndMetrics() {
		runner().withPropertyValues(exclude(ScratchEndpointAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(ScratchSpaceManager.class)
				.doesNotHaveBean(ScratchEndpoint.class)
				.hasSingleBean(ScratchHealthIndicator.class)
				.hasSingleBean(ScratchMetrics.class));
	}

	@Test
	void excludingHealthLeavesTheEndpointAndMetrics() {
		runner().withPropertyValues(exclude(ScratchHealthContributorAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(ScratchSpaceManager.class)
				.hasSingleBean(ScratchEndpoint.class)
				.doesNotHaveBean(ScratchHealthIndicator.class)
				.hasSingleBean(ScratchMetrics.class));
	}

	@Test
	void excludingMetricsLeavesTheEndpointAndHealth() {
		runner().withPropertyValues(exclude(ScratchMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(ScratchSpaceManager.class)
				.hasSingleBean(ScratchEndpoint.class)
				.hasSingleBean(ScratchHealthIndicator.class)
				.doesNotHaveBean(ScratchMetrics.class));
	}

	@Test
	void excludingScratchAutoConfigurationLeavesNothingThatNeedsIt() {
		runner().withPropertyValues(exclude(ScratchAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ScratchSpaceManager.class)
				.doesNotHaveBean(ScratchEndpoint.class)
				.doesNotHaveBean(ScratchHealthIndicator.class)
				.doesNotHaveBean(ScratchMetrics.class));
	}

	private static String exclude(Class<?> autoConfiguration) {
		return "spring.autoconfigure.exclude=" + autoConfiguration.getName();
	}

	/** Every Spring Boot jar has this metadata: this module's is the one beside its classes. */
	private static Properties ownAutoConfigureMetadata() throws Exception {
		ClassLoader classLoader = ScratchAutoConfiguration.class.getClassLoader();
		String location = ScratchAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toString();
		URL url = Collections.list(classLoader.getResources("META-INF/spring-autoconfigure-metadata.properties"))
			.stream()
			.filter((candidate) -> candidate.toString().contains(location))
			.findFirst()
			.orElseThrow();
		Properties metadata = new Properties();
		try (InputStream in = url.openStream()) {
			metadata.load(in);
		}
		return metadata;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class AutoConfiguredApplication {

	}

}
