package dev.scratchspace.boot.actuate.endpoint;

import jakarta.servlet.Filter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@link ScratchRequestSizeFilter} of the management server when actuator runs on its own
 * port ({@code management.server.port}): that server is a child context with its own servlet
 * container, which the filters of the application's context do not reach, and without the
 * filter actuator's lenient binding would turn {@code {"dryrun": true}} into a real
 * collection. On the application's port the filter comes from
 * {@link ScratchEndpointAutoConfiguration}.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ Filter.class, FilterRegistrationBean.class })
final class ScratchEndpointManagementContextConfiguration {

	@Bean
	@ConditionalOnAvailableEndpoint(ScratchEndpoint.class)
	@ConditionalOnMissingBean(name = "scratchManagementRequestSizeFilter", search = SearchStrategy.CURRENT)
	FilterRegistrationBean<ScratchRequestSizeFilter> scratchManagementRequestSizeFilter(
			ObjectProvider<PathMappedEndpoints> endpoints) {
		return ScratchEndpointAutoConfiguration.RequestSizeConfiguration.registration(endpoints);
	}

}
