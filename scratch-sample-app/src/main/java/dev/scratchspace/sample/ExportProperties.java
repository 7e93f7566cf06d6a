package dev.scratchspace.sample;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where {@code POST /datasets/index/export} puts what it exports.
 *
 * @param directory Directory that receives the index's archives, 'index-<tree hash>.tar.gz',
 * relative to the working directory unless absolute.
 * @param artifactsToml Artifacts.toml that binds the name 'index' to the newest export, with
 * the file: URL and sha256 of its archive. Defaults to 'Artifacts.toml' in the export
 * directory.
 */
@ConfigurationProperties("sample.export")
record ExportProperties(@DefaultValue("export") Path directory, @Nullable Path artifactsToml) {

	ExportProperties {
		// Absolute now: the file: URL in the Artifacts.toml must not depend on where it is read.
		directory = directory.toAbsolutePath().normalize();
		artifactsToml = ((artifactsToml != null) ? artifactsToml : directory.resolve("Artifacts.toml"))
			.toAbsolutePath()
			.normalize();
	}

	/** @return the Artifacts.toml, never {@code null} after construction */
	Path artifactsTomlFile() {
		return (this.artifactsToml != null) ? this.artifactsToml : this.directory.resolve("Artifacts.toml");
	}

}
