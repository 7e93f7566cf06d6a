package dev.scratchspace.boot.actuate.endpoint;

import dev.scratchspace.boot.actuate.ScratchGarbageCollector;
import dev.scratchspace.boot.actuate.ScratchInventory;
import dev.scratchspace.boot.autoconfigure.ScratchAutoConfiguration;
import jakarta.servlet.Filter;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for the {@link ScratchEndpoint scratch endpoint}, when actuator is present and the
 * endpoint is available (allowed and exposed). In a servlet application it also bounds the
 * size of the endpoint's request bodies and reads the body of a {@code POST} strictly
 * before the endpoint runs, see {@link ScratchRequestSizeFilter}.
 *
 * <p>It comes after {@link ScratchAutoConfiguration} and needs its inventory and garbage
 * collector, so it backs off with {@code scratch.enabled=false}; excluding it leaves health
 * and metrics in place.
 */
@AutoConfiguration(after = ScratchAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ ScratchInventory.class, ScratchGarbageCollector.class })
public final class ScratchEndpointAutoConfiguration {

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
			return registration(endpoints);
		}

		/** The filter on the endpoint's paths, in this context or the management server's. */
		static FilterRegistrationBean<ScratchRequestSizeFilter> registration(
				ObjectProvider<PathMappedEndpoints> endpoints) {
			String path = endpointPath(endpoints.getIfAvailable());
			FilterRegistrationBean<ScratchRequestSizeFilter> registration = new FilterRegistrationBean<>(
					new ScratchRequestSizeFilter(MAX_BODY_BYTES), new ServletRegistrationBean<?>[0]);
			registration.addUrlPatterns(path, path + "/*");
			return registration;
		}

		/** Where the endpoint is mapped, following {@code management.endpoints.web.*}. */
		private static String endpointPath(@Nullable PathMappedEndpoints mapped) {
			String path = (mapped != null) ? mapped.getPath(EndpointId.of("scratch")) : null;
			return (path != null) ? path : "/actuator/scratch";
		}

	}

}
