package dev.scratchspace.boot.autoconfigure;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Makes {@code $<scratch:…>} placeholders in property values resolvable from the moment the
 * environment is ready, so that the logging system, conditions and configuration properties
 * all see the path of the space, and records the main application class, whose artifact is
 * the default owner of spaces.
 *
 * <p>Runs after every other post-processor, so that it sees all the property sources they
 * add; nothing is resolved (and no space created) until a value is read.
 */
final class ScratchPlaceholdersEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		SharedScratchSpaceManager shared = ScratchPlaceholderPropertySources.attach(environment);
		shared.setMainApplicationClass(application.getMainApplicationClass());
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
