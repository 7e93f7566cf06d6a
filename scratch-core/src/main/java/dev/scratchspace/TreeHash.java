package dev.scratchspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import dev.scratchspace.ArtifactException.Reason;
import org.jspecify.annotations.Nullable;

/**
 * The git tree SHA-1 of a directory: what {@code git add -A && git write-tree} gives for it,
 * and what Julia's {@code Pkg.GitTools.tree_hash} computes, the name of an artifact.
 *
 * <p>Each entry is hashed as git stores it: a regular file as a blob of its content, with mode
 * {@code 100755} if its owner may execute it, else {@code 100644}; a symbolic link as a blob of
 * its target text ({@code 120000}), never followed; a directory as a tree ({@code 40000}).
 * Entries are in git's order: by the bytes of their names, a directory's name compared as if
 * it ended with {@code /}. Like git, entries named {@code .git} are skipped at every level, and
 * so is a directory with no file or link anywhere below it (git stores no empty tree); only
 * the directory hashed may be empty, which gives git's empty tree
 * {@code 4b825dc642cb6eb9a060e54bf8d69288fbee4904}. (Julia's {@code tree_hash} differs from git
 * in one corner: a directory that holds nothing but {@code .git} entries is kept there as an empty tree; here it is
 * skipped, as git does.) Names git itself refuses to add, such as {@code .GIT}, are hashed
 * like any other, as Julia does.
 *
 * <p>Names and link targets are hashed as the bytes the file system holds: they are read in
 * the platform's file-name encoding ({@code sun.jnu.encoding}, UTF-8 on a UTF-8 locale), and a
 * name or target that does not decode exactly in it is refused rather than hashed wrong.
 * Where the file system has no POSIX permissions, no file is executable.
 *
 * <p>The walk keeps an explicit stack, so depth does not exhaust the Java stack, and never
 * follows a link: entries are read with {@code lstat}, a directory opened by its path must be
 * the very one listed in its parent (same device and inode, where the file system offers
 * {@link SecureDirectoryStream}), and files are opened with {@code O_NOFOLLOW}. A tree that
 * changes while it is hashed fails or gives a hash of no particular state: hash trees nobody
 * writes (an artifact, or a staging directory once its populator returned). Paths longer than
 * the platform resolves fail.
 */
public final class TreeHash {

	/** The tree hash of an empty directory: git's empty tree. */
	static final String EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

	private static final byte[] MODE_FILE = ascii("100644");

	private static final byte[] MODE_EXECUTABLE = ascii("100755");

	private static final byte[] MODE_LINK = ascii("120000");

	private static final byte[] MODE_DIRECTORY = ascii("40000");

	private TreeHash() {
	}

	/**
	 * Computes the git tree hash of a directory.
	 * @param directory a directory (not a link to one)
	 * @return 40 lower-case hexadecimal digits
	 * @throws ArtifactException naming the entry if the tree holds a FIFO, socket or device,
	 * a name that does not decode exactly, or an entry that changed while it was hashed; or if
	 * {@code directory} is a link or not a directory
	 * @throws UncheckedIOException naming the path if the tree cannot be read
	 */
	public static String of(Path directory) {
		Objects.requireNonNull(directory, "'directory' must not be null");
		Path root = directory.toAbsolutePath();
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException ex) {
			throw DepotFiles.failure("hash the tree", root, ex);
		}
		if (attributes.isSymbolicLink()) {
			throw new ArtifactException(Reason.UNSUPPORTED_CONTENT,
					"Refusing to hash " + root + ": it is a symbolic link, and tree hashes never follow links");
		}
		if (!attributes.isDirectory()) {
			throw new ArtifactException(Reason.UNSUPPORTED_CONTENT,
					"Cannot hash " + root + " as a tree: it is not a directory");
		}
		return HexFormat.of().formatHex(new Walk(root).hash(attributes));
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/** One walk: its digest and read buffer are reused for every entry. */
	private static final class Walk {

		private final Path root;

		private final Charset charset;

		private final MessageDigest sha1 = sha1();

		private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

		Walk(Path root) {
			this.root = root;
			this.charset = nameCharset(root);
		}

		byte[] hash(BasicFileAttributes rootAttributes) {
			Deque<Level> stack = new ArrayDeque<>();
			stack.push(open(this.root, new byte[0], rootAttributes));
			while (true) {
				Level level = stack.peek();
				if (level.next < level.children.size()) {
					Child child = level.children.get(level.next++);
					if (child.attributes.isDirectory()) {
						stack.push(open(child.path, child.name, child.attributes));
					}
					else if (child.attributes.isSymbolicLink()) {
						level.entries.add(new Entry(MODE_LINK, child.name, linkBlob(child)));
					}
					else {
						level.entries.add(new Entry(child.executable ? MODE_EXECUTABLE : MODE_FILE, child.name,
								fileBlob(child)));
					}
					continue;
				}
				stack.pop();
				byte[] tree = tree(level.entries);
				Level parent = stack.peek();
				if (parent == null) {
					return tree;
				}
				// Git stores no empty tree: a directory with nothing hashed below it is left out.
				if (!level.entries.isEmpty()) {
					parent.entries.add(new Entry(MODE_DIRECTORY, level.name, tree));
				}
			}
		}

		/** Lists a directory, checking that it is still the one its parent listed. */
		private Level open(Path dir, byte[] name, BasicFileAttributes listed) {
			List<Child> children = new ArrayList<>();
			try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
				SecureDirectoryStream<Path> secure = (stream instanceof SecureDirectoryStream<Path> s) ? s : null;
				if (secure != null) {
					Object opened = secure.getFileAttributeView(BasicFileAttributeView.class)
						.readAttributes()
						.fileKey();
					if (listed.fileKey() != null && !listed.fileKey().equals(opened)) {
						throw changed(dir);
					}
				}
				for (Path entry : stream) {
					Path fileName = entry.getFileName();
					String text = fileName.toString();
					if (".git".equals(text)) {
						continue;
					}
					BasicFileAttributes attributes = attributes(secure, entry, fileName);
					if (attributes.isOther()) {
						throw new ArtifactException(Reason.UNSUPPORTED_CONTENT, "Refusing to hash " + entry
								+ ": it is a FIFO, socket or device, which an artifact cannot hold");
					}
					children.add(new Child(entry, nameBytes(entry, fileName, text), attributes,
							isExecutable(attributes)));
				}
			}
			catch (IOException ex) {
				throw DepotFiles.failure("hash the tree", dir, ex);
			}
			children.sort(Child::compareTo);
			return new Level(name, children);
		}

		private static BasicFileAttributes attributes(@Nullable SecureDirectoryStream<Path> secure, Path entry,
				Path fileName) throws IOException {
			if (secure != null) {
				PosixFileAttributeView posix = secure.getFileAttributeView(fileName, PosixFileAttributeView.class,
						LinkOption.NOFOLLOW_LINKS);
				if (posix != null) {
					return posix.readAttributes();
				}
			}
			if (DepotFiles.supportsPosix(entry)) {
				return Files.readAttributes(entry, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
			}
			return Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}

		private static boolean isExecutable(BasicFileAttributes attributes) {
			return attributes.isRegularFile() && attributes instanceof PosixFileAttributes posix
					&& posix.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
		}

		private byte[] nameBytes(Path entry, Path fileName, String text) {
			// U+FFFD stands for bytes the encoding could not decode: then the name is not exact.
			if (text.indexOf('\uFFFD') >= 0 && !fileName.equals(fileName.getFileSystem().getPath(text))) {
				throw notExact("name", entry);
			}
			return text.getBytes(this.charset);
		}

		private byte[] linkBlob(Child link) {
			String text;
			try {
				// The JDK keeps the target's bytes as read (no slashes removed); toString decodes them.
				text = Files.readSymbolicLink(link.path).toString();
			}
			catch (IOException ex) {
				throw DepotFiles.failure("read the link", link.path, ex);
			}
			byte[] target = text.getBytes(this.charset);
			if (text.indexOf('\uFFFD') >= 0 && target.length != link.attributes.size()) {
				throw notExact("link target", link.path);
			}
			this.sha1.update(ascii("blob " + target.length + "\0"));
			this.sha1.update(target);
			return this.sha1.digest();
		}

		private byte[] fileBlob(Child file) {
			long size = file.attributes.size();
			this.sha1.update(ascii("blob " + size + "\0"));
			long read = 0;
			try (FileChannel channel = FileChannel.open(file.path, StandardOpenOption.READ,
					LinkOption.NOFOLLOW_LINKS)) {
				BasicFileAttributes opened = Files.readAttributes(file.path, BasicFileAttributes.class,
						LinkOption.NOFOLLOW_LINKS);
				if (file.attributes.fileKey() != null && !file.attributes.fileKey().equals(opened.fileKey())) {
					throw changed(file.path);
				}
				while (read <= size) {
					this.buffer.clear();
					int n = channel.read(this.buffer);
					if (n < 0) {
						break;
					}
					this.sha1.update(this.buffer.array(), 0, n);
					read += n;
				}
			}
			catch (IOException ex) {
				this.sha1.reset();
				throw DepotFiles.failure("hash the file", file.path, ex);
			}
			if (read != size) {
				this.sha1.reset();
				throw changed(file.path);
			}
			return this.sha1.digest();
		}

		private byte[] tree(List<Entry> entries) {
			ByteArrayOutputStream content = new ByteArrayOutputStream();
			for (Entry entry : entries) {
				content.writeBytes(entry.mode);
				content.write(' ');
				content.writeBytes(entry.name);
				content.write(0);
				content.writeBytes(entry.hash);
			}
			this.sha1.update(ascii("tree " + content.size() + "\0"));
			this.sha1.update(content.toByteArray());
			return this.sha1.digest();
		}

		private ArtifactException notExact(String what, Path path) {
			return new ArtifactException(Reason.UNSUPPORTED_CONTENT, "Cannot hash " + path + ": its " + what
					+ " is not valid in the platform's file-name encoding " + this.charset
					+ ", so its bytes cannot be read exactly (run with a UTF-8 locale, such as LANG=C.UTF-8)");
		}

		private static ArtifactException changed(Path path) {
			return new ArtifactException(Reason.CHANGED_WHILE_READ,
					"Cannot hash " + path + ": it changed while it was hashed");
		}

		private static Charset nameCharset(Path path) {
			if (path.getFileSystem() != FileSystems.getDefault() || !"/".equals(path.getFileSystem().getSeparator())) {
				// Names there are Unicode text; git writes them as UTF-8.
				return StandardCharsets.UTF_8;
			}
			String encoding = System.getProperty("sun.jnu.encoding");
			try {
				return (encoding != null) ? Charset.forName(encoding) : StandardCharsets.UTF_8;
			}
			catch (IllegalArgumentException ex) {
				return StandardCharsets.UTF_8;
			}
		}

		private static MessageDigest sha1() {
			try {
				return MessageDigest.getInstance("SHA-1");
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("SHA-1 is required of every Java platform", ex);
			}
		}

	}

	/** A directory being hashed: its listing, in git's order, and the entries hashed so far. */
	private static final class Level {

		final byte[] name;

		final List<Child> children;

		final List<Entry> entries = new ArrayList<>();

		int next;

		Level(byte[] name, List<Child> children) {
			this.name = name;
			this.children = children;
		}

	}

	/** An entry as listed. */
	private record Child(Path path, byte[] name, BasicFileAttributes attributes, boolean executable) {

		/** Git's order: name bytes, unsigned, a directory's name followed by {@code /}. */
		int compareTo(Child other) {
			int common = Math.min(this.name.length, other.name.length);
			int compared = Arrays.compareUnsigned(this.name, 0, common, other.name, 0, common);
			if (compared != 0) {
				return compared;
			}
			return Integer.compare(byteAfter(common), other.byteAfter(common));
		}

		private int byteAfter(int index) {
			if (index < this.name.length) {
				return this.name[index] & 0xff;
			}
			return this.attributes.isDirectory() ? '/' : 0;
		}

	}

	/** A hashed entry of a tree. */
	private record Entry(byte[] mode, byte[] name, byte[] hash) {
	}

}
