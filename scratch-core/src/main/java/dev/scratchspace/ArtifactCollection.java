package dev.scratchspace;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The artifact part of a garbage-collection run (Julia's {@code Pkg.gc()} for artifacts).
 */
final class ArtifactCollection {

	private static final Pattern TREE_HASH = Pattern.compile("[0-9a-f]{40}");

	private ArtifactCollection() {
	}

	/**
	 * The artifact directories: every directory {@code <root>/<40 lower-case hex digits>},
	 * found without following links, sorted by name. The collector's own trash names are
	 * skipped silently; every other name (a link, a file, a name that is no tree hash) is
	 * never touched, and reported in {@code warnings} if given.
	 * @param root {@code artifacts/}, which the caller checked is not a link
	 * @param warnings where names left alone are reported, or null
	 * @return the directories; empty if {@code root} does not exist
	 * @throws java.io.UncheckedIOException if {@code root} cannot be listed
	 */
	static List<Path> list(Path root, @Nullable List<String> warnings) {
		List<Path> dirs = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
			for (Path entry : entries) {
				String name = String.valueOf(entry.getFileName());
				BasicFileAttributes attributes = DepotFiles.attributesOrNull(entry);
				if (attributes == null) {
					continue;
				}
				boolean hash = TREE_HASH.matcher(name).matches();
				if (hash && attributes.isDirectory()) {
					dirs.add(entry);
				}
				else if (warnings != null && !SpaceRemoval.isTrashName(name)) {
					warnings.add("Left " + entry + " alone: "
							+ (attributes.isSymbolicLink() ? "it is a symbolic link"
									: !attributes.isDirectory() ? "it is not a directory"
											: "its name is not a tree hash")
							+ ", so it is no artifact");
				}
			}
		}
		catch (NoSuchFileException ex) {
			return List.of();
		}
		catch (IOException ex) {
			throw DepotFiles.failure("list the artifacts in", root, ex);
		}
		dirs.sort(null);
		return dirs;
	}

}
