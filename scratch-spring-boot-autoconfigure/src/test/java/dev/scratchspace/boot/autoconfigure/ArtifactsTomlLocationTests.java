package dev.scratchspace.boot.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ArtifactsTomlLocation}: only a local location is ever touched.
 */
class ArtifactsTomlLocationTests {

	@TempDir
	Path temp;

	@Test
	void remoteLocationIsRefusedBeforeAnyConnection() throws IOException {
		// Counts each connection, then hangs up, so that a read that connected fails at once.
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
			for (String location : new String[] { "http://" + origin + "/Artifacts.toml",
					"Https://" + origin + "/Artifacts.toml", "jar:http://" + origin + "/app.jar!/Artifacts.toml",
					"file://" + origin + "/Artifacts.toml", "jar:file://" + origin + "/app.jar!/Artifacts.toml",
					"ftp://" + origin + "/Artifacts.toml" }) {
				assertThatIllegalArgumentException()
					.isThrownBy(() -> ArtifactsTomlLocation.apply(location, null, (path) -> path))
					.withMessageStartingWith("scratch.artifacts.toml is '" + location
							+ "', which is not a file path or a file:, classpath: or jar: location");
			}
			assertThat(connections).hasValue(0);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "Artifacts.toml", "/etc/app/Artifacts.toml", "C:\\app\\Artifacts.toml", "file:/a/Artifacts.toml",
			"file:///a/Artifacts.toml", "FILE://localhost/a/Artifacts.toml", "classpath:Artifacts.toml",
			"classpath:/META-INF/Artifacts.toml", "jar:file:/app.jar!/Artifacts.toml",
			"jar:nested:/app.jar/!BOOT-INF/classes/!/Artifacts.toml" })
	void localLocationIsAccepted(String location) {
		assertThat(ArtifactsTomlLocation.check(location)).isEqualTo(location);
	}

	@Test
	void localFileIsRead() throws IOException {
		Path file = Files.writeString(this.temp.resolve("Artifacts.toml"), "");
		Path viaUrl = ArtifactsTomlLocation.apply("file://" + file, null, (path) -> path);
		Path viaPath = ArtifactsTomlLocation.apply(file.toString(), null, (path) -> path);
		assertThat(viaUrl).isEqualTo(file);
		assertThat(viaPath).isEqualTo(file);
	}

}
