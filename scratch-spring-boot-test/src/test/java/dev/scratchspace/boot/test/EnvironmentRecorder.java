package dev.scratchspace.boot.test;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Plays an early reader of the environment, as the logging system is: right after the
 * environment post-processors, it records each test's depot, resolves {@code app.early}
 * (republished as {@code app.early-seen}), and fails the start when {@code app.fail-early}
 * is set.
 */
class EnvironmentRecorder implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	private static final Map<Class<?>, Path> depots = new ConcurrentHashMap<>();

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ConfigurableEnvironment environment = event.getEnvironment();
		Class<?> testClass = event.getSpringApplication().getMainApplicationClass();
		String depot = environment.getProperty("scratch.depot");
		if (testClass != null && depot != null) {
			depots.put(testClass, Path.of(depot));
		}
		String early = environment.getProperty("app.early");
		if (early != null) {
			environment.getPropertySources().addLast(new MapPropertySource("earlyRead", Map.of("app.early-seen", early)));
		}
		if (environment.getProperty("app.fail-early", Boolean.class, false)) {
			throw new IllegalStateException("Failing while the environment is prepared, as asked");
		}
	}

	/**
	 * The depot that the environment of a test class had when it was prepared.
	 * @param testClass the test class
	 * @return its depot, or {@code null} if no context was started for it
	 */
	static @Nullable Path depot(Class<?> testClass) {
		return depots.get(testClass);
	}

}
