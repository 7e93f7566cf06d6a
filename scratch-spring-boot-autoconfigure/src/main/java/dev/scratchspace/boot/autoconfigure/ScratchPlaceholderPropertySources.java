package dev.scratchspace.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Puts {@code $<scratch:…>} placeholders in property values to work: in front of every
 * property source that has such values, an overlay that returns them resolved. The binder,
 * {@code ${…}} placeholders and {@code @Value} then all see the path of the space.
 *
 * <p>One overlay per source, placed right before it, keeps the precedence of the sources
 * exactly. An overlay of a system-environment source lists its variables under their relaxed
 * property names ({@code APP_CACHE_DIR} as {@code app.cache.dir}), as the binder maps them:
 * the binder copies a system-environment source's map whenever it refreshes its cache, and
 * resolving a value inside that copy would re-enter it. So {@code @Value("${app.cache.dir}")}
 * sees the resolved value, while the variable read by its own name does not. Properties of the
 * {@code scratch} prefix are never resolved: the manager needs them to resolve anything. Only
 * enumerable sources can be overlaid; the overlays are rebuilt when the environment is
 * post-processed and again when the bean factory is, so sources added in between (test
 * properties, for example) are covered.
 */
final class ScratchPlaceholderPropertySources {

	static final String NAME_PREFIX = "scratchPlaceholders-";

	private ScratchPlaceholderPropertySources() {
	}

	/**
	 * Adds or rebuilds the overlays of an environment.
	 * @param environment the environment
	 * @return the environment's shared manager, which the overlays resolve through
	 */
	static SharedScratchSpaceManager attach(ConfigurableEnvironment environment) {
		SharedScratchSpaceManager shared = SharedScratchSpaceManager.get(environment);
		MutablePropertySources sources = environment.getPropertySources();
		synchronized (sources) {
			for (PropertySource<?> source : List.copyOf(sources.stream().toList())) {
				if (source instanceof EnumerablePropertySource<?> enumerable && isOverlayable(source)) {
					overlay(sources, enumerable, shared);
				}
			}
		}
		return shared;
	}

	private static boolean isOverlayable(PropertySource<?> source) {
		return !(source instanceof Overlay) && !source.getName().equals(SharedScratchSpaceManager.PROPERTY_SOURCE_NAME)
				&& !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source);
	}

	private static void overlay(MutablePropertySources sources, EnumerablePropertySource<?> source,
			SharedScratchSpaceManager shared) {
		String name = NAME_PREFIX + source.getName();
		sources.remove(name);
		boolean environment = source instanceof SystemEnvironmentPropertySource;
		Map<String, Raw> placeholders = environment ? environmentPlaceholders(source) : placeholders(source);
		if (!placeholders.isEmpty()) {
			// Relaxed names are not the source's own: read what was found when building.
			PropertySource<?> underlying = environment ? null : source;
			sources.addBefore(source.getName(), new Overlay(name, underlying, placeholders, shared));
		}
	}

	/** The properties whose values have placeholders, by their names in the source. */
	private static Map<String, Raw> placeholders(EnumerablePropertySource<?> source) {
		Map<String, Raw> placeholders = new LinkedHashMap<>();
		for (String name : propertyNames(source)) {
			if (!isScratchProperty(name)) {
				Object value = source.getProperty(name);
				if (ScratchPlaceholder.containsPlaceholder(value)) {
					placeholders.put(name, new Raw((String) value, null));
				}
			}
		}
		return placeholders;
	}

	/** Environment variables whose values have placeholders, by their relaxed names. */
	private static Map<String, Raw> environmentPlaceholders(EnumerablePropertySource<?> source) {
		Map<String, Raw> placeholders = new LinkedHashMap<>();
		if (propertyNames(source).length == 0) {
			return placeholders;
		}
		for (ConfigurationPropertySource adapted : ConfigurationPropertySources.from(source)) {
			if (adapted instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream().forEach((name) -> {
					ConfigurationProperty property = iterable.getConfigurationProperty(name);
					String text = name.toString();
					if (property != null && !isScratchProperty(text)
							&& ScratchPlaceholder.containsPlaceholder(property.getValue())) {
						placeholders.put(text, new Raw((String) property.getValue(), property.getOrigin()));
					}
				});
			}
		}
		return placeholders;
	}

	private static String[] propertyNames(EnumerablePropertySource<?> source) {
		try {
			return source.getPropertyNames();
		}
		catch (RuntimeException ex) {
			// A source that cannot be listed (a restricted environment) cannot be overlaid.
			return new String[0];
		}
	}

	/** {@code scratch.depot}, {@code SCRATCH_DEPOT}, {@code scratch[owner]} and the like. */
	static boolean isScratchProperty(String name) {
		int length = "scratch".length();
		return name.length() > length && name.regionMatches(true, 0, "scratch", 0, length)
				&& !Character.isLetterOrDigit(name.charAt(length));
	}

	/** A value with a placeholder, as the underlying source had it when the overlay was built. */
	private record Raw(String value, @Nullable Origin origin) {
	}

	/**
	 * Stands in front of one source: the same properties, resolved. A property of a source
	 * that is read live and whose value no longer has a placeholder is left to the source.
	 */
	private static final class Overlay extends EnumerablePropertySource<SharedScratchSpaceManager>
			implements OriginLookup<String> {

		private final @Nullable PropertySource<?> underlying;

		private final Map<String, Raw> placeholders;

		private final String[] names;

		Overlay(String name, @Nullable PropertySource<?> underlying, Map<String, Raw> placeholders,
				SharedScratchSpaceManager shared) {
			super(name, shared);
			this.underlying = underlying;
			this.placeholders = Map.copyOf(placeholders);
			this.names = placeholders.keySet().toArray(new String[0]);
		}

		@Override
		public String[] getPropertyNames() {
			// The same array each time: the binder then knows nothing changed.
			return this.names;
		}

		@Override
		public boolean containsProperty(String name) {
			return this.placeholders.containsKey(name);
		}

		@Override
		public @Nullable Object getProperty(String name) {
			Raw raw = this.placeholders.get(name);
			if (raw == null) {
				return null;
			}
			Object value = (this.underlying != null) ? this.underlying.getProperty(name) : raw.value();
			return ScratchPlaceholder.containsPlaceholder(value) ? getSource().resolvePlaceholders((String) value, name)
					: null;
		}

		@Override
		public @Nullable Origin getOrigin(String name) {
			Raw raw = this.placeholders.get(name);
			if (raw == null) {
				return null;
			}
			return (this.underlying != null) ? OriginLookup.getOrigin(this.underlying, name) : raw.origin();
		}

	}

}
