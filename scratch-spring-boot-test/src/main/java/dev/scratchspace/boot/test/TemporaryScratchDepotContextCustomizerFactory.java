package dev.scratchspace.boot.test;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Creates the {@link TemporaryScratchDepotContextCustomizer} of a test class annotated with
 * {@link TemporaryScratchDepot @TemporaryScratchDepot}, directly or through a superclass or
 * an enclosing class.
 */
final class TemporaryScratchDepotContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return isAnnotated(testClass) ? new TemporaryScratchDepotContextCustomizer() : null;
	}

	/**
	 * Whether a test class asks for a temporary depot. The environment post-processor asks
	 * the same question about the application's main class, which the test framework sets to
	 * the test class, so both always agree.
	 * @param testClass the test class
	 * @return whether it or a class it inherits its configuration from has the annotation
	 */
	static boolean isAnnotated(Class<?> testClass) {
		return TestContextAnnotationUtils.hasAnnotation(testClass, TemporaryScratchDepot.class);
	}

}
