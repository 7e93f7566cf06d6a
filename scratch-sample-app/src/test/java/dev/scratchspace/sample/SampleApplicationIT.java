package dev.scratchspace.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.scratchspace.ScratchOwner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.json.BasicJsonTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end test of the packaged application: {@code java -jar scratch-sample-app.jar} in a
 * process of its own, with a temporary depot and a local host standing in for the dataset
 * host, driven through real HTTP. Run by failsafe after {@code package}; the jar's path comes
 * from the system property {@code sample.jar}.
 */
class SampleApplicationIT {

	/** The default owner of an application run from its executable jar: the jar's artifact. */
	private static final ScratchOwner APPLICATION = ScratchOwner.of("dev.scratchspace", "scratch-sample-app");

	private static final String SPACES = "/actuator/scratch/" + APPLICATION.uuid();

	private static final byte[] ELEMENTS_CSV = csv("number,symbol", "1,H", "2,He");

	@TempDir
	static Path depot;

	static Path jar;

	static DatasetHost host;

	static RunningJar application;

	/** Adds the application's output to every failure, so a failed build says what the application saw. */
	@RegisterExtension
	static final TestExecutionExceptionHandler output = (context, failure) -> {
		if (application != null) {
			failure.addSuppressed(new ApplicationOutput(application.describeOutput()));
		}
		throw failure;
	};

	private final HttpClient http = HttpClient.newHttpClient();

	private final BasicJsonTester json = new BasicJsonTester(getClass());

	@BeforeAll
	static void start() throws IOException {
		String jarProperty = System.getProperty("sample.jar");
		assertThat(jarProperty).as("system property sample.jar (set by failsafe)").isNotNull();
		jar = Path.of(jarProperty).toAbsolutePath().normalize();
		assertThat(jar).as("the packaged application").isRegularFile();
		host = DatasetHost.start(Map.of("planets.csv", csv("name,moons", "Earth,1", "Mars,2"), "elements.csv",
				ELEMENTS_CSV, "tides.csv", csv("t", "1")));
		application = RunningJar.start(jar, Duration.ofMinutes(2), "--scratch.depot=" + depot,
				"--sample.datasets.base-url=" + host.baseUrl());
	}

	@AfterAll
	static void stop() {
		try {
			if (application != null) {
				application.close();
			}
		}
		finally {
			if (host != null) {
				host.close();
			}
		}
	}

	@Test
	void datasetIsDownloadedOnceThenServedFromTheSpace() throws Exception {
		HttpResponse<String> first = send("GET", "/datasets/planets.csv");
		HttpResponse<String> second = send("GET", "/datasets/planets.csv");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.headers().firstValue("X-Dataset-Source")).hasValue("download");
		assertThat(second.statusCode()).isEqualTo(200);
		assertThat(second.headers().firstValue("X-Dataset-Source")).hasValue("cache");
		assertThat(second.body()).isEqualTo("name,moons\nEarth,1\nMars,2\n");
		assertThat(host.requests("planets.csv")).isEqualTo(1);
	}

	@Test
	void endpointListsTheSpacesWithSizesAndTheJarAsTheirProject() throws Exception {
		send("GET", "/datasets/elements.csv");
		// One space asked for by name is measured on the spot.
		HttpResponse<String> space = send("GET", SPACES + "/downloaded_files");
		assertThat(space.statusCode()).isEqualTo(200);
		assertThat(this.json.from(space.body())).extractingJsonPathNumberValue("$.bytes")
			.satisfies((bytes) -> assertThat(bytes.longValue()).isGreaterThanOrEqualTo(ELEMENTS_CSV.length));
		// The listing's sizes are measured in the background, and the application's own writes
		// into a space do not trigger a walk; a collection does, even a dry run.
		assertThat(send("POST", "/actuator/scratch", "{\"dryRun\": true}").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(this.json
			.from(send("GET", "/actuator/scratch").body())).extractingJsonPathNumberValue("$.totalBytes")
			.satisfies((total) -> assertThat(total.longValue()).isGreaterThanOrEqualTo(ELEMENTS_CSV.length)));
		HttpResponse<String> response = send("GET", "/actuator/scratch");
		assertThat(response.statusCode()).isEqualTo(200);
		var body = this.json.from(response.body());
		assertThat(body).extractingJsonPathStringValue("$.depot").isEqualTo(depot.toString());
		assertThat(body).extractingJsonPathStringValue("$.sizesAsOf").isNotNull();
		assertThat(body).extractingJsonPathArrayValue("$.spaces[*].key").contains("tomcat", "downloaded_files");
		String downloads = "$.spaces[?(@.key == 'downloaded_files')]";
		assertThat(body).extractingJsonPathArrayValue(downloads + ".owner")
			.containsExactly(APPLICATION.uuid().toString());
		assertThat(body).extractingJsonPathArrayValue(downloads + ".ownerName")
			.containsExactly("dev.scratchspace:scratch-sample-app");
		assertThat(body).extractingJsonPathArrayValue(downloads + ".parentProjects")
			.containsExactly(List.of(jar.toString()));
		assertThat(body).extractingJsonPathArrayValue(downloads + ".status").containsExactly("LIVE");
		assertThat(body).extractingJsonPathArrayValue(downloads + ".leased").containsExactly(true);
	}

	@Test
	void spacesDeletedThroughTheEndpointAreRegeneratedOnNextUse() throws Exception {
		send("GET", "/datasets/tides.csv");
		assertThat(send("GET", "/datasets").body()).contains("tides.csv");
		String index = SPACES + "/data_for_version-0.1";
		assertThat(send("GET", index).statusCode()).isEqualTo(200);

		assertThat(send("DELETE", index).statusCode()).isEqualTo(204);
		assertThat(send("GET", index).statusCode()).isEqualTo(404);
		assertThat(send("GET", "/datasets").body()).contains("tides.csv");
		HttpResponse<String> rebuilt = send("GET", index);
		assertThat(rebuilt.statusCode()).isEqualTo(200);
		assertThat(this.json.from(rebuilt.body())).extractingJsonPathNumberValue("$.files").isEqualTo(1);

		assertThat(send("DELETE", SPACES + "/downloaded_files").statusCode()).isEqualTo(204);
		HttpResponse<String> again = send("GET", "/datasets/tides.csv");
		assertThat(again.headers().firstValue("X-Dataset-Source")).hasValue("download");
		assertThat(host.requests("tides.csv")).isEqualTo(2);
		Path downloads = depot.resolve("scratchspaces/8b939d67-af48-57ca-a56d-6e914ad05007/downloaded_files");
		assertThat(java.nio.file.attribute.PosixFilePermissions
			.toString(java.nio.file.Files.getPosixFilePermissions(downloads))).as("a regenerated space is owner-only")
			.isEqualTo("rwx------");
	}

	@Test
	void healthOfTheDepotIsUp() throws Exception {
		HttpResponse<String> response = send("GET", "/actuator/health/scratch");
		assertThat(response.statusCode()).isEqualTo(200);
		var body = this.json.from(response.body());
		assertThat(body).extractingJsonPathStringValue("$.status").isEqualTo("UP");
		assertThat(body).extractingJsonPathStringValue("$.details.depot").isEqualTo(depot.toString());
	}

	@Test
	void dryRunGarbageCollectionKeepsTheApplicationsSpaces() throws Exception {
		send("GET", "/datasets/planets.csv");
		HttpResponse<String> response = send("POST", "/actuator/scratch", "{\"dryRun\": true}");
		assertThat(response.statusCode()).isEqualTo(200);
		var body = this.json.from(response.body());
		assertThat(body).extractingJsonPathBooleanValue("$.dryRun").isTrue();
		assertThat(body).extractingJsonPathNumberValue("$.deletedCount").isEqualTo(0);
		assertThat(body).extractingJsonPathArrayValue("$.decisions[?(@.path =~ /.*downloaded_files/)].action")
			.containsExactly("KEPT");
	}

	private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
		return send(method, path, null);
	}

	private HttpResponse<String> send(String method, String path, String json)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + application.port() + path))
			.timeout(Duration.ofMinutes(1));
		if (json != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(json));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static byte[] csv(String... lines) {
		return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
	}

	/** Carries the application's output into a test failure's report. */
	static final class ApplicationOutput extends Exception {

		private static final long serialVersionUID = 1L;

		ApplicationOutput(String output) {
			super(output, null, false, false);
		}

	}

}
