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
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.json.BasicJsonTester;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the sample application in this JVM, over HTTP, with a temporary depot and a
 * local dataset host.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "scratch.gc.enabled=false")
@DirtiesContext
class SampleApplicationTests {

	private static final DatasetHost host = startHost();

	@TempDir
	static Path depot;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("scratch.depot", depot::toString);
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
			return DatasetHost.start(Map.of("first.csv", csv("a,b", "1,2", "3,4"), "second.csv", csv("x", "9"),
					"third.csv", csv("c", "5"), "fourth.csv", csv("d", "6")));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void datasetIsDownloadedOnceThenServedFromTheSpace() throws Exception {
		HttpResponse<String> first = get("/datasets/first.csv");
		HttpResponse<String> second = get("/datasets/first.csv");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.headers().firstValue(DatasetController.SOURCE_HEADER)).hasValue("download");
		assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/csv"));
		assertThat(second.headers().firstValue(DatasetController.SOURCE_HEADER)).hasValue("cache");
		assertThat(second.body()).isEqualTo(first.body()).isEqualTo("a,b\n1,2\n3,4\n");
		assertThat(host.requests("first.csv")).isEqualTo(1);
		assertThat(this.manager.getScratch("downloaded_files").resolve("first.csv")).hasContent("a,b\n1,2\n3,4");
	}

	@Test
	void datasetUnknownToTheHostIsNotFoundAndLeavesNothingBehind() throws Exception {
		HttpResponse<String> response = get("/datasets/missing.csv");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.detail")
			.contains("missing.csv");
		try (var files = Files.list(this.manager.getScratch("downloaded_files"))) {
			assertThat(files).noneMatch((file) -> file.getFileName().toString().contains("missing"));
		}
	}

	@Test
	void nameThatIsNotAPlainFileNameIsRejected() throws Exception {
		assertThat(get("/datasets/.hidden").statusCode()).isEqualTo(400);
		assertThat(get("/datasets/a%20b.csv").statusCode()).isEqualTo(400);
		assertThat(host.requests(".hidden")).isZero();
	}

	@Test
	void listingComesFromTheVersionSpecificIndex() throws Exception {
		get("/datasets/second.csv");
		HttpResponse<String> response = get("/datasets");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.index")
			.endsWith("/data_for_version-0.1");
		assertThat(this.json.from(response.body()))
			.extractingJsonPathArrayValue("$.datasets[?(@.name == 'second.csv')].columns")
			.containsExactly(List.of("x"));
		assertThat(this.json.from(response.body()))
			.extractingJsonPathArrayValue("$.datasets[?(@.name == 'second.csv')].rows")
			.containsExactly(1);
	}

	@Test
	void indexIsRebuiltWhenItsSpaceIsFoundEmpty() throws Exception {
		get("/datasets/third.csv");
		Path space = this.index.space();
		assertThat(get("/datasets").body()).contains("third.csv");
		this.manager.deleteScratch(ScratchOwner.forClass(SampleApplication.class), space.getFileName().toString());
		assertThat(space).doesNotExist();
		assertThat(get("/datasets").body()).contains("third.csv");
		assertThat(space.resolve("index.tsv")).content().contains("third.csv\t4\t1\tc");
	}

	@Test
	void downloadsDeletedByACleanupAreDownloadedAgain() throws Exception {
		get("/datasets/fourth.csv");
		this.manager.deleteScratch("downloaded_files");
		assertThat(get("/datasets").body()).doesNotContain("fourth.csv");
		HttpResponse<String> again = get("/datasets/fourth.csv");
		assertThat(again.headers().firstValue(DatasetController.SOURCE_HEADER)).hasValue("download");
		assertThat(host.requests("fourth.csv")).isEqualTo(2);
		assertThat(get("/datasets").body()).contains("fourth.csv");
	}

	@Test
	void tomcatKeepsItsWorkFilesInAScratchSpace(@Value("${server.tomcat.basedir}") String basedir) {
		assertThat(Path.of(basedir)).isEqualTo(this.manager.getScratch("tomcat")).startsWith(depot);
	}

	@Test
	void applicationPropertiesLeaveTheDepotToThePerUserCache() throws IOException {
		Properties properties = new Properties();
		try (InputStream in = SampleApplication.class.getResourceAsStream("/application.properties")) {
			properties.load(in);
		}
		assertThat(properties.stringPropertyNames()).doesNotContain("scratch.depot", "scratch.owner");
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static byte[] csv(String... lines) {
		return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
	}

}
