package dev.scratchspace.boot.diagnostics;

import java.util.List;
import java.util.Map;

import dev.scratchspace.boot.autoconfigure.ScratchPlaceholderException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;

/**
 * Reports a bad {@code scratch.*} (or {@code management.health.scratch.*}) value against that
 * property. It runs before Spring Boot's own binding analysis, which would blame the outermost
 * property being bound: with {@code server.tomcat.basedir=$<scratch:tomcat>}, a bad
 * {@code scratch.gc.interval} fails the binding of {@code server.tomcat.basedir}, because the
 * placeholder needs the manager and the manager needs the {@code scratch.*} properties.
 */
final class ScratchPropertiesFailureAnalyzer implements FailureAnalyzer, Ordered {

	private static final String DURATION = "a duration such as 30s, 10m, 12h or 1d (a bare number means milliseconds)";

	private static final String DAYS = "a duration such as 12h, 7d or 30d (a bare number means days)";

	private static final String MEGABYTES = "a data size such as 500MB or 10GB (a bare number means megabytes)";

	private static final String BOOLEAN = "true or false";

	private static final Map<String, String> EXPECTED = Map.ofEntries(Map.entry("scratch.enabled", BOOLEAN),
			Map.entry("scratch.depot", "the path of a directory that the application can write"),
			Map.entry("scratch.owner", "a UUID, groupId:artifactId or 'global'"),
			Map.entry("scratch.track-access", BOOLEAN), Map.entry("scratch.access-log-interval", DURATION),
			Map.entry("scratch.gc.enabled", BOOLEAN), Map.entry("scratch.gc.interval", DURATION),
			Map.entry("scratch.gc.initial-delay", DURATION), Map.entry("scratch.gc.collect-delay", DAYS),
			Map.entry("scratch.gc.max-unused-age", DAYS), Map.entry("scratch.gc.max-total-size", MEGABYTES),
			Map.entry("scratch.gc.dry-run", BOOLEAN),
			Map.entry("scratch.artifacts.toml",
					"a file path or a file:, classpath: or jar: location, such as "
							+ "classpath:Artifacts.toml or file:/etc/app/Artifacts.toml"), Map.entry("scratch.health.min-free-space", MEGABYTES),
			Map.entry("management.health.scratch.min-free-space", MEGABYTES));

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		List<Throwable> chain = FailureChain.of(failure);
		BindException bind = null;
		for (Throwable cause : chain) {
			if (cause instanceof BindException candidate && isScratchProperty(propertyName(candidate))) {
				// The innermost: an outer one is a property whose binding needed this one.
				bind = candidate;
			}
		}
		if (bind == null) {
			return null;
		}
		String name = propertyName(bind);
		String reason = NestedExceptionUtils.getMostSpecificCause(bind).getMessage();
		StringBuilder description = new StringBuilder("Invalid value for ").append(name)
			.append((reason != null) ? ": " + reason : "")
			.append(String.format("%n%n    Property: %s%n", name));
		ConfigurationProperty property = bind.getProperty();
		if (property != null) {
			description.append(String.format("    Value: \"%s\"%n", property.getValue()));
			if (property.getOrigin() != null) {
				description.append(String.format("    Origin: %s%n", property.getOrigin()));
			}
		}
		ScratchPlaceholderException placeholder = FailureChain.first(failure, ScratchPlaceholderException.class);
		if (placeholder != null && chain.indexOf(placeholder) < chain.indexOf(bind)) {
			description.append(String.format("%nThe scratch.* properties were read to resolve the scratch space "
					+ "placeholder '%s' in %s, which failed because of this value.", placeholder.getPlaceholder(),
					FailureChain.where(placeholder, null)));
		}
		String expected = EXPECTED.get(name);
		String action = "Set " + name + " to " + ((expected != null) ? expected : "a valid value") + ".";
		return new FailureAnalysis(description.toString().strip(), action, bind);
	}

	/**
	 * The property that failed: a setter that rejects a value fails the binding of the
	 * object that holds it ({@code scratch.gc}), and names the property only in the
	 * {@link ConfigurationProperty}.
	 */
	private static String propertyName(BindException bind) {
		ConfigurationProperty property = bind.getProperty();
		return (property != null) ? property.getName().toString() : bind.getName().toString();
	}

	private static boolean isScratchProperty(String name) {
		return name.startsWith("scratch.") || name.startsWith("management.health.scratch.");
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
