package dev.scratchspace.boot.diagnostics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.scratchspace.ArtifactException;
import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.autoconfigure.ScratchAutoConfiguration;
import dev.scratchspace.boot.diagnostics.FailureAnalysisRun.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the failure analysis of {@code $<artifact:NAME>} placeholders that cannot be
 * resolved: each is a real, failed start of a {@link org.springframework.boot.SpringApplication}
 * whose analysis names the artifact, the {@code Artifacts.toml}, the property that held the
 * placeholder and the cause.
 */
class ArtifactPlaceholderFailureAnalysisTests {

	@TempDir
	Path temp;

	private String hash;

	private Path archive;

	private String sha256;

	@BeforeEach
	void createArchive() throws IOException {
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(this.temp.resolve("elsewhere")).build()) {
			this.hash = manager.artifacts().create((dir) -> Files.writeString(dir.resolve("weights.bin"), "weights"));
			this.archive = this.temp.resolve("model.tar.gz");
			this.sha256 = manager.artifacts().archive(this.hash, this.archive);
		}
	}

	private Result start(String toml, String placeholder) throws IOException {
		Path file = Files.writeString(this.temp.resolve("Artifacts.toml"), toml);
		return start("file:" + file, placeholder, file);
	}

	private Result start(String location, String placeholder, Path file) {
		return FailureAnalysisRun.start(ModelApplication.class, Map.of(), "--scratch.depot=" + this.temp.resolve("depot"),
				"--scratch.artifacts.toml=" + location, "--app.model=" + placeholder);
	}

	private String where() {
		return "property 'app.model', read by the @Value of field model in " + ModelConsumer.class.getName();
	}

	@Test
	void invalidNameNamesThePlaceholderThePropertyAndTheRule() throws IOException {
		Result result = start("", "$<artifact:my model>/weights.bin");
		assertThat(result.description()).startsWith("Invalid artifact placeholder '$<artifact:my model>' in "
				+ where() + ": 'my model' is not a valid artifact name: a name is 1 to 255 characters")
			.contains("Artifacts.toml: file:" + this.temp.resolve("Artifacts.toml") + " (scratch.artifacts.toml)")
			.contains("Placeholder: $<artifact:my model> in " + where());
		assertThat(result.action()).startsWith("Write the placeholder as $<artifact:NAME>");
	}

	@Test
	void missingArtifactsTomlNamesTheLocation() {
		Result result = start("classpath:missing/Artifacts.toml", "$<artifact:model>", this.temp);
		assertThat(result.description()).startsWith(
				"The artifact 'model' cannot be installed: The Artifacts.toml classpath:missing/Artifacts.toml does not exist")
			.contains("Artifact: model")
			.contains("Artifacts.toml: classpath:missing/Artifacts.toml (scratch.artifacts.toml)")
			.contains("Placeholder: $<artifact:model> in " + where());
		assertThat(result.action()).isEqualTo("Add an Artifacts.toml that binds 'model' at "
				+ "classpath:missing/Artifacts.toml, or set scratch.artifacts.toml to the location of one "
				+ "(such as file:/etc/app/Artifacts.toml).");
	}

	@Test
	void remoteLocationFailsTheStartBeforeAnyConnection() throws IOException {
		// A server that never answers would hang a start that asked it anything; this one counts
		// each connection before it hangs up, so that a start that connects fails at once, counted.
		try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			AtomicInteger connections = new AtomicInteger();
			Thread acceptor = new Thread(() -> {
				try {
					while (true) {
						Socket socket = server.accept();
						connections.incrementAndGet();
						socket.close();
					}
				}
				catch (IOException ex) {
					// Closed: the test is over.
				}
			}, "silent-server");
			acceptor.setDaemon(true);
			acceptor.start();
			String origin = "127.0.0.1:" + server.getLocalPort();
			for (String location : List.of("http://" + origin + "/Artifacts.toml", "HTTPS://" + origin + "/Artifacts.toml",
					"jar:http://" + origin + "/app.jar!/Artifacts.toml", "file://" + origin + "/Artifacts.toml",
					"ftp://" + origin + "/Artifacts.toml")) {
				Result result = start(location, "$<artifact:model>", this.temp);
				// Refused where the property is bound, which here comes before the placeholder.
				assertThat(result.description()).as(location)
					.startsWith("Invalid value for scratch.artifacts.toml: scratch.artifacts.toml is '" + location
							+ "', which is not a file path or a file:, classpath: or jar: location")
					.contains("Value: \"" + location + "\"");
				assertThat(result.action()).as(location)
					.startsWith("Set scratch.artifacts.toml to a file path or a file:, classpath: or jar: location");
			}
			assertThat(connections).hasValue(0);
		}
	}

	@Test
	void missingNameSaysWhatTheFileBinds() throws IOException {
		Result result = start("[other]\ngit-tree-sha1 = \"" + this.hash + "\"\n", "$<artifact:model>");
		Path file = this.temp.resolve("Artifacts.toml");
		assertThat(result.description())
			.startsWith("The artifact 'model' cannot be installed: No artifact named 'model' in " + file
					+ "; it binds 'other'")
			.contains("Artifact: model")
			.contains("Artifacts.toml: file:" + file + " (scratch.artifacts.toml)")
			.contains("Placeholder: $<artifact:model> in " + where());
		assertThat(result.action()).startsWith("Bind 'model' in file:" + file);
	}

	@Test
	void failedDownloadNamesTheArtifactAndTheCause() throws IOException {
		Path missing = this.temp.resolve("missing.tar.gz");
		Result result = start(toml(missing.toUri().toString(), this.sha256), "$<artifact:model>");
		assertDownloadFailure(result, ArtifactException.Reason.DOWNLOAD_FAILED);
		assertThat(result.description()).contains("could not be installed from any of its 1 downloads: "
				+ missing.toUri());
	}

	@Test
	void malformedFileAsksForItToBeCorrected() throws IOException {
		Result result = start("[model]\ngit-tree-sha1 = \"abc\"\n", "$<artifact:model>");
		Path file = this.temp.resolve("Artifacts.toml");
		assertThat(result.description()).startsWith("The artifact 'model' cannot be installed: Malformed artifact "
				+ "'model' in " + file + ": its git-tree-sha1 'abc' is not 40 lower-case hexadecimal digits");
		assertThat(result.action()).startsWith("Correct file:" + file + ": it must be valid TOML");
	}

	@Test
	void hashMismatchNamesTheArtifactAndTheCause() throws IOException {
		Result result = start(toml(this.archive.toUri().toString(), "0".repeat(64)), "$<artifact:model>");
		assertDownloadFailure(result, ArtifactException.Reason.HASH_MISMATCH);
		assertThat(result.description()).contains("has sha256 " + this.sha256 + ", not the expected " + "0".repeat(64));
	}

	private void assertDownloadFailure(Result result, ArtifactException.Reason reason) {
		ArtifactException cause = FailureChain.first(result.failure(), ArtifactException.class);
		assertThat(cause).isNotNull();
		assertThat(cause.reason()).isEqualTo(reason);
		Path file = this.temp.resolve("Artifacts.toml");
		assertThat(result.description())
			.startsWith("The artifact 'model' cannot be installed: " + cause.getMessage())
			.contains("Artifact: model")
			.contains("Artifacts.toml: file:" + file + " (scratch.artifacts.toml)")
			.contains("Placeholder: $<artifact:model> in " + where());
		assertThat(result.action()).startsWith("Check the entry 'model' in file:" + file);
		assertThat(this.temp.resolve("depot/artifacts/" + this.hash)).doesNotExist();
	}

	private String toml(String url, String sha256) {
		return "[model]\ngit-tree-sha1 = \"" + this.hash + "\"\n\n[[model.download]]\nurl = \"" + url
				+ "\"\nsha256 = \"" + sha256 + "\"\n";
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(ScratchAutoConfiguration.class)
	@Import(ModelConsumer.class)
	static class ModelApplication {

	}

	static class ModelConsumer {

		@Value("${app.model}")
		String model;

	}

}
