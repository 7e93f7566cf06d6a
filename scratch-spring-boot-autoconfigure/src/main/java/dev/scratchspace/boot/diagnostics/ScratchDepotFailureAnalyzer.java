package dev.scratchspace.boot.diagnostics;

import java.nio.file.Path;

import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.autoconfigure.DepotSource;
import dev.scratchspace.boot.autoconfigure.ScratchPlaceholderException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Reports a depot that cannot be used when the application's own code hit it (a bean that
 * asks the manager for a space while it starts), naming the setting that chose the depot.
 * Failures of placeholders are left to {@link ScratchPlaceholderFailureAnalyzer}, which knows
 * the placeholder too.
 */
final class ScratchDepotFailureAnalyzer implements FailureAnalyzer, Ordered {

	private static final String DEPOT = "scratch.depot";

	private final @Nullable Environment environment;

	ScratchDepotFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		Environment environment = this.environment;
		if (environment == null || FailureChain.first(failure, ScratchPlaceholderException.class) != null) {
			return null;
		}
		Path depot = depot(environment);
		// No depot: the core's default was refused, and the refusal names it.
		RuntimeException depotFailure = (depot != null) ? DepotFailure.find(failure, depot)
				: DepotFailure.findRefusal(failure);
		if (depotFailure == null) {
			return null;
		}
		return DepotFailure.analysis(depotFailure, DepotSource.of(environment, depot), null, failure);
	}

	/** The depot that {@code scratch.*} choose: the manager's builder applies the same rule. */
	private static @Nullable Path depot(Environment environment) {
		try {
			Path configured = Binder.get(environment).bind(DEPOT, Path.class).orElse(null);
			if (configured != null) {
				return configured.toAbsolutePath().normalize();
			}
			// Neither scratch.depot nor SCRATCH_DEPOT: the core's default. Building a manager writes no file.
			try (ScratchSpaceManager manager = ScratchSpaceManager.builder().build()) {
				return manager.depot();
			}
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 2;
	}

}
