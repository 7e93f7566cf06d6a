package dev.scratchspace.boot.actuate.endpoint.security;

import dev.scratchspace.boot.actuate.endpoint.ScratchEndpoint;

import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what on the actuator's endpoints. Only requests to the actuator match this
 * chain; the application's own chain, if any, keeps the rest.
 */
@Configuration(proxyBeanMethods = false)
class ActuatorSecurityConfiguration {

	@Bean
	@Order(1)
	SecurityFilterChain actuatorSecurityFilterChain(HttpSecurity http) throws Exception {
		http.securityMatcher(EndpointRequest.toAnyEndpoint())
			.authorizeHttpRequests((requests) -> requests
				// Anyone may ask whether the application is up; details need a role (properties).
				.requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
				// Listing spaces: readers and admins.
				.requestMatchers(EndpointRequest.to(ScratchEndpoint.class).withHttpMethod(HttpMethod.GET))
				.hasAnyRole("SCRATCH_READ", "SCRATCH_ADMIN")
				// Deleting spaces and collecting garbage (DELETE, POST): admins only.
				.requestMatchers(EndpointRequest.to(ScratchEndpoint.class)).hasRole("SCRATCH_ADMIN")
				.anyRequest().authenticated())
			.httpBasic(Customizer.withDefaults())
			// No session, so no cookie a browser could send on its own: every request carries
			// its credentials, which is why CSRF tokens are not needed on these paths.
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.ignoringRequestMatchers(EndpointRequest.to(ScratchEndpoint.class)));
		return http.build();
	}

}
