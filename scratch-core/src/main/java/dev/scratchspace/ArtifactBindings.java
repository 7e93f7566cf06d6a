package dev.scratchspace;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Which artifacts the recorded {@code Artifacts.toml} files bind, as Julia's {@code Pkg.gc()}
 * decides it: every file named in {@code logs/artifact_usage.toml} that still exists is read
 * (see {@link ArtifactsToml#bound}); an artifact is bound while one of them names its tree
 * hash. A recorded file that no longer exists binds nothing. Reading a recorded file is the
 * only I/O: no artifact is hashed or walked.
 */
final class ArtifactBindings {

	private final Map<String, List<Path>> boundBy;

	private final Map<String, Instant> lastAccess;

	private final List<String> unreadable;

	private final List<String> warnings;

	private final int recordedCount;

	private ArtifactBindings(int recordedCount, Map<String, List<Path>> boundBy, Map<String, Instant> lastAccess,
			List<String> unreadable, List<String> warnings) {
		this.recordedCount = recordedCount;
		this.boundBy = boundBy;
		this.lastAccess = lastAccess;
		this.unreadable = unreadable;
		this.warnings = warnings;
	}

	/**
	 * Reads every recorded file that still exists.
	 * @param usage what the artifact usage log says
	 * @return the bindings; each recorded file that exists but cannot be read is listed in
	 * {@link #unreadable()}
	 */
	static ArtifactBindings of(ArtifactUsageReader.Usage usage) {
		Map<String, List<Path>> boundBy = new HashMap<>();
		Map<String, Instant> lastAccess = new HashMap<>();
		List<String> unreadable = new ArrayList<>();
		List<String> warnings = new ArrayList<>();
		for (Map.Entry<String, Instant> recorded : usage.newest().entrySet()) {
			Path file = pathOrNull(recorded.getKey());
			if (file == null) {
				warnings.add("Ignored the entry " + TomlText.quote(recorded.getKey()) + " of " + DepotLayout.ARTIFACT_USAGE_LOG
						+ ": it is not an absolute path");
				continue;
			}
			ArtifactsToml.Bound bound = ArtifactsToml.bound(file);
			if (bound == null) {
				continue;
			}
			if (bound.problem() != null) {
				unreadable.add(file + " (" + bound.problem() + ")");
			}
			for (String hash : bound.hashes()) {
				boundBy.computeIfAbsent(hash, (h) -> new ArrayList<>()).add(file);
				lastAccess.merge(hash, recorded.getValue(), (a, b) -> a.isAfter(b) ? a : b);
			}
		}
		return new ArtifactBindings(usage.newest().size(), boundBy, lastAccess, unreadable, warnings);
	}

	/**
	 * Reads the usage log of a depot and every recorded file that still exists; a log that
	 * cannot be read binds nothing, with a warning.
	 */
	static ArtifactBindings read(DepotLayout layout) {
		ArtifactUsageReader.Usage usage;
		try {
			usage = ArtifactUsageReader.read(layout.artifactUsageLog());
		}
		catch (IOException ex) {
			return new ArtifactBindings(0, Map.of(), Map.of(), List.of(),
					List.of("Could not read " + layout.artifactUsageLog() + ": " + DepotFiles.describe(ex)));
		}
		ArtifactBindings bindings = of(usage);
		bindings.warnings.addAll(0, usage.warnings());
		return bindings;
	}

	private static @Nullable Path pathOrNull(String key) {
		try {
			Path path = Path.of(key);
			return path.isAbsolute() ? path.normalize() : null;
		}
		catch (InvalidPathException ex) {
			return null;
		}
	}

	/** @return the existing recorded files that bind the hash, in the log's order */
	List<Path> boundBy(String hash) {
		return Collections.unmodifiableList(this.boundBy.getOrDefault(hash, List.of()));
	}

	/** @return the newest time recorded for a file that binds the hash, or null */
	@Nullable Instant lastAccess(String hash) {
		return this.lastAccess.get(hash);
	}

	/**
	 * @return the recorded files that exist but could not be read, each with the reason: what
	 * they bind is unknown
	 */
	List<String> unreadable() {
		return Collections.unmodifiableList(this.unreadable);
	}

	/** @return how many files the log records, existing or not */
	int recordedCount() {
		return this.recordedCount;
	}

	/** @return what was wrong with the log */
	List<String> warnings() {
		return Collections.unmodifiableList(this.warnings);
	}

}
