package dev.scratchspace.boot.actuate.endpoint.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import dev.scratchspace.DirectorySnapshot;
import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.json.BasicJsonTester;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ActuatorSecurityConfiguration}, the configuration that the README shows,
 * with real Spring Security over real HTTP: who may list, delete and collect, that no CSRF
 * token is needed, and who sees the health details.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,scratch",
				"management.endpoint.scratch.access=unrestricted",
				"management.endpoint.health.show-components=when-authorized",
				"management.endpoint.health.show-details=when-authorized",
				"management.endpoint.health.roles=SCRATCH_READ,SCRATCH_ADMIN", "scratch.gc.enabled=false" })
@DirtiesContext
class ActuatorSecurityConfigurationTests {

	private static final ScratchOwner LIBRARY = ScratchOwner.of("com.example", "lib");

	private static final String READER = "reader";

	private static final String ADMIN = "admin";

	@TempDir
	static Path depot;

	@DynamicPropertySource
	static void depot(DynamicPropertyRegistry registry) {
		registry.add("scratch.depot", depot::toString);
	}

	private final HttpClient http = HttpClient.newHttpClient();

	private final BasicJsonTester json = new BasicJsonTester(getClass());

	@LocalServerPort
	int port;

	@Autowired
	ScratchSpaceManager manager;

	@Test
	void anonymousRequestsToTheEndpointAreUnauthorizedAndChangeNothing() throws Exception {
		Path space = this.manager.getScratch(LIBRARY, "anonymous");
		Path orphan = orphan();
		Map<String, String> before = DirectorySnapshot.of(depot);
		assertThat(send(null, "GET", "/actuator/scratch", null).statusCode()).isEqualTo(401);
		assertThat(send(null, "DELETE", spacePath("anonymous"), null).statusCode()).isEqualTo(401);
		assertThat(send(null, "POST", "/actuator/scratch", "{\"collectDelay\": \"PT0S\"}").statusCode())
			.isEqualTo(401);
		// Not even the rules of the body are told to a stranger.
		assertThat(send(null, "POST", "/actuator/scratch", "{\"dryrun\": true}").statusCode()).isEqualTo(401);
		assertThat(DirectorySnapshot.of(depot)).isEqualTo(before);
		assertThat(space).isDirectory();
		assertThat(orphan).isDirectory();
	}

	@Test
	void wrongPasswordIsUnauthorized() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri("/actuator/scratch"))
			.header("Authorization", basic(ADMIN, "not-the-password"))
			.build();
		assertThat(this.http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
	}

	@Test
	void readerListsSpacesButMayNotDeleteOrCollect() throws Exception {
		Path space = this.manager.getScratch(LIBRARY, "read-only");
		Path orphan = orphan();
		HttpResponse<String> listing = send(READER, "GET", "/actuator/scratch", null);
		assertThat(listing.statusCode()).isEqualTo(200);
		assertThat(this.json.from(listing.body())).extractingJsonPathArrayValue("$.spaces[*].path")
			.contains(space.toString());
		assertThat(send(READER, "GET", spacePath("read-only"), null).statusCode()).isEqualTo(200);
		Map<String, String> before = DirectorySnapshot.of(depot);
		assertThat(send(READER, "DELETE", spacePath("read-only"), null).statusCode()).isEqualTo(403);
		assertThat(send(READER, "DELETE", "/actuator/scratch/" + LIBRARY.uuid(), null).statusCode()).isEqualTo(403);
		assertThat(send(READER, "POST", "/actuator/scratch", "{\"collectDelay\": \"PT0S\"}").statusCode())
			.isEqualTo(403);
		assertThat(DirectorySnapshot.of(depot)).isEqualTo(before);
		assertThat(space).isDirectory();
		assertThat(orphan).isDirectory();
	}

	@Test
	void adminDeletesASpaceWithoutACsrfToken() throws Exception {
		Path space = this.manager.getScratch(LIBRARY, "to-delete");
		Path other = this.manager.getScratch(LIBRARY, "to-keep");
		assertThat(send(ADMIN, "DELETE", spacePath("to-delete"), null).statusCode()).isEqualTo(204);
		assertThat(space).doesNotExist();
		assertThat(other).isDirectory();
		assertThat(send(ADMIN, "GET", spacePath("to-delete"), null).statusCode()).isEqualTo(404);
	}

	@Test
	void adminCollectsWithoutACsrfToken() throws Exception {
		Path orphan = orphan();
		HttpResponse<String> dryRun = send(ADMIN, "POST", "/actuator/scratch",
				"{\"dryRun\": true, \"collectDelay\": \"PT0S\"}");
		assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(200);
		assertThat(this.json.from(dryRun.body())).extractingJsonPathBooleanValue("$.dryRun").isTrue();
		assertThat(orphan).isDirectory();
		HttpResponse<String> real = send(ADMIN, "POST", "/actuator/scratch", "{\"collectDelay\": \"PT0S\"}");
		assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
		assertThat(orphan).doesNotExist();
	}

	@Test
	void adminStillGetsTheStrictBodyCheck() throws Exception {
		Path orphan = orphan();
		HttpResponse<String> response = send(ADMIN, "POST", "/actuator/scratch",
				"{\"dryrun\": true, \"collectDelay\": \"PT0S\"}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.message")
			.startsWith("Unknown field \"dryrun\"");
		assertThat(orphan).isDirectory();
	}

	@Test
	void healthDetailsAreShownOnlyToAuthorizedUsers() throws Exception {
		HttpResponse<String> anonymousHealth = send(null, "GET", "/actuator/health", null);
		assertThat(anonymousHealth.statusCode()).isEqualTo(200);
		assertThat(this.json.from(anonymousHealth.body())).extractingJsonPathStringValue("$.status").isEqualTo("UP");
		assertThat(this.json.from(anonymousHealth.body())).doesNotHaveJsonPath("$.components");
		assertThat(send(null, "GET", "/actuator/health/scratch", null).statusCode()).isEqualTo(404);
		for (String user : new String[] { READER, ADMIN }) {
			HttpResponse<String> scratch = send(user, "GET", "/actuator/health/scratch", null);
			assertThat(scratch.statusCode()).as(user).isEqualTo(200);
			assertThat(this.json.from(scratch.body())).extractingJsonPathStringValue("$.status").isEqualTo("UP");
			assertThat(this.json.from(scratch.body())).extractingJsonPathStringValue("$.details.depot")
				.isEqualTo(depot.toString());
		}
	}

	@Test
	void withoutThisConfigurationCsrfRefusesTheAdminsDelete() throws Exception {
		try (ConfigurableApplicationContext defaults = new SpringApplicationBuilder(DefaultSecurityApplication.class)
			.properties("server.port=0", "scratch.depot=" + depot, "scratch.gc.enabled=false",
					"management.endpoints.web.exposure.include=health,scratch",
					"management.endpoint.scratch.access=unrestricted")
			.run()) {
			Path space = this.manager.getScratch(LIBRARY, "csrf");
			int port = defaults.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			HttpRequest delete = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + spacePath("csrf")))
				.header("Authorization", basic(ADMIN, ADMIN + "-password"))
				.DELETE()
				.build();
			assertThat(this.http.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode()).isIn(401, 403);
			assertThat(space).isDirectory();
		}
	}

	@Test
	void readmeShowsExactlyThisConfiguration() throws Exception {
		String source = Files.readString(
				Path.of("src/test/java/dev/scratchspace/boot/actuate/endpoint/security/ActuatorSecurityConfiguration.java"));
		String shown = source.substring(source.indexOf("import ")).replace("\t", "    ");
		assertThat(Files.readString(Path.of("../README.md"))).contains("```java\n" + shown + "```\n");
	}

	private Path orphan() throws Exception {
		Path orphan = this.manager.scratchDir(UUID.randomUUID().toString(), "orphan");
		Files.createDirectories(orphan);
		Files.writeString(orphan.resolve("file"), "1234");
		return orphan;
	}

	private static String spacePath(String key) {
		return "/actuator/scratch/" + LIBRARY.uuid() + "/" + key;
	}

	private HttpResponse<String> send(@Nullable String user, String method, String path, @Nullable String body)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
		if (user != null) {
			request.header("Authorization", basic(user, user + "-password"));
		}
		if (body != null) {
			request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ ActuatorSecurityConfiguration.class, Users.class })
	static class TestApplication {

	}

	/** Spring Boot's own security defaults, with the same users. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Users.class)
	static class DefaultSecurityApplication {

	}

	@Configuration(proxyBeanMethods = false)
	static class Users {

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername(READER).password("{noop}" + READER + "-password").roles("SCRATCH_READ").build(),
					User.withUsername(ADMIN).password("{noop}" + ADMIN + "-password").roles("SCRATCH_ADMIN").build());
		}

	}

}
