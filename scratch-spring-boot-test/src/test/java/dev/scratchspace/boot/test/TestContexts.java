package dev.scratchspace.boot.test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.scratchspace.ScratchSpaceManager;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.test.annotation.DirtiesContext.HierarchyMode;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Loads the application contexts of test classes through the TestContext Framework, as a
 * test run would, with its context cache, and closes them on demand.
 */
final class TestContexts implements AutoCloseable {

	private final List<TestContext> loaded = new ArrayList<>();

	/**
	 * Loads, or finds in the cache, the context of a test class.
	 * @param testClass the test class
	 * @return its context
	 */
	ApplicationContext load(Class<?> testClass) {
		TestContext testContext = new TestContextManager(testClass).getTestContext();
		ApplicationContext context = testContext.getApplicationContext();
		this.loaded.add(testContext);
		return context;
	}

	/**
	 * Tries to load the context of a test class that must fail, without logging the
	 * expected failure.
	 * @param testClass the test class
	 * @return the most specific cause of the failure
	 */
	Throwable loadFailing(Class<?> testClass) {
		LoggingSystem logging = LoggingSystem.get(testClass.getClassLoader());
		String logger = SpringApplication.class.getName();
		logging.setLogLevel(logger, LogLevel.OFF);
		try {
			Throwable failure = catchThrowable(() -> load(testClass));
			assertThat(failure).as("failure to load the context of %s", testClass.getSimpleName())
				.isInstanceOf(IllegalStateException.class);
			return NestedExceptionUtils.getMostSpecificCause(failure);
		}
		finally {
			logging.setLogLevel(logger, null);
		}
	}

	static Path depot(ApplicationContext context) {
		return context.getBean(ScratchSpaceManager.class).depot();
	}

	/** Closes every context loaded, as {@code @DirtiesContext} would. */
	@Override
	public void close() {
		this.loaded.forEach((testContext) -> testContext.markApplicationContextDirty(HierarchyMode.EXHAUSTIVE));
		this.loaded.clear();
	}

}
