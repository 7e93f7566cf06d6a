package dev.scratchspace.boot.diagnostics;

import dev.scratchspace.ArtifactException;
import dev.scratchspace.boot.autoconfigure.DepotSource;
import dev.scratchspace.boot.autoconfigure.ScratchPlaceholderException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.analyzer.AbstractInjectionFailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Reports a {@code $<scratch:…>} placeholder that cannot be resolved, with the property or
 * {@code @Value} that holds it: malformed, an invalid key or owner, scratch spaces disabled, or
 * a depot that cannot be used (then naming the depot's setting). A {@code $<artifact:…>}
 * placeholder is reported by {@link ArtifactPlaceholderFailure}. A bad {@code scratch.*} value
 * behind either is left to {@link ScratchPropertiesFailureAnalyzer}, which runs first.
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
			// An artifact that cannot be installed may name its staging directory in the depot.
			boolean artifactFailure = FailureChain.first(cause, ArtifactException.class) != null;
			RuntimeException depotFailure = (depot != null && !artifactFailure) ? DepotFailure.find(cause, depot.depot())
					: null;
			if (depotFailure != null) {
				return DepotFailure.analysis(depotFailure, depot, readFor, cause);
			}
			if (!cause.isArtifactPlaceholder()) {
				// Not the depot: the properties (reported first) or some other failure to report as it is.
				return null;
			}
		}
		String where = FailureChain.where(cause, description);
		if (cause.getProblem().contains("scratch.enabled=false")) {
			return new FailureAnalysis("The " + FailureChain.kind(cause) + " '" + cause.getPlaceholder() + "' in "
					+ where + " cannot be resolved: " + cause.getProblem() + ".",
					"Enable scratch spaces (remove scratch.enabled=false), or replace the placeholder with a path.",
					cause);
		}
		if (cause.isArtifactPlaceholder()) {
			return ArtifactPlaceholderFailure.analysis(cause, where);
		}
		return new FailureAnalysis("Invalid scratch space placeholder '" + cause.getPlaceholder() + "' in " + where
				+ ": " + cause.getProblem(), FORMS, cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

}
