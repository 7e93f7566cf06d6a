package dev.scratchspace;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.scratchspace.ArtifactException.Reason;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Extracts a gzip-compressed tar into an empty directory, refusing anything that could reach
 * outside it or exhaust the disk. The tarball comes from a download: only its SHA-256 was
 * checked, and the tree hash is checked only after extraction, so until then it is treated as
 * hostile. An entry is refused (and the whole extraction with it, naming the entry) if:
 *
 * <ul>
 * <li>its path is absolute, or has a {@code ..} component (a leading {@code ./} and
 * {@code .} components are dropped; the entry {@code ./} itself is the root);</li>
 * <li>it is a symbolic link whose target is absolute, or leaves the directory when resolved
 * lexically against the link's own directory;</li>
 * <li>it is a hard link: all hard links are refused (no artifact this library writes has one,
 * and {@code git} does not store them);</li>
 * <li>it is a character or block device, a FIFO, a GNU sparse file or any other type;</li>
 * <li>its path was already extracted (duplicate entries: tar would let the later one win);</li>
 * <li>it would be written below a path that an earlier entry made a link or a file.</li>
 * </ul>
 *
 * Writing never follows a link: each entry's parents are directories this extraction made
 * (tracked, not looked up, in a staging directory only its owner may write), and files,
 * directories and links are created new ({@code O_CREAT|O_EXCL}, which does not follow a
 * link in the final name). The sizes are capped by the {@link ArtifactLimits}: the files'
 * bytes, the number of entries (each directory an entry's path implies, that no entry of its
 * own names, counts as one), the decompressed stream as a whole, and the headers of each entry
 * (pax records and GNU long names, which the tar reader holds in memory whole).
 *
 * <p>Files get mode {@code 0755} if their entry's owner-execute bit is set, else
 * {@code 0644}; directories {@code 0755}; modification times and owners are not restored
 * (the tree hash reads none of them).
 */
final class SafeExtraction {

	private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");

	private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");

	private static final Set<PosixFilePermission> DIRECTORY = EXECUTABLE;

	/** What this extraction made at each relative path. */
	private enum Kind {

		/** A directory made for a later entry's path, which an entry of its own may still name. */
		IMPLICIT_DIRECTORY, DIRECTORY, FILE, LINK

	}

	private final Path root;

	private final ArtifactLimits limits;

	private final boolean posix;

	private final Map<String, Kind> made = new HashMap<>();

	private long entries;

	private long bytes;

	private SafeExtraction(Path root, ArtifactLimits limits) {
		this.root = root;
		this.limits = limits;
		this.posix = DepotFiles.supportsPosix(root);
	}

	/**
	 * Extracts a tarball into {@code root}, an empty directory.
	 * @throws ArtifactException naming the entry and the reason if an entry is refused or a
	 * cap is passed
	 * @throws IOException if the tarball cannot be read (not gzip, truncated) or the tree
	 * not written
	 */
	static void extract(Path tarGz, Path root, ArtifactLimits limits) throws IOException {
		new SafeExtraction(root, limits).run(tarGz);
	}

	private void run(Path tarGz) throws IOException {
		try (InputStream file = Files.newInputStream(tarGz, LinkOption.NOFOLLOW_LINKS);
				InputStream gzip = new GzipMembers(file);
				Bounded bounded = new Bounded(gzip, this.limits.maxTarBytes());
				// Names as archive and tar in a UTF-8 locale write them, whatever this JVM's default charset.
				TarArchiveInputStream tar = new TarArchiveInputStream(bounded, StandardCharsets.UTF_8.name())) {
			while (true) {
				// Pax records and long names are read into memory: their bytes are capped per entry.
				bounded.startHeaders();
				TarArchiveEntry entry = tar.getNextEntry();
				bounded.endHeaders();
				if (entry == null) {
					break;
				}
				count(entry.getName());
				extract(entry, tar);
			}
		}
	}

	private void extract(TarArchiveEntry entry, InputStream content) throws IOException {
		String name = entry.getName();
		List<String> names = components(name);
		if (names.isEmpty()) {
			if (entry.isDirectory()) {
				return; // "./": the root itself
			}
			throw refused(name, "it names the artifact's root, and is not a directory");
		}
		String path = String.join("/", names);
		Kind before = this.made.get(path);
		if (before != null && !(before == Kind.IMPLICIT_DIRECTORY && entry.isDirectory())) {
			throw refused(name, "it is a duplicate of an earlier entry");
		}
		Path target = parentOf(names, name).resolve(names.get(names.size() - 1));
		if (entry.isDirectory()) {
			if (before == null) {
				createDirectory(target);
			}
			this.made.put(path, Kind.DIRECTORY);
		}
		else if (entry.isSymbolicLink()) {
			checkLinkTarget(name, names, entry.getLinkName());
			Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
			this.made.put(path, Kind.LINK);
		}
		else if (entry.isLink()) {
			throw refused(name, "it is a hard link (to " + MessageText.printable(entry.getLinkName())
					+ "), which an artifact cannot hold");
		}
		else if (isRegularFile(entry)) {
			writeFile(name, target, entry, content);
			this.made.put(path, Kind.FILE);
		}
		else {
			throw refused(name, "it is " + kind(entry) + ", which an artifact cannot hold");
		}
	}

	/**
	 * Counts one more entry, or one more directory that an entry's path implies, against the
	 * cap: a single entry a thousand directories deep makes a thousand and one.
	 */
	private void count(String name) {
		if (++this.entries > this.limits.maxEntries()) {
			throw refused(name, "the tarball has more than " + this.limits.maxEntries()
					+ " entries (counting the directories their paths imply), the most an artifact may have");
		}
	}

	private void writeFile(String name, Path target, TarArchiveEntry entry, InputStream content) throws IOException {
		long size = entry.getSize();
		if (size > this.limits.maxExtractedBytes() - this.bytes) {
			throw refused(name, "its files would hold more than " + this.limits.maxExtractedBytes()
					+ " bytes, the most an artifact may hold");
		}
		this.bytes += size;
		try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
				LinkOption.NOFOLLOW_LINKS)) {
			long copied = content.transferTo(out);
			if (copied != size) {
				throw refused(name, "it holds " + copied + " bytes, not the " + size + " its header says");
			}
		}
		if (this.posix) {
			boolean executable = (entry.getMode() & 0100) != 0;
			Files.getFileAttributeView(target, java.nio.file.attribute.PosixFileAttributeView.class,
					LinkOption.NOFOLLOW_LINKS).setPermissions(executable ? EXECUTABLE : FILE);
		}
	}

	/**
	 * The directory an entry goes into, every missing directory on the way made; refused if an
	 * earlier entry made one of its parents a link or a file.
	 */
	private Path parentOf(List<String> names, String name) throws IOException {
		Path dir = this.root;
		StringBuilder path = new StringBuilder();
		for (int i = 0; i < names.size() - 1; i++) {
			if (i > 0) {
				path.append('/');
			}
			path.append(names.get(i));
			dir = dir.resolve(names.get(i));
			Kind kind = this.made.get(path.toString());
			if (kind == null) {
				// A directory no entry names is made all the same: it counts as one.
				count(name);
				createDirectory(dir);
				this.made.put(path.toString(), Kind.IMPLICIT_DIRECTORY);
			}
			else if (kind == Kind.LINK || kind == Kind.FILE) {
				throw refused(name, "an earlier entry made " + path + " a " + ((kind == Kind.LINK) ? "link" : "file")
						+ ", and nothing is written through it");
			}
		}
		return dir;
	}

	private void createDirectory(Path dir) throws IOException {
		if (this.posix) {
			Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
		}
		else {
			Files.createDirectory(dir);
		}
	}

	/** Refuses a link target that is absolute or, resolved lexically from the link's directory, leaves the root. */
	private static void checkLinkTarget(String name, List<String> names, String target) {
		if (target.isEmpty()) {
			throw refused(name, "it is a link with an empty target");
		}
		if (target.startsWith("/")) {
			throw refused(name, "it is a link to the absolute path " + MessageText.printable(target)
					+ ", outside the artifact");
		}
		int depth = names.size() - 1;
		for (String part : target.split("/", -1)) {
			if (part.equals("..")) {
				if (--depth < 0) {
					throw refused(name, "it is a link to " + MessageText.printable(target) + ", outside the artifact");
				}
			}
			else if (!part.isEmpty() && !part.equals(".")) {
				depth++;
			}
		}
	}

	/**
	 * The components of an entry's path; refused if absolute or with a {@code ..}; empty for
	 * the root.
	 */
	private static List<String> components(String name) {
		if (name.startsWith("/")) {
			throw refused(name, "its path is absolute");
		}
		if (name.indexOf('\0') >= 0) {
			throw refused(name, "its path holds a NUL character");
		}
		List<String> names = new ArrayList<>();
		for (String part : name.split("/")) {
			if (part.equals("..")) {
				throw refused(name, "its path has a '..' component");
			}
			if (!part.isEmpty() && !part.equals(".")) {
				names.add(part);
			}
		}
		return names;
	}

	/**
	 * Whether an entry is a regular file, by its type flag alone: Commons Compress's
	 * {@code isFile()} also says so of FIFOs and devices.
	 */
	private static boolean isRegularFile(TarArchiveEntry entry) {
		byte type = entry.getLinkFlag();
		return (type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM
				|| type == TarConstants.LF_CONTIG) && !entry.isSparse();
	}

	private static String kind(TarArchiveEntry entry) {
		if (entry.isCharacterDevice()) {
			return "a character device";
		}
		if (entry.isBlockDevice()) {
			return "a block device";
		}
		if (entry.isFIFO()) {
			return "a FIFO";
		}
		if (entry.isSparse()) {
			return "a sparse file";
		}
		return "an entry of type '" + (char) entry.getLinkFlag() + "'";
	}

	private static ArtifactException refused(String name, String why) {
		return new ArtifactException(Reason.UNSAFE_ARCHIVE,
				"Refusing the tarball entry '" + MessageText.printable(name) + "': " + why);
	}

	/**
	 * The decompressed bytes of every gzip member of a stream, one after the other, as
	 * {@code gzip} and {@code tar} read a tarball written in several members ({@code bgzip},
	 * {@code cat a.tar.gz b.tar.gz}). What follows the last member and is not the start of
	 * another (the zeros that pad a tape-sized block, say) is ignored, as {@code gzip} ignores
	 * it: the download's SHA-256 covers it, and the tree hash decides what was extracted.
	 */
	private static final class GzipMembers extends InputStream {

		private static final int MAGIC_1 = 0x1f;

		private static final int MAGIC_2 = 0x8b;

		/** Marks the end of each member: a member's stream leaves it just past its trailer. */
		private final BufferedInputStream in;

		private @Nullable InputStream member;

		GzipMembers(InputStream file) throws IOException {
			this.in = new BufferedInputStream(file, 65536);
			this.member = member(this.in);
		}

		private static InputStream member(BufferedInputStream in) throws IOException {
			return GzipCompressorInputStream.builder().setInputStream(in).get();
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int n = read(one, 0, 1);
			return (n < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			if (len == 0) {
				return 0;
			}
			while (this.member != null) {
				int n = this.member.read(b, off, len);
				if (n >= 0) {
					return n;
				}
				this.member = startsAnotherMember() ? member(this.in) : null;
			}
			return -1;
		}

		private boolean startsAnotherMember() throws IOException {
			this.in.mark(2);
			int first = this.in.read();
			int second = this.in.read();
			this.in.reset();
			return first == MAGIC_1 && second == MAGIC_2;
		}

		@Override
		public void close() throws IOException {
			this.in.close();
		}

	}

	/** Fails a read past a number of bytes: the decompressed stream as a whole is capped. */
	private static final class Bounded extends FilterInputStream {

		private final long max;

		private long read;

		/** Where the headers of the next entry began, or -1 outside them. */
		private long headers = -1;

		Bounded(InputStream in, long max) {
			super(in);
			this.max = max;
		}

		/** Counts what follows, up to the next entry's data, against the cap on one entry's headers. */
		void startHeaders() {
			this.headers = this.read;
		}

		void endHeaders() {
			this.headers = -1;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int n = read(one, 0, 1);
			return (n < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			int n = super.read(b, off, len);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		@Override
		public long skip(long n) throws IOException {
			long skipped = super.skip(n);
			count(Math.max(0, skipped));
			return skipped;
		}

		private void count(long n) {
			this.read += n;
			if (this.read > this.max) {
				throw new ArtifactException(Reason.UNSAFE_ARCHIVE,
						"Refusing the tarball: it expands to more than " + this.max
						+ " bytes, the most an artifact's tar stream may have");
			}
			if (this.headers >= 0 && this.read - this.headers > ArtifactLimits.MAX_HEADER_BYTES_PER_ENTRY) {
				throw new ArtifactException(Reason.UNSAFE_ARCHIVE, "Refusing the tarball: the headers of an entry (its pax records or long"
						+ " names) take more than " + ArtifactLimits.MAX_HEADER_BYTES_PER_ENTRY
						+ " bytes, the most one entry's headers may take");
			}
		}

	}

}
