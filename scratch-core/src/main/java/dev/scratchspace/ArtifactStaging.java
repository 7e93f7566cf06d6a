package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * Where every artifact is built before it is installed: {@code staging/artifact.<16 hex>/},
 * made under the lock {@code staging/artifact.<same 16 hex>.lock}, which is held until the
 * directory has been renamed into {@code artifacts/} or removed, and then deleted while still
 * held. A collector's staging sweep removes a staging directory only if it can take that lock
 * at once, so it never removes a build in progress, and removes the leftovers of a build whose
 * process died (the lock goes with the process). Nothing else is written in {@code staging/}.
 *
 * <p>An installed artifact is read-only: no write permission on any directory or file of it,
 * execute permissions kept (they are part of the hash), links untouched. Where the file
 * system has no POSIX permissions, nothing is changed.
 */
final class ArtifactStaging {

	static final String PREFIX = "artifact.";

	static final String LOCK_SUFFIX = ".lock";

	private static final System.Logger logger = System.getLogger(ArtifactStaging.class.getName());

	/** Links below this many expansions are followed when checking where a link leads. */
	private static final int MAX_LINK_EXPANSIONS = 40;

	private static final Set<PosixFilePermission> WRITE = EnumSet.of(PosixFilePermission.OWNER_WRITE,
			PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

	private final ManagerState state;

	private final Path depot;

	private final Path staging;

	private final Path artifacts;

	ArtifactStaging(ManagerState state) {
		this.state = state;
		this.depot = state.layout().root();
		this.staging = state.layout().staging();
		this.artifacts = state.layout().artifacts();
	}

	/**
	 * Creates a fresh, empty staging directory under its lock.
	 * @return the area; closing it removes what is left of the directory, then the lock
	 * @throws UncheckedIOException naming the path if it cannot be created or locked
	 */
	Area open() {
		DepotFiles.createDirectories(this.depot, this.staging, "staging directory");
		while (true) {
			String name = PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
			Path dir = this.staging.resolve(name);
			FileMutex mutex = new FileMutex(this.staging.resolve(name + LOCK_SUFFIX), this.state.lockTimeout());
			FileMutex.Held held;
			try {
				held = mutex.acquire(true);
			}
			catch (IOException ex) {
				throw DepotFiles.failure("lock the staging directory", mutex.lockFile(), ex);
			}
			try {
				Files.createDirectory(dir, DepotFiles.ownerOnlyDirectory(dir));
				return new Area(dir, mutex, held);
			}
			catch (FileAlreadyExistsException ex) {
				// The leftover of a build that died with the same name: the sweep's. Draw again.
				close(held, ex);
			}
			catch (IOException ex) {
				UncheckedIOException failure = DepotFiles.failure("create staging directory", dir, ex);
				close(held, failure);
				throw failure;
			}
		}
	}

	private static void close(FileMutex.Held held, Throwable failure) {
		try {
			held.close();
		}
		catch (IOException suppressed) {
			failure.addSuppressed(suppressed);
		}
	}

	/** @return whether {@code artifacts/<hash>} is there as a directory (not a link) */
	boolean isInstalled(String hash) {
		return isDirectory(this.artifacts.resolve(hash));
	}

	static boolean isDirectory(Path path) {
		BasicFileAttributes attributes = DepotFiles.attributesOrNull(path);
		return attributes != null && attributes.isDirectory();
	}

	/**
	 * Takes the write permissions from every directory and regular file of a tree, links not
	 * followed; the tree's own directory only if {@code includingRoot}.
	 */
	static void makeReadOnly(Path tree, boolean includingRoot) throws IOException {
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

	/**
	 * Visits every entry below {@code root}, each directory before what it holds, never
	 * following a link; iterative, so depth does not matter.
	 */
	static void walk(Path root, EntryVisitor visitor) throws IOException {
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
	interface EntryVisitor {

		void visit(Path entry, BasicFileAttributes attributes) throws IOException;

	}

	/**
	 * Whether a link resolves inside the tree: its target walked name by name from the link's
	 * directory, {@code ..} never above the tree, every link met inside expanded the same way.
	 * A name that does not exist is taken as it is (the link then resolves to nothing, or to
	 * what is named there, inside). A chain longer than the kernel follows resolves to nothing.
	 */
	static boolean staysInside(Path tree, Path link) throws IOException {
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

	/**
	 * One staging directory and its held lock. {@link #install} moves it into place; whatever
	 * happens, {@link #close} removes what is left, deletes the lock file and releases it.
	 */
	final class Area implements AutoCloseable {

		private final Path directory;

		private final FileMutex mutex;

		private final FileMutex.Held held;

		private Area(Path directory, FileMutex mutex, FileMutex.Held held) {
			this.directory = directory;
			this.mutex = mutex;
			this.held = held;
		}

		Path directory() {
			return this.directory;
		}

		/**
		 * Leases {@code artifacts/<hash>} (before it exists, so no collector can take it
		 * between the rename and the lease), then moves the hashed staging directory there,
		 * read-only, unless the artifact is installed already: then this copy is left for
		 * {@link #close} to remove.
		 * @return {@code artifacts/<hash>}
		 */
		Path install(String hash) {
			return install(hash, this.directory);
		}

		/**
		 * The same for a tree inside the staging directory (an extracted download, beside
		 * the tarball it came from).
		 */
		Path install(String hash, Path tree) {
			Path target = ArtifactStaging.this.artifacts.resolve(hash);
			DepotFiles.createDirectories(ArtifactStaging.this.depot, ArtifactStaging.this.artifacts,
					"artifacts directory");
			ArtifactStaging.this.state.leaseArtifact(target);
			if (isDirectory(target)) {
				return target;
			}
			try {
				// The root last: moving a directory to another parent needs write permission on it.
				makeReadOnly(tree, false);
				Files.move(tree, target, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				throw DepotFiles.failure("install artifact", target, ex);
			}
			catch (FileSystemException ex) {
				// Linux reports a target filled meanwhile as ENOTEMPTY: decide by what is there.
				if (isDirectory(target)) {
					return target;
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
			return target;
		}

		/**
		 * Removes what is left of the staging directory (all of it after a failure, or a copy
		 * another build installed first), then deletes the lock file while holding it, then
		 * releases it. A failure to clean up is logged: the caller's outcome stands, and the
		 * sweep removes the leftover.
		 */
		@Override
		public void close() {
			@Nullable IOException failure = null;
			try {
				DepotFiles.deleteRecursively(this.directory);
			}
			catch (IOException ex) {
				failure = ex;
				logger.log(System.Logger.Level.WARNING, "Could not remove the staging directory " + this.directory
						+ ": " + DepotFiles.describe(ex));
			}
			try {
				if (failure == null) {
					Files.deleteIfExists(this.mutex.lockFile());
				}
			}
			catch (IOException ex) {
				logger.log(System.Logger.Level.WARNING,
						"Could not remove the lock file " + this.mutex.lockFile() + ": " + DepotFiles.describe(ex));
			}
			finally {
				try {
					this.held.close();
				}
				catch (IOException ex) {
					logger.log(System.Logger.Level.WARNING,
							"Could not release the lock " + this.mutex.lockFile() + ": " + DepotFiles.describe(ex));
				}
			}
		}

	}

}
