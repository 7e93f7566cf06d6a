package dev.scratchspace.boot.actuate.endpoint;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.json.BasicJsonTester;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@code scratch} endpoint over HTTP with unrestricted access: deleting and
 * collecting.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=scratch",
				"management.endpoint.scratch.access=unrestricted", "scratch.gc.enabled=false",
				"spring.web.error.include-message=always" })
@DirtiesContext
class ScratchEndpointUnrestrictedWebTests {

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

	@Test
	void deleteRemovesTheSpace() throws Exception {
		Path space = this.manager.getScratch(LIBRARY, "to-delete");
		Path other = this.manager.getScratch(LIBRARY, "to-keep");
		assertThat(send("GET", "/actuator/scratch/" + LIBRARY.uuid() + "/to-delete", null).statusCode())
			.isEqualTo(200);
		assertThat(send("DELETE", "/actuator/scratch/" + LIBRARY.uuid() + "/to-delete", null).statusCode())
			.isEqualTo(204);
		assertThat(space).doesNotExist();
		assertThat(other).isDirectory();
		assertThat(send("GET", "/actuator/scratch/" + LIBRARY.uuid() + "/to-delete", null).statusCode())
			.isEqualTo(404);
	}

	@Test
	void deleteOfAnOwnerRemovesAllItsSpaces() throws Exception {
		ScratchOwner owner = ScratchOwner.of(UUID.randomUUID());
		Path first = this.manager.getScratch(owner, "first");
		Path second = this.manager.getScratch(owner, "second");
		assertThat(send("DELETE", "/actuator/scratch/" + owner.uuid(), null).statusCode()).isEqualTo(204);
		assertThat(first).doesNotExist();
		assertThat(second).doesNotExist();
	}

	@Test
	void deleteWithAnInvalidKeyIsABadRequestAndDeletesNothing() throws Exception {
		Path space = this.manager.getScratch(ScratchOwner.GLOBAL, "kept");
		HttpResponse<String> response = send("DELETE", "/actuator/scratch/global/..", null);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(space).isDirectory();
		assertThat(depot.resolve("scratchspaces")).isDirectory();
	}

	@Test
	void dryRunChangesNothingAndReturnsTheDecisions() throws Exception {
		Path orphan = untrackedSpace("dry-run");
		HttpResponse<String> response = send("POST", "/actuator/scratch",
				"{\"dryRun\": true, \"collectDelay\": \"PT0S\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.json.from(response.body())).extractingJsonPathBooleanValue("$.dryRun").isTrue();
		assertThat(this.json.from(response.body()))
			.extractingJsonPathArrayValue("$.decisions[?(@.path == '" + orphan + "')].action")
			.containsExactly("DELETED");
		assertThat(this.json.from(response.body()))
			.extractingJsonPathArrayValue("$.decisions[?(@.path == '" + orphan + "')].reason")
			.singleElement()
			.asString()
			.isNotBlank();
		assertThat(response.body()).contains("\"deletedCount\":", "\"bytesFreed\":", "\"elapsedMillis\":",
				"\"warnings\":[");
		assertThat(orphan).isDirectory();
	}

	@Test
	void postRunsGarbageCollectionAndRecordsIt(@Autowired MeterRegistry registry) throws Exception {
		Path orphan = untrackedSpace("collected");
		double deletedBefore = registry.get("scratch.gc.deleted").counter().count();
		HttpResponse<String> response = send("POST", "/actuator/scratch", "{\"collectDelay\": \"PT0S\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.json.from(response.body())).extractingJsonPathBooleanValue("$.dryRun").isFalse();
		assertThat(this.json.from(response.body()))
			.extractingJsonPathArrayValue("$.decisions[?(@.path == '" + orphan + "')].action")
			.containsExactly("DELETED");
		assertThat(orphan).doesNotExist();
		assertThat(registry.get("scratch.gc.deleted").counter().count()).isGreaterThan(deletedBefore);
	}

	@Test
	void postWithAnEmptyBodyUsesTheConfiguredOptions() throws Exception {
		Path orphan = untrackedSpace("within-delay");
		// Actuator wants a JSON content type for a write operation with parameters, even empty.
		HttpResponse<String> response = send("POST", "/actuator/scratch", "");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.json.from(response.body()))
			.extractingJsonPathArrayValue("$.decisions[?(@.path == '" + orphan + "')].action")
			.containsExactly("ORPHANED");
		assertThat(orphan).isDirectory();
	}

	@Test
	void negativeCollectDelayIsABadRequest() throws Exception {
		Path orphan = untrackedSpace("negative");
		HttpResponse<String> response = send("POST", "/actuator/scratch", "{\"collectDelay\": \"PT-1S\"}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(orphan).isDirectory();
	}

	private Path untrackedSpace(String key) throws Exception {
		Path space = depot.resolve("scratchspaces").resolve(UUID.randomUUID().toString()).resolve(key);
		Files.createDirectories(space);
		Files.writeString(space.resolve("file"), "1234");
		return space;
	}

	private HttpResponse<String> send(String method, String path, String body) throws Exception {
		return new EndpointHttp(this.port).send(method, path, body);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
