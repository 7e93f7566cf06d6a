package dev.scratchspace.boot.actuate.endpoint;

import java.nio.file.Path;

import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchGarbageCollector;
import dev.scratchspace.boot.actuate.ScratchInventory;
import dev.scratchspace.boot.autoconfigure.ScratchAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ScratchEndpointAutoConfiguration}.
 */
class ScratchEndpointAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(ScratchAutoConfiguration.class,
			ScratchEndpointAutoConfiguration.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS);

	@TempDir
	Path temp;

	private ApplicationContextRunner runner() {
		return this.contextRunner.withPropertyValues("scratch.depot=" + this.temp.resolve("depot"));
	}

	@Test
	void exposedEndpointListsTheSpacesOfTheManager() {
		runner().withPropertyValues("management.endpoints.web.exposure.include=scratch").run((context) -> {
			assertThat(context).hasSingleBean(ScratchEndpoint.class)
				.hasSingleBean(ScratchInventory.class)
				.hasSingleBean(ScratchGarbageCollector.class);
			ScratchEndpoint endpoint = context.getBean(ScratchEndpoint.class);
			context.getBean(ScratchSpaceManager.class).getScratch("data");
			assertThat(endpoint.spaces().spaces()).extracting(ScratchEndpoint.SpaceDescriptor::key)
				.containsExactly("data");
		});
	}

	@Test
	void endpointNeedsToBeExposed() {
		runner().run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ScratchEndpoint.class));
	}

	@Test
	void backsOffToTheApplicationsEndpoint() {
		runner().withPropertyValues("management.endpoints.web.exposure.include=scratch")
			.withUserConfiguration(UserEndpointConfiguration.class)
			.run((context) -> assertThat(context).getBean(ScratchEndpoint.class)
				.isSameAs(context.getBean("userEndpoint")));
	}

	@Test
	void backsOffWhenScratchSpacesAreDisabled() {
		runner().withPropertyValues("scratch.enabled=false", "management.endpoints.web.exposure.include=scratch")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ScratchSpaceManager.class)
				.doesNotHaveBean(ScratchEndpoint.class));
	}

	@Test
	void startsWithoutActuator() {
		runner().withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues("management.endpoints.web.exposure.include=scratch")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ScratchSpaceManager.class)
				.doesNotHaveBean(ScratchEndpoint.class));
	}

	@Test
	void servletApplicationBoundsTheEndpointsRequestBodies() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("scratch.depot=" + this.temp.resolve("depot"),
					"management.endpoints.web.exposure.include=scratch")
			.run((context) -> assertThat(context).hasBean("scratchRequestSizeFilter"));
		runner().withPropertyValues("management.endpoints.web.exposure.include=scratch")
			.run((context) -> assertThat(context).doesNotHaveBean("scratchRequestSizeFilter"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserEndpointConfiguration {

		@Bean
		ScratchEndpoint userEndpoint(ScratchInventory inventory, ScratchGarbageCollector collector) {
			return new ScratchEndpoint(inventory, collector);
		}

	}

}
