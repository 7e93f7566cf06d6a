package dev.scratchspace.boot.diagnostics;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.autoconfigure.ScratchAutoConfiguration;
import dev.scratchspace.boot.diagnostics.FailureAnalysisRun.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for the failure analysis of start-up failures: each failure is a real, failed start
 * of a {@link org.springframework.boot.SpringApplication}, analysed by every registered
 * analyzer in Spring Boot's order.
 */
class ScratchFailureAnalyzersTests {

	private static final String SET_DEPOT = "a directory that this user can create and write, on a file system "
			+ "that is not read-only";

	@TempDir
	Path temp;

	@Test
	void depotThatIsAFileNamesScratchDepotAndThePlaceholdersProperty() throws Exception {
		Path file = Files.writeString(this.temp.resolve("depot"), "not a directory");
		Result result = FailureAnalysisRun.start(ServerApplication.class, Map.of(), "--scratch.depot=" + file,
				"--app.server.basedir=$<scratch:tomcat>");
		assertThat(result.description()).startsWith("The scratch space depot cannot be used: Could not create ")
			.contains(file + ": it exists but is not a directory")
			.contains("Depot: " + file)
			.contains("Chosen by: scratch.depot (set in \"scratch.depot\" from property source \"commandLineArgs\")")
			.contains("This happened while resolving the scratch space placeholder '$<scratch:tomcat>' in "
					+ "property 'app.server.basedir'.")
			.doesNotContain("FileAlreadyExistsException");
		assertThat(result.action()).isEqualTo("Set scratch.depot to " + SET_DEPOT + ", or make " + file + " one.");
	}

	@Test
	void depotBelowAFileCannotBeCreated() throws Exception {
		// Tests run as root, where permission bits stop no write: a parent that is a file does.
		Path depot = Files.writeString(this.temp.resolve("file"), "x").resolve("depot");
		Result result = FailureAnalysisRun.start(ServerApplication.class, Map.of(), "--scratch.depot=" + depot,
				"--app.server.basedir=$<scratch:tomcat>");
		assertThat(result.description()).startsWith("The scratch space depot cannot be used: Could not create ")
			.contains("Depot: " + depot)
			.contains("Chosen by: scratch.depot");
		assertThat(result.action()).isEqualTo("Set scratch.depot to " + SET_DEPOT + ", or make " + depot + " one.");
	}

	@Test
	void readOnlyDepotNamesScratchDepot() throws Exception {
		// Permission bits stop no write of root, a read-only mount does: a child JVM in its own
		// user and mount namespace, where the depot is bind-mounted read-only.
		assumeTrue(canUnshare(), "needs unshare(1) with user and mount namespaces");
		Path depot = Files.createDirectories(this.temp.resolve("read-only"));
		List<String> command = new ArrayList<>(List.of("unshare", "-rm", "sh", "-c",
				"mount --bind -o ro \"$0\" \"$0\" && exec \"$@\"", depot.toString(),
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				ReadOnlyDepotChild.class.getName(), depot.toString()));
		String output = run(command);
		assertThat(output).contains(ReadOnlyDepotChild.DESCRIPTION);
		String description = output.substring(output.indexOf(ReadOnlyDepotChild.DESCRIPTION),
				output.indexOf(ReadOnlyDepotChild.ACTION));
		String action = output.substring(output.indexOf(ReadOnlyDepotChild.ACTION)).lines().skip(1).findFirst()
			.orElseThrow();
		assertThat(description).contains("The scratch space depot cannot be used: Could not create ")
			.contains("Read-only file system")
			.contains("Depot: " + depot)
			.contains("Chosen by: scratch.depot (set in \"scratch.depot\" from property source \"commandLineArgs\")")
			.contains("placeholder '$<scratch:tomcat>' in property 'app.server.basedir'");
		assertThat(action).isEqualTo("Set scratch.depot to " + SET_DEPOT + ", or make " + depot + " one.");
		assertThat(depot).isEmptyDirectory();
	}

	private static boolean canUnshare() {
		try {
			Process process = new ProcessBuilder("unshare", "-rm", "true").redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static String run(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

	private static final String REFUSED_ACTION = "the absolute path of a directory that is missing, empty or already "
			+ "a scratch space depot, such as a new directory in the user's cache directory.";

	/** A home directory, with names that look like a depot's among its own. */
	private Path homeLike() throws IOException {
		Path home = Files.createDirectories(this.temp.resolve("home"));
		Files.writeString(home.resolve(".bashrc"), "export PS1='$ '\n");
		Files.writeString(Files.createDirectories(home.resolve("staging/holiday.photos")).resolve("beach.jpg"), "jpeg");
		Files.writeString(Files.createDirectories(home.resolve("logs")).resolve("notes.tmp-2024"), "notes");
		return home;
	}

	private static void assertUntouched(Path home) throws IOException {
		try (var entries = Files.list(home)) {
			assertThat(entries.map((entry) -> entry.getFileName().toString()).sorted().toList())
				.containsExactly(".bashrc", "logs", "staging");
		}
		assertThat(home.resolve("staging/holiday.photos/beach.jpg")).hasContent("jpeg");
		assertThat(home.resolve("logs/notes.tmp-2024")).hasContent("notes");
	}

	@Test
	void refusedDepotNamesScratchDepotAndDoesNotAskToMakeItADepot() throws Exception {
		Path home = homeLike();
		Result result = FailureAnalysisRun.start(EagerApplication.class, Map.of(), "--scratch.depot=" + home);
		assertThat(result.failure()).hasRootCauseInstanceOf(IllegalStateException.class);
		assertThat(result.description())
			.startsWith("The scratch space depot cannot be used: Refusing to use '" + home.toRealPath() + "'")
			.contains("'.bashrc'")
			.contains("Chosen by: scratch.depot (set in \"scratch.depot\" from property source \"commandLineArgs\")");
		assertThat(result.action()).isEqualTo("Set scratch.depot to " + REFUSED_ACTION);
		assertUntouched(home);
	}

	@Test
	void refusedDepotReadByAPlaceholderNamesTheVariableAndThePlaceholder() throws Exception {
		Path home = homeLike();
		Result result = FailureAnalysisRun.start(ServerApplication.class, Map.of("SCRATCH_DEPOT", home.toString()),
				"--app.server.basedir=$<scratch:tomcat>");
		assertThat(result.description()).contains("Refusing to use '" + home.toRealPath() + "'")
			.contains("Chosen by: the SCRATCH_DEPOT environment variable")
			.contains("$<scratch:tomcat>");
		assertThat(result.action()).isEqualTo("Set the SCRATCH_DEPOT environment variable (or scratch.depot, which "
				+ "takes precedence) to " + REFUSED_ACTION);
		assertUntouched(home);
	}

	@Test
	void depotFromTheEnvironmentNamesScratchDepotVariable() throws Exception {
		Path file = Files.writeString(this.temp.resolve("depot"), "not a directory");
		Result result = FailureAnalysisRun.start(ServerApplication.class, Map.of("SCRATCH_DEPOT", file.toString()),
				"--app.server.basedir=$<scratch:tomcat>");
		assertThat(result.description()).contains("Depot: " + file)
			.contains("Chosen by: the SCRATCH_DEPOT environment variable");
		assertThat(result.action()).isEqualTo("Set the SCRATCH_DEPOT environment variable (or scratch.depot, which "
				+ "takes precedence) to " + SET_DEPOT + ", or make " + file + " one.");
	}

	@Test
	void depotHitByTheApplicationsOwnBeanNamesItsSetting() throws Exception {
		Path file = Files.writeString(this.temp.resolve("depot"), "not a directory");
		Result result = FailureAnalysisRun.start(EagerApplication.class, Map.of(), "--scratch.depot=" + file);
		assertThat(result.description()).startsWith("The scratch space depot cannot be used: Could not create ")
			.contains("Chosen by: scratch.depot (set in \"scratch.depot\" from property source \"commandLineArgs\")")
			.doesNotContain("placeholder");
		assertThat(result.action()).isEqualTo("Set scratch.depot to " + SET_DEPOT + ", or make " + file + " one.");
	}

	@Test
	void badScratchValueIsReportedAgainstItselfNotThePropertyWithThePlaceholder() {
		Result result = FailureAnalysisRun.start(ServerApplication.class, Map.of(),
				"--scratch.depot=" + this.temp.resolve("depot"), "--scratch.gc.interval=banana",
				"--app.server.basedir=$<scratch:tomcat>");
		assertThat(result.description())
			.startsWith("Invalid value for scratch.gc.interval: 'banana' is not a valid duration")
			.contains("Property: scratch.gc.interval")
			.contains("Value: \"banana\"")
			.contains("The scratch.* properties were read to resolve the scratch space placeholder "
					+ "'$<scratch:tomcat>' in property 'app.server.basedir', which failed because of this value.");
		assertThat(result.action())
			.isEqualTo("Set scratch.gc.interval to a duration such as 30s, 10m, 12h or 1d (a bare number means "
					+ "milliseconds).");
	}

	@Test
	void badScratchValueIsReportedAgainstItselfWhenThePlaceholderIsReadBeforeTheContext() {
		Result result = FailureAnalysisRun.start(ServerApplication.class, Map.of(),
				(application) -> application.addListeners(
						(ApplicationListener<ApplicationEnvironmentPreparedEvent>) (event) -> event.getEnvironment()
							.getProperty("app.server.basedir")),
				"--scratch.depot=" + this.temp.resolve("depot"), "--scratch.gc.interval=banana",
				"--app.server.basedir=$<scratch:tomcat>");
		assertThat(result.description())
			.startsWith("Invalid value for scratch.gc.interval: 'banana' is not a valid duration")
			.contains("placeholder '$<scratch:tomcat>' in property 'app.server.basedir'");
		assertThat(result.action()).startsWith("Set scratch.gc.interval to a duration");
	}

	@Test
	void badScratchValueWithoutPlaceholderIsReportedWithItsUnit() {
		Result result = FailureAnalysisRun.start(ServerApplication.class, Map.of(),
				"--scratch.depot=" + this.temp.resolve("depot"), "--scratch.gc.max-total-size=lots");
		assertThat(result.description()).startsWith("Invalid value for scratch.gc.max-total-size: ")
			.doesNotContain("placeholder");
		assertThat(result.action()).isEqualTo(
				"Set scratch.gc.max-total-size to a data size such as 500MB or 10GB (a bare number means megabytes).");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			scratch.gc.interval=0s             | scratch.gc.interval: scratch.gc.interval must be positive, but was PT0S
			scratch.gc.collect-delay=-1        | scratch.gc.collect-delay: scratch.gc.collect-delay must not be negative, but was PT-24H
			scratch.owner=not valid            | scratch.owner: Invalid scratch space owner 'not valid'
			scratch.depot=$<scratch:depot>     | scratch.depot: scratch.depot cannot be a scratch space placeholder, but was '$<scratch:depot>'
			""")
	void valueThatCannotWorkIsReportedWithItsReason(String property, String description) {
		List<String> args = new ArrayList<>(List.of("--app.server.basedir=$<scratch:tomcat>", "--" + property));
		if (!property.startsWith("scratch.depot=")) {
			args.add("--scratch.depot=" + this.temp.resolve("depot"));
		}
		Result result = FailureAnalysisRun.start(ServerApplication.class, Map.of(), args.toArray(String[]::new));
		assertThat(result.description()).startsWith("Invalid value for " + description);
		assertThat(result.action()).startsWith("Set " + property.substring(0, property.indexOf('=')) + " to ");
	}

	@Test
	void invalidKeyInValueNamesTheInjectionPoint() {
		Result result = FailureAnalysisRun.start(InvalidKeyApplication.class, Map.of(),
				"--scratch.depot=" + this.temp.resolve("depot"));
		assertThat(result.description()).isEqualTo("Invalid scratch space placeholder '$<scratch:my cache>' in the "
				+ "@Value of field cache in " + InvalidKeyConsumer.class.getName() + ": Invalid scratch space key "
				+ "'my cache': a key is 1 to 255 characters of A-Z, a-z, 0-9, '.', '_' and '-', and not '.' or '..'");
		assertThat(result.action()).isEqualTo("Write the placeholder as $<scratch:KEY> or $<scratch:OWNER/KEY>, "
				+ "where KEY is 1 to 255 characters of A-Z, a-z, 0-9, '.', '_' and '-' (not '.' or '..') and OWNER is "
				+ "a UUID, groupId:artifactId or 'global'.");
	}

	@Test
	void malformedPlaceholderInAConstructorsValueNamesTheParameter() {
		Result result = FailureAnalysisRun.start(MalformedApplication.class, Map.of(),
				"--scratch.depot=" + this.temp.resolve("depot"));
		assertThat(result.description()).isEqualTo("Invalid scratch space placeholder '$<scratch:models' in the "
				+ "@Value of parameter 0 of constructor in " + MalformedConsumer.class.getName()
				+ ": it has no closing '>'");
		assertThat(result.action()).startsWith("Write the placeholder as $<scratch:KEY> or $<scratch:OWNER/KEY>");
	}

	@Test
	void malformedPlaceholderInAPropertyReadByValueNamesBoth() {
		Result result = FailureAnalysisRun.start(PropertyValueApplication.class, Map.of(),
				"--scratch.depot=" + this.temp.resolve("depot"), "--app.cache=$<scratch:a/b/c>");
		assertThat(result.description()).isEqualTo("Invalid scratch space placeholder '$<scratch:a/b/c>' in property "
				+ "'app.cache', read by the @Value of field cache in " + PropertyValueConsumer.class.getName()
				+ ": it has more than one '/'; write $<scratch:KEY> or $<scratch:OWNER/KEY>");
	}

	@Test
	void placeholderWithScratchSpacesDisabledSaysSo() {
		Result result = FailureAnalysisRun.start(ServerApplication.class, Map.of(), "--scratch.enabled=false",
				"--app.server.basedir=$<scratch:tomcat>");
		assertThat(result.description()).isEqualTo("The scratch space placeholder '$<scratch:tomcat>' in property "
				+ "'app.server.basedir' cannot be resolved: scratch spaces are disabled (scratch.enabled=false).");
		assertThat(result.action()).isEqualTo(
				"Enable scratch spaces (remove scratch.enabled=false), or replace the placeholder with a path.");
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(ScratchAutoConfiguration.class)
	@EnableConfigurationProperties(ServerProperties.class)
	static class ServerApplication {

	}

	/** Binds a directory as Spring Boot's {@code server.tomcat.basedir} does, without a web server. */
	@ConfigurationProperties("app.server")
	static class ServerProperties {

		private @Nullable File basedir;

		public @Nullable File getBasedir() {
			return this.basedir;
		}

		public void setBasedir(@Nullable File basedir) {
			this.basedir = basedir;
		}

	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(ScratchAutoConfiguration.class)
	@Import(EagerConsumer.class)
	static class EagerApplication {

	}

	static class EagerConsumer {

		EagerConsumer(ScratchSpaceManager manager) {
			manager.getScratch("index");
		}

	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(ScratchAutoConfiguration.class)
	@Import(InvalidKeyConsumer.class)
	static class InvalidKeyApplication {

	}

	static class InvalidKeyConsumer {

		@Value("$<scratch:my cache>")
		@Nullable Path cache;

	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(ScratchAutoConfiguration.class)
	@Import(MalformedConsumer.class)
	static class MalformedApplication {

	}

	static class MalformedConsumer {

		MalformedConsumer(@Value("$<scratch:models") Path models) {
		}

	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(ScratchAutoConfiguration.class)
	@Import(PropertyValueConsumer.class)
	static class PropertyValueApplication {

	}

	static class PropertyValueConsumer {

		@Value("${app.cache}")
		@Nullable Path cache;

	}

}
