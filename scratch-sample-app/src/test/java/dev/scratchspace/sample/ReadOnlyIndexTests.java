package dev.scratchspace.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.json.BasicJsonTester;
import org.springframework.boot.test.json.JsonContent;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the sample serving a read-only index from {@code sample.index.directory}, as it
 * does from an installed artifact, in this JVM, over HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "scratch.gc.enabled=false")
@DirtiesContext
class ReadOnlyIndexTests {

	@TempDir
	static Path temp;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("scratch.depot", () -> temp.resolve("depot").toString());
		registry.add("sample.export.directory", () -> temp.resolve("export").toString());
		registry.add("sample.index.directory", () -> frozenIndex().toString());
		// Nothing may be downloaded: an index that followed the downloads would list nothing.
		registry.add("sample.datasets.base-url", () -> "http://127.0.0.1:9/unreachable/");
	}

	private final HttpClient http = HttpClient.newHttpClient();

	private final BasicJsonTester json = new BasicJsonTester(getClass());

	@LocalServerPort
	int port;

	private static Path frozenIndex() {
		Path directory = temp.resolve("frozen");
		try {
			Files.createDirectories(directory);
			Files.writeString(directory.resolve("index.tsv"), "planets.csv\t27\t2\tname,moons\n");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return directory;
	}

	@Test
	void listingIsReadFromTheDirectoryAsItIs() throws Exception {
		HttpResponse<String> response = send("GET", "/datasets");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonContent<Object> body = this.json.from(response.body());
		assertThat(body).extractingJsonPathStringValue("$.index").isEqualTo(temp.resolve("frozen").toString());
		assertThat(body).extractingJsonPathArrayValue("$.datasets[*].name").containsExactly("planets.csv");
		assertThat(body).extractingJsonPathArrayValue("$.datasets[0].columns").containsExactly("name", "moons");
		assertThat(body).extractingJsonPathNumberValue("$.datasets[0].rows").isEqualTo(2);
		assertThat(temp.resolve("depot/scratchspaces")).isDirectory();
		try (var spaces = Files.walk(temp.resolve("depot/scratchspaces"))) {
			assertThat(spaces.map((path) -> path.getFileName().toString()))
				.as("no version-specific index is built")
				.noneMatch((name) -> name.startsWith("data_for_version-"));
		}
	}

	@Test
	void exportOfAReadOnlyIndexIsRefusedAndWritesNothing() throws Exception {
		HttpResponse<String> response = send("POST", "/datasets/index/export");
		assertThat(response.statusCode()).isEqualTo(409);
		assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.detail")
			.contains("sample.index.directory");
		assertThat(temp.resolve("export")).doesNotExist();
		assertThat(temp.resolve("depot/artifacts")).doesNotExist();
		assertThat(Files.readAllLines(temp.resolve("frozen/index.tsv")))
			.isEqualTo(List.of("planets.csv\t27\t2\tname,moons"));
	}

	private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
