package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.tools.ToolProvider;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ScratchOwner#forClass(Class)} for an application run from an exploded executable jar:
 * {@code <root>/BOOT-INF/classes}, {@code <root>/BOOT-INF/lib}, {@code <root>/META-INF}, as
 * Cloud Native Buildpacks deploy it and {@code JarLauncher} or a plain class path run it.
 */
class ExplodedJarOwnerTests {

	private static final String MAVEN_MANIFEST = """
			Manifest-Version: 1.0
			Main-Class: org.springframework.boot.loader.launch.JarLauncher
			Start-Class: com.example.app.Main
			Spring-Boot-Classes: BOOT-INF/classes/
			Spring-Boot-Lib: BOOT-INF/lib/
			""";

	@TempDir
	Path temp;

	@Test
	void classesOfTheRootAreOwnedByItsPomPropertiesWithTheManifestAsProject() throws Exception {
		// A space in the path: the code source is a percent-encoded file: URL.
		Path root = explodedJar(this.temp.resolve("deploy dir/workspace"), MAVEN_MANIFEST);
		pomProperties(root, "com.example", "app", "1.4.0");
		// The class loader of JarLauncher in an exploded root, as of the class path: file:<root>/BOOT-INF/classes/
		Class<?> type = TestJars.load(List.of(root.resolve("BOOT-INF/classes")));
		assertThat(type.getProtectionDomain().getCodeSource().getLocation().toString()).startsWith("file:")
			.endsWith("/BOOT-INF/classes/")
			.contains("deploy%20dir");

		ScratchOwner owner = ScratchOwner.forClass(type);
		assertThat(owner).isEqualTo(ScratchOwner.of("com.example", "app"));
		assertThat(owner.coordinates()).contains("com.example:app");
		assertThat(owner.version()).contains("1.4.0");
		assertThat(owner.project()).contains(root.resolve("META-INF/MANIFEST.MF").toAbsolutePath());
	}

	@Test
	void theProjectIsTheSameFileForEveryStartAndLeavesWithTheDeployment() throws Exception {
		Path root = explodedJar(this.temp.resolve("app"), MAVEN_MANIFEST);
		pomProperties(root, "com.example", "app", "1.0");
		String location = root.resolve("BOOT-INF/classes").toUri().toString();
		// Two class loaders, as two starts of the same deployment; also without the trailing slash.
		Path first = ScratchOwner.forClass(TestJars.load(List.of(root.resolve("BOOT-INF/classes")))).project().orElseThrow();
		Path second = ScratchOwner.of(ArtifactLocator.locate(location.substring(0, location.length() - 1)))
			.project()
			.orElseThrow();
		assertThat(first).isEqualTo(second).isRegularFile().startsWith(root.toAbsolutePath());
	}

	@Test
	void classPathOfTheRootsDirectoriesInAChildJvmFindsTheSameOwner() throws Exception {
		Path root = explodedJar(this.temp.resolve("app"), MAVEN_MANIFEST);
		pomProperties(root, "com.example", "app", "2.0");
		Files.createDirectories(root.resolve("BOOT-INF/lib"));
		Path classes = root.resolve("BOOT-INF/classes");
		Path source = Files.createDirectories(this.temp.resolve("src/com/example/app")).resolve("Main.java");
		Files.writeString(source, """
				package com.example.app;

				public class Main {
					public static void main(String[] args) {
						dev.scratchspace.ScratchOwner owner = dev.scratchspace.ScratchOwner.forClass(Main.class);
						System.out.println(owner.coordinates().orElse("none") + "|" + owner.project().orElse(null));
					}
				}
				""");
		int compiled = ToolProvider.getSystemJavaCompiler()
			.run(null, null, null, "-cp", System.getProperty("java.class.path"), "-d", classes.toString(),
					source.toString());
		assertThat(compiled).as("compilation of the main class").isZero();

		// java -cp BOOT-INF/classes:BOOT-INF/lib/* com.example.app.Main, run from the root;
		// this JVM's class path stands in for the jars of BOOT-INF/lib.
		String separator = System.getProperty("path.separator");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
				"BOOT-INF/classes" + separator + "BOOT-INF/lib/*" + separator + System.getProperty("java.class.path"),
				"com.example.app.Main"));
		Path output = this.temp.resolve("output.txt");
		Process process = new ProcessBuilder(command).directory(root.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the child JVM finished").isTrue();
		String printed = Files.readString(output, StandardCharsets.UTF_8).trim();
		assertThat(process.exitValue()).as(printed).isZero();
		assertThat(printed).isEqualTo("com.example:app|" + root.resolve("META-INF/MANIFEST.MF").toRealPath());
	}

	@Test
	void ofSeveralPomPropertiesTheImplementationTitleNamesTheApplication() throws Exception {
		Path root = explodedJar(this.temp.resolve("app"), MAVEN_MANIFEST + "Implementation-Title: app\n");
		pomProperties(root, "com.example", "app-support", "1.0");
		pomProperties(root, "com.example", "app", "1.0");
		pomProperties(root, "org.shaded", "inner", "9");
		assertThat(ownerOf(root)).isEqualTo(ScratchOwner.of("com.example", "app"));
	}

	@Test
	void ofSeveralPomPropertiesTheLongestGroupIdThatIsAPackageOfTheStartClassNamesTheApplication()
			throws Exception {
		Path root = explodedJar(this.temp.resolve("app"), MAVEN_MANIFEST + "Implementation-Title: Example App\n");
		pomProperties(root, "com.example", "app", "1.0");
		pomProperties(root, "com", "base", "1.0");
		pomProperties(root, "com.exam", "prefix-but-not-a-package", "1.0");
		pomProperties(root, "org.shaded", "inner", "9");
		assertThat(ownerOf(root)).isEqualTo(ScratchOwner.of("com.example", "app"));
	}

	@Test
	void whenTheRuleLeavesNoSinglePomPropertiesTheOwnerIsGlobalWithTheManifestAsProject() throws Exception {
		Path root = explodedJar(this.temp.resolve("app"), MAVEN_MANIFEST);
		pomProperties(root, "com.example", "app", "1.0");
		pomProperties(root, "com.example", "other", "1.0");
		ScratchOwner owner = ownerOf(root);
		assertThat(owner).isEqualTo(ScratchOwner.GLOBAL);
		assertThat(owner.project()).contains(root.resolve("META-INF/MANIFEST.MF").toAbsolutePath());
	}

	@Test
	void aRootWithoutPomPropertiesIsGlobalWithTheManifestAsProject() throws Exception {
		// As Gradle builds an executable jar: a manifest, no pom.properties.
		Path root = explodedJar(this.temp.resolve("app"), MAVEN_MANIFEST);
		ScratchOwner owner = ownerOf(root);
		assertThat(owner).isEqualTo(ScratchOwner.GLOBAL);
		assertThat(owner.project()).contains(root.resolve("META-INF/MANIFEST.MF").toAbsolutePath());
	}

	@Test
	void aRootWithoutManifestUsesItsPomPropertiesAsProject() throws Exception {
		Path root = explodedJar(this.temp.resolve("app"), null);
		Path properties = pomProperties(root, "com.example", "app", "1.0");
		ScratchOwner owner = ownerOf(root);
		assertThat(owner.coordinates()).contains("com.example:app");
		assertThat(owner.project()).contains(properties.toAbsolutePath());
	}

	@Test
	void classesUnderBootInfWithoutARootManifestOrPomPropertiesFallBackToTheNearestPom() throws Exception {
		Path root = explodedJar(this.temp.resolve("module/src/test/resources/app"), null);
		Path pom = Files.writeString(this.temp.resolve("module/pom.xml"),
				"<project><groupId>com.example</groupId><artifactId>module</artifactId></project>");
		ScratchOwner owner = ownerOf(root);
		assertThat(owner.coordinates()).contains("com.example:module");
		assertThat(owner.project()).contains(pom.toAbsolutePath());
	}

	private static ScratchOwner ownerOf(Path root) throws Exception {
		return ScratchOwner.forClass(TestJars.load(List.of(root.resolve("BOOT-INF/classes"))));
	}

	/** A root with the probe class in {@code BOOT-INF/classes} and the given manifest, if any. */
	private static Path explodedJar(Path root, @Nullable String manifest) throws IOException {
		TestJars.compileProbe(root.resolve("BOOT-INF/classes"));
		Files.createDirectories(root.resolve("META-INF"));
		if (manifest != null) {
			Files.writeString(root.resolve("META-INF/MANIFEST.MF"), manifest);
		}
		return root;
	}

	private static Path pomProperties(Path root, String groupId, String artifactId, String version)
			throws IOException {
		Path file = Files.createDirectories(root.resolve("META-INF/maven/" + groupId + "/" + artifactId))
			.resolve("pom.properties");
		return Files.writeString(file, TestJars.pomProperties(groupId, artifactId, version));
	}

}
