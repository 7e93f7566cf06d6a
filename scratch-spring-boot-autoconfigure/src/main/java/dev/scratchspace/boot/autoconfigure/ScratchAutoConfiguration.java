package dev.scratchspace.boot.autoconfigure;

import dev.scratchspace.GcOptions;
import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchEndpoint;
import dev.scratchspace.boot.actuate.ScratchGarbageCollector;
import dev.scratchspace.boot.actuate.ScratchHealthIndicator;
import dev.scratchspace.boot.actuate.ScratchInventory;
import dev.scratchspace.boot.actuate.ScratchMetrics;
import dev.scratchspace.boot.actuate.ScratchRequestSizeFilter;
import jakarta.servlet.Filter;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for scratch spaces: the application's {@link ScratchSpaceManager} (closed with the
 * context), {@code $<scratch:…>} placeholders, scheduled garbage collection, and, when
 * actuator and Micrometer are present, the {@code scratch} endpoint, health and meters.
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
		ScratchInventory scratchInventory(ScratchSpaceManager manager) {
			return new ScratchInventory(manager);
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

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
		static class EndpointConfiguration {

			@Bean
			@ConditionalOnMissingBean
			@ConditionalOnAvailableEndpoint
			ScratchEndpoint scratchEndpoint(ScratchInventory inventory, ScratchGarbageCollector collector) {
				return new ScratchEndpoint(inventory, collector);
			}

			@Configuration(proxyBeanMethods = false)
			@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
			@ConditionalOnClass({ Filter.class, FilterRegistrationBean.class })
			static class RequestSizeConfiguration {

				/** The endpoint's only body is two small fields: 16 KiB is generous. */
				static final long MAX_BODY_BYTES = 16 * 1024;

				@Bean
				@ConditionalOnAvailableEndpoint(ScratchEndpoint.class)
				@ConditionalOnMissingBean(name = "scratchRequestSizeFilter")
				FilterRegistrationBean<ScratchRequestSizeFilter> scratchRequestSizeFilter(
						ObjectProvider<PathMappedEndpoints> endpoints) {
					PathMappedEndpoints mapped = endpoints.getIfAvailable();
					String path = (mapped != null) ? mapped.getPath(EndpointId.of("scratch")) : null;
					path = (path != null) ? path : "/actuator/scratch";
					FilterRegistrationBean<ScratchRequestSizeFilter> registration = new FilterRegistrationBean<>(
							new ScratchRequestSizeFilter(MAX_BODY_BYTES), new ServletRegistrationBean<?>[0]);
					registration.addUrlPatterns(path, path + "/*");
					return registration;
				}

			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
		static class HealthConfiguration {

			@Bean
			@ConditionalOnMissingBean(name = "scratchHealthIndicator")
			@ConditionalOnEnabledHealthIndicator("scratch")
			ScratchHealthIndicator scratchHealthIndicator(ScratchInventory inventory, ScratchProperties properties) {
				return new ScratchHealthIndicator(inventory, properties.getHealth().getMinFreeSpace());
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(MeterBinder.class)
		static class MetricsConfiguration {

			@Bean
			@ConditionalOnMissingBean
			ScratchMetrics scratchMetrics(ScratchInventory inventory) {
				return new ScratchMetrics(inventory);
			}

		}

	}

}
