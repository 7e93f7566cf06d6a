package dev.scratchspace.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Resolves {@code $<scratch:…>} placeholders in {@code @Value}, after the standard
 * {@code ${…}} resolution (so that {@code @Value("${app.cache}")} with
 * {@code app.cache=$<scratch:cache>} works too), and refreshes the property-value overlays
 * for sources added since the environment was prepared. Once every singleton exists, it hands
 * the spaces of placeholders read before the context could create beans over to the
 * {@link dev.scratchspace.ScratchSpaceManager} bean.
 *
 * <p>A plain {@link Ordered} post-processor: it runs after
 * {@code PropertySourcesPlaceholderConfigurer}, whose resolver must come first.
 */
final class ScratchPlaceholderConfigurer
		implements BeanFactoryPostProcessor, Ordered, SmartInitializingSingleton, DisposableBean {

	private final ConfigurableEnvironment environment;

	private @Nullable SharedScratchSpaceManager shared;

	ScratchPlaceholderConfigurer(ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		SharedScratchSpaceManager shared = ScratchPlaceholderPropertySources.attach(this.environment);
		shared.setBeanFactory(beanFactory);
		this.shared = shared;
		if (!beanFactory.hasEmbeddedValueResolver()) {
			// No PropertySourcesPlaceholderConfigurer: ${…} must still be resolved first.
			beanFactory.addEmbeddedValueResolver(this.environment::resolvePlaceholders);
		}
		beanFactory.addEmbeddedValueResolver((value) -> shared.resolvePlaceholders(value, null));
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.shared != null) {
			this.shared.handOver();
		}
	}

	@Override
	public void destroy() {
		if (this.shared != null) {
			this.shared.close();
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
