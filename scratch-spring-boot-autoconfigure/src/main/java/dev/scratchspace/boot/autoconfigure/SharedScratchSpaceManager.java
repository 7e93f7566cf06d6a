package dev.scratchspace.boot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/**
 * The one {@link ScratchSpaceManager} of an application, shared by the {@code $<scratch:…>}
 * and {@code $<artifact:…>} placeholders and the manager bean, so that a placeholder and the
 * bean agree on every path and each access is recorded once.
 *
 * <p>It lives in the {@link ConfigurableEnvironment}, because a placeholder in a property value
 * can be read long before any bean exists: by an environment post-processor, by the logging
 * system, by a condition. Such an early read builds a manager from the {@code scratch.*}
 * properties alone. When the auto-configured bean is created, it adopts that manager if its
 * settings are the same and no {@link ScratchSpaceManagerCustomizer} applies. Otherwise the
 * bean is built on its own and, once every singleton exists, takes over the spaces handed out
 * early: it acquires each of them again (failing the start if it puts one elsewhere), and
 * ensures the artifacts installed early again (which leases them), and the early manager is
 * closed. From the moment the context can create beans, placeholders resolve
 * through the context's {@link ScratchSpaceManager} bean, whether auto-configured or the
 * application's own.
 */
final class SharedScratchSpaceManager {

	static final String PROPERTY_SOURCE_NAME = "scratchSpaceManager";

	private volatile ConfigurableEnvironment environment;

	private volatile @Nullable Class<?> mainApplicationClass;

	private volatile @Nullable ConfigurableListableBeanFactory beanFactory;

	private volatile @Nullable ScratchSpaceManager bean;

	private @Nullable ScratchSpaceManager early;

	private @Nullable ManagerSettings earlySettings;

	private final Map<String, EarlySpace> earlySpaces = new LinkedHashMap<>();

	private final Map<String, Path> earlyArtifacts = new LinkedHashMap<>();

	/** Artifacts already installed, by name: a property is read again and again. */
	private final Map<String, InstalledArtifact> artifacts = new ConcurrentHashMap<>();

	private final ArtifactPlaceholder.Installer installer = new Installer();

	private volatile @Nullable ScratchOwner caller;

	private volatile @Nullable DepotSource depotSource;

	private boolean building;

	private SharedScratchSpaceManager(ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	/**
	 * The shared manager of an environment, attached to it on first use.
	 * @param environment the environment
	 * @return its shared manager
	 */
	static SharedScratchSpaceManager get(ConfigurableEnvironment environment) {
		MutablePropertySources sources = environment.getPropertySources();
		synchronized (sources) {
			if (sources.get(PROPERTY_SOURCE_NAME) instanceof Holder holder) {
				// An environment converted by SpringApplication keeps its property sources.
				holder.getSource().environment = environment;
				return holder.getSource();
			}
			SharedScratchSpaceManager shared = new SharedScratchSpaceManager(environment);
			sources.addLast(new Holder(shared));
			return shared;
		}
	}

	void setMainApplicationClass(@Nullable Class<?> mainApplicationClass) {
		this.mainApplicationClass = mainApplicationClass;
	}

	void setBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * Replaces every {@code $<scratch:…>} placeholder in a value by the path of its space.
	 * @param value the value
	 * @param property the property that holds the value, or {@code null}
	 * @return the resolved value
	 */
	String resolvePlaceholders(String value, @Nullable String property) {
		if (!ScratchPlaceholder.containsPlaceholder(value)) {
			return value;
		}
		if (!this.environment.getProperty("scratch.enabled", Boolean.class, true)) {
			throw ScratchPlaceholder.disabled(value, property);
		}
		return ScratchPlaceholder.resolveAll(value, property, this::acquire, this.installer, this::depotSource);
	}

	/** The depot setting of the manager that placeholders resolve through, as far as it is known. */
	DepotSource depotSource() {
		DepotSource depotSource = this.depotSource;
		return (depotSource != null) ? depotSource : DepotSource.of(this.environment, null);
	}

	private Path acquire(ScratchPlaceholder placeholder) {
		ScratchSpaceManager manager = contextManager();
		if (manager != null) {
			return placeholder.acquire(manager, caller());
		}
		return acquireEarly(placeholder);
	}

	/** The context's manager, once the context can create beans. */
	private @Nullable ScratchSpaceManager contextManager() {
		ScratchSpaceManager bean = this.bean;
		if (bean != null) {
			return bean;
		}
		ConfigurableListableBeanFactory beanFactory = this.beanFactory;
		// The event multicaster is registered right after the bean post-processors: before
		// that, a bean created here would miss them (its properties would not be bound).
		if (beanFactory == null
				|| !beanFactory.containsSingleton(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME)) {
			return null;
		}
		return beanFactory.getBeanProvider(ScratchSpaceManager.class).getIfUnique();
	}

	private synchronized Path acquireEarly(ScratchPlaceholder placeholder) {
		ScratchSpaceManager early = earlyManager(placeholder.text());
		Path path = placeholder.acquire(early, Objects.requireNonNull(this.earlySettings).caller());
		this.earlySpaces.putIfAbsent(placeholder.text(), new EarlySpace(placeholder, path));
		return path;
	}

	/** The manager of placeholders read before the context can create beans, built on first use. */
	private synchronized ScratchSpaceManager earlyManager(String placeholder) {
		ScratchSpaceManager early = this.early;
		ManagerSettings settings = this.earlySettings;
		if (early == null || settings == null) {
			if (this.building) {
				throw new IllegalStateException("Cannot resolve the placeholder '" + placeholder
						+ "' while reading the scratch.* properties: they must not refer to scratch spaces or artifacts");
			}
			this.building = true;
			try {
				settings = settings(bindProperties());
			}
			finally {
				this.building = false;
			}
			Path configured = settings.depot();
			if (configured != null) {
				// Known before the build, which refuses a directory that is not a depot.
				this.depotSource = DepotSource.of(this.environment, configured.toAbsolutePath().normalize());
			}
			early = settings.builder().build();
			this.depotSource = DepotSource.of(this.environment, early.depot());
			this.early = early;
			this.earlySettings = settings;
			this.caller = settings.caller();
		}
		return early;
	}

	private Path installArtifact(ArtifactPlaceholder placeholder) {
		ScratchSpaceManager manager = contextManager();
		if (manager != null) {
			return installed(manager, placeholder.name());
		}
		synchronized (this) {
			Path path = installed(earlyManager(placeholder.text()), placeholder.name());
			this.earlyArtifacts.putIfAbsent(placeholder.name(), path);
			return path;
		}
	}

	/**
	 * Installs an artifact through a manager, once: a property is read many times, and every
	 * install records a use. Installed again if its directory went away meanwhile.
	 */
	private Path installed(ScratchSpaceManager manager, String name) {
		String location = artifactsToml();
		String key = location + "\n" + name;
		InstalledArtifact known = this.artifacts.get(key);
		if (known != null && known.manager() == manager && Files.isDirectory(known.path(), LinkOption.NOFOLLOW_LINKS)) {
			return known.path();
		}
		Path path = ArtifactsTomlLocation.apply(location, classLoader(),
				(toml) -> manager.artifacts().ensureInstalled(toml, name));
		this.artifacts.put(key, new InstalledArtifact(manager, path));
		return path;
	}

	/** The location of the Artifacts.toml that artifact placeholders read. */
	private String artifactsToml() {
		return this.environment.getProperty(ArtifactsTomlLocation.PROPERTY, ArtifactsTomlLocation.DEFAULT);
	}

	/** The class loader of {@code classpath:} locations: the context's, once there is one. */
	private @Nullable ClassLoader classLoader() {
		ConfigurableListableBeanFactory beanFactory = this.beanFactory;
		ClassLoader classLoader = (beanFactory != null) ? beanFactory.getBeanClassLoader() : null;
		if (classLoader != null) {
			return classLoader;
		}
		Class<?> mainApplicationClass = this.mainApplicationClass;
		return (mainApplicationClass != null) ? mainApplicationClass.getClassLoader()
				: ClassUtils.getDefaultClassLoader();
	}

	/**
	 * The settings of the application's manager. Spring binds {@code SCRATCH_DEPOT} to
	 * {@code scratch.depot}, which the builder's {@code depot(Path)} would resolve against the
	 * working directory: the variable is read here as the core reads it, refused when
	 * relative and ignored when blank.
	 */
	private ManagerSettings settings(ScratchProperties properties) {
		ManagerSettings settings = ManagerSettings.of(properties, this.mainApplicationClass);
		Path depot = settings.depot();
		if (depot == null || depot.isAbsolute()
				|| DepotSource.of(this.environment, null).kind() != DepotSource.Kind.ENVIRONMENT) {
			return settings;
		}
		String value = depot.toString();
		if (value.isBlank()) {
			return new ManagerSettings(null, settings.owner(), settings.project(), settings.trackAccess(),
					settings.accessLogInterval(), settings.lockTimeout());
		}
		throw new IllegalStateException("Cannot find the scratch space depot: the environment variable "
				+ DepotSource.VARIABLE + " is '" + value + "', which is not an absolute path. Set "
				+ DepotSource.VARIABLE + " (or the " + DepotSource.PROPERTY + " property) to an absolute path.");
	}

	/** The {@code scratch.*} properties, bound as the bean's are (units included). */
	ScratchProperties bindProperties() {
		return Binder.get(this.environment).bindOrCreate("scratch", ScratchProperties.class);
	}

	/** The application's owner with its project, which accesses to other owners' spaces are attributed to. */
	private ScratchOwner caller() {
		ScratchOwner caller = this.caller;
		if (caller == null) {
			caller = ManagerSettings.of(bindProperties(), this.mainApplicationClass).caller();
			this.caller = caller;
		}
		return caller;
	}

	/**
	 * Creates the manager bean, adopting the manager built for early placeholders when it is
	 * equivalent.
	 * @param properties the bound properties
	 * @param customizers the customizers, in order
	 * @return the manager bean
	 */
	ScratchSpaceManager createBean(ScratchProperties properties, List<ScratchSpaceManagerCustomizer> customizers) {
		ManagerSettings settings = settings(properties);
		this.caller = settings.caller();
		synchronized (this) {
			ScratchSpaceManager early = this.early;
			if (early != null && customizers.isEmpty() && settings.equals(this.earlySettings)) {
				this.early = null;
				this.earlySpaces.clear();
				this.earlyArtifacts.clear();
				this.bean = early;
				this.depotSource = DepotSource.of(this.environment, early.depot());
				return early;
			}
		}
		ScratchSpaceManager.Builder builder = settings.builder();
		customizers.forEach((customizer) -> customizer.customize(builder));
		ScratchSpaceManager bean = builder.build();
		this.bean = bean;
		this.depotSource = DepotSource.of(this.environment, bean.depot());
		return bean;
	}

	/**
	 * Moves the spaces handed out early to the context's manager and closes the early
	 * manager. Does nothing if there was no early manager, or the context has no unique
	 * manager bean.
	 * @throws IllegalStateException if the context's manager puts an early space elsewhere
	 */
	void handOver() {
		ScratchSpaceManager early;
		List<EarlySpace> spaces;
		Map<String, Path> artifacts;
		synchronized (this) {
			early = this.early;
			if (early == null) {
				return;
			}
			spaces = new ArrayList<>(this.earlySpaces.values());
			artifacts = new LinkedHashMap<>(this.earlyArtifacts);
		}
		ScratchSpaceManager manager = contextManager();
		if (manager == null || manager == early) {
			return;
		}
		for (EarlySpace space : spaces) {
			Path path = space.placeholder().acquire(manager, caller());
			if (!path.equals(space.path())) {
				throw new IllegalStateException("Scratch space placeholder '" + space.placeholder().text()
						+ "' was resolved to " + space.path()
						+ " before the application context could create beans, but the ScratchSpaceManager bean "
						+ "puts that space at " + path
						+ "; set the depot and the owner with scratch.* properties, which apply from the start");
			}
		}
		artifacts.forEach((name, earlyPath) -> {
			Path path = installed(manager, name);
			if (!path.equals(earlyPath)) {
				throw new IllegalStateException("Artifact placeholder '" + ArtifactPlaceholder.PREFIX + name
						+ ">' was resolved to " + earlyPath
						+ " before the application context could create beans, but the ScratchSpaceManager bean "
						+ "puts that artifact at " + path
						+ "; set the depot with scratch.* properties, which apply from the start");
			}
		});
		synchronized (this) {
			this.early = null;
			this.earlySpaces.clear();
			this.earlyArtifacts.clear();
		}
		early.close();
	}

	/** Closes the early manager if nothing took it over. */
	synchronized void close() {
		ScratchSpaceManager early = this.early;
		this.early = null;
		this.earlySpaces.clear();
		this.earlyArtifacts.clear();
		if (early != null) {
			early.close();
		}
	}

	private record EarlySpace(ScratchPlaceholder placeholder, Path path) {
	}

	private record InstalledArtifact(ScratchSpaceManager manager, Path path) {
	}

	private final class Installer implements ArtifactPlaceholder.Installer {

		@Override
		public Path install(ArtifactPlaceholder placeholder) {
			return installArtifact(placeholder);
		}

		@Override
		public String location() {
			return artifactsToml();
		}

	}

	/** Carries the shared manager in the environment; it has no properties. */
	private static final class Holder extends EnumerablePropertySource<SharedScratchSpaceManager> {

		Holder(SharedScratchSpaceManager shared) {
			super(PROPERTY_SOURCE_NAME, shared);
		}

		@Override
		public String[] getPropertyNames() {
			return new String[0];
		}

		@Override
		public @Nullable Object getProperty(String name) {
			return null;
		}

	}

}
