package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.scratchspace.ArtifactException.Reason;

/**
 * Installs an artifact from the downloads an {@code Artifacts.toml} lists, trying them in
 * order until one installs it:
 *
 * <ol>
 * <li>in a fresh staging area ({@link ArtifactStaging}, under its lock), fetch the tarball
 * to {@code download} ({@link ArtifactDownloads}, with the timeouts and size cap of the
 * {@link ArtifactLimits});</li>
 * <li>check its SHA-256 against the entry's {@code sha256};</li>
 * <li>extract it to {@code tree} ({@link SafeExtraction}), and check that no link of the
 * tree leads out of it as the kernel resolves links;</li>
 * <li>check that the tree's {@link TreeHash} is the bound {@code git-tree-sha1};</li>
 * <li>make it read-only and rename it to {@code artifacts/<hash>} (leased first); if another
 * process installed it meanwhile, this copy is discarded and theirs is used.</li>
 * </ol>
 *
 * A download that fails any step is removed with its staging area, and the next one is
 * tried; nothing half-installed ever appears under {@code artifacts/}. If every download
 * fails, the {@link ArtifactException} lists each URL and why. Before each attempt the
 * artifact is looked for again: a process that installed it meanwhile spares the download.
 * Failures of the depot itself (the staging area cannot be created, the rename fails) are
 * not a download's fault and end the install at once.
 */
final class ArtifactInstaller {

	private final ArtifactStaging staging;

	private final ArtifactLimits limits;

	ArtifactInstaller(ArtifactStaging staging, ArtifactLimits limits) {
		this.staging = staging;
		this.limits = limits;
	}

	/**
	 * Installs the entry's artifact, unless it is installed already.
	 * @param entry a platform-independent entry
	 * @param artifacts the depot's {@code artifacts/}, for messages
	 * @throws ArtifactException listing every download and why it failed, or saying there are
	 * none
	 */
	void install(ArtifactsToml.Entry entry, Path artifacts) {
		String hash = entry.treeHash();
		String what = "The artifact " + ArtifactsToml.quoted(entry.name()) + " (" + hash + ") of " + entry.file();
		if (entry.downloads().isEmpty()) {
			throw new ArtifactException(Reason.NOT_INSTALLED, what + " is not installed in " + artifacts
					+ ", and the Artifacts.toml lists no download for it");
		}
		List<String> failures = new ArrayList<>();
		Set<Reason> reasons = EnumSet.noneOf(Reason.class);
		for (ArtifactsToml.Source source : entry.downloads()) {
			if (this.staging.isInstalled(hash)) {
				return;
			}
			try (ArtifactStaging.Area area = this.staging.open()) {
				Path tree;
				try {
					tree = fetchAndExtract(entry, source, area.directory());
				}
				catch (IOException | ArtifactException ex) {
					failures.add(source.url() + ": " + describe(ex));
					reasons.add((ex instanceof ArtifactException artifact) ? artifact.reason() : Reason.DOWNLOAD_FAILED);
					continue;
				}
				catch (UncheckedIOException ex) {
					failures.add(source.url() + ": " + describe(ex.getCause()));
					reasons.add(Reason.DOWNLOAD_FAILED);
					continue;
				}
				area.install(hash, tree);
				return;
			}
		}
		// One kind of failure for every download is that kind; mixed ones are a failed download.
		Reason reason = (reasons.size() == 1) ? reasons.iterator().next() : Reason.DOWNLOAD_FAILED;
		throw new ArtifactException(reason, what + " could not be installed from any of its " + failures.size()
				+ " downloads: " + String.join("; ", failures));
	}

	private Path fetchAndExtract(ArtifactsToml.Entry entry, ArtifactsToml.Source source, Path area)
			throws IOException {
		Path download = area.resolve("download");
		String sha256 = ArtifactDownloads.fetch(source.uri(), download, this.limits);
		if (!sha256.equals(source.sha256())) {
			throw new ArtifactException(Reason.HASH_MISMATCH,
					"the download of the artifact " + ArtifactsToml.quoted(entry.name()) + " from " + source.url()
							+ " has sha256 " + sha256 + ", not the expected " + source.sha256());
		}
		Path tree = Files.createDirectory(area.resolve("tree"));
		SafeExtraction.extract(download, tree, this.limits);
		Files.delete(download);
		ArtifactStaging.walk(tree, (path, attributes) -> {
			if (attributes.isSymbolicLink() && !ArtifactStaging.staysInside(tree, path)) {
				throw new ArtifactException(Reason.UNSAFE_ARCHIVE, "the tarball's link " + tree.relativize(path)
						+ " -> " + Files.readSymbolicLink(path) + " leads outside the artifact");
			}
		});
		String treeHash = TreeHash.of(tree);
		if (!treeHash.equals(entry.treeHash())) {
			throw new ArtifactException(Reason.HASH_MISMATCH,
					"the tarball's tree has the hash " + treeHash + ", not the bound git-tree-sha1 " + entry.treeHash());
		}
		return tree;
	}

	private static String describe(Throwable failure) {
		String message = failure.getMessage();
		return (message != null && !message.isBlank()) ? message : failure.getClass().getSimpleName();
	}

}
