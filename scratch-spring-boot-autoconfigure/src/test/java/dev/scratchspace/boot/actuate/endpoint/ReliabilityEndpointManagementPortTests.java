package dev.scratchspace.boot.actuate.endpoint;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import dev.scratchspace.DirectorySnapshot;
import dev.scratchspace.ScratchSpaceManager;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collect request is read as strictly when actuator runs on its own port
 * ({@code management.server.port}), in a child context with its own servlet container: a
 * misspelled {@code dryRun} must not start a real collection there either. The configured
 * collect delay is zero, so a real collection would delete the orphan each test plants.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "management.endpoints.web.exposure.include=scratch",
				"management.endpoint.scratch.access=unrestricted", "scratch.gc.enabled=false",
				"scratch.gc.collect-delay=0s" })
@DirtiesContext
class ReliabilityEndpointManagementPortTests {

	@TempDir
	static Path root;

	@DynamicPropertySource
	static void depot(DynamicPropertyRegistry registry) {
		registry.add("scratch.depot", () -> root.resolve("depot").toString());
	}

	@LocalManagementPort
	int managementPort;

	@Autowired
	ScratchSpaceManager manager;

	@ParameterizedTest
	@ValueSource(strings = { "{\"dryrun\": true}", "{\"dryRun\": true, \"force\": true}", "{\"dryRun\": \"yes\"}",
			"{\"dryRun\": true, \"dryRun\": false}" })
	void collectRequestThatIsNotStrictlyValidIsRefusedOnTheManagementPortAndCollectsNothing(String body)
			throws Exception {
		Path orphan = Files.createDirectories(this.manager.scratchDir(UUID.randomUUID().toString(), "orphan"));
		Map<String, String> before = DirectorySnapshot.of(root);
		HttpResponse<String> response = new EndpointHttp(this.managementPort).send("POST", "/actuator/scratch", body);
		assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(400);
		assertThat(DirectorySnapshot.of(root)).isEqualTo(before);
		assertThat(orphan).isDirectory();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
