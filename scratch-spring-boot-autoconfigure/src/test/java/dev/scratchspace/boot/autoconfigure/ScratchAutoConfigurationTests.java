package dev.scratchspace.boot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import dev.scratchspace.GcOptions;
import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchGarbageCollector;
import dev.scratchspace.boot.actuate.ScratchInventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.annotation.Order;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ScratchAutoConfiguration}.
 */
class ScratchAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ScratchAutoConfiguration.class));

	@TempDir
	Path temp;

	private ApplicationContextRunner runner() {
		return this.contextRunner.withPropertyValues("scratch.depot=" + depot());
	}

	private Path depot() {
		return this.temp.resolve("depot");
	}

	@Test
	void managerUsesConfiguredDepotAndIsClosedWithTheContext() {
		ScratchSpaceManager[] manager = new ScratchSpaceManager[1];
		runner().run((context) -> {
			assertThat(context).hasSingleBean(ScratchSpaceManager.class)
				.hasSingleBean(ScratchProperties.class)
				.hasSingleBean(ScratchInventory.class)
				.hasSingleBean(ScratchGarbageCollector.class)
				.hasSingleBean(ScratchGcScheduler.class);
			manager[0] = context.getBean(ScratchSpaceManager.class);
			assertThat(manager[0].depot()).isEqualTo(depot());
			assertThat(manager[0].getScratch("data")).isDirectory();
		});
		assertThatIllegalStateException().isThrownBy(() -> manager[0].getScratch("data")).withMessageContaining("closed");
	}

	@Test
	void backsOffToTheApplicationsManager() {
		runner().withUserConfiguration(UserManagerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ScratchSpaceManager.class);
			assertThat(context.getBean(ScratchSpaceManager.class).depot())
				.isEqualTo(this.temp.resolve("user-depot").toAbsolutePath());
		});
	}

	@Test
	void appliesCustomizersInOrderAfterTheProperties() {
		runner().withUserConfiguration(CustomizersConfiguration.class)
			.withPropertyValues("test.customized=" + this.temp)
			.run((context) -> assertThat(context.getBean(ScratchSpaceManager.class).depot())
				.isEqualTo(this.temp.resolve("second")));
	}

	@Test
	void disabledTurnsEverythingOff() {
		runner().withPropertyValues("scratch.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ScratchSpaceManager.class)
				.doesNotHaveBean(ScratchProperties.class)
				.doesNotHaveBean(ScratchInventory.class)
				.doesNotHaveBean(ScratchGarbageCollector.class)
				.doesNotHaveBean(ScratchGcScheduler.class)
				.hasSingleBean(ScratchPlaceholderConfigurer.class));
	}

	@Test
	void bindsEveryProperty() {
		runner().withPropertyValues("scratch.enabled=true", "scratch.owner=com.example:app",
				"scratch.track-access=false", "scratch.access-log-interval=2h", "scratch.lock-timeout=3s",
				"scratch.gc.enabled=true",
				"scratch.gc.interval=6h", "scratch.gc.initial-delay=30s", "scratch.gc.collect-delay=3d",
				"scratch.gc.max-unused-age=30d", "scratch.gc.max-total-size=2GB", "scratch.gc.dry-run=true",
				"scratch.inventory.refresh-interval=90s")
			.run((context) -> {
				ScratchProperties properties = context.getBean(ScratchProperties.class);
				assertThat(properties.isEnabled()).isTrue();
				assertThat(properties.getDepot()).isEqualTo(depot());
				assertThat(properties.getOwner()).isEqualTo("com.example:app");
				assertThat(properties.isTrackAccess()).isFalse();
				assertThat(properties.getAccessLogInterval()).isEqualTo(Duration.ofHours(2));
				assertThat(properties.getLockTimeout()).isEqualTo(Duration.ofSeconds(3));
				ScratchProperties.Gc gc = properties.getGc();
				assertThat(gc.isEnabled()).isTrue();
				assertThat(gc.getInterval()).isEqualTo(Duration.ofHours(6));
				assertThat(gc.getInitialDelay()).isEqualTo(Duration.ofSeconds(30));
				assertThat(gc.getCollectDelay()).isEqualTo(Duration.ofDays(3));
				assertThat(gc.getMaxUnusedAge()).isEqualTo(Duration.ofDays(30));
				assertThat(gc.getMaxTotalSize()).isEqualTo(DataSize.ofGigabytes(2));
				assertThat(gc.isDryRun()).isTrue();
				assertThat(properties.getInventory().getRefreshInterval()).isEqualTo(Duration.ofSeconds(90));
				assertThat(context.getBean(ScratchInventory.class).refreshInterval()).isEqualTo(Duration.ofSeconds(90));
				assertThat(context.getBean(ScratchGarbageCollector.class).defaultOptions())
					.isEqualTo(GcOptions.defaults()
						.withCollectDelay(Duration.ofDays(3))
						.withMaxUnusedAge(Duration.ofDays(30))
						.withMaxTotalSize(DataSize.ofGigabytes(2).toBytes())
						.withDryRun(true));
			});
	}

	@Test
	void bareNumbersAreDaysAndMegabytes() {
		runner().withPropertyValues("scratch.gc.collect-delay=7", "scratch.gc.max-unused-age=30",
				"scratch.gc.max-total-size=5")
			.run((context) -> {
				ScratchProperties.Gc gc = context.getBean(ScratchProperties.class).getGc();
				assertThat(gc.getCollectDelay()).isEqualTo(Duration.ofDays(7));
				assertThat(gc.getMaxUnusedAge()).isEqualTo(Duration.ofDays(30));
				assertThat(gc.getMaxTotalSize()).isEqualTo(DataSize.ofMegabytes(5));
				assertThat(context.getBean(ScratchGarbageCollector.class).defaultOptions())
					.isEqualTo(GcOptions.defaults()
						.withCollectDelay(Duration.ofDays(7))
						.withMaxUnusedAge(Duration.ofDays(30))
						.withMaxTotalSize(DataSize.ofMegabytes(5).toBytes()));
			});
	}

	@Test
	void bareNumbersMeanTheSameWhenPlaceholdersBindThePropertiesEarly() {
		MockEnvironment environment = new MockEnvironment().withProperty("scratch.gc.collect-delay", "7")
			.withProperty("scratch.gc.max-unused-age", "30")
			.withProperty("scratch.gc.max-total-size", "5");
		ScratchProperties.Gc gc = SharedScratchSpaceManager.get(environment).bindProperties().getGc();
		assertThat(gc.getCollectDelay()).isEqualTo(Duration.ofDays(7));
		assertThat(gc.getMaxUnusedAge()).isEqualTo(Duration.ofDays(30));
		assertThat(gc.getMaxTotalSize()).isEqualTo(DataSize.ofMegabytes(5));
	}

	@Test
	void defaultsMatchTheDocumentedOnes() {
		runner().run((context) -> {
			ScratchProperties properties = context.getBean(ScratchProperties.class);
			assertThat(properties.isTrackAccess()).isTrue();
			assertThat(properties.getAccessLogInterval()).isEqualTo(Duration.ofDays(1));
			assertThat(properties.getGc().getInterval()).isEqualTo(Duration.ofDays(1));
			assertThat(properties.getGc().getInitialDelay()).isEqualTo(Duration.ofMinutes(10));
			assertThat(properties.getInventory().getRefreshInterval()).isEqualTo(Duration.ofMinutes(5));
			assertThat(context.getBean(ScratchInventory.class).refreshInterval())
				.isEqualTo(ScratchInventory.DEFAULT_REFRESH_INTERVAL);
			assertThat(context.getBean(ScratchGarbageCollector.class).defaultOptions()).isEqualTo(GcOptions.defaults());
		});
	}

	@Test
	void ownerPropertyNamesTheDefaultOwnerAndTheBuildsPomIsItsProject() {
		runner().withPropertyValues("scratch.owner=com.example:app").run((context) -> {
			ScratchSpaceManager manager = context.getBean(ScratchSpaceManager.class);
			Path space = manager.getScratch("data");
			assertThat(space).isEqualTo(manager.scratchPath(ScratchOwner.of("com.example", "app"), "data"));
			// Without a main class, ApplicationHome's directory is the working directory: this module.
			assertThat(Files.readString(manager.usageLog()))
				.contains("parent_projects = [\"" + Path.of("pom.xml").toAbsolutePath() + "\"]");
		});
	}

	@Test
	void mainApplicationClassNamesTheDefaultOwner() {
		runner().withInitializer((context) -> {
			SpringApplication application = new SpringApplication();
			application.setMainApplicationClass(ScratchAutoConfigurationTests.class);
			new ScratchPlaceholdersEnvironmentPostProcessor().postProcessEnvironment(context.getEnvironment(),
					application);
		}).run((context) -> {
			ScratchSpaceManager manager = context.getBean(ScratchSpaceManager.class);
			ScratchOwner module = ScratchOwner.of("dev.scratchspace", "scratch-spring-boot-autoconfigure");
			assertThat(manager.getScratch("data")).isEqualTo(manager.scratchPath(module, "data"));
		});
	}

	@Test
	void withoutOwnerOrMainApplicationClassTheDefaultOwnerIsGlobal() {
		runner().run((context) -> {
			ScratchSpaceManager manager = context.getBean(ScratchSpaceManager.class);
			assertThat(manager.getScratch("data")).isEqualTo(depot().resolve("scratchspaces")
				.resolve(new UUID(0, 0).toString())
				.resolve("data"));
		});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			scratch.access-log-interval=-1s | scratch.access-log-interval must not be negative
			scratch.lock-timeout=0s         | scratch.lock-timeout must be positive
			scratch.gc.interval=0s          | scratch.gc.interval must be positive
			scratch.gc.interval=-5m         | scratch.gc.interval must be positive
			scratch.gc.initial-delay=-1s    | scratch.gc.initial-delay must not be negative
			scratch.gc.collect-delay=-1d    | scratch.gc.collect-delay must not be negative
			scratch.gc.max-unused-age=0s    | scratch.gc.max-unused-age must be positive
			scratch.gc.max-total-size=-1MB  | scratch.gc.max-total-size must not be negative
			scratch.inventory.refresh-interval=0s  | scratch.inventory.refresh-interval must be positive
			scratch.inventory.refresh-interval=-1m | scratch.inventory.refresh-interval must be positive
			scratch.owner=not valid         | Invalid scratch space owner 'not valid'
			scratch.gc.interval=often       | often
			""")
	void badValueFailsTheStartNamingIt(String property, String message) {
		runner().withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(rootCause(context.getStartupFailure())).hasMessageContaining(message);
		});
	}

	@Test
	void startsWithoutActuatorOrMicrometer() {
		runner().withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
				"org.springframework.boot.health", "io.micrometer"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(ScratchSpaceManager.class)
					.hasSingleBean(ScratchInventory.class)
					.hasSingleBean(ScratchGarbageCollector.class)
					.hasSingleBean(ScratchGcScheduler.class);
				assertThat(context.getBean(ScratchSpaceManager.class).getScratch("data")).isDirectory();
			});
	}

	@Test
	void scheduledGarbageCollectionCanBeDisabled() {
		runner().withPropertyValues("scratch.gc.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(ScratchGarbageCollector.class)
				.doesNotHaveBean(ScratchGcScheduler.class));
	}

	private static Throwable rootCause(Throwable failure) {
		return NestedExceptionUtils.getMostSpecificCause(failure);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserManagerConfiguration {

		@Bean
		ScratchSpaceManager userManager(org.springframework.core.env.Environment environment) {
			return ScratchSpaceManager.builder()
				.depot(Path.of(environment.getRequiredProperty("scratch.depot")).resolveSibling("user-depot"))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizersConfiguration {

		@Bean
		@Order(2)
		ScratchSpaceManagerCustomizer second(org.springframework.core.env.Environment environment) {
			return (builder) -> builder.depot(Path.of(environment.getRequiredProperty("test.customized"), "second"));
		}

		@Bean
		@Order(1)
		ScratchSpaceManagerCustomizer first(org.springframework.core.env.Environment environment) {
			return (builder) -> builder.depot(Path.of(environment.getRequiredProperty("test.customized"), "first"));
		}

	}

}
