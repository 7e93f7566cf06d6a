package dev.scratchspace.boot.autoconfigure;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.tools.ToolProvider;

import dev.scratchspace.ScratchOwner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default owner and project file of an application run from an exploded executable jar,
 * as Cloud Native Buildpacks deploy it: its classes in {@code <root>/BOOT-INF/classes}.
 */
class ManagerSettingsExplodedJarTests {

	@TempDir
	Path temp;

	private Path root;

	private Class<?> mainApplicationClass;

	@BeforeEach
	void explodedJar() throws Exception {
		// A pom.xml above the deployment: not the application's, and never its project file.
		Files.writeString(this.temp.resolve("pom.xml"),
				"<project><groupId>wrong</groupId><artifactId>wrong</artifactId></project>");
		this.root = this.temp.resolve("workspace");
		Path classes = Files.createDirectories(this.root.resolve("BOOT-INF/classes"));
		Path source = Files.createDirectories(this.temp.resolve("src/com/example")).resolve("DemoApplication.java");
		Files.writeString(source, "package com.example; public class DemoApplication { }");
		assertThat(ToolProvider.getSystemJavaCompiler()
			.run(null, null, null, "-d", classes.toString(), source.toString())).isZero();
		Files.createDirectories(this.root.resolve("META-INF/maven/com.example/demo"));
		Files.writeString(this.root.resolve("META-INF/MANIFEST.MF"),
				"Manifest-Version: 1.0\nStart-Class: com.example.DemoApplication\n");
		Files.writeString(this.root.resolve("META-INF/maven/com.example/demo/pom.properties"),
				"groupId=com.example\nartifactId=demo\nversion=1.0\n");
		@SuppressWarnings("resource") // the class must outlive this method
		URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
				ClassLoader.getPlatformClassLoader());
		this.mainApplicationClass = loader.loadClass("com.example.DemoApplication");
	}

	@Test
	void ownerIsTheRootsArtifactAndProjectItsManifest() {
		ManagerSettings settings = ManagerSettings.of(new ScratchProperties(), this.mainApplicationClass);
		assertThat(settings.owner()).isEqualTo(ScratchOwner.of("com.example", "demo"));
		assertThat(settings.caller().project()).contains(manifest());
	}

	@Test
	void anOwnerFromThePropertiesKeepsTheManifestAsProject() {
		ScratchProperties properties = new ScratchProperties();
		properties.setOwner("com.example:other");
		ManagerSettings settings = ManagerSettings.of(properties, this.mainApplicationClass);
		assertThat(settings.owner()).isEqualTo(ScratchOwner.of("com.example", "other"));
		assertThat(settings.project()).isEqualTo(manifest());
		assertThat(settings.caller().project()).contains(manifest());
	}

	private Path manifest() {
		return this.root.resolve("META-INF/MANIFEST.MF").toAbsolutePath();
	}

}
