package dev.scratchspace.sample;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import com.jayway.jsonpath.JsonPath;
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
 * End-to-end test of the packaged application deployed as Cloud Native Buildpacks deploy it:
 * the jar extracted into a directory and started from there with
 * {@code java -cp <root> org.springframework.boot.loader.launch.JarLauncher}. Its classes then
 * come from {@code <root>/BOOT-INF/classes/}, not from a jar, and the application must still
 * own its spaces and keep them alive. Run by failsafe after {@code package}; the jar's path
 * comes from the system property {@code sample.jar}.
 */
class ExplodedApplicationIT {

	private static final ScratchOwner APPLICATION = ScratchOwner.of("dev.scratchspace", "scratch-sample-app");

	private static final byte[] ELEMENTS_CSV = "number,symbol\n1,H\n2,He\n".getBytes(StandardCharsets.UTF_8);

	@TempDir
	static Path temp;

	static Path root;

	static Path depot;

	static DatasetHost host;

	static RunningJar application;

	/** Adds the application's output to every failure, so a failed build says what the application saw. */
	@RegisterExtension
	static final TestExecutionExceptionHandler output = (context, failure) -> {
		if (application != null) {
			failure.addSuppressed(new SampleApplicationIT.ApplicationOutput(application.describeOutput()));
		}
		throw failure;
	};

	private final HttpClient http = HttpClient.newHttpClient();

	private final BasicJsonTester json = new BasicJsonTester(getClass());

	@BeforeAll
	static void start() throws IOException {
		String jarProperty = System.getProperty("sample.jar");
		assertThat(jarProperty).as("system property sample.jar (set by failsafe)").isNotNull();
		Path jar = Path.of(jarProperty).toAbsolutePath().normalize();
		assertThat(jar).as("the packaged application").isRegularFile();
		root = explode(jar, temp.resolve("workspace"));
		depot = temp.resolve("depot");
		host = DatasetHost.start(Map.of("elements.csv", ELEMENTS_CSV));
		application = RunningJar.startExploded(root, Duration.ofMinutes(2), "--scratch.depot=" + depot,
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
	void spacesAreTheApplicationsAndLiveWithTheRootsManifestAsTheirProject() throws Exception {
		assertThat(send("GET", "/datasets/elements.csv").statusCode()).isEqualTo(200);
		// The listing reads spaces live (sizes come later, from the background snapshot): wait
		// for the download's space to show, whoever owns it.
		HttpResponse<String> response = await().atMost(Duration.ofSeconds(30))
			.until(() -> send("GET", "/actuator/scratch"),
					(listing) -> listing.statusCode() == 200 && listing.body().contains("\"downloaded_files\""));
		var body = this.json.from(response.body());
		assertThat(body).extractingJsonPathStringValue("$.depot").isEqualTo(depot.toString());
		assertThat(body).extractingJsonPathArrayValue("$.spaces[*].key").contains("tomcat", "downloaded_files");
		// Every space: the downloads, and the server's work files of server.tomcat.basedir.
		String manifest = root.resolve("META-INF/MANIFEST.MF").toString();
		assertThat(body).extractingJsonPathArrayValue("$.spaces[*].owner")
			.containsOnly(APPLICATION.uuid().toString());
		assertThat(body).extractingJsonPathArrayValue("$.spaces[*].ownerName")
			.containsOnly("dev.scratchspace:scratch-sample-app");
		assertThat(body).extractingJsonPathArrayValue("$.spaces[*].status").containsOnly("LIVE");
		assertThat(body).extractingJsonPathArrayValue("$.spaces[*].parentProjects")
			.containsOnly(List.of(manifest));
		assertThat(Path.of(manifest)).as("the project file, which goes with the deployment").isRegularFile();
		// One space is measured on request: the download is in the application's own space.
		HttpResponse<String> downloads = send("GET", "/actuator/scratch/" + APPLICATION.uuid() + "/downloaded_files");
		assertThat(downloads.statusCode()).isEqualTo(200);
		assertThat(((Number) JsonPath.read(downloads.body(), "$.bytes")).longValue()).isEqualTo(ELEMENTS_CSV.length);
	}

	private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + application.port() + path))
			.timeout(Duration.ofMinutes(1))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/** Extracts a jar into a directory, as {@code unzip} and the buildpacks do. */
	private static Path explode(Path jar, Path root) throws IOException {
		Path target = root.toAbsolutePath().normalize();
		try (JarFile file = new JarFile(jar.toFile())) {
			for (JarEntry entry : file.stream().toList()) {
				Path path = target.resolve(entry.getName()).normalize();
				assertThat(path.startsWith(target)).as("entry %s stays in the root", entry.getName()).isTrue();
				if (entry.isDirectory()) {
					Files.createDirectories(path);
					continue;
				}
				Files.createDirectories(path.getParent());
				try (InputStream in = file.getInputStream(entry)) {
					Files.copy(in, path);
				}
			}
		}
		return target;
	}

}
