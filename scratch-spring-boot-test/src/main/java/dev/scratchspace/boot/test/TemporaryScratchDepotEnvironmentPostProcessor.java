package dev.scratchspace.boot.test;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Gives the environment of a test annotated with
 * {@link TemporaryScratchDepot @TemporaryScratchDepot} its temporary depot before any other
 * post-processor runs, so that no {@code $<scratch:…>} placeholder is ever resolved against
 * another depot.
 *
 * <p>A {@code ContextCustomizer} alone would come too late: Spring Boot's test support runs
 * customizers as context initializers, after the environment is prepared. The test framework
 * makes the test class the application's main class, which is how this post-processor
 * recognizes an annotated test; an application's own main class never carries the
 * annotation. {@link TemporaryScratchDepotContextCustomizer} deletes the depot when the
 * context closes, {@link TemporaryScratchDepotRunListener} when the application fails to
 * start.
 */
final class TemporaryScratchDepotEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Class<?> mainApplicationClass = application.getMainApplicationClass();
		if (mainApplicationClass == null
				|| !TemporaryScratchDepotContextCustomizerFactory.isAnnotated(mainApplicationClass)) {
			return;
		}
		// Spring Boot's test support has added the test's own properties before any post-processor.
		if (environment.getPropertySources()
			.get(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME) instanceof MapPropertySource inlined) {
			TemporaryScratchDepotContextCustomizer.rejectExplicitDepot(mainApplicationClass, inlined.getSource());
		}
		TemporaryDepot.attach(environment);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
