package dev.scratchspace.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.scratchspace.ScratchSpaceManager;
import org.jspecify.annotations.Nullable;
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
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * SPEC 11, line 5: start and close {@link BenchApplication} with the starter, and as if it
 * were not on the class path, in the same run.
 *
 * <p>The starter contributes auto-configurations and an environment post-processor, all
 * found as resources of its jar. "Without" starts the application through a class loader
 * that {@link ResourceHidingClassLoader hides that jar's resources}, so neither runs — which
 * {@code spring.autoconfigure.exclude} or {@code scratch.enabled=false} would not achieve:
 * the post-processor would still run. "With" goes through the same kind of class loader,
 * hiding nothing, so both pay the same for it. The auto-configuration is named as a string,
 * so this compiles without it; while it is absent both sides start the same context and
 * {@link #AUTO_CONFIGURATION_PRESENT} says so.
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

	private static final @Nullable String STARTER_ENTRY = ResourceHidingClassLoader.entryOf(AUTO_CONFIGURATION,
			ContextStartBenchmark.class.getClassLoader());

	static final boolean AUTO_CONFIGURATION_PRESENT = STARTER_ENTRY != null;

	// Assigned in setUp(), before any benchmark method runs.
	private Path root;

	private ClassLoader withStarter;

	private ClassLoader withoutStarter;

	@Setup(Level.Trial)
	public void setUp() {
		this.root = Fixtures.newTemporaryDirectory("context-start");
		ClassLoader parent = ContextStartBenchmark.class.getClassLoader();
		this.withStarter = new ResourceHidingClassLoader(parent, null);
		this.withoutStarter = new ResourceHidingClassLoader(parent, STARTER_ENTRY);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		Fixtures.deleteTree(this.root);
	}

	@Benchmark
	public int withStarter() {
		return start(this.withStarter, true);
	}

	@Benchmark
	public int withoutStarter() {
		return start(this.withoutStarter, false);
	}

	private int start(ClassLoader classLoader, boolean starter) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(BenchApplication.class)
			.resourceLoader(new DefaultResourceLoader(classLoader))
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties("scratch.depot=" + this.root.resolve("depot"));
		try (ConfigurableApplicationContext context = builder.run()) {
			check(context, starter && AUTO_CONFIGURATION_PRESENT);
			return context.getBeanDefinitionCount();
		}
	}

	/** A side that does not start what it claims measures nothing: fail it. */
	private static void check(ConfigurableApplicationContext context, boolean starter) {
		int managers = context.getBeanNamesForType(ScratchSpaceManager.class).length;
		boolean placeholders = false;
		for (PropertySource<?> source : context.getEnvironment().getPropertySources()) {
			placeholders |= source.getName().toLowerCase(Locale.ROOT).contains("scratch");
		}
		if (managers != (starter ? 1 : 0) || placeholders != starter) {
			throw new IllegalStateException("Started " + (starter ? "with" : "without") + " the starter, but found "
					+ managers + " ScratchSpaceManager bean(s) and " + (placeholders ? "a" : "no")
					+ " scratch property source");
		}
	}

}
