package dev.scratchspace.boot.autoconfigure;

import dev.scratchspace.GcOptions;
import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchGarbageCollector;
import dev.scratchspace.boot.actuate.ScratchInventory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for scratch spaces: the application's {@link ScratchSpaceManager} (closed with the
 * context), {@code $<scratch:…>} placeholders and scheduled garbage collection, with the
 * {@link ScratchInventory inventory} (whose sizes are measured on a daemon thread of its own)
 * and {@link ScratchGarbageCollector garbage collector} that the endpoint, health and metrics
 * auto-configurations share. Those come after this
 * one and back off when it defines no inventory, so each of them can be excluded alone.
 *
 * <p>With {@code scratch.enabled=false} none of these exist. The placeholder resolver stays,
 * only to fail the start with a clear message when a placeholder is used anyway: an
 * unresolved {@code $<scratch:…>} would otherwise become a relative path without a word.
 */
@AutoConfiguration
public final class ScratchAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static ScratchPlaceholderConfigurer scratchPlaceholderConfigurer(ConfigurableEnvironment environment) {
		return new ScratchPlaceholderConfigurer(environment);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "scratch.enabled", matchIfMissing = true)
	@EnableConfigurationProperties(ScratchProperties.class)
	static class ScratchSpacesConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ScratchSpaceManager scratchSpaceManager(ScratchProperties properties,
				ObjectProvider<ScratchSpaceManagerCustomizer> customizers, ConfigurableEnvironment environment) {
			return SharedScratchSpaceManager.get(environment)
				.createBean(properties, customizers.orderedStream().toList());
		}

		@Bean
		@ConditionalOnMissingBean
		ScratchInventory scratchInventory(ScratchSpaceManager manager, ScratchProperties properties) {
			return new ScratchInventory(manager, properties.getInventory().getRefreshInterval());
		}

		@Bean
		@ConditionalOnMissingBean
		ScratchGarbageCollector scratchGarbageCollector(ScratchSpaceManager manager, ScratchProperties properties,
				ObjectProvider<ScratchGarbageCollector.Listener> listeners) {
			return new ScratchGarbageCollector(manager, gcOptions(properties.getGc()),
					listeners.orderedStream().toList());
		}

		private static GcOptions gcOptions(ScratchProperties.Gc gc) {
			GcOptions options = GcOptions.defaults().withCollectDelay(gc.getCollectDelay()).withDryRun(gc.isDryRun());
			if (gc.getMaxUnusedAge() != null) {
				options = options.withMaxUnusedAge(gc.getMaxUnusedAge());
			}
			if (gc.getMaxTotalSize() != null) {
				options = options.withMaxTotalSize(gc.getMaxTotalSize().toBytes());
			}
			return options;
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBooleanProperty(name = "scratch.gc.enabled", matchIfMissing = true)
		static class GcSchedulingConfiguration {

			@Bean
			@ConditionalOnMissingBean
			ScratchGcScheduler scratchGcScheduler(ScratchGarbageCollector collector, ScratchProperties properties) {
				return new ScratchGcScheduler(collector, properties.getGc().getInitialDelay(),
						properties.getGc().getInterval());
			}

		}

	}

}
