package dev.scratchspace.boot.health;

import java.nio.file.Path;

import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.autoconfigure.ScratchAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ScratchHealthContributorAutoConfiguration}.
 */
class ScratchHealthContributorAutoConfigurationTests {

	/** No file system has this much free space: a minimum of it is always DOWN. */
	private static final String UNREACHABLE = Long.MAX_VALUE + "B";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ScratchAutoConfiguration.class, ScratchHealthContributorAutoConfiguration.class));

	@TempDir
	Path temp;

	private ApplicationContextRunner runner() {
		return this.contextRunner.withPropertyValues("scratch.depot=" + this.temp.resolve("depot"));
	}

	@Test
	void healthIndicatorIsUpWithTheDefaultMinimum() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(ScratchHealthIndicator.class);
			assertThat(context.getBean(ScratchHealthProperties.class).getMinFreeSpace())
				.isEqualTo(DataSize.ofMegabytes(100));
			assertThat(status(context)).isEqualTo(Status.UP);
		});
	}

	@Test
	void minimumIsManagementHealthScratchMinFreeSpace() {
		runner().withPropertyValues("management.health.scratch.min-free-space=" + UNREACHABLE).run((context) -> {
			assertThat(context.getBean(ScratchHealthProperties.class).getMinFreeSpace())
				.isEqualTo(DataSize.ofBytes(Long.MAX_VALUE));
			assertThat(status(context)).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void deprecatedNameIsReadWhenTheNewOneIsNotSet() {
		runner().withPropertyValues("scratch.health.min-free-space=" + UNREACHABLE).run((context) -> {
			assertThat(context.getBean(ScratchHealthProperties.class).getMinFreeSpace())
				.isEqualTo(DataSize.ofBytes(Long.MAX_VALUE));
			assertThat(status(context)).isEqualTo(Status.DOWN);
		});
	}

	@ParameterizedTest
	@CsvSource({ "management.health.scratch.min-free-space", "scratch.health.min-free-space" })
	void bareNumberIsMegabytes(String property) {
		runner().withPropertyValues(property + "=100")
			.run((context) -> assertThat(context.getBean(ScratchHealthProperties.class).getMinFreeSpace())
				.isEqualTo(DataSize.ofMegabytes(100)));
		runner().withPropertyValues(property + "=5")
			.run((context) -> assertThat(context.getBean(ScratchHealthProperties.class).getMinFreeSpace())
				.isEqualTo(DataSize.ofMegabytes(5)));
	}

	@Test
	void newNameWinsWhenBothAreSet() {
		runner().withPropertyValues("scratch.health.min-free-space=" + UNREACHABLE,
				"management.health.scratch.min-free-space=0B")
			.run((context) -> assertThat(status(context)).isEqualTo(Status.UP));
		runner().withPropertyValues("scratch.health.min-free-space=0B",
				"management.health.scratch.min-free-space=" + UNREACHABLE)
			.run((context) -> assertThat(status(context)).isEqualTo(Status.DOWN));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			management.health.scratch.min-free-space=-1B  | management.health.scratch.min-free-space must not be negative
			scratch.health.min-free-space=-1B             | scratch.health.min-free-space must not be negative
			management.health.scratch.min-free-space=lots | lots
			scratch.health.min-free-space=lots            | lots
			""")
	void badValueFailsTheStartNamingIt(String property, String message) {
		runner().withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining(message);
		});
	}

	@Test
	void healthIndicatorCanBeDisabled() {
		runner().withPropertyValues("management.health.scratch.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ScratchSpaceManager.class)
				.doesNotHaveBean(ScratchHealthIndicator.class)
				.doesNotHaveBean(ScratchHealthProperties.class));
	}

	@Test
	void backsOffWhenScratchSpacesAreDisabled() {
		runner().withPropertyValues("scratch.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ScratchSpaceManager.class)
				.doesNotHaveBean(ScratchHealthIndicator.class));
	}

	@Test
	void startsWithoutHealthSupport() {
		runner().withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ScratchSpaceManager.class)
				.doesNotHaveBean(ScratchHealthIndicator.class));
	}

	private static Status status(AssertableApplicationContext context) {
		return context.getBean(ScratchHealthIndicator.class).health().getStatus();
	}

}
