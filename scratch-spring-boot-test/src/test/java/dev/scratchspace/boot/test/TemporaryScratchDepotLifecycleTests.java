package dev.scratchspace.boot.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.autoconfigure.ScratchAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.UseMainMethod;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the life of a temporary depot: created with the context, deleted when it closes
 * or fails to start, and never given up for another depot. Each test drives the TestContext
 * Framework itself, so that it sees the context close.
 */
class TemporaryScratchDepotLifecycleTests {

	private final TestContexts contexts = new TestContexts();

	@TempDir
	Path temp;

	static Path dynamicDepot;

	@AfterEach
	void closeContexts() {
		this.contexts.close();
	}

	@Test
	void depotIsDeletedWithEverythingInItWhenTheContextCloses() throws IOException {
		Path depot = TestContexts.depot(this.contexts.load(Plain.class));
		Path space = depot.resolve("scratchspaces").resolve("left-behind");
		Files.createDirectories(space.resolve("locked"));
		Files.writeString(space.resolve("read-only.txt"), "x");
		space.resolve("read-only.txt").toFile().setReadOnly();
		Files.writeString(space.resolve("locked").resolve("inside.txt"), "x");
		Path outside = Files.createDirectory(this.temp.resolve("outside"));
		Files.writeString(outside.resolve("keep.txt"), "keep");
		Files.createSymbolicLink(space.resolve("link-to-directory"), outside);
		Files.createSymbolicLink(space.resolve("link-to-file"), outside.resolve("keep.txt"));
		lock(space.resolve("locked"));
		lock(space);
		assertThat(depot).isDirectory();
		this.contexts.close();
		assertThat(depot).doesNotExist();
		assertThat(outside.resolve("keep.txt")).hasContent("keep");
	}

	private static void lock(Path directory) throws IOException {
		if (Files.getFileStore(directory).supportsFileAttributeView("posix")) {
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("r-x------"));
		}
		else {
			directory.toFile().setReadOnly();
		}
	}

	@Test
	void depotIsDeletedWhenTheApplicationFailsBeforeTheContextIsCustomized() {
		this.contexts.loadFailing(FailingEarly.class);
		Path depot = EnvironmentRecorder.depot(FailingEarly.class);
		assertThat(depot).isNotNull();
		assertThat(depot.getFileName().toString()).startsWith("scratch-test-depot-");
		assertThat(depot).doesNotExist();
	}

	@Test
	void depotInTheTestsOwnPropertiesIsRejected() {
		assertThat(this.contexts.loadFailing(ExplicitDepot.class)).hasMessage(
					"@TemporaryScratchDepot on " + ExplicitDepot.class.getName()
							+ " gives the test a temporary depot, but the test's properties also set "
							+ "scratch.depot=${sentinel.dir}/explicit-depot; remove scratch.depot from "
							+ "@SpringBootTest or @TestPropertySource to use a temporary depot, "
							+ "or remove @TemporaryScratchDepot to use that depot");
		// Rejected before the environment is prepared, so before any depot was created.
		assertThat(EnvironmentRecorder.depot(ExplicitDepot.class)).isNull();
	}

	@Test
	void depotInTheTestsOwnPropertiesIsRejectedWithoutSpringApplicationToo() {
		assertThat(this.contexts.loadFailing(ExplicitDepotWithoutSpringApplication.class))
			.hasMessageStartingWith("@TemporaryScratchDepot on " + ExplicitDepotWithoutSpringApplication.class.getName())
			.hasMessageContaining("scratch.depot=/explicit-depot;");
	}

	@Test
	void dynamicDepotIsOverridden() throws IOException {
		dynamicDepot = Files.createDirectory(this.temp.resolve("dynamic"));
		ApplicationContext context = this.contexts.load(DynamicDepot.class);
		assertThat(TestContexts.depot(context).getFileName().toString()).startsWith("scratch-test-depot-");
		assertThat(dynamicDepot).isEmptyDirectory();
	}

	@Test
	void applicationStartedThroughItsMainMethodGetsATemporaryDepotToo() {
		ApplicationContext context = this.contexts.load(ThroughTheMainMethod.class);
		Path depot = TestContexts.depot(context);
		assertThat(depot.getFileName().toString()).startsWith("scratch-test-depot-");
		assertThat(EnvironmentRecorder.depot(ThroughTheMainMethod.class)).isEqualTo(depot);
		this.contexts.close();
		assertThat(depot).doesNotExist();
	}

	@Test
	void contextWithoutSpringApplicationGetsATemporaryDepotToo() {
		ApplicationContext context = this.contexts.load(WithoutSpringApplication.class);
		Path depot = TestContexts.depot(context);
		assertThat(depot.getFileName().toString()).startsWith("scratch-test-depot-");
		assertThat(context.getBean(Path.class)).isDirectory().startsWith(depot);
		this.contexts.close();
		assertThat(depot).doesNotExist();
	}

	@SpringBootTest(classes = TestApplication.class)
	@TemporaryScratchDepot
	static class Plain {

	}

	@SpringBootTest(classes = TestApplication.class, useMainMethod = UseMainMethod.ALWAYS)
	@TemporaryScratchDepot
	static class ThroughTheMainMethod {

	}

	// The logging system is set up from the properties by the time this one fails.
	@SpringBootTest(classes = TestApplication.class,
			properties = { "app.fail-early=true", "logging.level.org.springframework.boot.SpringApplication=off" })
	@TemporaryScratchDepot
	static class FailingEarly {

	}

	@SpringBootTest(classes = TestApplication.class, properties = "scratch.depot=${sentinel.dir}/explicit-depot")
	@TemporaryScratchDepot
	static class ExplicitDepot {

	}

	@SpringBootTest(classes = TestApplication.class)
	@TemporaryScratchDepot
	static class DynamicDepot {

		@DynamicPropertySource
		static void depot(DynamicPropertyRegistry registry) {
			registry.add("scratch.depot", () -> dynamicDepot.toString());
		}

	}

	@ContextConfiguration(classes = WithoutSpringApplication.Config.class)
	@TestPropertySource(properties = "scratch.depot=/explicit-depot")
	@TemporaryScratchDepot
	static class ExplicitDepotWithoutSpringApplication {

	}

	@ContextConfiguration(classes = WithoutSpringApplication.Config.class)
	@TemporaryScratchDepot
	static class WithoutSpringApplication {

		@Configuration(proxyBeanMethods = false)
		@ImportAutoConfiguration(ScratchAutoConfiguration.class)
		static class Config {

			@Bean
			Path downloads(@Value("$<scratch:downloads>") Path path) {
				return path;
			}

		}

	}

}
