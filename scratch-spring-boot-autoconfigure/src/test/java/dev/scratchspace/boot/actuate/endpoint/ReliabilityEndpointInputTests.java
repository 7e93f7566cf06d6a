package dev.scratchspace.boot.actuate.endpoint;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.scratchspace.DirectorySnapshot;
import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input to the endpoint's delete and garbage-collection operations over real HTTP:
 * every request is refused with 400 or 404, and neither the depot nor a sentinel directory
 * beside it changes.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=scratch",
				"management.endpoint.scratch.access=unrestricted", "scratch.gc.enabled=false" })
@DirtiesContext
class ReliabilityEndpointInputTests {

	private static final ScratchOwner LIBRARY = ScratchOwner.of("com.example", "lib");

	@TempDir
	static Path root;

	@DynamicPropertySource
	static void depot(DynamicPropertyRegistry registry) {
		registry.add("scratch.depot", () -> root.resolve("depot").toString());
	}

	@LocalServerPort
	int port;

	@Autowired
	ScratchSpaceManager manager;

	private Path sentinel;

	@BeforeEach
	void fillDepotAndSentinel() throws IOException {
		this.manager.getScratch(LIBRARY, "kept");
		this.manager.getScratch(ScratchOwner.GLOBAL, "kept");
		Files.writeString(this.manager.getScratch(ScratchOwner.GLOBAL, "etc").resolve("passwd"), "space content");
		this.sentinel = Files.createDirectories(root.resolve("sentinel"));
		Files.createDirectories(this.sentinel.resolve("etc"));
		Files.writeString(this.sentinel.resolve("etc/passwd"), "precious");
		Files.createDirectories(this.sentinel.resolve("kept"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/global/..", "/global/%2e%2e", "/global/%2E%2E", "/global/.", "/global/%2e",
			"/global/..%2F..%2Fsentinel", "/global/a%2Fb", "/global/a%5Cb", "/global/%2e%2e%2fsentinel%2fetc",
			"/global/a%00b", "/global/a%20b", "/global/caf%C3%A9", "/global/%D0%B0bc", "/global/a%EF%BC%8Fb",
			"/global/a%E2%80%A4", "/global/%FF%FE", "/..", "/%2e%2e", "/%2e%2e/sentinel", "/not-a-uuid",
			"/not-a-uuid/kept", "/com.example:lib/kept", "/GLOBAL/kept", "/00000000-0000-0000-0000-00000000000/kept",
			"/00000000-0000-0000-0000-0000000000000/kept", "/00000000-0000-0000-0000-00000000000g/kept",
			"/..%2f..%2fsentinel/etc", "/%2F/kept", "/global/kept/extra", "/global/%252e%252e" })
	void hostileDeleteIsRefusedAndDeletesNothing(String path) throws Exception {
		Map<String, String> before = DirectorySnapshot.of(root);
		HttpResponse<String> response = send("DELETE", "/actuator/scratch" + path, null);
		assertThat(response.statusCode()).as(path + " -> " + response.body()).isIn(400, 404, 405);
		assertThat(DirectorySnapshot.of(root)).isEqualTo(before);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"collectDelay\": \"P-1D\"}", "{\"collectDelay\": \"soon\"}", "{\"dryRun\": \"maybe\"}",
			"{\"dryRun\": [true]}", "{\"collectDelay\": {\"days\": 0}}", "{not json", "[1, 2, 3]", "\"PT0S\"" })
	void malformedCollectRequestIsRefusedAndDeletesNothing(String body) throws Exception {
		Path orphan = Files.createDirectories(this.manager.scratchDir(java.util.UUID.randomUUID().toString(), "orphan"));
		Map<String, String> before = DirectorySnapshot.of(root);
		HttpResponse<String> response = send("POST", "/actuator/scratch", body);
		assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(400);
		assertThat(DirectorySnapshot.of(root)).isEqualTo(before);
		assertThat(orphan).isDirectory();
	}

	@ParameterizedTest
	@ValueSource(ints = { 128 * 1024, 8 * 1024 * 1024 })
	void oversizedCollectRequestIsRefusedAndDeletesNothing(int size) throws Exception {
		Path orphan = Files.createDirectories(this.manager.scratchDir(java.util.UUID.randomUUID().toString(), "orphan"));
		Map<String, String> before = DirectorySnapshot.of(root);
		String body = "{\"collectDelay\": \"PT0S\", \"padding\": \"" + "x".repeat(size) + "\"}";
		int status;
		try {
			status = send("POST", "/actuator/scratch", body).statusCode();
		}
		catch (IOException ex) {
			// The server answered 400 before reading the body and closed the connection while
			// the client was still sending it: refused all the same.
			status = 400;
		}
		assertThat(status).as("body of " + body.length() + " bytes").isIn(400, 413);
		assertThat(DirectorySnapshot.of(root)).isEqualTo(before);
		assertThat(orphan).isDirectory();
	}

	private HttpResponse<String> send(String method, String path, String body) throws Exception {
		return new EndpointHttp(this.port).send(method, path, body);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
