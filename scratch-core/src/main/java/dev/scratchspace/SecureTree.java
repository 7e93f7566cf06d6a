package dev.scratchspace;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Deletes and size walks that never resolve a path again once they have started: every
 * entry is read, opened and removed relative to its open parent directory
 * ({@link SecureDirectoryStream}, {@code *at} system calls), never following a link. A
 * directory swapped for a symbolic link at any level, at any moment, is then met as the
 * link and removed as one: what it points to is never listed, counted or deleted. Path
 * length plays no part either, as the kernel never sees more than one name at a time.
 * <p>
 * <b>Iterative, with a bounded number of open directories.</b> The walk keeps an explicit
 * stack, so depth cannot overflow the Java stack. Each open directory costs two file
 * descriptors, so holding one per level of a tree 10,000 levels deep would exceed the usual
 * limit of 1,024 (and this project's deep-tree test would need 20,000). Only the
 * {@value #OPEN_LEVELS} deepest levels are therefore kept open: when the walk goes deeper,
 * the oldest open level is closed, its remaining entries kept as names. Coming back up to
 * a closed level, it is opened again as {@code ..} relative to the open child, and used
 * only if it is the very directory that was closed (same device and inode); otherwise the
 * tree was moved during the walk, and the walk stops there rather than follow it. Nothing
 * is ever resolved from the root again. (Moving each too-deep subtree up into the space,
 * the alternative, would rename inside a tree that may be in use, and cannot serve a size
 * walk, which must not change anything.)
 * <p>
 * <b>Permissions.</b> A directory its owner has locked (mode {@code 000}, {@code 0500},
 * as some tools leave their caches) is made {@code rwx} for its owner, then deleted: once
 * the entries of an open directory cannot be read or removed, the directory itself is
 * changed through its open descriptor; a directory that cannot even be opened is changed
 * relative to its open parent. The JDK does that by opening it for reading, which a
 * directory without read permission refuses to anyone but root; only then is it changed by
 * its path, and only after checking that this path still leads to the very directory
 * seen in the open parent. That one step resolves a path: a race there can at worst add
 * owner permissions to another directory of the same user, never delete anything. Only
 * the owner (or root) may change permissions, so nothing of another user is touched.
 * <p>
 * <b>Where this is not available.</b> File systems without {@link SecureDirectoryStream}
 * (the JDK offers it on Linux; not, for example, on Windows or in a zip file system) make
 * these methods report that, and the caller walks by path instead, not following links.
 * There a directory swapped for a link between reading its attributes and listing it can
 * still redirect a delete outside the tree, and paths longer than the platform resolves
 * fail.
 */
final class SecureTree {

	/** Levels of a walk that are open at once, two file descriptors each. */
	static final int OPEN_LEVELS = 32;

	/** Times a directory is walked again when entries were added while it was deleted. */
	private static final int ATTEMPTS = 3;

	private static final Set<PosixFilePermission> OWNER_ALL = EnumSet.of(PosixFilePermission.OWNER_READ,
			PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

	private SecureTree() {
	}

	/**
	 * Deletes {@code path} and everything under it, relative to open directories: its parent
	 * is opened (and must be a directory, not a link), then {@code path} relative to it. A
	 * link, or a path that is a link, is removed, never followed.
	 * @return {@code false}, having changed nothing, where the file system offers no
	 * {@link SecureDirectoryStream}
	 * @throws IOException if something could not be deleted
	 */
	static boolean delete(Path path) throws IOException {
		Path parent = path.getParent();
		Path name = path.getFileName();
		if (parent == null || name == null) {
			return false;
		}
		SecureDirectoryStream<Path> top;
		try {
			top = openParent(parent);
		}
		catch (NoSuchFileException ex) {
			return true;
		}
		if (top == null) {
			return false;
		}
		try (top) {
			new Walk(top, true).delete(name, path);
		}
		return true;
	}

	/**
	 * The total size of the regular files under {@code path}, and their number. Links are
	 * neither followed nor counted, and {@code path} itself may be one. Entries that vanish
	 * or cannot be read count nothing; a part of the tree moved away during the walk is
	 * not followed.
	 * @return the size in bytes and the number of files, or {@code null} where the file
	 * system offers no {@link SecureDirectoryStream}
	 */
	static long @Nullable [] sizeAndCount(Path path) {
		return sizeAndCount(path, false);
	}

	/**
	 * The total size of the regular files under {@code path}, and their number, as
	 * {@link #sizeAndCount(Path)} gives them.
	 * @param onlyDirectory whether {@code path} counts only if it is a directory: a regular
	 * file in its place then counts nothing, as a link does
	 * @return the size in bytes and the number of files, or {@code null} where the file
	 * system offers no {@link SecureDirectoryStream}
	 */
	static long @Nullable [] sizeAndCount(Path path, boolean onlyDirectory) {
		Path parent = path.getParent();
		Path name = path.getFileName();
		if (parent == null || name == null) {
			return null;
		}
		SecureDirectoryStream<Path> top;
		try {
			top = openParent(parent);
		}
		catch (IOException ex) {
			return new long[2];
		}
		if (top == null) {
			return null;
		}
		try (top) {
			return new Walk(top, false).size(name, path, onlyDirectory);
		}
		catch (IOException ex) {
			// Closing a directory failed: what was counted stands.
			return new long[2];
		}
	}

	/**
	 * Opens a directory by path, refusing a link in its place: the directory opened must be
	 * the one its path led to without following a link.
	 */
	private static @Nullable SecureDirectoryStream<Path> openParent(Path dir) throws IOException {
		BasicFileAttributes expected = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		if (!expected.isDirectory()) {
			throw new FileSystemException(dir.toString(), null, expected.isSymbolicLink()
					? "it is a symbolic link, and deletes never follow links" : "it is not a directory");
		}
		DirectoryStream<Path> stream = Files.newDirectoryStream(dir);
		if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
			stream.close();
			return null;
		}
		if (!sameFile(expected, secure)) {
			secure.close();
			throw new FileSystemException(dir.toString(), null, "it was replaced while being opened");
		}
		return secure;
	}

	private static boolean sameFile(BasicFileAttributes expected, SecureDirectoryStream<Path> opened)
			throws IOException {
		Object key = expected.fileKey();
		return key == null || key.equals(selfAttributes(opened).fileKey());
	}

	private static BasicFileAttributes selfAttributes(SecureDirectoryStream<Path> dir) throws IOException {
		return Objects.requireNonNull(dir.getFileAttributeView(BasicFileAttributeView.class)).readAttributes();
	}

	/** One walk: a stack of levels, the deepest {@value #OPEN_LEVELS} of them open. */
	private static final class Walk {

		private final SecureDirectoryStream<Path> top;

		private final boolean deleting;

		private final List<Level> stack = new ArrayList<>();

		private int open;

		private final long[] totals = new long[2];

		Walk(SecureDirectoryStream<Path> top, boolean deleting) {
			this.top = top;
			this.deleting = deleting;
		}

		long[] size(Path name, Path path, boolean onlyDirectory) throws IOException {
			BasicFileAttributes attributes = attributesOrNull(this.top, name);
			if (attributes == null || attributes.isSymbolicLink()) {
				return this.totals;
			}
			if (!attributes.isDirectory()) {
				if (onlyDirectory) {
					return this.totals;
				}
				addIfRegular(attributes);
				return this.totals;
			}
			try {
				push(new Level(this.top.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS), name, path,
						attributes.fileKey(), 0));
				run();
			}
			catch (IOException | DirectoryIteratorException ex) {
				// Vanished, unreadable, replaced by a link, or moved away: keep what was counted.
			}
			finally {
				closeAll();
			}
			return this.totals;
		}

		void delete(Path name, Path path) throws IOException {
			try {
				Level level = removeOrOpen(this.top, name, path, 0);
				if (level != null) {
					push(level);
					run();
				}
			}
			catch (DirectoryIteratorException ex) {
				throw ex.getCause();
			}
			finally {
				closeAll();
			}
		}

		private void run() throws IOException {
			while (!this.stack.isEmpty()) {
				Level level = this.stack.get(this.stack.size() - 1);
				Path entry = level.next();
				if (entry != null) {
					Path name = Objects.requireNonNull(entry.getFileName());
					Level child = this.deleting ? removeOrOpen(level, name, level.path.resolve(name))
							: sizeOrOpen(level, name);
					if (child != null) {
						push(child);
					}
					continue;
				}
				this.stack.remove(this.stack.size() - 1);
				SecureDirectoryStream<Path> parent = parentOf(level);
				level.close();
				this.open--;
				if (this.deleting) {
					removeDirectory(parent, this.stack.isEmpty() ? null : this.stack.get(this.stack.size() - 1),
							level);
				}
			}
		}

		/** The open parent of a level just finished, opened again as its {@code ..} if closed. */
		private SecureDirectoryStream<Path> parentOf(Level level) throws IOException {
			if (this.stack.isEmpty()) {
				return this.top;
			}
			Level parent = this.stack.get(this.stack.size() - 1);
			if (parent.stream == null) {
				SecureDirectoryStream<Path> up = level.stream().newDirectoryStream(level.name.resolveSibling(".."),
						LinkOption.NOFOLLOW_LINKS);
				Object key = selfAttributes(up).fileKey();
				if (parent.key != null && !parent.key.equals(key)) {
					up.close();
					throw new FileSystemException(parent.path.toString(), null,
							"it was moved while being walked, and the walk does not follow it");
				}
				parent.reopen(up);
				this.open++;
			}
			return parent.stream();
		}

		private void push(Level level) throws IOException {
			this.stack.add(level);
			this.open++;
			if (this.open > OPEN_LEVELS) {
				this.stack.get(this.stack.size() - this.open).closeKeepingNames();
				this.open--;
			}
		}

		private @Nullable Level sizeOrOpen(Level level, Path name) {
			BasicFileAttributes attributes = attributesOrNull(level.stream(), name);
			if (attributes == null || attributes.isSymbolicLink()) {
				return null;
			}
			if (!attributes.isDirectory()) {
				addIfRegular(attributes);
				return null;
			}
			try {
				return new Level(level.stream().newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS), name,
						level.path.resolve(name), attributes.fileKey(), 0);
			}
			catch (IOException ex) {
				// Vanished, unreadable, or replaced by a link since it was read: count nothing.
				return null;
			}
		}

		private @Nullable Level removeOrOpen(Level level, Path name, Path path) throws IOException {
			try {
				return removeOrOpen(level.stream(), name, path, 0);
			}
			catch (AccessDeniedException ex) {
				// The open directory may not be searched or changed: make it its owner's.
				if (level.granted) {
					throw ex;
				}
				level.granted = true;
				grant(level.stream(), null, level.path, null);
				return removeOrOpen(level.stream(), name, path, 0);
			}
		}

		/**
		 * Removes an entry of an open directory that is not a directory, or opens one that
		 * is. The entry may change between the two system calls: whatever is found last is
		 * what is removed, and a link is always removed as a link.
		 */
		private @Nullable Level removeOrOpen(SecureDirectoryStream<Path> dir, Path name, Path path, int attempt)
				throws IOException {
			boolean granted = false;
			IOException last = null;
			for (int tries = 0; tries < ATTEMPTS; tries++) {
				BasicFileAttributes attributes = attributesOrFail(dir, name);
				if (attributes == null) {
					return null;
				}
				if (!attributes.isDirectory()) {
					try {
						dir.deleteFile(name);
						return null;
					}
					catch (NoSuchFileException ex) {
						return null;
					}
					catch (AccessDeniedException ex) {
						throw ex;
					}
					catch (FileSystemException ex) {
						// A directory is there now (EISDIR): look again.
						last = ex;
						continue;
					}
				}
				try {
					return new Level(dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS), name, path,
							attributes.fileKey(), attempt);
				}
				catch (NoSuchFileException ex) {
					return null;
				}
				catch (AccessDeniedException ex) {
					if (granted) {
						throw ex;
					}
					granted = true;
					grant(dir, name, path, attributes.fileKey());
					last = ex;
				}
				catch (FileSystemException ex) {
					// Replaced by a link (ELOOP) or a file (ENOTDIR) since it was read: look again.
					last = ex;
				}
			}
			throw Objects.requireNonNull(last);
		}

		/** Removes a directory whose entries were removed; walks it again if some were added. */
		private void removeDirectory(SecureDirectoryStream<Path> parent, @Nullable Level parentLevel, Level level)
				throws IOException {
			try {
				try {
					parent.deleteDirectory(level.name);
				}
				catch (AccessDeniedException ex) {
					if (parentLevel == null || parentLevel.granted) {
						throw ex;
					}
					parentLevel.granted = true;
					grant(parent, null, parentLevel.path, null);
					parent.deleteDirectory(level.name);
				}
			}
			catch (NoSuchFileException ex) {
				// Removed meanwhile.
			}
			catch (AccessDeniedException ex) {
				throw ex;
			}
			catch (FileSystemException ex) {
				// Entries were added while it was walked (ENOTEMPTY), or something else is in
				// its place now (a link: ENOTDIR): look again, a bounded number of times.
				if (level.attempt + 1 >= ATTEMPTS) {
					throw (ex instanceof DirectoryNotEmptyException) ? new DirectoryNotEmptyException(level.path.toString())
							: ex;
				}
				Level again = removeOrOpen(parent, level.name, level.path, level.attempt + 1);
				if (again != null) {
					push(again);
				}
			}
		}

		private void addIfRegular(BasicFileAttributes attributes) {
			if (attributes.isRegularFile()) {
				this.totals[0] += attributes.size();
				this.totals[1]++;
			}
		}

		private void closeAll() throws IOException {
			IOException failure = null;
			for (Level level : this.stack) {
				try {
					level.close();
				}
				catch (IOException ex) {
					failure = ex;
				}
			}
			this.stack.clear();
			if (failure != null) {
				throw failure;
			}
		}

	}

	/**
	 * Gives the owner {@code rwx} on a directory: the open directory itself when
	 * {@code name} is null, else its entry {@code name}, never following a link. Fails
	 * unless this process owns it (or is root).
	 */
	private static void grant(SecureDirectoryStream<Path> dir, @Nullable Path name, Path path,
			@Nullable Object expectedKey) throws IOException {
		PosixFileAttributeView view = (name != null)
				? dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
				: dir.getFileAttributeView(PosixFileAttributeView.class);
		if (view == null) {
			throw new AccessDeniedException(path.toString());
		}
		// Copied into an EnumSet built empty: EnumSet.copyOf fails on an empty set, which is
		// exactly what a mode-000 directory has.
		Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
		permissions.addAll(view.readAttributes().permissions());
		permissions.addAll(OWNER_ALL);
		try {
			view.setPermissions(permissions);
		}
		catch (AccessDeniedException ex) {
			if (name == null) {
				throw ex;
			}
			// The JDK changes an entry's mode by opening it for reading, which a directory
			// without read permission refuses: change it by path, if the path still leads to
			// the very directory seen in the open parent.
			BasicFileAttributes byPath = Files.readAttributes(path, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			if (!byPath.isDirectory() || expectedKey == null || !expectedKey.equals(byPath.fileKey())) {
				throw ex;
			}
			Files.setPosixFilePermissions(path, permissions);
		}
	}

	private static @Nullable BasicFileAttributes attributesOrNull(SecureDirectoryStream<Path> dir, Path name) {
		try {
			return attributesOrFail(dir, name);
		}
		catch (IOException ex) {
			return null;
		}
	}

	/** Attributes relative to the open directory, not following a link; null if missing. */
	private static @Nullable BasicFileAttributes attributesOrFail(SecureDirectoryStream<Path> dir, Path name)
			throws IOException {
		BasicFileAttributeView view = dir.getFileAttributeView(name, BasicFileAttributeView.class,
				LinkOption.NOFOLLOW_LINKS);
		if (view == null) {
			return null;
		}
		try {
			return view.readAttributes();
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	/**
	 * One directory of the walk: open, with its listing being read; or closed to spare file
	 * descriptors, with the names it had left.
	 */
	private static final class Level {

		final Path name;

		final Path path;

		final @Nullable Object key;

		final int attempt;

		boolean granted;

		@Nullable SecureDirectoryStream<Path> stream;

		private @Nullable Iterator<Path> entries;

		private @Nullable List<Path> rest;

		Level(SecureDirectoryStream<Path> stream, Path name, Path path, @Nullable Object key, int attempt) {
			this.stream = stream;
			this.entries = stream.iterator();
			this.name = name;
			this.path = path;
			this.key = key;
			this.attempt = attempt;
		}

		SecureDirectoryStream<Path> stream() {
			return Objects.requireNonNull(this.stream);
		}

		/** The next entry, or null when none is left. */
		@Nullable Path next() {
			if (this.entries != null) {
				return this.entries.hasNext() ? this.entries.next() : null;
			}
			List<Path> names = Objects.requireNonNull(this.rest);
			return names.isEmpty() ? null : names.remove(names.size() - 1);
		}

		void closeKeepingNames() throws IOException {
			List<Path> names = new ArrayList<>();
			Iterator<Path> iterator = Objects.requireNonNull(this.entries);
			while (iterator.hasNext()) {
				names.add(Objects.requireNonNull(iterator.next().getFileName()));
			}
			this.rest = names;
			this.entries = null;
			close();
		}

		void reopen(SecureDirectoryStream<Path> stream) {
			this.stream = stream;
		}

		void close() throws IOException {
			if (this.stream != null) {
				this.stream.close();
				this.stream = null;
			}
		}

	}

}
