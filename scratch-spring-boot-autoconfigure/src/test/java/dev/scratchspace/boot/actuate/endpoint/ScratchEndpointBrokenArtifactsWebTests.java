package dev.scratchspace.boot.actuate.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchInventory;
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
 * The {@code scratch} endpoint and health over HTTP when the depot's {@code artifacts/} is
 * broken while the application runs: a link to a directory outside, or a regular file. After
 * the next walk the listing still answers, with the spaces, no artifacts and a warning that
 * names the problem.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,scratch",
				"management.endpoint.health.show-details=always", "scratch.gc.enabled=false",
				"scratch.owner=com.example:app" })
@DirtiesContext
class ScratchEndpointBrokenArtifactsWebTests {

	@TempDir
	static Path temp;

	@DynamicPropertySource
	static void depot(DynamicPropertyRegistry registry) throws IOException {
		Path depot = temp.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			manager.artifacts().create((dir) -> Files.writeString(dir.resolve("weights.bin"), "1234567"));
		}
		registry.add("scratch.depot", depot::toString);
	}

	private final BasicJsonTester json = new BasicJsonTester(getClass());

	@LocalServerPort
	int port;

	@Autowired
	ScratchInventory inventory;

	@Test
	void listingAndHealthAnswerWhenArtifactsIsALinkOrAFile() throws Exception {
		Path artifacts = temp.resolve("depot").resolve("artifacts");
		Path outside = Files.createDirectories(temp.resolve("outside").resolve("b".repeat(40)));
		Files.move(artifacts, temp.resolve("moved-away"));
		Files.createSymbolicLink(artifacts, outside.getParent());
		assertAnswersWithAWarning(artifacts, "symbolic link");
		Files.delete(artifacts);
		Files.writeString(artifacts, "not a directory");
		assertAnswersWithAWarning(artifacts, "not a directory");
		assertThat(outside).isDirectory();
	}

	private void assertAnswersWithAWarning(Path artifacts, String problem) throws Exception {
		this.inventory.refresh();
		HttpResponse<String> listing = send("/actuator/scratch");
		assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
		assertThat(this.json.from(listing.body())).extractingJsonPathArrayValue("$.artifacts").isEmpty();
		assertThat(this.json.from(listing.body())).extractingJsonPathStringValue("$.artifactsWarning")
			.contains(artifacts.toString())
			.contains(problem);
		HttpResponse<String> health = send("/actuator/health");
		assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
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

	}

}
