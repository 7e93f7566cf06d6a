package dev.scratchspace.boot.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TemporaryScratchDepot @TemporaryScratchDepot} with the context cache: the
 * depot belongs to a cached context, and the annotation is part of the cache key.
 */
class TemporaryScratchDepotContextCacheTests {

	private final TestContexts contexts = new TestContexts();

	@TempDir
	static Path configuredDepot;

	@AfterEach
	void closeContexts() {
		this.contexts.close();
	}

	@Test
	void annotatedClassesWithTheSameConfigurationShareOneContextAndDepot() {
		int before = TestApplication.contexts.get();
		ApplicationContext one = this.contexts.load(SharedOne.class);
		ApplicationContext two = this.contexts.load(SharedTwo.class);
		assertThat(two).isSameAs(one);
		assertThat(TestApplication.contexts.get()).isEqualTo(before + 1);
		assertThat(TestContexts.depot(one).getFileName().toString()).startsWith("scratch-test-depot-");
	}

	@Test
	void annotatedClassesWithDifferentConfigurationsGetDifferentDepots() {
		Path shared = TestContexts.depot(this.contexts.load(SharedOne.class));
		Path other = TestContexts.depot(this.contexts.load(OtherConfiguration.class));
		assertThat(other).isNotEqualTo(shared);
		assertThat(other.getFileName().toString()).startsWith("scratch-test-depot-");
		assertThat(shared).isDirectory();
		assertThat(other).isDirectory();
	}

	@Test
	void classWithoutTheAnnotationNeitherSharesTheContextNorGetsATemporaryDepot() throws IOException {
		ApplicationContext annotated = this.contexts.load(ConfiguredAndAnnotated.class);
		ApplicationContext plain = this.contexts.load(Configured.class);
		assertThat(plain).isNotSameAs(annotated);
		assertThat(TestContexts.depot(plain)).isEqualTo(configuredDepot);
		assertThat(TestContexts.depot(annotated)).isNotEqualTo(configuredDepot);
		try (var entries = Files.list(configuredDepot.resolve("scratchspaces"))) {
			assertThat(entries).hasSize(2); // the owner's directory and the cache-directory tag
		}
	}

	static void configuredDepot(DynamicPropertyRegistry registry) {
		registry.add("scratch.depot", configuredDepot::toString);
	}

	@SpringBootTest(classes = TestApplication.class)
	@TemporaryScratchDepot
	static class SharedOne {

	}

	@SpringBootTest(classes = TestApplication.class)
	@TemporaryScratchDepot
	static class SharedTwo {

	}

	@SpringBootTest(classes = TestApplication.class, properties = "app.variant=other")
	@TemporaryScratchDepot
	static class OtherConfiguration {

	}

	@SpringBootTest(classes = TestApplication.class)
	@TemporaryScratchDepot
	static class ConfiguredAndAnnotated {

		@DynamicPropertySource
		static void depot(DynamicPropertyRegistry registry) {
			configuredDepot(registry);
		}

	}

	@SpringBootTest(classes = TestApplication.class)
	static class Configured {

		@DynamicPropertySource
		static void depot(DynamicPropertyRegistry registry) {
			configuredDepot(registry);
		}

	}

}
