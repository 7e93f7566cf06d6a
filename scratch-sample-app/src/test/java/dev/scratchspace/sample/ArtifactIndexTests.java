package dev.scratchspace.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.scratchspace.Artifacts;
import dev.scratchspace.ScratchSpaceManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
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
 * Tests for the sample serving its index from {@code sample.index.directory=$<artifact:index>},
 * in this JVM: another depot published the index as a tarball bound in an
 * {@code Artifacts.toml}, and this application, on an empty depot, installs it from the
 * {@code file:} URL at startup.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "scratch.gc.enabled=false", "sample.index.directory=$<artifact:index>" })
@DirtiesContext
class ArtifactIndexTests {

	private static final String INDEX = "planets.csv\t27\t2\tname,moons\n";

	@TempDir
	static Path temp;

	private static String published;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("scratch.depot", () -> temp.resolve("depot").toString());
		registry.add("scratch.artifacts.toml", () -> "file:" + publish());
		registry.add("sample.export.directory", () -> temp.resolve("export").toString());
		// Nothing may be downloaded: an index that followed the downloads would list nothing.
		registry.add("sample.datasets.base-url", () -> "http://127.0.0.1:9/unreachable/");
	}

	private final HttpClient http = HttpClient.newHttpClient();

	private final BasicJsonTester json = new BasicJsonTester(getClass());

	@LocalServerPort
	int port;

	@Autowired
	ScratchSpaceManager manager;

	/** Publishes an index from a depot of its own, as another installation's export would. */
	private static synchronized Path publish() {
		Path artifactsToml = temp.resolve("published/Artifacts.toml");
		if (published == null) {
			try (ScratchSpaceManager publisher = ScratchSpaceManager.builder().depot(temp.resolve("publisher")).build()) {
				Artifacts artifacts = publisher.artifacts();
				String hash = artifacts.create((staging) -> Files.writeString(staging.resolve("index.tsv"), INDEX));
				Files.createDirectories(artifactsToml.getParent());
				Path archive = artifactsToml.resolveSibling("index-" + hash + ".tar.gz");
				String sha256 = artifacts.archive(hash, archive);
				artifacts.bind(artifactsToml, "index", hash, List.of(new Artifacts.Download(archive.toUri(), sha256)),
						false);
				published = hash;
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return artifactsToml;
	}

	@Test
	void indexIsInstalledFromTheArchiveIntoTheEmptyDepotAndServed() throws Exception {
		HttpResponse<String> response = send("GET", "/datasets");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonContent<Object> body = this.json.from(response.body());
		Path artifact = temp.resolve("depot/artifacts").resolve(published);
		assertThat(body).extractingJsonPathStringValue("$.index").isEqualTo(artifact.toString());
		assertThat(body).extractingJsonPathArrayValue("$.datasets[*].name").containsExactly("planets.csv");
		assertThat(artifact.resolve("index.tsv")).hasContent(INDEX.strip());
		assertThat(this.manager.artifacts().installed()).singleElement().satisfies((installed) -> {
			assertThat(installed.treeHash()).isEqualTo(published);
			assertThat(installed.boundBy()).containsExactly(temp.resolve("published/Artifacts.toml"));
		});
	}

	@Test
	void exportOfTheInstalledIndexIsRefused() throws Exception {
		HttpResponse<String> response = send("POST", "/datasets/index/export");
		assertThat(response.statusCode()).isEqualTo(409);
		assertThat(temp.resolve("export")).doesNotExist();
	}

	private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
