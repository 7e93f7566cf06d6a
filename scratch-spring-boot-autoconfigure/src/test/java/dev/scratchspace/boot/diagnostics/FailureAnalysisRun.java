package dev.scratchspace.boot.diagnostics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

/**
 * Starts an application that must fail, quietly, and analyses the failure as Spring Boot does:
 * every {@link FailureAnalyzer} of {@code spring.factories}, in order, the first analysis wins.
 * So a test sees both what our analyzers say and that they win over Spring Boot's own.
 */
final class FailureAnalysisRun {

	private FailureAnalysisRun() {
	}

	/**
	 * @param application the application class
	 * @param environmentVariables the process environment the application sees (none of the real one)
	 * @param args the command line
	 * @return the failure and its analysis
	 */
	static Result start(Class<?> application, Map<String, Object> environmentVariables, String... args) {
		return start(application, environmentVariables, (app) -> {
		}, args);
	}

	/**
	 * @param application the application class
	 * @param environmentVariables the process environment the application sees (none of the real one)
	 * @param customizer adjusts the application before it runs
	 * @param args the command line
	 * @return the failure and its analysis
	 */
	static Result start(Class<?> application, Map<String, Object> environmentVariables,
			Consumer<SpringApplication> customizer, String... args) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environmentVariables));
		SpringApplication app = new SpringApplication(application);
		app.setWebApplicationType(WebApplicationType.NONE);
		app.setBannerMode(Banner.Mode.OFF);
		app.setLogStartupInfo(false);
		app.setEnvironment(environment);
		// A failed start logs the failure at WARN and ERROR: keep the test output clean.
		app.setDefaultProperties(Map.of("logging.level.org.springframework", "OFF"));
		customizer.accept(app);
		try {
			app.run(args).close();
		}
		catch (RuntimeException ex) {
			return new Result(ex, analyze(ex, environment));
		}
		throw new AssertionError("The application started");
	}

	static @Nullable FailureAnalysis analyze(Throwable failure, ConfigurableEnvironment environment) {
		ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
			.and(Environment.class, environment);
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader
			.forDefaultResourceLocation(FailureAnalysisRun.class.getClassLoader())
			.load(FailureAnalyzer.class, arguments, (type, name, ex) -> {
				// As Spring Boot does: an analyzer whose classes are missing is skipped.
			});
		AnnotationAwareOrderComparator.sort(analyzers);
		return analyzers.stream().map((analyzer) -> analyzer.analyze(failure)).filter(Objects::nonNull).findFirst()
			.orElse(null);
	}

	record Result(Throwable failure, @Nullable FailureAnalysis analysis) {

		String description() {
			return analysis().getDescription();
		}

		String action() {
			return analysis().getAction();
		}

		@Override
		public FailureAnalysis analysis() {
			if (this.analysis == null) {
				throw new AssertionError("No analysis of " + this.failure, this.failure);
			}
			return this.analysis;
		}

	}

}
