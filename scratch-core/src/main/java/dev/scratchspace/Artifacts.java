package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.scratchspace.ArtifactException.Reason;
import org.jspecify.annotations.Nullable;

/**
 * The depot's artifact store: immutable, content-addressed directories
 * {@code <depot>/artifacts/<git-tree-sha1>/}, named by their {@link TreeHash} as Julia's
 * {@code Pkg.Artifacts} names them, so that a Julia depot and this one agree on every name.
 * Obtained from {@link ScratchSpaceManager#artifacts()}.
 *
 * <p>An artifact is built in a fresh staging directory {@code <depot>/staging/artifact.<16 hex
 * digits>/}, under the lock {@code staging/artifact.<same digits>.lock} (see
 * {@link ArtifactStaging}), hashed there, made read-only and moved into place in one rename: a
 * reader sees an artifact whole or not at all. Processes that build the same artifact at once
 * all succeed with the same hash; one rename wins and the others discard their copies. A build
 * that fails removes its staging directory; one whose process dies leaves it, unlocked, for
 * the collector's staging sweep.
 *
 * <p>Every artifact this class hands out ({@link #create}, {@link #exportScratch},
 * {@link #ensureInstalled}) is added to the manager's lease before it is installed or
 * returned, as {@code getScratch} leases a space: no collection deletes it while the manager
 * is open.
 *
 * <p>Read-only means: no write permission on any directory or file of the artifact, execute
 * permissions kept (they are part of the hash), links untouched. Where the file system has no
 * POSIX permissions, nothing is changed.
 */
public final class Artifacts {

	private static final Pattern TREE_HASH = Pattern.compile("[0-9a-f]{40}");

	private final ManagerState state;

	private final DepotLayout layout;

	private final Path depot;

	private final Path root;

	private final ArtifactStaging staging;

	private final Path spacesRoot;

	private final Path linkCheckRoot;

	/** The timeouts and caps of installs from downloads; tests make them small. */
	private ArtifactLimits limits = ArtifactLimits.DEFAULTS;

	Artifacts(ManagerState state, Path spacesRoot, Path linkCheckRoot) {
		DepotLayout layout = state.layout();
		this.state = state;
		this.layout = layout;
		this.depot = layout.root();
		this.root = layout.artifacts();
		this.staging = new ArtifactStaging(state);
		this.spacesRoot = spacesRoot;
		this.linkCheckRoot = linkCheckRoot;
	}

	/** Sets the timeouts and caps of installs from downloads, for tests. */
	Artifacts limits(ArtifactLimits limits) {
		this.limits = Objects.requireNonNull(limits, "'limits' must not be null");
		return this;
	}

	/** @return {@code <depot>/artifacts}, which holds one directory per artifact */
	public Path root() {
		return this.root;
	}

	/**
	 * Builds an artifact: {@code populator} fills a fresh, empty staging directory inside the
	 * depot, which is then hashed, made read-only and moved to {@code artifacts/<hash>/}. If that
	 * artifact is installed already, the new copy is discarded and nothing changes.
	 * @param populator writes the artifact's content
	 * @return the artifact's tree hash
	 * @throws ArtifactException naming the entry if the content holds a FIFO, socket or device
	 * @throws UncheckedIOException if the populator fails with an {@link IOException}, or the
	 * depot cannot be written
	 * @throws IllegalStateException if the populator fails with another checked exception;
	 * unchecked exceptions are rethrown as they are. Whatever fails, the staging directory is
	 * removed and nothing is installed.
	 * @throws IllegalStateException also if the manager is closed (the populator is not run)
	 */
	public String create(Populator populator) {
		Objects.requireNonNull(populator, "'populator' must not be null");
		return build((staging) -> {
			try {
				populator.populate(staging);
			}
			catch (RuntimeException ex) {
				throw ex;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(
						"Populator failed for an artifact in " + staging + ": " + ex.getMessage(), ex);
			}
			catch (Exception ex) {
				throw new IllegalStateException("Populator failed for an artifact in " + staging + ": " + ex, ex);
			}
		});
	}

	/**
	 * Builds an artifact from a copy of a space, as {@link #create(Populator)} does. The copy
	 * follows no link; it keeps each file's content and permissions and each link's target. The
	 * space is only read. Export a space that nobody writes meanwhile: the artifact is whatever
	 * the copy read.
	 * @param owner the space's owner
	 * @param key the space's key
	 * @return the artifact's tree hash
	 * @throws IllegalArgumentException if the key is invalid
	 * @throws ArtifactException naming the entry if the space holds a FIFO, socket or device,
	 * or a link whose target is absolute or leads out of the space
	 * @throws UncheckedIOException naming the path if the space does not exist, is a link or
	 * a file, or cannot be read
	 * @throws IllegalStateException if the manager is closed
	 */
	public String exportScratch(ScratchOwner owner, String key) {
		Objects.requireNonNull(owner, "'owner' must not be null");
		ScratchKeys.validate(key);
		Path space = this.spacesRoot.resolve(owner.uuid().toString()).resolve(key);
		DepotFiles.checkNoLinkBelow(this.linkCheckRoot, space, "scratch space");
		BasicFileAttributes attributes = DepotFiles.attributesOrNull(space);
		if (attributes == null) {
			throw DepotFiles.failure("export scratch space", space, "it does not exist",
					new NoSuchFileException(space.toString()));
		}
		DepotFiles.checkDirectory(space, attributes, "scratch space");
		return build((staging) -> {
			try {
				copyTree(space, staging);
				checkLinksStayInside(staging, space);
			}
			catch (IOException ex) {
				throw DepotFiles.failure("export scratch space", space, ex);
			}
		});
	}

	/**
	 * The directory of an installed artifact.
	 * @param treeHash the artifact's tree hash
	 * @return {@code artifacts/<treeHash>/} if it exists as a directory (not a link), else empty
	 * @throws IllegalArgumentException quoting the text if it is not 40 lower-case hexadecimal
	 * digits
	 * @throws UncheckedIOException naming the path if {@code artifacts/} is a symbolic link or
	 * a file
	 */
	public Optional<Path> path(String treeHash) {
		Path dir = this.root.resolve(validate(treeHash));
		DepotFiles.checkNoLinkBelow(this.depot, dir, "artifacts directory");
		BasicFileAttributes attributes = DepotFiles.attributesOrNull(dir);
		return (attributes != null && attributes.isDirectory()) ? Optional.of(dir) : Optional.empty();
	}

	/**
	 * Recomputes an installed artifact's tree hash.
	 * @param treeHash the artifact's tree hash
	 * @return whether the artifact is installed and its content still has that hash; false
	 * also when it now holds something no artifact may hold (a FIFO, socket or device)
	 * @throws IllegalArgumentException quoting the text if it is not 40 lower-case hexadecimal
	 * digits
	 * @throws UncheckedIOException naming the path if the artifact cannot be read
	 */
	public boolean verify(String treeHash) {
		Optional<Path> dir = path(treeHash);
		if (dir.isEmpty()) {
			return false;
		}
		try {
			return TreeHash.of(dir.get()).equals(treeHash);
		}
		catch (ArtifactException ex) {
			return false;
		}
	}

	/**
	 * Writes an installed artifact as a deterministic gzip-compressed tar: the same tree gives
	 * the same bytes anywhere (see {@link ArtifactArchive} for the exact choices: entries in
	 * byte order, each directory first, modification time 0, uid and gid 0, no user or group
	 * names, modes 0644, 0755 and 0777 for links, gzip without time or name), and the system
	 * {@code tar} extracts it to a tree of the same hash. It is written to a temporary file
	 * beside {@code tarGz} and renamed over it. The artifact is leased while it is read.
	 * @param treeHash the artifact's tree hash
	 * @param tarGz the archive to write, replaced if it exists
	 * @return the SHA-256 of the archive's bytes, 64 lower-case hexadecimal digits, as a
	 * {@code [[name.download]]} table's {@code sha256} names it
	 * @throws IllegalArgumentException if the tree hash is not 40 lower-case hexadecimal digits
	 * @throws ArtifactException naming the artifact if it is not installed, the entry if it
	 * holds a FIFO, socket or device, or the archive if it would be written inside an
	 * installed artifact
	 * @throws UncheckedIOException naming the path if the artifact cannot be read or the
	 * archive written
	 */
	public String archive(String treeHash, Path tarGz) {
		validate(treeHash);
		Objects.requireNonNull(tarGz, "'tarGz' must not be null");
		this.state.checkOpen();
		Path dir = this.root.resolve(treeHash);
		DepotFiles.checkNoLinkBelow(this.depot, dir, "artifacts directory");
		this.state.leaseArtifact(dir);
		if (!ArtifactStaging.isDirectory(dir)) {
			throw new ArtifactException(Reason.NOT_INSTALLED,
					"Cannot archive the artifact " + treeHash + ": it is not installed in "
					+ this.root);
		}
		checkOutsideArtifacts(treeHash, tarGz);
		try {
			return ArtifactArchive.write(dir, tarGz);
		}
		catch (IOException ex) {
			throw DepotFiles.failure("archive the artifact " + treeHash + " to", tarGz, ex);
		}
	}

	/**
	 * Refuses an archive whose directory is inside an installed artifact (this one or
	 * another, also through links): its temporary file and the archive would change an
	 * artifact, which never changes. Read-only permissions stop this for most users, but not
	 * for root. A directory that does not exist is left for the write to report.
	 */
	private void checkOutsideArtifacts(String treeHash, Path tarGz) {
		Path parent = tarGz.toAbsolutePath().getParent();
		if (parent == null || tarGz.getFileSystem() != this.root.getFileSystem()) {
			return;
		}
		Path realParent;
		Path realRoot;
		try {
			realParent = parent.toRealPath();
			realRoot = this.root.toRealPath();
		}
		catch (IOException ex) {
			return;
		}
		if (realParent.startsWith(realRoot) && !realParent.equals(realRoot)) {
			throw new ArtifactException(ArtifactException.Reason.TARGET_REFUSED, "Refusing to archive the artifact " + treeHash + " to " + tarGz
					+ ": it is inside the installed artifact " + realRoot.resolve(realRoot.relativize(realParent).getName(0))
					+ ", and an artifact never changes");
		}
	}

	/**
	 * Binds a name in an {@code Artifacts.toml} to a tree hash and its downloads, in Julia's
	 * format, creating the file if it does not exist. Other entries, comments and blank lines
	 * are kept byte for byte (see {@link ArtifactsTomlEditor}); the name's tables are replaced
	 * where they stood, or appended. Binds from several threads or processes are serialized by
	 * the lock file {@code Artifacts.toml.lock} beside the file, which stays there, and each
	 * writes a temporary file and renames it over the old one.
	 * @param artifactsToml the file, of the default file system; not a symbolic link
	 * @param name the artifact's name: any non-empty string (quoted in the file where TOML
	 * needs it)
	 * @param treeHash the tree hash to bind it to
	 * @param downloads where the artifact can be downloaded, in the order to try them
	 * @param force whether a name bound to another tree hash may be moved to this one
	 * @throws IllegalArgumentException if the name is empty or the tree hash malformed
	 * @throws ArtifactException naming the file, the name, the old and the new hash if the
	 * name is bound to another hash and {@code force} is false; naming the file if it is a
	 * link, a directory or malformed
	 * @throws UncheckedIOException naming the file if it cannot be read or written, or its
	 * lock was held longer than the manager's lock timeout
	 */
	public void bind(Path artifactsToml, String name, String treeHash, List<Download> downloads, boolean force) {
		Objects.requireNonNull(artifactsToml, "'artifactsToml' must not be null");
		ArtifactsTomlEditor.requireName(name);
		validate(treeHash);
		Objects.requireNonNull(downloads, "'downloads' must not be null");
		List<ArtifactsToml.Source> sources = new ArrayList<>(downloads.size());
		for (Download download : downloads) {
			Objects.requireNonNull(download, "'downloads' must not contain null");
			sources.add(new ArtifactsToml.Source(download.url().toString(), download.sha256()));
		}
		this.state.checkOpen();
		try {
			ArtifactsTomlEditor.bind(artifactsToml, name, treeHash, sources, force, this.state.lockTimeout());
		}
		catch (IOException ex) {
			throw DepotFiles.failure("bind the artifact " + ArtifactsToml.quoted(name) + " in", artifactsToml, ex);
		}
	}

	/**
	 * Makes sure that the artifact an {@code Artifacts.toml} binds to {@code name} is
	 * installed, and returns its directory. An artifact that is not installed is installed
	 * from the entry's {@code [[name.download]]} tables, tried in order (see
	 * {@link ArtifactInstaller}): each tarball is fetched ({@code https}, {@code http} or
	 * {@code file}; connect timeout 10 s, 60 s for the response headers, 30 min for the whole
	 * download, at most 8 GiB), its {@code sha256} checked, extracted safely (no absolute path,
	 * no {@code ..}, no link leaving the artifact, no hard link, no special file, no duplicate,
	 * at most 16 GiB of files and 1,000,000 entries), its tree hash checked and the tree moved
	 * into place in one rename; processes that install it at once all return the one
	 * directory. The directory is added to this manager's lease before it is checked or
	 * installed, so that no collection deletes it while this manager is open, and the use is appended to {@code logs/artifact_usage.toml} (the
	 * {@code Artifacts.toml}'s absolute, normalized path; for one read from a jar or zip file
	 * system, the jar's path), which keeps the artifact through collections while that file
	 * exists and binds it, as Julia's {@code Pkg.gc()} does. A use is recorded on every call.
	 * @param artifactsToml the {@code Artifacts.toml}, on any file system (also inside a jar
	 * opened with {@link java.nio.file.FileSystems#newFileSystem(Path)})
	 * @param name the artifact's name in it
	 * @return {@code artifacts/<git-tree-sha1>/}
	 * @throws ArtifactException naming the file (and the entry) if the file does not exist,
	 * is malformed or has no such name, if the name is platform-specific, or if the artifact
	 * is not installed and none of its downloads installs it
	 * @throws UncheckedIOException naming the path if the depot cannot be read or written
	 */
	public Path ensureInstalled(Path artifactsToml, String name) {
		Objects.requireNonNull(artifactsToml, "'artifactsToml' must not be null");
		Objects.requireNonNull(name, "'name' must not be null");
		this.state.checkOpen();
		ArtifactsToml.Entry entry = ArtifactsToml.read(artifactsToml).entry(name);
		String hash = entry.treeHash();
		Path dir = this.root.resolve(hash);
		DepotFiles.checkNoLinkBelow(this.depot, dir, "artifacts directory");
		// Leased first: a collector that has not moved it away by now leaves it alone.
		this.state.leaseArtifact(dir);
		if (!ArtifactStaging.isDirectory(dir)) {
			new ArtifactInstaller(this.staging, this.limits).install(entry, this.root);
			this.state.changed();
		}
		this.state.recordArtifactUse(recordedPath(artifactsToml), dir);
		// The use binds it and moves its last access: a cached listing is stale.
		this.state.changed();
		return dir;
	}

	/**
	 * The path {@code logs/artifact_usage.toml} records for an {@code Artifacts.toml}: its
	 * absolute, normalized path; for one inside a jar or zip file system, the jar's (the file
	 * that exists on disk, which Julia would record); for another file system, its URI.
	 */
	static String recordedPath(Path artifactsToml) {
		if (artifactsToml.getFileSystem() == FileSystems.getDefault()) {
			return artifactsToml.toAbsolutePath().normalize().toString();
		}
		URI uri = artifactsToml.toUri();
		if ("jar".equalsIgnoreCase(uri.getScheme())) {
			String inner = uri.getRawSchemeSpecificPart();
			int separator = inner.indexOf("!/");
			if (separator >= 0) {
				inner = inner.substring(0, separator);
			}
			try {
				// ASCII: the default provider refuses a file URI with raw non-ASCII characters.
				URI jar = new URI(new URI(inner).toASCIIString());
				if ("file".equalsIgnoreCase(jar.getScheme())) {
					return Path.of(jar).toAbsolutePath().normalize().toString();
				}
			}
			catch (URISyntaxException | IllegalArgumentException ex) {
				// Not a jar of the default file system: recorded by its URI.
			}
		}
		return uri.toString();
	}

	/**
	 * Lists the installed artifacts with what keeps them, cheaply: the artifact directories
	 * are listed, the artifact usage log ({@code logs/artifact_usage.toml}), the orphanage
	 * ({@code logs/orphaned.toml}) and the recorded {@code Artifacts.toml} files are read, and
	 * nothing else: no artifact is hashed or walked, so a listing costs I/O in proportion to
	 * the artifacts and the recorded files, not to the artifacts' content (measure sizes
	 * separately, for example with a walk that does not follow links).
	 * <p>
	 * An artifact is every directory {@code artifacts/<40 lower-case hex digits>}, found
	 * without following links; a link, a file or any other name there is not listed. A
	 * damaged line of the usage log or the orphanage costs only that line; a log that cannot
	 * be read at all (it is not a regular file, say) lists every artifact as bound by nothing.
	 * A recorded {@code Artifacts.toml} that cannot be read binds nothing here.
	 * @return the installed artifacts, ordered by tree hash; empty if {@code artifacts/} does
	 * not exist
	 * @throws UncheckedIOException naming the path if {@code artifacts/} is a symbolic link or
	 * a file, or cannot be listed
	 */
	public List<Installed> installed() {
		DepotFiles.checkNoLinkBelow(this.depot, this.root, "artifacts directory");
		// artifacts/ itself too: listed through a link, a directory outside would pass for it.
		BasicFileAttributes rootAttributes = DepotFiles.attributesOrNull(this.root);
		if (rootAttributes == null) {
			return List.of();
		}
		DepotFiles.checkDirectory(this.root, rootAttributes, "artifacts directory");
		List<Path> dirs = ArtifactCollection.list(this.root, null);
		if (dirs.isEmpty()) {
			return List.of();
		}
		ArtifactBindings bindings = ArtifactBindings.read(this.layout);
		Map<String, Instant> orphans;
		try {
			orphans = Orphanage.read(this.layout.orphanage()).orphans();
		}
		catch (IOException ex) {
			orphans = Map.of();
		}
		List<Installed> installed = new ArrayList<>(dirs.size());
		for (Path dir : dirs) {
			String hash = dir.getFileName().toString();
			installed.add(new Installed(hash, dir, bindings.lastAccess(hash), bindings.boundBy(hash),
					orphans.get(dir.toString())));
		}
		return installed;
	}

	/**
	 * One installed artifact, as {@link #installed()} finds it.
	 *
	 * @param treeHash the artifact's tree hash, 40 lower-case hexadecimal digits (its directory
	 * name; not recomputed: {@link #verify(String)} does that)
	 * @param path its directory, {@code <depot>/artifacts/<treeHash>}
	 * @param lastAccess the newest time recorded in {@code logs/artifact_usage.toml} for the
	 * recorded {@code Artifacts.toml} files that bind it, or {@code null} if none does
	 * @param boundBy the recorded {@code Artifacts.toml} files (or the jars holding them) that
	 * still exist and bind this tree hash, in the order the log first names them; empty when
	 * nothing keeps the artifact and the collector orphans it
	 * @param orphanedSince when the collector first found it orphaned (from
	 * {@code logs/orphaned.toml}), or {@code null} if it was not orphaned at the last collection
	 */
	public record Installed(String treeHash, Path path, @Nullable Instant lastAccess, List<Path> boundBy,
			@Nullable Instant orphanedSince) {

		public Installed {
			Objects.requireNonNull(treeHash, "'treeHash' must not be null");
			Objects.requireNonNull(path, "'path' must not be null");
			boundBy = List.copyOf(boundBy);
		}

	}

	static String validate(String treeHash) {
		Objects.requireNonNull(treeHash, "'treeHash' must not be null");
		if (!TREE_HASH.matcher(treeHash).matches()) {
			throw new IllegalArgumentException("Invalid tree hash '" + MessageText.printable(treeHash)
					+ "': a tree hash is 40 lower-case hexadecimal digits");
		}
		return treeHash;
	}

	private String build(StagingAction fill) {
		// A closed manager's lease takes nothing: what it built would be handed out unleased.
		this.state.checkOpen();
		try (ArtifactStaging.Area area = this.staging.open()) {
			fill.fill(area.directory());
			String hash = TreeHash.of(area.directory());
			area.install(hash);
			// A new artifact: a cached listing is stale.
			this.state.changed();
			return hash;
		}
	}

	/** Copies a tree without following links: directories, regular files and links only. */
	private static void copyTree(Path source, Path target) throws IOException {
		ArtifactStaging.walk(source, (entry, attributes) -> {
			Path copy = target.resolve(source.relativize(entry));
			if (attributes.isDirectory()) {
				Files.createDirectory(copy, DepotFiles.ownerOnlyDirectory(copy));
			}
			else if (attributes.isSymbolicLink()) {
				Files.createSymbolicLink(copy, Files.readSymbolicLink(entry));
			}
			else if (attributes.isRegularFile()) {
				Files.copy(entry, copy, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
			}
			else {
				throw new ArtifactException(Reason.UNSUPPORTED_CONTENT, "Refusing to export " + entry
						+ ": it is a FIFO, socket or device, which an artifact cannot hold");
			}
		});
	}

	/**
	 * Refuses a copy with a link that leads out of it: an absolute target, or a relative one
	 * that leaves the tree when resolved as the kernel would, through the tree's own links.
	 * @param copy the copied tree, which nobody else writes
	 * @param space the space it was copied from, to name a link in an error
	 */
	private static void checkLinksStayInside(Path copy, Path space) throws IOException {
		ArtifactStaging.walk(copy, (entry, attributes) -> {
			if (attributes.isSymbolicLink() && !ArtifactStaging.staysInside(copy, entry)) {
				Path original = space.resolve(copy.relativize(entry));
				throw new ArtifactException(Reason.UNSUPPORTED_CONTENT,
						"Refusing to export the link " + original + " -> "
						+ Files.readSymbolicLink(entry)
						+ ": it points outside the space, and an artifact must hold everything it refers to");
			}
		});
	}

	/**
	 * One place to download an artifact from, as a {@code [[name.download]]} table of an
	 * {@code Artifacts.toml} names it.
	 *
	 * @param url the tarball: an {@code https}, {@code http} or {@code file} URI
	 * @param sha256 the tarball's SHA-256, 64 lower-case hexadecimal digits
	 */
	public record Download(URI url, String sha256) {

		/**
		 * Checks a download.
		 * @throws IllegalArgumentException quoting the URL or hash if the scheme is not
		 * {@code https}, {@code http} or {@code file}, the URL has no host (or path), or the
		 * hash is not 64 lower-case hexadecimal digits
		 */
		public Download {
			Objects.requireNonNull(url, "'url' must not be null");
			Objects.requireNonNull(sha256, "'sha256' must not be null");
			String problem = ArtifactsToml.Source.problem(url.toString(), sha256);
			if (problem != null) {
				throw new IllegalArgumentException("Invalid download: " + problem);
			}
		}

	}

	/** Fills a staging directory. */
	@FunctionalInterface
	private interface StagingAction {

		void fill(Path staging);

	}

}
