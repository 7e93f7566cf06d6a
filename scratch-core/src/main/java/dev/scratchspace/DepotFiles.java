package dev.scratchspace;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * File-system operations of the depot: owner-only directories, no link following, atomic
 * replacement, and errors that name the path and the action.
 */
final class DepotFiles {

	private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

	private DepotFiles() {
	}

	static boolean supportsPosix(Path path) {
		return path.getFileSystem().supportedFileAttributeViews().contains("posix");
	}

	static FileAttribute<?>[] ownerOnlyDirectory(Path path) {
		return supportsPosix(path) ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY) }
				: new FileAttribute<?>[0];
	}

	/**
	 * Creates {@code root} (following links, as a user may relocate a depot with one), then
	 * every directory from {@code root} down to {@code dir}, refusing any of those that is a
	 * symbolic link or not a directory.
	 */
	static void createDirectories(Path root, Path dir, String purpose) {
		createRoot(root, purpose);
		Path current = root;
		for (Path name : root.relativize(dir)) {
			current = current.resolve(name);
			createOne(current, purpose);
		}
	}

	/**
	 * Refuses a path reached through a symbolic link below {@code root}: every existing
	 * directory from {@code root} (exclusive) down to {@code path}'s parent must be a real
	 * directory. The path itself may be a link: deleting one removes the link only.
	 */
	static void checkNoLinkBelow(Path root, Path path, String purpose) {
		Path parent = path.getParent();
		if (parent == null || !parent.startsWith(root)) {
			return;
		}
		Path current = root;
		for (Path name : root.relativize(parent)) {
			current = current.resolve(name);
			BasicFileAttributes attributes = attributesOrNull(current);
			if (attributes == null) {
				return;
			}
			checkDirectory(current, attributes, purpose);
		}
	}

	static boolean isLinkBelow(Path root, Path path) {
		return path.startsWith(root) && !path.equals(root) && Files.isSymbolicLink(path);
	}

	static void createRoot(Path root, String purpose) {
		if (Files.isDirectory(root)) {
			return;
		}
		try {
			Files.createDirectories(root, ownerOnlyDirectory(root));
		}
		catch (FileAlreadyExistsException ex) {
			throw failure("create " + purpose, root, "it exists but is not a directory", ex);
		}
		catch (IOException ex) {
			throw failure("create " + purpose, root, ex);
		}
	}

	static void createOne(Path dir, String purpose) {
		BasicFileAttributes attributes = attributesOrNull(dir);
		if (attributes == null) {
			try {
				Files.createDirectory(dir, ownerOnlyDirectory(dir));
				return;
			}
			catch (FileAlreadyExistsException ex) {
				// Another thread or process created it first: check what it made.
				attributes = attributesOrNull(dir);
				if (attributes == null) {
					throw failure("create " + purpose, dir, ex);
				}
			}
			catch (IOException ex) {
				throw failure("create " + purpose, dir, ex);
			}
		}
		checkDirectory(dir, attributes, purpose);
	}

	static void checkDirectory(Path dir, BasicFileAttributes attributes, String purpose) {
		if (attributes.isSymbolicLink()) {
			throw new UncheckedIOException(new FileSystemException(dir.toString(), null,
					"Refusing to use " + purpose + " " + dir + ": it is a symbolic link, and spaces never follow links"));
		}
		if (!attributes.isDirectory()) {
			throw new UncheckedIOException(new FileSystemException(dir.toString(), null,
					"Cannot use " + purpose + " " + dir + ": it exists but is not a directory"));
		}
	}

	static @Nullable BasicFileAttributes attributesOrNull(Path path) {
		try {
			return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			throw failure("read the attributes of", path, ex);
		}
	}

	/** Writes a whole new file next to {@code target} and moves it into place atomically. */
	static void replaceAtomically(Path target, byte[] content) throws IOException {
		replaceAtomically(target, content, false);
	}

	/**
	 * Writes a whole new file next to {@code target} and moves it into place atomically.
	 * @param keepPermissions whether the new file gets the POSIX permissions of the
	 * {@code target} it replaces (read without following a link; it must exist), as a file
	 * the user owns and edits by hand should keep them; otherwise it has the defaults of a
	 * new file
	 */
	static void replaceAtomically(Path target, byte[] content, boolean keepPermissions) throws IOException {
		replaceAtomically(target, (out) -> out.write(content), keepPermissions);
	}

	/**
	 * Writes a whole new file next to {@code target} as {@code content} streams it, and moves
	 * it into place atomically: a file of many megabytes is never held in memory whole.
	 */
	static void replaceAtomically(Path target, Content content) throws IOException {
		replaceAtomically(target, content, false);
	}

	private static void replaceAtomically(Path target, Content content, boolean keepPermissions) throws IOException {
		Path temporary = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
				+ Long.toHexString(System.nanoTime()));
		try {
			try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE)) {
				content.writeTo(out);
			}
			if (keepPermissions && supportsPosix(target)) {
				Set<PosixFilePermission> permissions = Files
					.getFileAttributeView(target, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
					.readAttributes()
					.permissions();
				Files.setPosixFilePermissions(temporary, permissions);
			}
			try {
				Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/** What {@link #replaceAtomically(Path, Content)} writes. */
	@FunctionalInterface
	interface Content {

		/** Writes the whole content; the stream is closed by the caller. */
		void writeTo(OutputStream out) throws IOException;

	}

	/**
	 * {@code Files.isDirectory(path, NOFOLLOW_LINKS)}, without an exception for a missing
	 * path: on JDK 17 that call throws and catches a {@code NoSuchFileException} inside, and a
	 * collection that checks 20,000 spaces named in the usage log but gone from the disk spent
	 * a noticeable part of its time filling in their stack traces. {@link java.io.File#exists}
	 * asks the same {@code stat} and answers {@code false} without one; a link in the path's
	 * place is still not followed, because the answer for what exists comes from the no-follow
	 * call.
	 */
	static boolean isDirectoryNoFollow(Path path) {
		if (path.getFileSystem() == FileSystems.getDefault() && !path.toFile().exists()) {
			return false;
		}
		return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
	}

	/**
	 * {@code Files.exists(path)} (links followed), without an exception for a missing path;
	 * see {@link #isDirectoryNoFollow}.
	 */
	static boolean existsFollowingLinks(Path path) {
		if (path.getFileSystem() == FileSystems.getDefault()) {
			return path.toFile().exists();
		}
		return Files.exists(path);
	}

	/** Whether a directory has no entries. A missing directory counts as empty. */
	static boolean isEmptyDirectory(Path dir) {
		try (var entries = Files.newDirectoryStream(dir)) {
			return !entries.iterator().hasNext();
		}
		catch (NoSuchFileException ex) {
			return true;
		}
		catch (IOException ex) {
			throw failure("list", dir, ex);
		}
	}

	/**
	 * Sizes of the regular files under a path; links are counted as nothing and not
	 * followed, and the path itself may be one. Entries that vanish during the walk, or that
	 * cannot be read, count nothing: this never fails.
	 * <p>
	 * Where the file system offers a {@link SecureDirectoryStream} (Linux), the tree is
	 * walked relative to open directories by {@link SecureTree}, as {@code du} does: no
	 * path is resolved again, and neither depth nor path length limits it. Elsewhere the
	 * tree is walked by path.
	 * @param path the space, or any file or directory
	 * @return the total size in bytes and the number of regular files
	 */
	static long[] sizeAndCount(Path path) {
		return sizeAndCount(path, false);
	}

	/**
	 * Sizes of the regular files in a space, as {@link #sizeAndCount(Path)} gives them, but
	 * only if the space is a directory. A listing is a snapshot: since it was made, another
	 * process may have put a file of its own in a space's place, and that file is neither a
	 * space nor the collector's to count, or it would push real spaces out under the size
	 * bound and be reported as freed.
	 * @param space the space
	 * @return the total size in bytes and the number of regular files; nothing for anything
	 * but a directory
	 */
	static long[] spaceSizeAndCount(Path space) {
		return sizeAndCount(space, true);
	}

	private static long[] sizeAndCount(Path path, boolean onlyDirectory) {
		long[] secure = SecureTree.sizeAndCount(path, onlyDirectory);
		if (secure != null) {
			return secure;
		}
		long[] totals = new long[2];
		BasicFileAttributes attributes = attributesQuietly(path);
		if (attributes == null || attributes.isSymbolicLink()) {
			return totals;
		}
		if (!attributes.isDirectory()) {
			if (!onlyDirectory) {
				addIfRegular(attributes, totals);
			}
			return totals;
		}
		walkByPath(path, totals);
		return totals;
	}

	private static @Nullable BasicFileAttributes attributesQuietly(Path path) {
		try {
			return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static void addIfRegular(BasicFileAttributes attributes, long[] totals) {
		if (attributes.isRegularFile()) {
			totals[0] += attributes.size();
			totals[1]++;
		}
	}

	/** Adds the regular files under {@code path} to {@code totals}, reading each by path. */
	private static void walkByPath(Path path, long[] totals) {
		try {
			Files.walkFileTree(path, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
					new SimpleFileVisitor<>() {
						@Override
						public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
							addIfRegular(attributes, totals);
							return FileVisitResult.CONTINUE;
						}

						@Override
						public FileVisitResult visitFileFailed(Path file, IOException ex) {
							// A file deleted while walking, or one we may not read: count nothing.
							return FileVisitResult.CONTINUE;
						}

						@Override
						public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException ex) {
							// A listing that failed part way: keep what was counted.
							return FileVisitResult.CONTINUE;
						}
					});
		}
		catch (IOException ex) {
			// Only a visitor may fail the walk, and this one never does.
		}
	}

	/**
	 * Deletes a path and everything under it without following any symbolic link: a link is
	 * removed, its target is untouched. Directories made read-only inside the tree (as some
	 * tools do with their caches) are made writable for their owner first.
	 * <p>
	 * Where the file system offers a {@link SecureDirectoryStream} (Linux), {@link SecureTree}
	 * deletes relative to open directories, so that a link swapped in during the delete is
	 * removed as a link. Elsewhere the tree is walked by path, which such a swap can
	 * redirect.
	 */
	static void deleteRecursively(Path path) throws IOException {
		if (SecureTree.delete(path)) {
			return;
		}
		BasicFileAttributes attributes = attributesOrNull(path);
		if (attributes == null) {
			return;
		}
		if (!attributes.isDirectory()) {
			Files.deleteIfExists(path);
			return;
		}
		Files.walkFileTree(path, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
				new SimpleFileVisitor<>() {
					@Override
					public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
						makeOwnerWritable(dir);
						return FileVisitResult.CONTINUE;
					}

					@Override
					public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
						Files.deleteIfExists(file);
						return FileVisitResult.CONTINUE;
					}

					@Override
					public FileVisitResult visitFileFailed(Path file, IOException ex) throws IOException {
						if (ex instanceof NoSuchFileException) {
							return FileVisitResult.CONTINUE;
						}
						if (ex instanceof AccessDeniedException) {
							// An unreadable directory: make it ours, then retry it as a whole.
							makeOwnerWritable(file);
							deleteRecursively(file);
							return FileVisitResult.CONTINUE;
						}
						throw ex;
					}

					@Override
					public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException ex) throws IOException {
						if (ex != null && !(ex instanceof NoSuchFileException)) {
							throw ex;
						}
						try {
							Files.deleteIfExists(dir);
						}
						catch (DirectoryNotEmptyException retry) {
							// Something was written into it while we walked: walk it again once.
							deleteChildren(dir);
							Files.deleteIfExists(dir);
						}
						return FileVisitResult.CONTINUE;
					}
				});
	}

	private static void deleteChildren(Path dir) throws IOException {
		try (var entries = Files.newDirectoryStream(dir)) {
			for (Path entry : entries) {
				deleteRecursively(entry);
			}
		}
		catch (NotDirectoryException | NoSuchFileException ex) {
			// Nothing left to delete.
		}
	}

	private static void makeOwnerWritable(Path dir) {
		if (!supportsPosix(dir)) {
			return;
		}
		try {
			Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
			if (!permissions.contains(PosixFilePermission.OWNER_WRITE)
					|| !permissions.contains(PosixFilePermission.OWNER_EXECUTE)
					|| !permissions.contains(PosixFilePermission.OWNER_READ)) {
				// Not EnumSet.copyOf: it fails on the empty set of a mode-000 directory.
				Set<PosixFilePermission> updated = EnumSet.noneOf(PosixFilePermission.class);
				updated.addAll(permissions);
				updated.add(PosixFilePermission.OWNER_READ);
				updated.add(PosixFilePermission.OWNER_WRITE);
				updated.add(PosixFilePermission.OWNER_EXECUTE);
				Files.setPosixFilePermissions(dir, updated);
			}
		}
		catch (IOException | UnsupportedOperationException ex) {
			// Best effort: the delete that follows reports the real problem.
		}
	}

	static UncheckedIOException failure(String action, Path path, IOException cause) {
		return failure(action, path, describe(cause), cause);
	}

	static UncheckedIOException failure(String action, Path path, String why, IOException cause) {
		return new UncheckedIOException("Could not " + action + " " + path + ": " + why, cause);
	}

	static String describe(IOException ex) {
		if (ex instanceof AccessDeniedException) {
			return "permission denied";
		}
		if (ex instanceof NoSuchFileException) {
			return "no such file or directory";
		}
		if (ex instanceof FileAlreadyExistsException) {
			return "a file is in the way";
		}
		if (ex instanceof NotDirectoryException) {
			return "a file is where a directory should be";
		}
		if (ex instanceof FileSystemException fse && fse.getReason() != null) {
			return fse.getReason();
		}
		String message = ex.getMessage();
		return (message != null) ? message : ex.getClass().getSimpleName();
	}

}
