package dev.scratchspace.boot.test;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Deletes the temporary depot of an application that fails to start. A failure while the
 * environment is prepared, or in a context initializer, comes before the context could take
 * care of the depot, and before the application's event listeners could hear of it: only a
 * run listener is told of every failure. It comes first, so that it knows the environment even
 * when another listener fails on it.
 */
final class TemporaryScratchDepotRunListener implements SpringApplicationRunListener, Ordered {

	private volatile @Nullable ConfigurableEnvironment environment;

	@Override
	public void environmentPrepared(ConfigurableBootstrapContext bootstrapContext,
			ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	@Override
	public void failed(@Nullable ConfigurableApplicationContext context, Throwable exception) {
		ConfigurableEnvironment environment = (context != null) ? context.getEnvironment() : this.environment;
		TemporaryDepot depot = (environment != null) ? TemporaryDepot.find(environment) : null;
		if (depot != null) {
			depot.delete();
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
