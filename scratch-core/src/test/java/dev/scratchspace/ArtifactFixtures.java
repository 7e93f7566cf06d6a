package dev.scratchspace;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes what the artifact collector reads: artifacts, {@code Artifacts.toml} files, jars
 * holding them, and entries of {@code logs/artifact_usage.toml} in the format its writers use.
 */
final class ArtifactFixtures {

	private ArtifactFixtures() {
	}

	/** Builds an artifact holding one file with the given content; returns its hash. */
	static String install(Artifacts artifacts, String content) {
		return artifacts.create((dir) -> {
			Files.createDirectories(dir.resolve("share"));
			Files.writeString(dir.resolve("share/data.txt"), content);
		});
	}

	/** The TOML of an {@code Artifacts.toml} binding each name to its hash. */
	static String toml(Map<String, String> bindings) {
		StringBuilder out = new StringBuilder();
		bindings.forEach((name, hash) -> out.append('[').append(name).append("]\ngit-tree-sha1 = \"").append(hash)
			.append("\"\n\n    [[").append(name).append(".download]]\n    url = \"https://example.com/")
			.append(name).append(".tar.gz\"\n    sha256 = \"").append("0".repeat(64)).append("\"\n\n"));
		return out.toString();
	}

	/** Writes an {@code Artifacts.toml} binding each name to its hash. */
	static Path writeToml(Path file, Map<String, String> bindings) throws IOException {
		Files.createDirectories(file.getParent());
		return Files.writeString(file, toml(bindings));
	}

	/** Writes a jar holding one entry {@code entryName} with the given text, and a class file. */
	static Path writeJar(Path jar, String entryName, String text) throws IOException {
		Files.createDirectories(jar.getParent());
		try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
			out.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
			out.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
			out.putNextEntry(new ZipEntry(entryName));
			out.write(text.getBytes(StandardCharsets.UTF_8));
			out.putNextEntry(new ZipEntry("fixture/Other.txt"));
			out.write("not an Artifacts.toml".getBytes(StandardCharsets.UTF_8));
		}
		return jar;
	}

	/** Appends one entry to the depot's artifact usage log, as its writers do. */
	static void recordUse(Path depot, Path artifactsToml, Instant time) throws IOException {
		appendToLog(depot, "[[" + TomlText.quote(artifactsToml.toString()) + "]]\ntime = "
				+ utc(time) + "\n");
	}

	static void appendToLog(Path depot, String text) throws IOException {
		Path log = Files.createDirectories(depot.resolve("logs")).resolve("artifact_usage.toml");
		try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
			out.write(text.getBytes(StandardCharsets.UTF_8));
		}
	}

	static String utc(Instant time) {
		StringBuilder out = new StringBuilder();
		TomlText.appendUtc(out, time, true);
		return out.toString();
	}

}
