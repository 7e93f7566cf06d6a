package dev.scratchspace.boot.actuate.endpoint;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.json.BasicJsonTester;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@code /actuator/health/scratch} needs
 * {@code management.endpoint.health.show-components} or {@code show-details}, as the README
 * says: Spring Boot hides health components by default. Each test starts a real server.
 */
class ScratchHealthVisibilityWebTests {

	private final BasicJsonTester json = new BasicJsonTester(getClass());

	@TempDir
	Path depot;

	@Test
	void scratchHealthIsNotFoundWithBootsDefaults() throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			HttpResponse<String> health = get(context, "/actuator/health");
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(this.json.from(health.body())).doesNotHaveJsonPath("$.components");
			assertThat(get(context, "/actuator/health/scratch").statusCode()).isEqualTo(404);
		}
	}

	@Test
	void showComponentsMakesScratchHealthVisibleWithoutDetails() throws Exception {
		try (ConfigurableApplicationContext context = start("management.endpoint.health.show-components=always")) {
			HttpResponse<String> scratch = get(context, "/actuator/health/scratch");
			assertThat(scratch.statusCode()).isEqualTo(200);
			assertThat(this.json.from(scratch.body())).extractingJsonPathStringValue("$.status").isEqualTo("UP");
			assertThat(this.json.from(scratch.body())).doesNotHaveJsonPath("$.details");
		}
	}

	@Test
	void showDetailsMakesScratchHealthVisibleWithDetails() throws Exception {
		try (ConfigurableApplicationContext context = start("management.endpoint.health.show-details=always")) {
			HttpResponse<String> scratch = get(context, "/actuator/health/scratch");
			assertThat(scratch.statusCode()).isEqualTo(200);
			assertThat(this.json.from(scratch.body())).extractingJsonPathStringValue("$.details.depot")
				.isEqualTo(this.depot.toString());
		}
	}

	private ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "scratch.depot=" + this.depot, "scratch.gc.enabled=false")
			.properties(properties)
			.run();
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
		int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		return new EndpointHttp(port).send("GET", path, null);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
