package dev.scratchspace.boot.diagnostics;

import dev.scratchspace.boot.autoconfigure.DepotSource;
import dev.scratchspace.boot.autoconfigure.ScratchPlaceholderException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.analyzer.AbstractInjectionFailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Reports a {@code $<scratch:…>} placeholder that cannot be resolved, with the property or
 * {@code @Value} that holds it: malformed, an invalid key or owner, scratch spaces disabled, or
 * a depot that cannot be used (then naming the depot's setting). A bad {@code scratch.*} value
 * behind it is left to {@link ScratchPropertiesFailureAnalyzer}, which runs first.
 */
final class ScratchPlaceholderFailureAnalyzer extends AbstractInjectionFailureAnalyzer<ScratchPlaceholderException>
		implements Ordered {

	private static final String FORMS = "Write the placeholder as $<scratch:KEY> or $<scratch:OWNER/KEY>, where KEY "
			+ "is 1 to 255 characters of A-Z, a-z, 0-9, '.', '_' and '-' (not '.' or '..') and OWNER is a UUID, "
			+ "groupId:artifactId or 'global'.";

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, ScratchPlaceholderException cause,
			@Nullable String description) {
		String readFor = FailureChain.readFor(cause, description);
		DepotSource depot = cause.getDepotSource();
		if (cause.getCause() != null) {
			RuntimeException depotFailure = (depot != null) ? DepotFailure.find(cause, depot.depot()) : null;
			if (depotFailure == null) {
				// Not the depot: the properties (reported first) or some other failure to report as it is.
				return null;
			}
			return DepotFailure.analysis(depotFailure, depot, readFor, cause);
		}
		String where = FailureChain.where(cause, description);
		if (cause.getProblem().contains("scratch.enabled=false")) {
			return new FailureAnalysis(
					"The scratch space placeholder '" + cause.getPlaceholder() + "' in " + where
							+ " cannot be resolved: scratch spaces are disabled (scratch.enabled=false).",
					"Enable scratch spaces (remove scratch.enabled=false), or replace the placeholder with a path.",
					cause);
		}
		return new FailureAnalysis("Invalid scratch space placeholder '" + cause.getPlaceholder() + "' in " + where
				+ ": " + cause.getProblem(), FORMS, cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

}
