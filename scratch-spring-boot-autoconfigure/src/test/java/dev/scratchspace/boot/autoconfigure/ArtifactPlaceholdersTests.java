package dev.scratchspace.boot.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import dev.scratchspace.ScratchSpaceManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@code $<artifact:NAME>} placeholders in {@code @Value} and in property values,
 * with the {@code Artifacts.toml} as a file, a classpath resource and an entry of a jar.
 */
class ArtifactPlaceholdersTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ScratchAutoConfiguration.class))
		.withInitializer(ArtifactPlaceholdersTests::postProcessEnvironment);

	@TempDir
	Path temp;

	private String hash;

	private String toml;

	@BeforeEach
	void createArtifact() throws IOException {
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot()).build()) {
			this.hash = manager.artifacts()
				.create((dir) -> Files.writeString(dir.resolve("weights.bin"), "weights"));
		}
		this.toml = "[model]\ngit-tree-sha1 = \"" + this.hash + "\"\n";
	}

	private Path depot() {
		return this.temp.resolve("depot");
	}

	private Path artifact() {
		return depot().resolve("artifacts").resolve(this.hash);
	}

	private ApplicationContextRunner runner() {
		return this.contextRunner.withPropertyValues("scratch.depot=" + depot(), "scratch.owner=com.example:app");
	}

	private static void postProcessEnvironment(ConfigurableApplicationContext context) {
		SpringApplication application = new SpringApplication();
		application.setMainApplicationClass(ArtifactPlaceholdersTests.class);
		new ScratchPlaceholdersEnvironmentPostProcessor().postProcessEnvironment(context.getEnvironment(),
				application);
	}

	private String usageLog() throws IOException {
		return Files.readString(depot().resolve("logs/artifact_usage.toml"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "file:" })
	void valueAndPropertyResolveToTheInstalledArtifact(String prefix) throws IOException {
		Path file = Files.writeString(this.temp.resolve("Artifacts.toml"), this.toml);
		runner().withPropertyValues("scratch.artifacts.toml=" + prefix + file, "app.weights=$<artifact:model>/weights.bin")
			.withUserConfiguration(ArtifactConsumer.class)
			.run((context) -> {
				ArtifactConsumer consumer = context.getBean(ArtifactConsumer.class);
				assertThat(consumer.directory).isEqualTo(artifact().toString());
				assertThat(consumer.weights).isEqualTo(artifact().resolve("weights.bin")).hasContent("weights");
				assertThat(consumer.both).isEqualTo(artifact() + ":" + artifact());
				assertThat(context.getEnvironment().getProperty("app.weights"))
					.isEqualTo(artifact().resolve("weights.bin").toString());
				assertThat(usageLog()).contains("[[\"" + file + "\"]]");
			});
	}

	@Test
	void anArtifactThatIsNotInstalledIsInstalledFromItsDownloadOnFirstUse() throws IOException {
		Path archive = this.temp.resolve("model.tar.gz");
		String sha256;
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot()).build()) {
			sha256 = manager.artifacts().archive(this.hash, archive);
		}
		Path otherDepot = this.temp.resolve("other-depot");
		Path file = Files.writeString(this.temp.resolve("Artifacts.toml"), this.toml + "\n[[model.download]]\nurl = \""
				+ archive.toUri() + "\"\nsha256 = \"" + sha256 + "\"\n");
		this.contextRunner.withPropertyValues("scratch.depot=" + otherDepot, "scratch.artifacts.toml=" + file)
			.withUserConfiguration(ArtifactConsumer.class)
			.run((context) -> {
				Path installed = otherDepot.resolve("artifacts").resolve(this.hash);
				assertThat(context.getBean(ArtifactConsumer.class).weights).isEqualTo(installed.resolve("weights.bin"))
					.hasContent("weights");
			});
	}

	@Test
	void anArtifactIsInstalledOnceForEveryRead() throws IOException {
		Path file = Files.writeString(this.temp.resolve("Artifacts.toml"), this.toml);
		runner().withPropertyValues("scratch.artifacts.toml=" + file, "app.weights=$<artifact:model>")
			.withUserConfiguration(ArtifactConsumer.class)
			.run((context) -> {
				for (int i = 0; i < 5; i++) {
					context.getEnvironment().getProperty("app.weights");
				}
				// The consumer's two placeholders and the property: one use recorded.
				assertThat(usageLog().split("\\[\\[", -1)).hasSize(2);
			});
	}

	@Test
	void theDefaultIsArtifactsTomlOnTheClasspath() throws IOException {
		Path classes = Files.createDirectories(this.temp.resolve("classes"));
		Path file = Files.writeString(classes.resolve("Artifacts.toml"), this.toml);
		try (URLClassLoader loader = classLoader(classes)) {
			runner().withClassLoader(loader)
				.withUserConfiguration(ArtifactConsumer.class)
				.run((context) -> {
					assertThat(context.getBean(ArtifactConsumer.class).directory).isEqualTo(artifact().toString());
					assertThat(usageLog()).contains("[[\"" + file + "\"]]");
				});
		}
	}

	@Test
	void anArtifactsTomlInAJarIsRecordedAsTheJar() throws IOException {
		Path jar = this.temp.resolve("app.jar");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
			out.putNextEntry(new JarEntry("Artifacts.toml"));
			out.write(this.toml.getBytes(StandardCharsets.UTF_8));
			out.closeEntry();
		}
		try (URLClassLoader loader = classLoader(jar)) {
			runner().withClassLoader(loader)
				.withPropertyValues("app.weights=$<artifact:model>/weights.bin")
				.withUserConfiguration(ArtifactConsumer.class)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(ArtifactConsumer.class).weights)
						.isEqualTo(artifact().resolve("weights.bin"));
					assertThat(usageLog()).startsWith("[[\"" + jar + "\"]]\ntime = ");
				});
		}
		// The zip file system was closed: a new one of the same jar can be created.
		try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), java.util.Map.of())) {
			assertThat(Files.readString(zip.getPath("/Artifacts.toml"))).isEqualTo(this.toml);
		}
	}

	@Test
	void anEntryOfTheExecutableJarsClassesIsReadFromTheJar() throws IOException {
		Path jar = this.temp.resolve("boot app.jar");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
			out.putNextEntry(new JarEntry("BOOT-INF/classes/Artifacts.toml"));
			out.write(this.toml.getBytes(StandardCharsets.UTF_8));
			out.closeEntry();
		}
		URI uri = URI.create("jar:nested:" + jar.toUri().getRawPath() + "/!BOOT-INF/classes/!/Artifacts.toml");
		ArtifactsTomlLocation.JarEntry entry = ArtifactsTomlLocation.JarEntry.of(uri);
		assertThat(entry).isEqualTo(new ArtifactsTomlLocation.JarEntry(jar, "BOOT-INF/classes/Artifacts.toml"));
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot()).build();
				FileSystem zip = FileSystems.newFileSystem(entry.jar())) {
			assertThat(manager.artifacts().ensureInstalled(zip.getPath("/" + entry.name()), "model"))
				.isEqualTo(artifact());
		}
		assertThat(usageLog()).startsWith("[[\"" + jar + "\"]]\ntime = ");
	}

	@Test
	void aPlainJarUriNamesTheJarAndTheEntry() throws IOException {
		Path jar = this.temp.resolve("lib.jar");
		assertThat(ArtifactsTomlLocation.JarEntry.of(URI.create("jar:" + jar.toUri() + "!/META-INF/Artifacts.toml")))
			.isEqualTo(new ArtifactsTomlLocation.JarEntry(jar, "META-INF/Artifacts.toml"));
		assertThat(ArtifactsTomlLocation.JarEntry.of(jar.toUri())).isNull();
	}

	@Test
	void anArtifactsTomlInAJarNestedInTheExecutableJarIsRefused() {
		URI uri = URI.create("jar:nested:/app.jar/!BOOT-INF/lib/lib.jar!/Artifacts.toml");
		assertThatIOException().isThrownBy(() -> ArtifactsTomlLocation.JarEntry.of(uri))
			.withMessageContaining("BOOT-INF/lib/lib.jar nested in the application's jar")
			.withMessageContaining("scratch.artifacts.toml");
	}

	@Test
	void anArtifactReadBeforeTheContextIsLeasedByTheBeansManager() throws IOException {
		Path file = Files.writeString(this.temp.resolve("Artifacts.toml"), this.toml);
		String[] early = new String[1];
		runner().withPropertyValues("scratch.artifacts.toml=" + file, "app.weights=$<artifact:model>")
			.withInitializer((context) -> early[0] = context.getEnvironment().getProperty("app.weights"))
			.withBean(ScratchSpaceManagerCustomizer.class, () -> (builder) -> builder.accessLogInterval(
					java.time.Duration.ofHours(1)))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(early[0]).isEqualTo(artifact().toString());
				ScratchSpaceManager manager = context.getBean(ScratchSpaceManager.class);
				assertThat(manager.artifacts().path(this.hash)).contains(artifact());
				// The early manager's lease ended with it: the bean's own keeps the artifact.
				assertThat(leases()).filteredOn((lease) -> lease.contains(artifact().toString())).hasSize(1);
			});
	}

	@Test
	void anUnresolvableArtifactFailsTheStartNamingThePropertyAndTheFile() {
		runner().withPropertyValues("scratch.artifacts.toml=classpath:missing/Artifacts.toml",
				"app.weights=$<artifact:model>/weights.bin")
			.withUserConfiguration(PropertyConsumer.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				ScratchPlaceholderException placeholder = find(failure);
				assertThat(placeholder.getArtifact()).isEqualTo("model");
				assertThat(placeholder.getArtifactsToml()).isEqualTo("classpath:missing/Artifacts.toml");
				assertThat(placeholder.getProperty()).isEqualTo("app.weights");
				assertThat(NestedExceptionUtils.getMostSpecificCause(failure))
					.hasMessageContaining("classpath:missing/Artifacts.toml");
			});
	}

	@Test
	void artifactPlaceholdersFailWhenScratchSpacesAreDisabled() {
		runner().withPropertyValues("scratch.enabled=false").withUserConfiguration(ArtifactConsumer.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(find(context.getStartupFailure()).getProblem())
				.isEqualTo("artifacts are disabled (scratch.enabled=false)");
		});
	}

	private List<String> leases() throws IOException {
		try (var files = Files.walk(depot().resolve("leases"))) {
			return files.filter(Files::isRegularFile).map((lease) -> {
				try {
					return Files.readString(lease);
				}
				catch (IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}).toList();
		}
	}

	private static ScratchPlaceholderException find(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ScratchPlaceholderException placeholder) {
				return placeholder;
			}
		}
		throw new AssertionError("No ScratchPlaceholderException in " + failure, failure);
	}

	private static URLClassLoader classLoader(Path path) throws IOException {
		return new URLClassLoader(new URL[] { path.toUri().toURL() }, ArtifactPlaceholdersTests.class.getClassLoader());
	}

	static class ArtifactConsumer {

		@Value("$<artifact:model>")
		String directory;

		@Value("${app.weights:$<artifact:model>/weights.bin}")
		Path weights;

		@Value("$<artifact:model>:$<artifact:model>")
		String both;

	}

	static class PropertyConsumer {

		@Value("${app.weights}")
		String weights;

	}

}
