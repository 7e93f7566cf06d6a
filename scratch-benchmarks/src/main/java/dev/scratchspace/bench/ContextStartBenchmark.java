package dev.scratchspace.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.scratchspace.ScratchSpaceManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * SPEC 11, line 5: start and close {@link BenchApplication} with the starter's
 * auto-configuration, and without it, in the same run.
 *
 * <p>"Without" excludes the auto-configuration through {@code spring.autoconfigure.exclude},
 * which drops it from the candidates before any of its conditions is evaluated: the same as
 * an application that does not have the starter, save for reading one more imports file. The
 * class is named as a string, so this compiles before the auto-configuration exists; until it
 * does, both benchmarks start the same context and {@link #AUTO_CONFIGURATION_PRESENT} says
 * so.
 *
 * <p>The runner measures two ways: single-shot in a fresh JVM per fork (the start a user
 * waits for, with class loading and cold code) and averaged over many starts in one warm JVM
 * (the steady cost, much less noisy).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ContextStartBenchmark {

	static final String AUTO_CONFIGURATION = "dev.scratchspace.boot.autoconfigure.ScratchAutoConfiguration";

	static final boolean AUTO_CONFIGURATION_PRESENT = ClassUtils.isPresent(AUTO_CONFIGURATION,
			ContextStartBenchmark.class.getClassLoader());

	// Assigned in setUp(), before any benchmark method runs.
	private Path root;

	@Setup(Level.Trial)
	public void setUp() {
		this.root = Fixtures.newTemporaryDirectory("context-start");
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		Fixtures.deleteTree(this.root);
	}

	@Benchmark
	public int withStarter() {
		return start(false);
	}

	@Benchmark
	public int withoutStarter() {
		return start(true);
	}

	private int start(boolean excludeStarter) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(BenchApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties("scratch.depot=" + this.root.resolve("depot"));
		if (excludeStarter && AUTO_CONFIGURATION_PRESENT) {
			builder.properties("spring.autoconfigure.exclude=" + AUTO_CONFIGURATION);
		}
		try (ConfigurableApplicationContext context = builder.run()) {
			int managers = context.getBeanNamesForType(ScratchSpaceManager.class).length;
			int expected = (AUTO_CONFIGURATION_PRESENT && !excludeStarter) ? 1 : 0;
			if (managers != expected) {
				throw new IllegalStateException("Expected " + expected + " ScratchSpaceManager bean(s), found "
						+ managers + ": the benchmark does not measure what it claims");
			}
			return context.getBeanDefinitionCount();
		}
	}

}
