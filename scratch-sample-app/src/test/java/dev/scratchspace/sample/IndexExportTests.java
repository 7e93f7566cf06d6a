package dev.scratchspace.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.TreeHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

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
 * Tests for {@code POST /datasets/index/export} ({@link IndexExport}) in this JVM, over HTTP,
 * with a temporary depot, export directory and dataset host.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "scratch.gc.enabled=false")
@DirtiesContext
class IndexExportTests {

	private static final DatasetHost host = startHost();

	@TempDir
	static Path temp;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("scratch.depot", () -> temp.resolve("depot").toString());
		registry.add("sample.export.directory", () -> temp.resolve("export").toString());
		registry.add("sample.datasets.base-url", host::baseUrl);
	}

	private final HttpClient http = HttpClient.newHttpClient();

	private final BasicJsonTester json = new BasicJsonTester(getClass());

	@LocalServerPort
	int port;

	@Autowired
	ScratchSpaceManager manager;

	@Autowired
	DatasetIndex index;

	@AfterAll
	static void stopHost() {
		host.close();
	}

	private static DatasetHost startHost() {
		try {
			return DatasetHost.start(Map.of("first.csv", csv("a,b", "1,2", "3,4"), "second.csv", csv("x", "9")));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void exportFreezesTheIndexIntoAnArtifactArchivedAndBoundInArtifactsToml() throws Exception {
		send("GET", "/datasets/first.csv");
		HttpResponse<String> response = send("POST", "/datasets/index/export");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonContent<Object> body = this.json.from(response.body());
		String hash = string(body, "$.treeHash");
		Path archive = Path.of(string(body, "$.archive"));
		String sha256 = string(body, "$.sha256");
		Path artifactsToml = Path.of(string(body, "$.artifactsToml"));

		assertThat(string(body, "$.name")).isEqualTo("index");
		assertThat(hash).matches("[0-9a-f]{40}").isEqualTo(TreeHash.of(this.index.space()));
		Path artifact = temp.resolve("depot/artifacts").resolve(hash);
		assertThat(artifact.resolve("index.tsv")).hasSameTextualContentAs(this.index.space().resolve("index.tsv"))
			.content()
			.contains("first.csv\t12\t2\ta,b");
		assertThat(this.manager.artifacts().verify(hash)).isTrue();
		assertThat(archive).isEqualTo(temp.resolve("export/index-" + hash + ".tar.gz")).isRegularFile();
		assertThat(sha256).isEqualTo(sha256(archive));
		assertThat(artifactsToml).isEqualTo(temp.resolve("export/Artifacts.toml"));

		TomlTable entry = artifactsToml(artifactsToml).getTable("index");
		assertThat(entry.getString("git-tree-sha1")).isEqualTo(hash);
		TomlArray downloads = entry.getArray("download");
		assertThat(downloads.size()).isOne();
		assertThat(downloads.getTable(0).getString("url")).isEqualTo(archive.toUri().toString()).startsWith("file:/");
		assertThat(downloads.getTable(0).getString("sha256")).isEqualTo(sha256);
		assertThat(this.manager.artifacts().installed()).filteredOn((installed) -> installed.treeHash().equals(hash))
			.singleElement()
			.satisfies((installed) -> assertThat(installed.boundBy()).as("kept by the Artifacts.toml")
				.containsExactly(artifactsToml));
	}

	@Test
	void exportingAgainGivesTheSameArchiveUntilTheIndexChangesThenMovesTheName() throws Exception {
		send("GET", "/datasets/first.csv");
		JsonContent<Object> first = this.json.from(send("POST", "/datasets/index/export").body());
		JsonContent<Object> again = this.json.from(send("POST", "/datasets/index/export").body());
		assertThat(string(again, "$.treeHash")).isEqualTo(string(first, "$.treeHash"));
		assertThat(string(again, "$.sha256")).isEqualTo(string(first, "$.sha256"));

		send("GET", "/datasets/second.csv");
		JsonContent<Object> changed = this.json.from(send("POST", "/datasets/index/export").body());
		String hash = string(changed, "$.treeHash");
		assertThat(hash).isNotEqualTo(string(first, "$.treeHash"));
		Path artifactsToml = Path.of(string(changed, "$.artifactsToml"));
		TomlParseResult toml = artifactsToml(artifactsToml);
		assertThat(toml.keySet()).containsExactly("index");
		assertThat(toml.getString("index.git-tree-sha1")).isEqualTo(hash);
		assertThat(toml.getArray("index.download").getTable(0).getString("sha256"))
			.isEqualTo(string(changed, "$.sha256"));
		assertThat(Path.of(string(first, "$.archive"))).as("the earlier export's archive stays").isRegularFile();
		assertThat(temp.resolve("depot/artifacts").resolve(hash).resolve("index.tsv")).content()
			.contains("first.csv", "second.csv");
	}

	private static String string(JsonContent<Object> body, String path) {
		return JsonPath.read(body.getJson(), path);
	}

	private static TomlParseResult artifactsToml(Path file) throws IOException {
		TomlParseResult toml = Toml.parse(file);
		assertThat(toml.errors()).isEmpty();
		return toml;
	}

	private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static byte[] csv(String... lines) {
		return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
	}

}
