package dev.scratchspace.boot.diagnostics;

import java.nio.file.NoSuchFileException;

import dev.scratchspace.ArtifactException;
import dev.scratchspace.boot.autoconfigure.ScratchPlaceholderException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * The analysis of a {@code $<artifact:NAME>} placeholder that cannot be resolved: an invalid
 * name, a {@code scratch.artifacts.toml} that is not local, no {@code Artifacts.toml} there,
 * no such name in it, or an
 * artifact that no download installs (unreachable, or a sha256 or tree hash that does not
 * match). It names the artifact, the {@code Artifacts.toml}, the property or {@code @Value}
 * that held the placeholder, and the cause.
 */
final class ArtifactPlaceholderFailure {

	private static final String LOCATION_PROPERTY = "scratch.artifacts.toml";

	private ArtifactPlaceholderFailure() {
	}

	static FailureAnalysis analysis(ScratchPlaceholderException failure, String where) {
		String artifact = failure.getArtifact();
		String location = String.valueOf(failure.getArtifactsToml());
		StringBuilder description = new StringBuilder();
		if (artifact == null) {
			description.append("Invalid artifact placeholder '").append(failure.getPlaceholder()).append("' in ")
				.append(where).append(": ").append(failure.getProblem());
		}
		else {
			description.append("The artifact '").append(artifact).append("' cannot be installed: ")
				.append(failure.getProblem());
		}
		description.append(String.format("%n%n"));
		if (artifact != null) {
			description.append(String.format("    Artifact: %s%n", artifact));
		}
		description.append(String.format("    Artifacts.toml: %s (%s)%n", location, LOCATION_PROPERTY))
			.append(String.format("    Placeholder: %s in %s%n", failure.getPlaceholder(), where));
		return new FailureAnalysis(description.toString().strip(), action(failure, artifact, location), failure);
	}

	private static String action(ScratchPlaceholderException failure, @Nullable String artifact, String location) {
		if (artifact == null) {
			return "Write the placeholder as $<artifact:NAME>, where NAME is the artifact's name in the "
					+ "Artifacts.toml: 1 to 255 characters of A-Z, a-z, 0-9, '.', '_' and '-' (not '.' or '..').";
		}
		if (FailureChain.first(failure, IllegalArgumentException.class) != null) {
			return "Set " + LOCATION_PROPERTY + " to a file path or a file:, classpath: or jar: location, such as "
					+ "classpath:Artifacts.toml or file:/etc/app/Artifacts.toml; to use a remote Artifacts.toml, copy "
					+ "it next to the application first. Its downloads may be remote.";
		}
		if (FailureChain.first(failure, NoSuchFileException.class) != null) {
			return "Add an Artifacts.toml that binds '" + artifact + "' at " + location + ", or set "
					+ LOCATION_PROPERTY + " to the location of one (such as file:/etc/app/Artifacts.toml).";
		}
		ArtifactException problem = FailureChain.first(failure, ArtifactException.class);
		if (problem != null && problem.reason() == ArtifactException.Reason.NOT_BOUND) {
			return "Bind '" + artifact + "' in " + location + " (a [" + artifact + "] table with its git-tree-sha1 "
					+ "and downloads), or correct the name in the placeholder.";
		}
		if (problem != null && problem.reason() == ArtifactException.Reason.MALFORMED_TOML) {
			return "Correct " + location + ": it must be valid TOML in Julia's Artifacts.toml format, each artifact a "
					+ "table with a git-tree-sha1 of 40 lower-case hexadecimal digits.";
		}
		if (problem != null) {
			return "Check the entry '" + artifact + "' in " + location + ": its git-tree-sha1 must be the tree hash "
					+ "of the artifact's content, and one of its downloads must be reachable from here with the "
					+ "sha256 of the archive it serves.";
		}
		return "Make sure that " + location + " can be read and the scratch space depot written, then start again.";
	}

}
