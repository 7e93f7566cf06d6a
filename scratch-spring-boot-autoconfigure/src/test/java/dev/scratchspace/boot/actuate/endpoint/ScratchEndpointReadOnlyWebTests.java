package dev.scratchspace.boot.actuate.endpoint;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpace;
import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchInventory;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.json.BasicJsonTester;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@code scratch} endpoint over HTTP with its default, read-only access.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,scratch",
				"management.endpoint.health.show-details=always", "scratch.gc.enabled=false",
				"scratch.owner=com.example:app", "server.tomcat.basedir=$<scratch:tomcat>",
				"spring.web.error.include-message=always" })
@DirtiesContext
class ScratchEndpointReadOnlyWebTests {

	private static final ScratchOwner LIBRARY = ScratchOwner.of("com.example", "lib");

	@TempDir
	static Path depot;

	@DynamicPropertySource
	static void depot(DynamicPropertyRegistry registry) {
		registry.add("scratch.depot", depot::toString);
	}

	private final BasicJsonTester json = new BasicJsonTester(getClass());

	@LocalServerPort
	int port;

	@Autowired
	ScratchSpaceManager manager;

	@Autowired
	ScratchInventory inventory;

	@Test
	void listsEverySpace() throws Exception {
		Path models = this.manager.getScratch(LIBRARY, "models");
		Files.writeString(models.resolve("weights"), "123456");
		Instant asOf = this.inventory.refresh().asOf();
		HttpResponse<String> response = send("GET", "/actuator/scratch");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.depot")
			.isEqualTo(depot.toString());
		assertThat(this.json.from(response.body()))
			.extractingJsonPathArrayValue("$.spaces[?(@.key == 'models')].path")
			.containsExactly(models.toString());
		assertThat(this.json.from(response.body())).extractingJsonPathNumberValue("$.totalBytes")
			.satisfies((total) -> assertThat(total.longValue()).isGreaterThanOrEqualTo(6));
		assertThat(this.json.from(response.body())).extractingJsonPathArrayValue("$.spaces[?(@.key == 'models')].bytes")
			.containsExactly(6);
		assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.sizesAsOf")
			.isEqualTo(asOf.toString());
	}

	@Test
	void listsTheSpacesOfOneOwner() throws Exception {
		this.manager.getScratch(LIBRARY, "models");
		this.manager.getScratch(ScratchOwner.GLOBAL, "shared");
		HttpResponse<String> response = send("GET", "/actuator/scratch/" + LIBRARY.uuid());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.json.from(response.body())).extractingJsonPathArrayValue("$.spaces[*].owner")
			.containsOnly(LIBRARY.uuid().toString());
	}

	@Test
	void describesOneSpaceWithEveryField() throws Exception {
		Path space = this.manager.getScratch(LIBRARY, "one");
		HttpResponse<String> response = send("GET", "/actuator/scratch/" + LIBRARY.uuid() + "/one");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.path")
			.isEqualTo(space.toString());
		assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.status").isEqualTo("UNTRACKED");
		assertThat(this.json.from(response.body())).extractingJsonPathBooleanValue("$.leased").isTrue();
		// Unknown values are present as null, as the endpoint's documentation shows them.
		assertThat(response.body()).contains("\"ownerName\":null", "\"lastAccess\":null", "\"orphanedSince\":null",
				"\"parentProjects\":[]", "\"bytes\":0", "\"files\":0");
	}

	@Test
	void missingSpaceIsNotFound() throws Exception {
		assertThat(send("GET", "/actuator/scratch/global/missing").statusCode()).isEqualTo(404);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/actuator/scratch/not-a-uuid            | Invalid owner
			/actuator/scratch/com.example:lib/key   | Invalid owner
			/actuator/scratch/GLOBAL/key            | Invalid owner
			/actuator/scratch/global/..             | Invalid key
			/actuator/scratch/global/%2E%2E         | Invalid key
			/actuator/scratch/global/a%20b          | Invalid key
			""")
	void invalidOwnerOrKeyIsABadRequestAndTouchesNothing(String path, String message) throws Exception {
		List<ScratchSpace> before = this.manager.spaces();
		HttpResponse<String> response = send("GET", path);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.message").startsWith(message);
		assertThat(this.manager.spaces()).isEqualTo(before);
	}

	@Test
	void deleteIsNotAllowedWhileReadOnly() throws Exception {
		Path space = this.manager.getScratch(ScratchOwner.GLOBAL, "protected");
		assertThat(send("DELETE", "/actuator/scratch/global/protected").statusCode()).isEqualTo(405);
		assertThat(send("DELETE", "/actuator/scratch/global").statusCode()).isEqualTo(405);
		assertThat(send("POST", "/actuator/scratch").statusCode()).isEqualTo(405);
		assertThat(space).isDirectory();
	}

	@Test
	void healthReportsTheDepot() throws Exception {
		HttpResponse<String> response = send("GET", "/actuator/health/scratch");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.status").isEqualTo("UP");
		assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.details.depot")
			.isEqualTo(depot.toString());
	}

	@Test
	void metersAreRegistered(@Autowired MeterRegistry registry) {
		this.inventory.refresh();
		assertThat(registry.get("scratch.spaces").gauge().value()).isEqualTo(this.manager.spaces().size());
		assertThat(registry.get("scratch.gc").timer()).isNotNull();
	}

	@Test
	void tomcatKeepsItsWorkFilesInASpace(@Autowired Environment environment) {
		Path tomcat = this.manager.getScratch("tomcat");
		assertThat(tomcat).startsWith(depot);
		assertThat(environment.getProperty("server.tomcat.basedir")).isEqualTo(tomcat.toString());
		assertThat(tomcat.resolve("work")).isDirectory();
	}

	private HttpResponse<String> send(String method, String path) throws Exception {
		return new EndpointHttp(this.port).send(method, path, null);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
