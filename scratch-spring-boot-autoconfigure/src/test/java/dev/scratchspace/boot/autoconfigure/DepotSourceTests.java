package dev.scratchspace.boot.autoconfigure;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DepotSource}.
 */
class DepotSourceTests {

	private static final Path DEPOT = Path.of("/srv/depot");

	@Test
	void propertyNamesScratchDepotAndItsPropertySource() {
		MockEnvironment environment = new MockEnvironment().withProperty("scratch.depot", DEPOT.toString());
		DepotSource source = DepotSource.of(environment, DEPOT);
		assertThat(source.kind()).isEqualTo(DepotSource.Kind.PROPERTY);
		assertThat(source.depot()).isEqualTo(DEPOT);
		assertThat(source.describe())
			.isEqualTo("scratch.depot (set in \"scratch.depot\" from property source \"mockProperties\")");
	}

	@Test
	void environmentVariableIsScratchDepotNotTheRelaxedProperty() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("SCRATCH_DEPOT", DEPOT.toString())));
		DepotSource source = DepotSource.of(environment, DEPOT);
		assertThat(source.kind()).isEqualTo(DepotSource.Kind.ENVIRONMENT);
		assertThat(source.describe()).isEqualTo("the SCRATCH_DEPOT environment variable");
	}

	@Test
	void neitherIsThePlatformDefault() {
		DepotSource source = DepotSource.of(new MockEnvironment(), null);
		assertThat(source.kind()).isEqualTo(DepotSource.Kind.DEFAULT);
		assertThat(source.describe())
			.isEqualTo("the platform default, as neither scratch.depot nor SCRATCH_DEPOT is set");
	}

	@Test
	void propertyWinsOverTheEnvironmentVariable() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("SCRATCH_DEPOT", "/elsewhere")));
		environment.getPropertySources()
			.addFirst(new MapPropertySource("application",
					Map.of("scratch.depot", DEPOT.toString())));
		assertThat(DepotSource.of(environment, DEPOT).kind()).isEqualTo(DepotSource.Kind.PROPERTY);
	}

}
