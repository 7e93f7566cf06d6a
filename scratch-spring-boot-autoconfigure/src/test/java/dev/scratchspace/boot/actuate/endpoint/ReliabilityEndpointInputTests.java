package dev.scratchspace.boot.actuate.endpoint;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.scratchspace.DirectorySnapshot;
import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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
 * Hostile input to the endpoint's delete and garbage-collection operations over real HTTP:
 * every request is refused with 400 or 404, and neither the depot nor a sentinel directory
 * beside it changes. The configured collect delay is zero, so any real collection would
 * delete the orphan that each collect test plants.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=scratch",
				"management.endpoint.scratch.access=unrestricted", "scratch.gc.enabled=false",
				"scratch.gc.collect-delay=0s" })
@DirtiesContext
class ReliabilityEndpointInputTests {

	private static final ScratchOwner LIBRARY = ScratchOwner.of("com.example", "lib");

	@TempDir
	static Path root;

	@DynamicPropertySource
	static void depot(DynamicPropertyRegistry registry) {
		registry.add("scratch.depot", () -> root.resolve("depot").toString());
	}

	private final BasicJsonTester json = new BasicJsonTester(getClass());

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
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			{"dryrun": true}                          | Unknown field "dryrun" (did you mean "dryRun"?)
			{"DryRun": true}                          | Unknown field "DryRun" (did you mean "dryRun"?)
			{"dry_run": true}                         | Unknown field "dry_run": the body may hold only "dryRun"
			{"collectdelay": "7d"}                    | Unknown field "collectdelay" (did you mean "collectDelay"?)
			{"dryRun": true, "force": true}           | Unknown field "force"
			{"dryRun": "true"}                        | "dryRun" must be a JSON boolean, true or false, but was a string
			{"dryRun": "false"}                       | "dryRun" must be a JSON boolean, true or false, but was a string
			{"dryRun": "yes"}                         | "dryRun" must be a JSON boolean, true or false, but was a string
			{"dryRun": "no"}                          | "dryRun" must be a JSON boolean, true or false, but was a string
			{"dryRun": "0"}                           | "dryRun" must be a JSON boolean, true or false, but was a string
			{"dryRun": "off"}                         | "dryRun" must be a JSON boolean, true or false, but was a string
			{"dryRun": 0}                             | "dryRun" must be a JSON boolean, true or false, but was a number
			{"dryRun": 1}                             | "dryRun" must be a JSON boolean, true or false, but was a number
			{"dryRun": null}                          | "dryRun" must be a JSON boolean, true or false, but was null
			{"dryRun": [false]}                       | "dryRun" must be a JSON boolean, true or false, but was an array
			{"dryRun": {"value": false}}              | "dryRun" must be a JSON boolean, true or false, but was an object
			{"collectDelay": 0}                       | "collectDelay" must be a string holding an ISO-8601 or Spring Boot duration
			{"collectDelay": null}                    | "collectDelay" must be a string holding an ISO-8601 or Spring Boot duration
			{"collectDelay": ["PT0S"]}                | "collectDelay" must be a string holding an ISO-8601 or Spring Boot duration
			{"collectDelay": ""}                      | "collectDelay" must be a string holding an ISO-8601 or Spring Boot duration
			{"dryRun": true, "dryRun": false}         | Duplicate field "dryRun": each field may appear only once
			{"dryRun": false, "dryRun": true}         | Duplicate field "dryRun"
			{"collectDelay": "7d", "collectDelay": "PT0S"} | Duplicate field "collectDelay"
			[{"dryRun": false}]                       | The body must be empty or a JSON object, but was an array
			"dryRun"                                  | The body must be empty or a JSON object, but was a string
			0                                         | The body must be empty or a JSON object, but was a number
			null                                      | The body must be empty or a JSON object, but was null
			false                                     | The body must be empty or a JSON object, but was a boolean
			`  `                                      | The body is not valid JSON
			{"dryRun": false,}                        | The body is not valid JSON
			{"dryRun": false} {"dryRun": true}        | The body is not valid JSON: unexpected text after the JSON object
			{"dryRun": false                          | The body is not valid JSON
			""")
	void collectRequestThatIsNotStrictlyValidIsRefusedAndCollectsNothing(String body, String message)
			throws Exception {
		Path orphan = Files.createDirectories(this.manager.scratchDir(java.util.UUID.randomUUID().toString(), "orphan"));
		Map<String, String> before = DirectorySnapshot.of(root);
		HttpResponse<String> response = send("POST", "/actuator/scratch", body);
		assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(400);
		assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.message").startsWith(message);
		assertThat(this.json.from(response.body())).extractingJsonPathNumberValue("$.status").isEqualTo(400);
		assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.path")
			.isEqualTo("/actuator/scratch");
		assertThat(DirectorySnapshot.of(root)).isEqualTo(before);
		assertThat(orphan).isDirectory();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "{}", " { } ", "{\"dryRun\": false}", "{\"dryRun\":false,\"collectDelay\":\"PT0S\"}",
			"{\"collectDelay\": \"0\"}" })
	void validCollectRequestRunsARealCollectionThatDeletesTheOrphan(String body) throws Exception {
		Path orphan = Files.createDirectories(this.manager.scratchDir(java.util.UUID.randomUUID().toString(), "orphan"));
		HttpResponse<String> response = send("POST", "/actuator/scratch", body);
		assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(200);
		assertThat(this.json.from(response.body())).extractingJsonPathBooleanValue("$.dryRun").isFalse();
		assertThat(orphan).doesNotExist();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"dryrun": false}   | 400
			{"dryRun": "no"}    | 400
			{"dryRun": false}   | 200
			""")
	void chunkedCollectRequestWithoutALengthIsCheckedAlike(String body, int status) throws Exception {
		Path orphan = Files.createDirectories(this.manager.scratchDir(java.util.UUID.randomUUID().toString(), "orphan"));
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/scratch"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofInputStream(() -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(status);
		assertThat(Files.exists(orphan)).isEqualTo(status != 200);
	}

	@Test
	void dryRunRequestReportsTheOrphanAndChangesNothing() throws Exception {
		Path orphan = Files.createDirectories(this.manager.scratchDir(java.util.UUID.randomUUID().toString(), "orphan"));
		HttpResponse<String> response = send("POST", "/actuator/scratch", "{\"dryRun\": true}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(this.json.from(response.body())).extractingJsonPathBooleanValue("$.dryRun").isTrue();
		assertThat(this.json.from(response.body()))
			.extractingJsonPathArrayValue("$.decisions[?(@.path == '" + orphan + "')].action")
			.containsExactly("DELETED");
		assertThat(orphan).isDirectory();
	}

	@Test
	void bareNumberCollectDelayMeansDays() throws Exception {
		Path orphan = Files.createDirectories(this.manager.scratchDir(java.util.UUID.randomUUID().toString(), "orphan"));
		// The first run records since when the space is orphaned; a delay of one millisecond
		// would be over by the second run.
		assertThat(send("POST", "/actuator/scratch", "{\"collectDelay\": \"PT1H\"}").statusCode()).isEqualTo(200);
		HttpResponse<String> response = send("POST", "/actuator/scratch", "{\"collectDelay\": \"1\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(this.json.from(response.body()))
			.extractingJsonPathArrayValue("$.decisions[?(@.path == '" + orphan + "')].action")
			.containsExactly("ORPHANED");
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
