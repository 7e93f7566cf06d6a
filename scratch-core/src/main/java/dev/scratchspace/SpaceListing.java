package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The spaces found by listing {@code <spaces root>/<owner-uuid>/<key>}: the only paths that
 * garbage collection ever deletes. Entries that are directories or symbolic links count;
 * directories whose name is not a UUID, and regular files, are left alone.
 *
 * <p>A listing is a snapshot: by the time anything acts on an entry, another process may have
 * replaced it. Whatever deletes a listed space checks its type again, relative to the open
 * owner directory, as it moves it away ({@link SpaceRemoval}).
 */
final class SpaceListing {

	private static final Comparator<Named> BY_NAME = Comparator.comparing(Named::name);

	private SpaceListing() {
	}

	record Entry(UUID owner, String key, Path path, boolean symbolicLink) {
	}

	/** A listed child and its file name, read once: sorting compares names, not paths. */
	private record Named(String name, Path path) {
	}

	/**
	 * Lists the spaces. A spaces directory inside the depot that is a symbolic link is not
	 * listed at all: nothing reached through it may be judged, let alone deleted.
	 */
	static List<Entry> list(Path depotRoot, Path spacesRoot, @Nullable List<String> warnings) {
		return list(depotRoot, spacesRoot, warnings, true, (ownerDir) -> {
		}, (ownerDir) -> {
		});
	}

	/**
	 * Lists the spaces, as {@link #list(Path, Path, List)} does.
	 * @param depotRoot the depot
	 * @param spacesRoot the directory that holds the owner directories
	 * @param warnings where problems are reported, or {@code null}
	 * @param leafOptimization whether an owner directory's link count may stand in for reading
	 * the type of each of its children (see {@link #allDirectories}); without it every child is
	 * read, the reference that tests compare with
	 * @param byLinkCount told each owner directory whose children were taken as directories by
	 * its link count, without reading their types
	 * @param empty told each owner directory that held nothing at all
	 * @return the spaces, sorted by owner directory name, then by key
	 */
	static List<Entry> list(Path depotRoot, Path spacesRoot, @Nullable List<String> warnings,
			boolean leafOptimization, Consumer<Path> byLinkCount, Consumer<Path> empty) {
		List<Entry> entries = new ArrayList<>();
		if (DepotFiles.isLinkBelow(depotRoot, spacesRoot)) {
			if (warnings != null) {
				warnings.add("Refusing to list " + spacesRoot + ": it is a symbolic link");
			}
			return entries;
		}
		// Sorted by name, level by level: the order of paths, without comparing whole paths.
		for (Named ownerDir : sortedChildren(spacesRoot, warnings)) {
			if (!ScratchKeys.isOwnerDirectoryName(ownerDir.name()) || !isRealDirectory(ownerDir.path())) {
				continue;
			}
			UUID owner = UUID.fromString(ownerDir.name());
			List<Named> spaces = sortedChildren(ownerDir.path(), warnings);
			if (spaces.isEmpty()) {
				empty.accept(ownerDir.path());
				continue;
			}
			if (leafOptimization && allDirectories(ownerDir.path(), spaces.size())) {
				byLinkCount.accept(ownerDir.path());
				for (Named space : spaces) {
					entries.add(new Entry(owner, space.name(), space.path(), false));
				}
				continue;
			}
			for (Named space : spaces) {
				BasicFileAttributes attributes = attributesOrNull(space.path());
				if (attributes != null && (attributes.isDirectory() || attributes.isSymbolicLink())) {
					entries.add(new Entry(owner, space.name(), space.path(), attributes.isSymbolicLink()));
				}
			}
		}
		return entries;
	}

	/**
	 * Whether every one of the {@code children} entries just listed in {@code dir} is a
	 * directory, known without reading the type of each: the leaf optimization of GNU find
	 * (see its {@code -noleaf}), turned around. On the file systems of Unix tradition (ext4,
	 * XFS, tmpfs among them) a directory's link count is 2 (its entry in its parent, and its
	 * own {@code .}) plus one for the {@code ..} of each subdirectory. Its subdirectories are
	 * among its entries, so when they are as many as all the entries listed, no entry is a
	 * file, a link or anything else. A link count read this way costs one system call per
	 * owner directory instead of one path walk per space.
	 *
	 * <p>Any doubt reads every child's type, exactly as without this: a file system that
	 * does not keep the count (btrfs and overlay's merged directories report 1, and so does
	 * ext4 past 65,000 subdirectories; AFS leaves its mount points out), a count that does not
	 * match because a file or link is present, an owner directory that is no longer a
	 * directory, a platform without the {@code unix} attribute view, or any error. The count
	 * never follows a link at the owner directory.
	 *
	 * <p>Why it is safe: the count is read after the listing, so a directory created or
	 * removed meanwhile makes the two disagree and the children are read one by one. Only
	 * changes that cancel out (a space directory created while a file was put in the listing)
	 * or a file system that counts too many could make a non-directory pass for a directory,
	 * and reading each child's type leaves the same window, since any entry can be replaced
	 * after it was read. Either way nothing is deleted on the strength of a listing alone:
	 * {@link SpaceRemoval} reads the type of each doomed entry again, relative to the open
	 * owner directory, and leaves alone whatever is not a directory or a link. A link taken for
	 * a directory is harmless as well: it is renamed and deleted as a link, and sizing it
	 * never follows it.
	 * @param dir the owner directory, already checked to be a directory and not a link
	 * @param children how many entries listing it gave
	 * @return whether its link count shows that every entry is a directory
	 */
	private static boolean allDirectories(Path dir, int children) {
		try {
			Map<String, Object> attributes = Files.readAttributes(dir, "unix:isDirectory,nlink",
					LinkOption.NOFOLLOW_LINKS);
			return Boolean.TRUE.equals(attributes.get("isDirectory"))
					&& attributes.get("nlink") instanceof Number links && links.longValue() - 2 == children;
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return false;
		}
	}

	/** @return whether a path is a directory, not a link to one */
	static boolean isRealDirectory(Path path) {
		BasicFileAttributes attributes = attributesOrNull(path);
		return attributes != null && attributes.isDirectory();
	}

	private static @Nullable BasicFileAttributes attributesOrNull(Path path) {
		try {
			return DepotFiles.attributesOrNull(path);
		}
		catch (UncheckedIOException ex) {
			return null;
		}
	}

	/** The entries of {@code dir} in the String order of their names, each name read once. */
	private static List<Named> sortedChildren(Path dir, @Nullable List<String> warnings) {
		List<Path> children = children(dir, warnings);
		List<Named> named = new ArrayList<>(children.size());
		for (Path child : children) {
			named.add(new Named(String.valueOf(child.getFileName()), child));
		}
		named.sort(BY_NAME);
		return named;
	}

	private static List<Path> children(Path dir, @Nullable List<String> warnings) {
		List<Path> children = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
			stream.forEach(children::add);
		}
		catch (NoSuchFileException | NotDirectoryException ex) {
			// Nothing there.
		}
		catch (IOException ex) {
			if (warnings != null) {
				warnings.add("Could not list " + dir + ": " + DepotFiles.describe(ex));
			}
		}
		return children;
	}

}
