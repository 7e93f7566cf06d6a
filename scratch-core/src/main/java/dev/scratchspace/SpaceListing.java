package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The spaces found by listing {@code <spaces root>/<owner-uuid>/<key>}: the only paths that
 * garbage collection ever deletes. Entries that are directories or symbolic links count;
 * directories whose name is not a UUID, and regular files, are left alone.
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
			for (Named space : spaces) {
				BasicFileAttributes attributes = attributesOrNull(space.path());
				if (attributes != null && (attributes.isDirectory() || attributes.isSymbolicLink())) {
					entries.add(new Entry(owner, space.name(), space.path(), attributes.isSymbolicLink()));
				}
			}
		}
		return entries;
	}

	static List<Path> ownerDirectories(Path spacesRoot) {
		List<Path> owners = new ArrayList<>();
		for (Path ownerDir : children(spacesRoot, null)) {
			if (ScratchKeys.isOwnerDirectoryName(ownerDir.getFileName().toString())
					&& isRealDirectory(ownerDir)) {
				owners.add(ownerDir);
			}
		}
		return owners;
	}

	private static boolean isRealDirectory(Path path) {
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
