package dev.scratchspace.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.scratchspace.Artifacts;
import dev.scratchspace.ScratchSpaceManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Service;

/**
 * Publishes the dataset index as an artifact that another installation can install and serve:
 * freezes the index into an artifact, writes it as a deterministic {@code .tar.gz} into the
 * export directory, and binds the name {@value #NAME} in an {@code Artifacts.toml} (Julia's
 * format) to its tree hash, with the archive's {@code file:} URL and SHA-256. Exporting again
 * moves the name to the new tree hash; archives of earlier exports stay, under names of their
 * own, for copies of the {@code Artifacts.toml} that still point at them.
 */
@Service
class IndexExport {

	/** The name the {@code Artifacts.toml} binds: {@code $<artifact:index>} installs it. */
	static final String NAME = "index";

	private static final Log logger = LogFactory.getLog(IndexExport.class);

	private final DatasetIndex index;

	private final Artifacts artifacts;

	private final Path directory;

	private final Path artifactsToml;

	IndexExport(DatasetIndex index, ScratchSpaceManager scratch, ExportProperties properties) {
		this.index = index;
		this.artifacts = scratch.artifacts();
		this.directory = properties.directory();
		this.artifactsToml = properties.artifactsTomlFile();
	}

	/**
	 * Exports the index. One export at a time, so that the name ends bound to the newest.
	 * @return what was written
	 * @throws IllegalStateException if the index is read-only, and so an artifact already
	 */
	synchronized Exported export() throws IOException {
		String treeHash = this.index.export();
		Files.createDirectories(this.directory);
		// Named by content: the same index gives the same bytes under the same name.
		Path archive = this.directory.resolve(NAME + "-" + treeHash + ".tar.gz");
		String sha256 = this.artifacts.archive(treeHash, archive);
		Artifacts.Download download = new Artifacts.Download(archive.toUri(), sha256);
		this.artifacts.bind(this.artifactsToml, NAME, treeHash, List.of(download), true);
		// Records the Artifacts.toml in logs/artifact_usage.toml: this depot's copy is kept
		// by garbage collection while that file exists and binds it, not orphaned.
		this.artifacts.ensureInstalled(this.artifactsToml, NAME);
		logger.info("Exported the dataset index as artifact " + treeHash + " to " + archive + ", bound as '"
				+ NAME + "' in " + this.artifactsToml);
		return new Exported(NAME, treeHash, archive.toString(), sha256, this.artifactsToml.toString());
	}

	/**
	 * An exported index.
	 *
	 * @param name the name bound in the {@code Artifacts.toml}
	 * @param treeHash the artifact's tree hash (git's), its directory name under
	 * {@code artifacts/}
	 * @param archive the {@code .tar.gz} written
	 * @param sha256 the archive's SHA-256
	 * @param artifactsToml the {@code Artifacts.toml} that binds it
	 */
	record Exported(String name, String treeHash, String archive, String sha256, String artifactsToml) {
	}

}
