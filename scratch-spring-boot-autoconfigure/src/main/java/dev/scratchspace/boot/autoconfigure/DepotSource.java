package dev.scratchspace.boot.autoconfigure;

import java.nio.file.Path;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Which setting chose the depot of the application's manager, so that a failure can name the
 * setting to change: {@code scratch.depot} (and where it was set), the {@code SCRATCH_DEPOT}
 * environment variable, or the platform default. Spring binds {@code SCRATCH_DEPOT} to
 * {@code scratch.depot} like any environment variable; the system-environment property source
 * it comes from tells the two apart.
 *
 * @param kind the kind of setting
 * @param depot the depot, or {@code null} if not known
 * @param origin where the setting was made, such as a property source or file and line, or
 * {@code null} if not known
 */
public record DepotSource(Kind kind, @Nullable Path depot, @Nullable String origin) {

	static final String PROPERTY = "scratch.depot";

	static final String VARIABLE = "SCRATCH_DEPOT";

	private static final ConfigurationPropertyName PROPERTY_NAME = ConfigurationPropertyName.of(PROPERTY);

	public DepotSource {
		Objects.requireNonNull(kind, "'kind' must not be null");
	}

	/**
	 * The depot setting of an environment.
	 * @param environment the environment that the {@code scratch.*} properties are bound from
	 * @param depot the depot the manager uses, or {@code null} if not known
	 * @return where the depot comes from
	 */
	public static DepotSource of(Environment environment, @Nullable Path depot) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			ConfigurationProperty property = source.getConfigurationProperty(PROPERTY_NAME);
			if (property != null) {
				return of(source.getUnderlyingSource(), property.getOrigin(), depot);
			}
		}
		return new DepotSource(Kind.DEFAULT, depot, null);
	}

	private static DepotSource of(@Nullable Object source, @Nullable Origin origin, @Nullable Path depot) {
		if (origin instanceof SystemEnvironmentOrigin environment) {
			return new DepotSource(Kind.ENVIRONMENT, depot, environment.getProperty());
		}
		if (source instanceof SystemEnvironmentPropertySource) {
			return new DepotSource(Kind.ENVIRONMENT, depot, VARIABLE);
		}
		if (origin != null) {
			return new DepotSource(Kind.PROPERTY, depot, origin.toString());
		}
		String name = (source instanceof PropertySource<?> propertySource) ? propertySource.getName() : null;
		return new DepotSource(Kind.PROPERTY, depot, (name != null) ? "property source '" + name + "'" : null);
	}

	/** @return the setting, for a sentence: {@code scratch.depot (set in …)} and the like */
	public String describe() {
		return switch (this.kind) {
			case PROPERTY -> PROPERTY + ((this.origin != null) ? " (set in " + this.origin + ")" : "");
			case ENVIRONMENT -> "the " + ((this.origin != null) ? this.origin : VARIABLE) + " environment variable";
			case DEFAULT -> "the platform default, as neither " + PROPERTY + " nor " + VARIABLE + " is set";
		};
	}

	/** What chose the depot. */
	public enum Kind {

		/** The {@code scratch.depot} property, from any property source but the environment. */
		PROPERTY,

		/** The {@code SCRATCH_DEPOT} environment variable. */
		ENVIRONMENT,

		/** Neither: the platform's per-user cache directory plus {@code jvm-scratch}. */
		DEFAULT

	}

}
