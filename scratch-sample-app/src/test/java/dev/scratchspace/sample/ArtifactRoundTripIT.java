package dev.scratchspace.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import dev.scratchspace.TreeHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end test of the artifact round trip with the packaged application, as the README
 * shows it: a first {@code java -jar scratch-sample-app.jar} builds the dataset index and
 * exports it ({@code POST /datasets/index/export}); a second one, on an empty depot, with
 * {@code --scratch.artifacts.toml=file:…/Artifacts.toml} and
 * {@code --sample.index.directory=$<artifact:index>}, installs the artifact from the
 * archive's {@code file:} URL and serves the same index from it. Run by failsafe after
 * {@code package}; the jar's path comes from the system property {@code sample.jar}.
 */
class ArtifactRoundTripIT {

	@TempDir
	static Path temp;

	static DatasetHost host;

	static String exported;

	static String indexOfTheFirstRun;

	static RunningJar first;

	static RunningJar second;

	/** Adds the output of both runs to every failure. */
	@RegisterExtension
	static final TestExecutionExceptionHandler output = (context, failure) -> {
		for (RunningJar application : new RunningJar[] { first, second }) {
			if (application != null) {
				failure.addSuppressed(new SampleApplicationIT.ApplicationOutput(application.describeOutput()));
			}
		}
		throw failure;
	};

	private static final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void exportFromTheFirstRunThenStartTheSecond() throws Exception {
		String jarProperty = System.getProperty("sample.jar");
		assertThat(jarProperty).as("system property sample.jar (set by failsafe)").isNotNull();
		Path jar = Path.of(jarProperty).toAbsolutePath().normalize();
		assertThat(jar).as("the packaged application").isRegularFile();
		host = DatasetHost.start(Map.of("planets.csv", csv("name,moons", "Earth,1", "Mars,2"), "elements.csv",
				csv("number,symbol", "1,H", "2,He", "3,Li")));

		first = RunningJar.start(jar, Duration.ofMinutes(2), "--scratch.depot=" + temp.resolve("depot1"),
				"--sample.datasets.base-url=" + host.baseUrl(),
				"--sample.export.directory=" + temp.resolve("export"));
		assertThat(send(first, "GET", "/datasets/planets.csv").statusCode()).isEqualTo(200);
		assertThat(send(first, "GET", "/datasets/elements.csv").statusCode()).isEqualTo(200);
		indexOfTheFirstRun = send(first, "GET", "/datasets").body();
		HttpResponse<String> export = send(first, "POST", "/datasets/index/export");
		assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
		exported = export.body();
		first.close();

		second = RunningJar.start(jar, Duration.ofMinutes(2), "--scratch.depot=" + temp.resolve("depot2"),
				"--sample.datasets.base-url=" + host.baseUrl(),
				"--scratch.artifacts.toml=file:" + exported("$.artifactsToml"),
				"--sample.index.directory=$<artifact:index>");
	}

	@AfterAll
	static void stop() {
		try {
			if (second != null) {
				second.close();
			}
			if (first != null) {
				first.close();
			}
		}
		finally {
			if (host != null) {
				host.close();
			}
		}
	}

	@Test
	void exportWritesTheArchiveAndTheArtifactsTomlThatBindsIt() throws Exception {
		String hash = exported("$.treeHash");
		Path archive = Path.of(exported("$.archive"));
		assertThat(archive).isEqualTo(temp.resolve("export/index-" + hash + ".tar.gz")).isRegularFile();
		assertThat(Path.of(exported("$.artifactsToml"))).isEqualTo(temp.resolve("export/Artifacts.toml"))
			.content()
			.contains("[index]", "git-tree-sha1 = \"" + hash + "\"", "url = \"" + archive.toUri() + "\"",
					"sha256 = \"" + exported("$.sha256") + "\"");
		assertThat(TreeHash.of(temp.resolve("depot1/artifacts").resolve(hash))).isEqualTo(hash);
	}

	@Test
	void secondRunInstallsTheArtifactIntoItsEmptyDepotAndRecordsTheArtifactsToml() throws Exception {
		String hash = exported("$.treeHash");
		Path artifact = temp.resolve("depot2/artifacts").resolve(hash);
		assertThat(artifact).isDirectory();
		assertThat(TreeHash.of(artifact)).isEqualTo(hash);
		assertThat(artifact.resolve("index.tsv")).hasSameTextualContentAs(
				temp.resolve("depot1/artifacts").resolve(hash).resolve("index.tsv"));
		assertThat(Files.readString(temp.resolve("depot2/logs/artifact_usage.toml")))
			.contains("[[\"" + exported("$.artifactsToml") + "\"]]");
		String endpoint = send(second, "GET", "/actuator/scratch").body();
		List<String> status = JsonPath.read(endpoint, "$.artifacts[?(@.treeHash == '" + hash + "')].status");
		assertThat(status).as("the endpoint's artifacts").containsExactly("BOUND");
		try (Stream<Path> spaces = Files.walk(temp.resolve("depot2/scratchspaces"), 2)) {
			assertThat(spaces.map((space) -> space.getFileName().toString())).as("no index space is built")
				.contains("downloaded_files")
				.noneMatch((name) -> name.startsWith("data_for_version-"));
		}
	}

	@Test
	void secondRunServesTheSameIndexFromTheArtifactReadOnly() throws Exception {
		HttpResponse<String> listing = send(second, "GET", "/datasets");
		assertThat(listing.statusCode()).isEqualTo(200);
		Object datasets = JsonPath.read(listing.body(), "$.datasets");
		Object datasetsOfTheFirstRun = JsonPath.read(indexOfTheFirstRun, "$.datasets");
		assertThat(datasets).isEqualTo(datasetsOfTheFirstRun).asString().contains("elements.csv", "planets.csv");
		String index = JsonPath.read(listing.body(), "$.index");
		assertThat(index).isEqualTo(temp.resolve("depot2/artifacts").resolve(exported("$.treeHash")).toString());
		assertThat(host.requests("planets.csv")).as("served without downloading").isEqualTo(1);
		HttpResponse<String> export = send(second, "POST", "/datasets/index/export");
		assertThat(export.statusCode()).as(export.body()).isEqualTo(409);
	}

	private static String exported(String path) {
		return JsonPath.read(exported, path);
	}

	private static HttpResponse<String> send(RunningJar application, String method, String path)
			throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + application.port() + path))
			.timeout(Duration.ofMinutes(1))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static byte[] csv(String... lines) {
		return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
	}

}
