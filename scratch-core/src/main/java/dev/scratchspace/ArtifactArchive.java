package dev.scratchspace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;

import dev.scratchspace.ArtifactException.Reason;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes an artifact as a deterministic gzip-compressed tar, so that the same tree gives the
 * same bytes on any machine, by any user, at any time, and a download's {@code sha256} can be
 * published once:
 *
 * <ul>
 * <li>Entries depth-first, each directory before what it holds, the names of one directory in
 * the byte order of their UTF-8 encoding (as {@code tar --sort=name}); paths relative to the
 * artifact, without {@code ./}, directories with a trailing {@code /}. Empty directories are
 * kept (the tree hash ignores them, {@code tar} recreates them).</li>
 * <li>Every entry: modification time 0 (1970-01-01), uid and gid 0, empty user and group
 * names. Modes {@code 0755} for directories, {@code 0755} for files whose owner may execute
 * them (the bit the tree hash reads) and {@code 0644} for the others, whatever the umask of
 * whoever built the artifact; links as symbolic-link entries (mode {@code 0777}) with their
 * target text, never followed.</li>
 * <li>POSIX (pax) headers where a name, link target or size does not fit the ustar fields;
 * names in UTF-8.</li>
 * <li>gzip at level 9, with no modification time (0), no file name and the operating system
 * byte 255 ("unknown"). The deflate output is the JDK's zlib's: the same across machines that
 * run the same zlib, which the bundled one of a JDK is.</li>
 * </ul>
 *
 * The archive is written to a temporary file beside the target and renamed over it, so a
 * reader sees the old file or the whole new one.
 */
final class ArtifactArchive {

	private static final int DIRECTORY_MODE = 040755;

	private static final int FILE_MODE = 0100644;

	private static final int EXECUTABLE_MODE = 0100755;

	private static final int LINK_MODE = 0120777;

	/** "Unknown", RFC 1952: the archive does not depend on where it was made. */
	private static final int GZIP_OS_UNKNOWN = 255;

	private ArtifactArchive() {
	}

	/**
	 * Writes the archive of a tree.
	 * @param tree the artifact's directory
	 * @param tarGz the file to write (replaced if it exists)
	 * @return the SHA-256 of the written bytes, 64 lower-case hexadecimal digits
	 * @throws ArtifactException naming the entry if the tree holds a FIFO, socket or device
	 * @throws IOException if the tree cannot be read or the archive written
	 */
	static String write(Path tree, Path tarGz) throws IOException {
		Path absolute = tarGz.toAbsolutePath();
		Path parent = absolute.getParent();
		Path name = absolute.getFileName();
		if (parent == null || name == null) {
			throw new FileSystemException(absolute.toString(), null, "it is a root directory, not a file");
		}
		Path temporary = parent.resolve(name + ".tmp-" + ProcessHandle.current().pid() + "-"
				+ Long.toHexString(System.nanoTime()));
		try {
			MessageDigest sha256 = sha256();
			try (OutputStream file = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE);
					DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(file, 65536), sha256);
					GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(digest, gzipParameters());
					TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, StandardCharsets.UTF_8.name())) {
				tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
				tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
				writeTree(tree, tar);
				tar.finish();
			}
			try {
				Files.move(temporary, tarGz, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, tarGz, StandardCopyOption.REPLACE_EXISTING);
			}
			return HexFormat.of().formatHex(sha256.digest());
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	private static GzipParameters gzipParameters() {
		GzipParameters parameters = new GzipParameters();
		parameters.setCompressionLevel(Deflater.BEST_COMPRESSION);
		parameters.setModificationTime(0);
		parameters.setOperatingSystem(GZIP_OS_UNKNOWN);
		return parameters;
	}

	private static void writeTree(Path tree, TarArchiveOutputStream tar) throws IOException {
		Deque<Pending> pending = new ArrayDeque<>();
		pushChildren(pending, tree, "");
		while (!pending.isEmpty()) {
			Pending next = pending.pop();
			Path path = next.path();
			BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			if (attributes.isDirectory()) {
				tar.putArchiveEntry(entry(next.name() + "/", TarConstants.LF_DIR, DIRECTORY_MODE, 0));
				tar.closeArchiveEntry();
				pushChildren(pending, path, next.name() + "/");
			}
			else if (attributes.isSymbolicLink()) {
				TarArchiveEntry link = entry(next.name(), TarConstants.LF_SYMLINK, LINK_MODE, 0);
				link.setLinkName(Files.readSymbolicLink(path).toString());
				tar.putArchiveEntry(link);
				tar.closeArchiveEntry();
			}
			else if (attributes.isRegularFile()) {
				int mode = isExecutable(path) ? EXECUTABLE_MODE : FILE_MODE;
				tar.putArchiveEntry(entry(next.name(), TarConstants.LF_NORMAL, mode, attributes.size()));
				try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
					long copied = in.transferTo(tar);
					if (copied != attributes.size()) {
						throw new ArtifactException(Reason.CHANGED_WHILE_READ,
								"Cannot archive " + path + ": it changed while it was read");
					}
				}
				tar.closeArchiveEntry();
			}
			else {
				throw new ArtifactException(Reason.UNSUPPORTED_CONTENT, "Cannot archive " + path
						+ ": it is a FIFO, socket or device, which an artifact cannot hold");
			}
		}
	}

	private static TarArchiveEntry entry(String name, byte type, int mode, long size) {
		TarArchiveEntry entry = new TarArchiveEntry(name, type);
		entry.setMode(mode);
		entry.setSize(size);
		entry.setModTime(FileTime.fromMillis(0));
		entry.setUserId(0L);
		entry.setGroupId(0L);
		entry.setUserName("");
		entry.setGroupName("");
		return entry;
	}

	/** The owner-execute bit, as {@link TreeHash} reads it; where there is no POSIX, as Java sees it. */
	private static boolean isExecutable(Path file) throws IOException {
		if (DepotFiles.supportsPosix(file)) {
			return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
				.permissions()
				.contains(PosixFilePermission.OWNER_EXECUTE);
		}
		return Files.isExecutable(file);
	}

	/** Pushes a directory's entries so that they pop in byte order of their UTF-8 names. */
	private static void pushChildren(Deque<Pending> pending, Path dir, String prefix) throws IOException {
		List<Pending> children = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				children.add(new Pending(entry, prefix + name, name.getBytes(StandardCharsets.UTF_8)));
			}
		}
		children.sort((a, b) -> Arrays.compareUnsigned(a.sortKey(), b.sortKey()));
		for (int i = children.size() - 1; i >= 0; i--) {
			pending.push(children.get(i));
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/** An entry still to write: its path, its name in the archive, its name's sort key. */
	private record Pending(Path path, String name, byte[] sortKey) {
	}

}
