package dev.scratchspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.jspecify.annotations.Nullable;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * The collector's minimal reading of an {@code Artifacts.toml}: only the tree hashes it binds
 * (the full reading, for installing, is {@code ArtifactsToml}'s). Every
 * {@code git-tree-sha1} counts: that of a {@code [name]} table, and each of a platform-specific
 * {@code [[name]]} array of tables, since an artifact bound for any platform is still in use.
 *
 * <p>A recorded file is either the {@code Artifacts.toml} itself or a jar (or any zip) that
 * holds one: then every entry named {@code Artifacts.toml}, at the root or in any directory
 * ({@code BOOT-INF/classes/Artifacts.toml}), is read from the jar in place, through its central
 * directory, without extracting anything; all of a jar's entries together are bounded as one
 * file is. Only regular files are opened (the file itself may be reached through a link: a
 * project directory often is); sizes are bounded, so that no recorded file can make the
 * collector block, decompress without end or run out of memory.
 */
final class ArtifactsTomlHashes {

	/** The largest {@code Artifacts.toml} read, on disk or in a jar. */
	static final int MAX_TOML_BYTES = 16 * 1024 * 1024;

	private static final Pattern TREE_HASH = Pattern.compile("[0-9a-f]{40}");

	private static final String FILE_NAME = "Artifacts.toml";

	private ArtifactsTomlHashes() {
	}

	/**
	 * What a recorded file binds.
	 * @param hashes the tree hashes it binds, as far as it could be read
	 * @param problem why it (or one of its entries) could not be read, or null: then what it
	 * binds is not fully known
	 */
	record Bound(Set<String> hashes, @Nullable String problem) {
	}

	/**
	 * Reads the tree hashes a recorded file binds.
	 * @param file an {@code Artifacts.toml}, or a jar holding one or more
	 * @return the hashes, or {@code null} if the file does not exist (it binds nothing); a
	 * regular file that cannot be read or parsed returns the hashes read, if any, and the
	 * problem; anything else (a directory, a FIFO) binds nothing
	 */
	static @Nullable Bound read(Path file) {
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(file, BasicFileAttributes.class);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			return new Bound(Set.of(), "it could not be read: " + DepotFiles.describe(ex));
		}
		if (!attributes.isRegularFile()) {
			// A directory or a FIFO where the file was is no Artifacts.toml: it binds nothing.
			return new Bound(Set.of(), null);
		}
		try {
			byte[] start = readStart(file);
			if (isZip(start)) {
				return readJar(file);
			}
			if (attributes.size() > MAX_TOML_BYTES) {
				return new Bound(Set.of(), "it is larger than " + MAX_TOML_BYTES + " bytes");
			}
			Set<String> hashes = new LinkedHashSet<>();
			String problem = addHashes(readAll(file), hashes);
			return new Bound(hashes, problem);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			return new Bound(Set.of(), "it could not be read: " + DepotFiles.describe(ex));
		}
	}

	private static boolean isZip(byte[] start) {
		return start.length >= 4 && start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4;
	}

	/** The first bytes of a regular file, opened so that nothing put in its place blocks. */
	private static byte[] readStart(Path file) throws IOException {
		try (FileChannel channel = RegularFiles.openForReading(file.toRealPath()).channel()) {
			ByteBuffer buffer = ByteBuffer.allocate(4);
			while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
				// read on
			}
			byte[] start = new byte[buffer.position()];
			buffer.flip().get(start);
			return start;
		}
	}

	private static byte[] readAll(Path file) throws IOException {
		RegularFiles.Opened opened = RegularFiles.openForReading(file.toRealPath());
		try (FileChannel channel = opened.channel()) {
			if (opened.size() > MAX_TOML_BYTES) {
				throw new IOException("it is larger than " + MAX_TOML_BYTES + " bytes");
			}
			ByteBuffer buffer = ByteBuffer.allocate((int) opened.size());
			while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
				// read on
			}
			byte[] bytes = new byte[buffer.position()];
			buffer.flip().get(bytes);
			return bytes;
		}
	}

	private static Bound readJar(Path jar) throws IOException {
		Set<String> hashes = new LinkedHashSet<>();
		String problem = null;
		// One budget for all the jar's entries together: a jar of many highly compressed
		// entries would otherwise make the collector decompress and parse without end.
		long budget = MAX_TOML_BYTES;
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			Enumeration<? extends ZipEntry> entries = zip.entries();
			while (entries.hasMoreElements()) {
				ZipEntry entry = entries.nextElement();
				String name = entry.getName();
				if (entry.isDirectory() || !(name.equals(FILE_NAME) || name.endsWith("/" + FILE_NAME))) {
					continue;
				}
				byte[] bytes;
				try (InputStream in = zip.getInputStream(entry)) {
					bytes = in.readNBytes((int) budget + 1);
				}
				if (bytes.length > budget) {
					return new Bound(hashes, "its " + FILE_NAME + " entries together are larger than "
							+ MAX_TOML_BYTES + " bytes (the bound of one " + FILE_NAME + ")");
				}
				budget -= bytes.length;
				String wrong = addHashes(bytes, hashes);
				if (wrong != null && problem == null) {
					problem = "its entry " + name + " could not be read: " + wrong;
				}
			}
		}
		catch (ZipException ex) {
			return new Bound(Set.of(), "it looks like a jar but could not be read as one: " + ex.getMessage());
		}
		// A jar without an Artifacts.toml binds nothing: that is known, not a problem.
		return new Bound(hashes, problem);
	}

	/** @return what was wrong with the file, or null */
	private static @Nullable String addHashes(byte[] bytes, Set<String> hashes) {
		TomlTable toml;
		try {
			toml = TomljFallback.parse(bytes, 0, bytes.length);
		}
		catch (MalformedTomlException ex) {
			return "it is not valid TOML (" + ex.getMessage() + ")";
		}
		for (String name : toml.keySet()) {
			Object value = toml.get(List.of(name));
			if (value instanceof TomlTable table) {
				addHash(table, hashes);
			}
			else if (value instanceof TomlArray array) {
				for (int i = 0; i < array.size(); i++) {
					if (array.get(i) instanceof TomlTable table) {
						addHash(table, hashes);
					}
				}
			}
		}
		return null;
	}

	private static void addHash(TomlTable table, Set<String> hashes) {
		if (table.get(List.of("git-tree-sha1")) instanceof String hash && TREE_HASH.matcher(hash).matches()) {
			hashes.add(hash);
		}
	}

}
