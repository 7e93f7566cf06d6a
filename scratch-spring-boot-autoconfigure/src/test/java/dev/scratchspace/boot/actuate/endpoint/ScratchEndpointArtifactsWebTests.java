package dev.scratchspace.boot.actuate.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchInventory;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.json.BasicJsonTester;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the artifacts in the {@code scratch} endpoint's listing over HTTP, in its health
 * details and in its meters, with an artifact the application installs through a
 * {@code $<artifact:…>} placeholder. All of them come from the inventory's last walk.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,scratch",
				"management.endpoint.health.show-details=always", "scratch.gc.enabled=false",
				"scratch.owner=com.example:app" })
@DirtiesContext
class ScratchEndpointArtifactsWebTests {

	@TempDir
	static Path temp;

	static String bound;

	static String loose;

	@DynamicPropertySource
	static void artifacts(DynamicPropertyRegistry registry) throws IOException {
		Path depot = temp.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			bound = manager.artifacts().create((dir) -> Files.writeString(dir.resolve("weights.bin"), "1234567"));
			loose = manager.artifacts().create((dir) -> Files.writeString(dir.resolve("old"), "123"));
		}
		Path toml = Files.writeString(temp.resolve("Artifacts.toml"), "[model]\ngit-tree-sha1 = \"" + bound + "\"\n");
		// As a collection records an artifact that nothing binds.
		Files.writeString(Files.createDirectories(depot.resolve("logs")).resolve("orphaned.toml"),
				"\"" + depot.resolve("artifacts").resolve(loose) + "\" = 2026-01-01T00:00:00Z\n");
		registry.add("scratch.depot", depot::toString);
		registry.add("scratch.artifacts.toml", toml::toString);
	}

	private final BasicJsonTester json = new BasicJsonTester(getClass());

	@LocalServerPort
	int port;

	@Autowired
	ScratchSpaceManager manager;

	@Autowired
	ScratchInventory inventory;

	@Autowired
	MeterRegistry registry;

	@Autowired
	String model;

	@Test
	void listingHealthAndMetersCountTheArtifactsOfTheLastWalk() throws Exception {
		String fresh = this.manager.artifacts().create((dir) -> Files.writeString(dir.resolve("new"), "12"));
		Instant asOf = this.inventory.refresh().asOf();
		HttpResponse<String> response = send("/actuator/scratch");
		assertThat(response.statusCode()).isEqualTo(200);
		String body = response.body();
		assertThat(this.json.from(body)).extractingJsonPathArrayValue("$.artifacts[*].treeHash")
			.containsExactlyElementsOf(List.of(bound, loose, fresh).stream().sorted().toList());
		assertArtifact(body, bound, "BOUND", 7);
		assertArtifact(body, loose, "ORPHANED", 3);
		assertArtifact(body, fresh, "UNBOUND", 2);
		assertThat(this.json.from(body)).extractingJsonPathStringValue("$.sizesAsOf").isEqualTo(asOf.toString());
		assertThat(this.json.from(body)).extractingJsonPathValue("$.artifactsWarning").isNull();
		assertThat(this.json.from(body)).extractingJsonPathArrayValue("$.artifacts[?(@.treeHash == '" + bound
				+ "')].lastAccess")
			.singleElement()
			.isNotNull();
		assertThat(this.json.from(body)).extractingJsonPathArrayValue("$.artifacts[?(@.treeHash == '" + loose
				+ "')].lastAccess")
			.containsExactly((Object) null);
		assertThat(this.json.from(body)).extractingJsonPathArrayValue("$.artifacts[?(@.treeHash == '" + fresh
				+ "')].path")
			.containsExactly(this.manager.artifacts().root().resolve(fresh).toString());
		HttpResponse<String> health = send("/actuator/health/scratch");
		assertThat(this.json.from(health.body())).extractingJsonPathNumberValue("$.details.artifacts").isEqualTo(3);
		assertThat(this.json.from(health.body())).extractingJsonPathNumberValue("$.details.artifactBytes")
			.isEqualTo(12);
		assertThat(this.registry.get("scratch.artifacts").gauge().value()).isEqualTo(3);
		assertThat(this.registry.get("scratch.artifacts.size").gauge().value()).isEqualTo(12);
	}

	@Test
	void theApplicationsArtifactIsInstalledFromItsArtifactsToml() {
		assertThat(this.model).isEqualTo(this.manager.artifacts().root().resolve(bound).toString());
	}

	@Test
	void theListingOfOneOwnerHasNoArtifacts() throws Exception {
		HttpResponse<String> response = send("/actuator/scratch/" + ScratchOwner.GLOBAL.uuid());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"artifacts\":[]");
	}

	private void assertArtifact(String body, String hash, String status, Integer bytes) {
		String artifact = "$.artifacts[?(@.treeHash == '" + hash + "')]";
		assertThat(this.json.from(body)).extractingJsonPathArrayValue(artifact + ".status").containsExactly(status);
		assertThat(this.json.from(body)).extractingJsonPathArrayValue(artifact + ".bytes")
			.containsExactly((Object) bytes);
	}

	private HttpResponse<String> send(String path) throws Exception {
		try {
			return new EndpointHttp(this.port).send("GET", path, null);
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		String model(@Value("$<artifact:model>") String model) {
			return model;
		}

	}

}
