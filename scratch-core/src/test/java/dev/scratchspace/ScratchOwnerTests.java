package dev.scratchspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ScratchOwnerTests {

	@TempDir
	Path temp;

	@Test
	void globalOwnerHasTheNilUuid() {
		assertThat(ScratchOwner.GLOBAL.uuid()).isEqualTo(UUID.fromString("00000000-0000-0000-0000-000000000000"));
		assertThat(ScratchOwner.GLOBAL.coordinates()).isEmpty();
		assertThat(ScratchOwner.GLOBAL.project()).isEmpty();
	}

	@Test
	void mavenOwnerIsTheVersion5UuidOfThePackageUrlInTheUrlNamespace() {
		// python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, 'pkg:maven/org.example/demo'))"
		ScratchOwner owner = ScratchOwner.of("org.example", "demo");
		assertThat(owner.uuid()).isEqualTo(UUID.fromString("11bab0a5-d0c7-5591-ae17-29e3cc20debe"));
		assertThat(owner.uuid().version()).isEqualTo(5);
		assertThat(owner.uuid().variant()).isEqualTo(2);
		assertThat(owner.coordinates()).contains("org.example:demo");
	}

	@Test
	void ownersAreEqualByUuidOnly() {
		ScratchOwner plain = ScratchOwner.of(ScratchOwner.of("org.example", "demo").uuid());
		ScratchOwner withProject = ScratchOwner.of("org.example", "demo").withProject(this.temp.resolve("pom.xml"));
		assertThat(plain).isEqualTo(withProject).hasSameHashCodeAs(withProject);
		assertThat(plain).isNotEqualTo(ScratchOwner.of("org.example", "other"));
	}

	@Test
	void parseAcceptsUuidCoordinatesAndGlobal() {
		assertThat(ScratchOwner.parse("global")).isSameAs(ScratchOwner.GLOBAL);
		assertThat(ScratchOwner.parse("00000000-0000-0000-0000-000000000000")).isSameAs(ScratchOwner.GLOBAL);
		assertThat(ScratchOwner.parse("11bab0a5-d0c7-5591-ae17-29e3cc20debe"))
			.isEqualTo(ScratchOwner.of("org.example", "demo"));
		assertThat(ScratchOwner.parse("org.example:demo").coordinates()).contains("org.example:demo");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "nope", "a:b:c", ":demo", "org.example:", "org/example:demo", "1234",
			"11bab0a5d0c75591ae1729e3cc20debe", "11bab0a5-d0c7-5591-ae17-29e3cc20debe0", "GLOBAL ", "g:a\u0000" })
	void parseRejectsAnythingElseNamingTheText(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> ScratchOwner.parse(text))
			.withMessageContaining("'" + MessageText.printable(text) + "'")
			.withMessageContaining("global");
	}

	@Test
	void invalidCoordinatesAreRejectedNamingThem() {
		assertThatIllegalArgumentException().isThrownBy(() -> ScratchOwner.of("org example", "demo"))
			.withMessageContaining("groupId 'org example'");
		assertThatIllegalArgumentException().isThrownBy(() -> ScratchOwner.of("org.example", "../demo"))
			.withMessageContaining("artifactId '../demo'");
	}

	@Test
	void forClassReadsPomPropertiesOfAJar() throws Exception {
		Path probe = TestJars.compileProbe(this.temp.resolve("classes"));
		Path jar = TestJars.jar(this.temp.resolve("lib/demo-1.2.3.jar"), probe,
				TestJars.entry("META-INF/maven/org.example/demo/pom.properties",
						TestJars.pomProperties("org.example", "demo", "1.2.3")));
		ScratchOwner owner = ScratchOwner.forClass(TestJars.load(List.of(jar)));
		assertThat(owner).isEqualTo(ScratchOwner.of("org.example", "demo"));
		assertThat(owner.coordinates()).contains("org.example:demo");
		assertThat(owner.version()).contains("1.2.3");
		assertThat(owner.project()).contains(jar.toAbsolutePath());
	}

	@Test
	void forClassPicksThePomPropertiesWhoseArtifactIdNamesTheJar() throws Exception {
		Path probe = TestJars.compileProbe(this.temp.resolve("classes"));
		Map<String, byte[]> entries = new LinkedHashMap<>();
		entries.putAll(TestJars.entry("META-INF/maven/org.shaded/inner/pom.properties",
				TestJars.pomProperties("org.shaded", "inner", "9")));
		entries.putAll(TestJars.entry("META-INF/maven/org.example/demo-all/pom.properties",
				TestJars.pomProperties("org.example", "demo-all", "2.0")));
		entries.putAll(TestJars.entry("META-INF/maven/org.example/demo/pom.properties",
				TestJars.pomProperties("org.example", "demo", "2.0")));
		Path jar = TestJars.jar(this.temp.resolve("demo-all-2.0.jar"), probe, entries);
		assertThat(ScratchOwner.forClass(TestJars.load(List.of(jar)))).isEqualTo(ScratchOwner.of("org.example", "demo-all"));
	}

	@Test
	void forClassOfAJarWithoutPomPropertiesIsGlobalWithTheJarAsProject() throws Exception {
		Path probe = TestJars.compileProbe(this.temp.resolve("classes"));
		Path jar = TestJars.jar(this.temp.resolve("plain.jar"), probe, Map.of());
		ScratchOwner owner = ScratchOwner.forClass(TestJars.load(List.of(jar)));
		assertThat(owner).isEqualTo(ScratchOwner.GLOBAL);
		assertThat(owner.project()).contains(jar.toAbsolutePath());
	}

	@Test
	void forClassOfADirectoryOfClassesReadsTheNearestPomUpward() throws Exception {
		Path module = this.temp.resolve("module");
		Path classes = module.resolve("target/classes");
		TestJars.compileProbe(classes);
		Files.writeString(module.resolve("pom.xml"), """
				<project xmlns="http://maven.apache.org/POM/4.0.0">
				  <modelVersion>4.0.0</modelVersion>
				  <parent>
				    <groupId>org.example.parent</groupId>
				    <artifactId>parent</artifactId>
				    <version>3.1</version>
				  </parent>
				  <artifactId>from-directory</artifactId>
				  <dependencies><dependency><groupId>x.y</groupId><artifactId>z</artifactId></dependency></dependencies>
				</project>
				""");
		Files.writeString(this.temp.resolve("pom.xml"), "<project><groupId>wrong</groupId><artifactId>wrong</artifactId></project>");
		ScratchOwner owner = ScratchOwner.forClass(TestJars.load(List.of(classes)));
		assertThat(owner.coordinates()).contains("org.example.parent:from-directory");
		assertThat(owner.version()).contains("3.1");
		assertThat(owner.project()).contains(module.resolve("pom.xml").toAbsolutePath());
	}

	@Test
	void pomCoordinatesIgnoreCommentsAndNestedElements() throws Exception {
		Path pom = Files.writeString(this.temp.resolve("pom.xml"), """
				<?xml version="1.0" encoding="UTF-8"?>
				<!-- <groupId>commented.out</groupId> -->
				<project xmlns="http://maven.apache.org/POM/4.0.0">
				  <modelVersion>4.0.0</modelVersion>
				  <dependencies>
				    <dependency><groupId>dep.group</groupId><artifactId>dep</artifactId><version>9</version></dependency>
				  </dependencies>
				  <build><plugins><plugin><artifactId>plugin</artifactId></plugin></plugins></build>
				  <groupId>org.example</groupId>
				  <artifactId>real</artifactId>
				  <version>2.1</version>
				</project>
				""");
		ScratchOwner owner = ScratchOwner.of(ArtifactLocator.fromPom(pom));
		assertThat(owner.coordinates()).contains("org.example:real");
		assertThat(owner.version()).contains("2.1");
	}

	@Test
	void pomWithoutCoordinatesIsGlobalWithThePomAsProject() throws Exception {
		Path pom = Files.writeString(this.temp.resolve("pom.xml"), "<project><artifactId>${name}</artifactId></project>");
		ScratchOwner owner = ScratchOwner.of(ArtifactLocator.fromPom(pom));
		assertThat(owner).isEqualTo(ScratchOwner.GLOBAL);
		assertThat(owner.project()).contains(pom.toAbsolutePath());
	}

	@Test
	void forClassOfAGradleBuildUsesTheBuildScriptAsProject() throws Exception {
		Path module = this.temp.resolve("gradle-module");
		Path classes = module.resolve("build/classes/java/main");
		TestJars.compileProbe(classes);
		Path script = Files.writeString(module.resolve("build.gradle.kts"), "plugins { java }");
		ScratchOwner owner = ScratchOwner.forClass(TestJars.load(List.of(classes)));
		assertThat(owner).isEqualTo(ScratchOwner.GLOBAL);
		assertThat(owner.project()).contains(script.toAbsolutePath());
	}

	@Test
	void forClassOfAJarNestedInAnExecutableJarUsesTheOuterJarAsProject() throws Exception {
		Path probe = TestJars.compileProbe(this.temp.resolve("classes"));
		Map<String, byte[]> innerEntries = new LinkedHashMap<>(TestJars.entry(
				"META-INF/maven/org.example/nested-lib/pom.properties",
				TestJars.pomProperties("org.example", "nested-lib", "4.5")));
		innerEntries.put("fixture/Probe.class", Files.readAllBytes(probe));
		Map<String, byte[]> outerEntries = new LinkedHashMap<>(TestJars.entry(
				"META-INF/maven/org.example/app/pom.properties", TestJars.pomProperties("org.example", "app", "1.0")));
		outerEntries.put("BOOT-INF/lib/nested-lib-4.5.jar", TestJars.jarBytes(innerEntries, false));
		Path app = this.temp.resolve("app.jar");
		Files.write(app, TestJars.jarBytes(outerEntries, false));

		ScratchOwner library = ScratchOwner.of(ArtifactLocator.locate("jar:nested:" + app.toUri().getRawPath() + "/!BOOT-INF/lib/nested-lib-4.5.jar!/"));
		assertThat(library.coordinates()).contains("org.example:nested-lib");
		assertThat(library.version()).contains("4.5");
		assertThat(library.project()).contains(app.toAbsolutePath());

		ScratchOwner application = ScratchOwner.of(ArtifactLocator.locate("nested:" + app.toUri().getRawPath() + "/!BOOT-INF/classes/"));
		assertThat(application.coordinates()).contains("org.example:app");
		assertThat(application.project()).contains(app.toAbsolutePath());
	}

	@Test
	void forClassOfAJdkClassIsGlobal() {
		assertThat(ScratchOwner.forClass(String.class)).isSameAs(ScratchOwner.GLOBAL);
	}

}
