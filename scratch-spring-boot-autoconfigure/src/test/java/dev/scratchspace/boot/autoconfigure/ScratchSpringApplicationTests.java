package dev.scratchspace.boot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for scratch spaces in a {@link SpringApplication}, where the environment
 * post-processor is found through {@code spring.factories}.
 */
class ScratchSpringApplicationTests {

	@TempDir
	Path depot;

	@Test
	void placeholderReadWhileTheEnvironmentIsPreparedSharesTheBeansManager() throws Exception {
		AtomicReference<String> early = new AtomicReference<>();
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setMainApplicationClass(ScratchSpringApplicationTests.class);
		application.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) (event) -> early
			.set(event.getEnvironment().getProperty("app.cache")));
		try (ConfigurableApplicationContext context = application.run("--scratch.depot=" + this.depot,
				"--app.cache=$<scratch:early>", "--scratch.gc.enabled=false")) {
			ScratchSpaceManager manager = context.getBean(ScratchSpaceManager.class);
			Path space = manager.getScratch("early");
			ScratchOwner module = ScratchOwner.of("dev.scratchspace", "scratch-spring-boot-autoconfigure");
			assertThat(space).isEqualTo(manager.scratchPath(module, "early"));
			assertThat(early.get()).isEqualTo(space.toString());
			String usageLog = Files.readString(manager.usageLog());
			assertThat(Pattern.compile(Pattern.quote(space.toString())).matcher(usageLog).results()).hasSize(1);
			assertThat(usageLog).contains(Path.of("pom.xml").toAbsolutePath().toString());
		}
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(ScratchAutoConfiguration.class)
	static class TestApplication {

	}

}
