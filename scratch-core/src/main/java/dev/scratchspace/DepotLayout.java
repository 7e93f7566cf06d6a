package dev.scratchspace;

import java.nio.file.Path;

/**
 * Where each file of a depot lives. A value: it names the files, it does not touch them
 * (see the package documentation for which class reads and writes each).
 *
 * @param root the depot
 * @param spaces {@code scratchspaces/}: {@code <owner-uuid>/<key>} per space
 * @param logs {@code logs/}
 * @param usageLog {@code logs/scratch_usage.toml}
 * @param usageLogLock {@code logs/scratch_usage.toml.lock}, held by every writer of a file in
 * {@code logs/}
 * @param orphanage {@code logs/orphaned.toml}
 * @param ownerIndex {@code logs/owners.toml}
 * @param gcLock {@code logs/gc.lock}: one collection at a time
 * @param leases {@code leases/}: one lease file per live manager
 * @param staging {@code staging/}: populators' directories and their locks
 */
record DepotLayout(Path root, Path spaces, Path logs, Path usageLog, Path usageLogLock, Path orphanage,
		Path ownerIndex, Path gcLock, Path leases, Path staging) {

	static final String SPACES_DIRECTORY = "scratchspaces";

	/** The name of the artifact usage log in {@code logs/}. */
	static final String ARTIFACT_USAGE_LOG = "artifact_usage.toml";

	static DepotLayout of(Path root) {
		Path logs = root.resolve("logs");
		return new DepotLayout(root, root.resolve(SPACES_DIRECTORY), logs, logs.resolve("scratch_usage.toml"),
				logs.resolve("scratch_usage.toml.lock"), logs.resolve("orphaned.toml"), logs.resolve("owners.toml"),
				logs.resolve("gc.lock"), root.resolve("leases"), root.resolve("staging"));
	}

	/** @return {@code artifacts/}: one directory per artifact, named by its tree hash */
	Path artifacts() {
		return this.root.resolve("artifacts");
	}

	/** @return {@code logs/artifact_usage.toml}: one entry per install or use of an {@code Artifacts.toml} */
	Path artifactUsageLog() {
		return this.logs.resolve(ARTIFACT_USAGE_LOG);
	}

	/** @return {@code logs/artifact_usage.toml.lock}, held by every writer of the artifact usage log */
	Path artifactUsageLogLock() {
		return this.logs.resolve(ARTIFACT_USAGE_LOG + ".lock");
	}

}
