package dev.scratchspace;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Everything observable about a directory tree, without following links: per entry its
 * type, size, modification time, permissions, and the digest of a file's content or the
 * target of a link. Two equal snapshots mean nothing in the tree was created, deleted,
 * written or touched in between (creating and removing an entry changes its directory's
 * modification time).
 */
public final class DirectorySnapshot {

	private DirectorySnapshot() {
	}

	/**
	 * Takes a snapshot.
	 * @param root the tree
	 * @return one description per entry, by path relative to the root
	 * @throws IOException if the tree cannot be read
	 */
	public static Map<String, String> of(Path root) throws IOException {
		Map<String, String> entries = new TreeMap<>();
		Files.walkFileTree(root, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
				entries.put(name(root, dir), describe(dir, attributes));
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
				entries.put(name(root, file), describe(file, attributes));
				return FileVisitResult.CONTINUE;
			}

		});
		return entries;
	}

	private static String name(Path root, Path path) {
		String relative = root.relativize(path).toString();
		return relative.isEmpty() ? "." : relative;
	}

	private static String describe(Path path, BasicFileAttributes attributes) throws IOException {
		String type = attributes.isSymbolicLink() ? "link" : attributes.isDirectory() ? "dir" : "file";
		StringBuilder out = new StringBuilder(type).append(" size=")
			.append(attributes.size())
			.append(" mtime=")
			.append(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS))
			.append(" mode=")
			.append(PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)));
		if (attributes.isSymbolicLink()) {
			out.append(" target=").append(Files.readSymbolicLink(path));
		}
		else if (attributes.isRegularFile()) {
			out.append(" sha256=").append(sha256(Files.readAllBytes(path)));
		}
		return out.toString();
	}

	private static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
