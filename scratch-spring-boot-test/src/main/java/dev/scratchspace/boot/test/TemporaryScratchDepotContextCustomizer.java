package dev.scratchspace.boot.test;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Makes sure that a test's application context has a {@link TemporaryDepot} and deletes it
 * when the context closes.
 *
 * <p>Under {@code @SpringBootTest} the depot already exists: a customizer runs only once the
 * environment is prepared, too late for placeholders read before, so
 * {@link TemporaryScratchDepotEnvironmentPostProcessor} creates it. Other test contexts get
 * their depot here, before any bean factory post-processor resolves a placeholder. A
 * {@code scratch.depot} in the test's inlined properties is rejected in both cases, before
 * a depot is created.
 *
 * <p>The customizer has no state: every annotated test class asks for the same thing, so
 * annotated classes with otherwise equal configurations share one cached context.
 */
final class TemporaryScratchDepotContextCustomizer implements ContextCustomizer {

	private static final String DEPOT_PROPERTY = "scratch.depot";

	private static final String DELETION_BEAN_NAME = TemporaryScratchDepot.class.getName();

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		rejectExplicitDepot(mergedConfig);
		TemporaryDepot depot = TemporaryDepot.attach(context.getEnvironment());
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		if (!(beanFactory instanceof DefaultSingletonBeanRegistry registry)) {
			depot.delete();
			throw new IllegalStateException("@TemporaryScratchDepot cannot delete its depot with a context of type "
					+ context.getClass().getName() + ", whose bean factory is a " + beanFactory.getClass().getName());
		}
		// Registered before any bean, so destroyed after all of them: the manager bean and
		// its background work are closed by the time the depot goes.
		registry.registerDisposableBean(DELETION_BEAN_NAME, depot::delete);
	}

	private static void rejectExplicitDepot(MergedContextConfiguration mergedConfig) {
		rejectExplicitDepot(mergedConfig.getTestClass(),
				TestPropertySourceUtils.convertInlinedPropertiesToMap(mergedConfig.getPropertySourceProperties()));
	}

	/**
	 * Fails when the test's inlined properties set the depot: the test would say two
	 * different things about where its spaces go.
	 * @param testClass the test class
	 * @param inlinedProperties its inlined properties
	 */
	static void rejectExplicitDepot(Class<?> testClass, Map<?, ?> inlinedProperties) {
		Binder binder = new Binder(new MapConfigurationPropertySource(inlinedProperties));
		String depot = binder.bind(DEPOT_PROPERTY, Bindable.of(String.class)).orElse(null);
		if (depot != null) {
			throw new IllegalStateException("@TemporaryScratchDepot on " + testClass.getName()
					+ " gives the test a temporary depot, but the test's properties also set " + DEPOT_PROPERTY + "="
					+ depot + "; remove " + DEPOT_PROPERTY
					+ " from @SpringBootTest or @TestPropertySource to use a temporary depot, "
					+ "or remove @TemporaryScratchDepot to use that depot");
		}
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		return obj != null && obj.getClass() == getClass();
	}

	@Override
	public int hashCode() {
		return getClass().hashCode();
	}

	@Override
	public String toString() {
		return "@TemporaryScratchDepot";
	}

}
