package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The depot's artifact store: immutable, content-addressed directories
 * {@code <depot>/artifacts/<git-tree-sha1>/}, named by their {@link TreeHash} as Julia's
 * {@code Pkg.Artifacts} names them, so that a Julia depot and this one agree on every name.
 * Obtained from {@link ScratchSpaceManager#artifacts()}.
 *
 * <p>An artifact is built in a fresh staging directory {@code <depot>/staging/artifact.<16 hex
 * digits>/}, hashed there, made read-only and moved into place in one rename: a reader sees
 * an artifact whole or not at all. Processes that build the same artifact at once all
 * succeed with the same hash; one rename wins and the others discard their copies. A build
 * that fails removes its staging directory; one whose process dies leaves it in
 * {@code staging/}, where the collector's staging sweep removes it once its lock is free.
 *
 * <p>{@link ScratchSpaceManager#collectGarbage(GcOptions)} collects artifacts with the
 * spaces: an artifact is kept while a {@code Artifacts.toml} recorded in
 * {@code logs/artifact_usage.toml} still exists and binds its tree hash, and deleted once it
 * has been orphaned for the collect delay; {@link #installed()} shows what keeps each one.
 *
 * <p>Read-only means: no write permission on any directory or file of the artifact, execute
 * permissions kept (they are part of the hash), links untouched. Where the file system has no
 * POSIX permissions, nothing is changed.
 */
public final class Artifacts {

	private static final Pattern TREE_HASH = Pattern.compile("[0-9a-f]{40}");

	private static final System.Logger logger = System.getLogger(Artifacts.class.getName());

	private static final Set<PosixFilePermission> WRITE = EnumSet.of(PosixFilePermission.OWNER_WRITE,
			PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

	/** Links below this many expansions are followed when checking where a link leads. */
	private static final int MAX_LINK_EXPANSIONS = 40;

	private final DepotLayout layout;

	private final Path depot;

	private final Path root;

	private final Path staging;

	private final Path spacesRoot;

	private final Path linkCheckRoot;

	Artifacts(DepotLayout layout, Path spacesRoot, Path linkCheckRoot) {
		this.layout = layout;
		this.depot = layout.root();
		this.root = layout.artifacts();
		this.staging = layout.staging();
		this.spacesRoot = spacesRoot;
		this.linkCheckRoot = linkCheckRoot;
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
		Path staging = newStagingDirectory();
		try {
			fill.fill(staging);
			String hash = TreeHash.of(staging);
			install(staging, hash);
			discard(staging);
			return hash;
		}
		catch (RuntimeException | Error ex) {
			try {
				DepotFiles.deleteRecursively(staging);
			}
			catch (IOException cleanup) {
				ex.addSuppressed(cleanup);
			}
			throw ex;
		}
	}

	private Path newStagingDirectory() {
		DepotFiles.createDirectories(this.depot, this.staging, "staging directory");
		while (true) {
			Path dir = this.staging
				.resolve("artifact." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
			try {
				return Files.createDirectory(dir, DepotFiles.ownerOnlyDirectory(dir));
			}
			catch (FileAlreadyExistsException ex) {
				// Another build drew the same name: draw again.
			}
			catch (IOException ex) {
				throw DepotFiles.failure("create staging directory", dir, ex);
			}
		}
	}

	/** Moves a hashed staging directory into place, unless the artifact is there already. */
	private void install(Path staging, String hash) {
		Path target = this.root.resolve(hash);
		DepotFiles.createDirectories(this.depot, this.root, "artifacts directory");
		if (isInstalled(target)) {
			return;
		}
		try {
			// The root last: moving a directory to another parent needs write permission on it.
			makeReadOnly(staging, false);
			Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			throw DepotFiles.failure("install artifact", target, ex);
		}
		catch (FileSystemException ex) {
			// Linux reports a target filled meanwhile as ENOTEMPTY: decide by what is there.
			if (isInstalled(target)) {
				return;
			}
			throw DepotFiles.failure("install artifact", target, ex);
		}
		catch (IOException ex) {
			throw DepotFiles.failure("install artifact", target, ex);
		}
		try {
			makeReadOnly(target, true);
		}
		catch (IOException ex) {
			throw DepotFiles.failure("make read-only the artifact", target, ex);
		}
	}

	private static boolean isInstalled(Path target) {
		BasicFileAttributes attributes = DepotFiles.attributesOrNull(target);
		return attributes != null && attributes.isDirectory();
	}

	/** Removes what is left of a staging directory whose artifact another build installed. */
	private static void discard(Path staging) {
		try {
			DepotFiles.deleteRecursively(staging);
		}
		catch (IOException ex) {
			// The artifact is installed: the caller has what it asked for.
			logger.log(System.Logger.Level.WARNING,
					"Could not remove the staging directory " + staging + ": " + DepotFiles.describe(ex));
		}
	}

	/**
	 * Takes the write permissions from every directory and regular file of a tree, links not
	 * followed; the tree's own directory only if {@code includingRoot}.
	 */
	private static void makeReadOnly(Path tree, boolean includingRoot) throws IOException {
		if (!DepotFiles.supportsPosix(tree)) {
			return;
		}
		if (includingRoot) {
			removeWrite(tree);
			return;
		}
		walk(tree, (entry, attributes) -> {
			if (attributes.isDirectory() || attributes.isRegularFile()) {
				removeWrite(entry);
			}
		});
	}

	private static void removeWrite(Path path) throws IOException {
		PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
				LinkOption.NOFOLLOW_LINKS);
		Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
		permissions.addAll(view.readAttributes().permissions());
		if (permissions.removeAll(WRITE)) {
			view.setPermissions(permissions);
		}
	}

	/** Copies a tree without following links: directories, regular files and links only. */
	private static void copyTree(Path source, Path target) throws IOException {
		walk(source, (entry, attributes) -> {
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
				throw new ArtifactException("Refusing to export " + entry
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
		walk(copy, (entry, attributes) -> {
			if (attributes.isSymbolicLink() && !staysInside(copy, entry)) {
				Path original = space.resolve(copy.relativize(entry));
				throw new ArtifactException("Refusing to export the link " + original + " -> "
						+ Files.readSymbolicLink(entry)
						+ ": it points outside the space, and an artifact must hold everything it refers to");
			}
		});
	}

	/**
	 * Visits every entry below {@code root}, each directory before what it holds, never
	 * following a link; iterative, so depth does not matter.
	 */
	private static void walk(Path root, EntryVisitor visitor) throws IOException {
		Deque<Path> directories = new ArrayDeque<>();
		directories.push(root);
		while (!directories.isEmpty()) {
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(directories.pop())) {
				for (Path entry : entries) {
					BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class,
							LinkOption.NOFOLLOW_LINKS);
					visitor.visit(entry, attributes);
					if (attributes.isDirectory()) {
						directories.push(entry);
					}
				}
			}
		}
	}

	/** What {@link #walk} does with one entry. */
	@FunctionalInterface
	private interface EntryVisitor {

		void visit(Path entry, BasicFileAttributes attributes) throws IOException;

	}

	/**
	 * Whether a link resolves inside the tree: its target walked name by name from the link's
	 * directory, {@code ..} never above the tree, every link met inside expanded the same way.
	 * A name that does not exist is taken as it is (the link then resolves to nothing, or to
	 * what is named there, inside). A chain longer than the kernel follows resolves to nothing.
	 */
	private static boolean staysInside(Path tree, Path link) throws IOException {
		Deque<String> at = new ArrayDeque<>();
		for (Path name : tree.relativize(link.getParent())) {
			if (!name.toString().isEmpty()) {
				at.addLast(name.toString());
			}
		}
		Deque<String> pending = new ArrayDeque<>();
		String target = Files.readSymbolicLink(link).toString();
		if (target.startsWith("/")) {
			return false;
		}
		pushFront(pending, target);
		int expansions = 0;
		while (!pending.isEmpty()) {
			String name = pending.pollFirst();
			if (name.isEmpty() || ".".equals(name)) {
				continue;
			}
			if ("..".equals(name)) {
				if (at.isEmpty()) {
					return false;
				}
				at.removeLast();
				continue;
			}
			at.addLast(name);
			Path here = tree.resolve(String.join("/", at));
			BasicFileAttributes attributes = DepotFiles.attributesOrNull(here);
			if (attributes != null && attributes.isSymbolicLink()) {
				if (++expansions > MAX_LINK_EXPANSIONS) {
					return true;
				}
				at.removeLast();
				String next = Files.readSymbolicLink(here).toString();
				if (next.startsWith("/")) {
					return false;
				}
				pushFront(pending, next);
			}
		}
		return true;
	}

	private static void pushFront(Deque<String> pending, String target) {
		String[] names = target.split("/", -1);
		for (int i = names.length - 1; i >= 0; i--) {
			pending.addFirst(names[i]);
		}
	}

	/** Fills a staging directory. */
	@FunctionalInterface
	private interface StagingAction {

		void fill(Path staging);

	}

}
