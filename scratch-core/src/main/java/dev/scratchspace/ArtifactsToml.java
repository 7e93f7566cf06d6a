package dev.scratchspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import dev.scratchspace.ArtifactException.Reason;
import org.jspecify.annotations.Nullable;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Reads an {@code Artifacts.toml} in Julia's format ({@code Pkg.Artifacts}):
 *
 * <pre>
 * [tool]
 * git-tree-sha1 = "83c7…"
 * lazy = true
 *
 *     [[tool.download]]
 *     url = "https://example.org/tool.tar.gz"
 *     sha256 = "9c1e…"
 * </pre>
 *
 * A name may also hold an array of tables {@code [[tool]]}, one per platform (with keys such
 * as {@code os} and {@code arch}): every {@code git-tree-sha1} they hold counts as bound, so
 * that a collection keeps them all, but {@link Entry#treeHash()} refuses to choose one (this
 * library does not match platforms).
 *
 * <p>Parsed with tomlj. Malformed content fails with an {@link ArtifactException} that names
 * the file and, where one is at fault, the entry: a collection must not mistake a damaged
 * file for one that binds nothing, and an install must not guess. The file is read whole, at
 * most {@link #MAX_BYTES} bytes and {@link TomljFallback#MAX_LINES} lines that are not blank or
 * comments (those tomlj never sees: runs of them slow it down far faster than linearly), from
 * any file system (an {@code Artifacts.toml} inside a jar is a path of a zip file system);
 * only a regular file (links followed) is read, so a FIFO in its place is refused instead of
 * blocking the read.
 */
final class ArtifactsToml {

	/** A larger file is refused: Julia's largest registries' files are a few hundred kB. */
	static final int MAX_BYTES = 16 * 1024 * 1024;

	static final Pattern TREE_HASH = Pattern.compile("[0-9a-f]{40}");

	static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

	static final String TREE_HASH_KEY = "git-tree-sha1";

	static final String DOWNLOAD_KEY = "download";

	private static final String FILE_NAME = "Artifacts.toml";

	private final Path file;

	private final Map<String, Entry> entries;

	private ArtifactsToml(Path file, Map<String, Entry> entries) {
		this.file = file;
		this.entries = entries;
	}

	/**
	 * Reads and checks a whole file.
	 * @param file the {@code Artifacts.toml}
	 * @return its entries
	 * @throws ArtifactException naming the file (and the entry) if it is not valid TOML, not
	 * in Julia's format, or not a regular file, or does not exist
	 * @throws UncheckedIOException naming the file if it cannot be read
	 */
	static ArtifactsToml read(Path file) {
		return parse(file, readText(file));
	}

	/**
	 * Checks text as the content of {@code file}.
	 * @throws ArtifactException as {@link #read} does
	 */
	static ArtifactsToml parse(Path file, String text) {
		TomlParseResult parsed;
		TomlLines.Stripped stripped;
		try {
			// A recorded file may be anything: guard tomlj against what it does not survive.
			TomljFallback.checkNesting(text);
			stripped = TomljFallback.stripTrivia(text);
			parsed = Toml.parse(stripped.text());
		}
		catch (MalformedTomlException ex) {
			throw new ArtifactException(Reason.MALFORMED_TOML,
					"Malformed Artifacts.toml " + file + ": line " + ex.line() + ": " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			throw new ArtifactException(Reason.MALFORMED_TOML, "Malformed Artifacts.toml " + file + ": " + ex, ex);
		}
		if (parsed.hasErrors()) {
			TomlParseError first = parsed.errors().get(0);
			throw new ArtifactException(Reason.MALFORMED_TOML,
					"Malformed Artifacts.toml " + file + ": " + stripped.originalLines(first.toString())
					+ ((parsed.errors().size() > 1) ? " (and " + (parsed.errors().size() - 1) + " more errors)" : ""));
		}
		Map<String, Entry> entries = new LinkedHashMap<>();
		for (String name : parsed.keySet()) {
			entries.put(name, entry(file, name, parsed.get(List.of(name))));
		}
		return new ArtifactsToml(file, entries);
	}

	/**
	 * What a recorded file binds, for a collection: the file is either an
	 * {@code Artifacts.toml} or a jar (or any zip) that holds one or more, each entry named
	 * {@code Artifacts.toml} at the root or in any directory
	 * ({@code BOOT-INF/classes/Artifacts.toml}), read in place through the jar's central
	 * directory. Only a regular file is opened (the file itself may be reached through a
	 * link: a project directory often is), so that nothing put in its place blocks the read.
	 * @param file the recorded file
	 * @return what it binds, or {@code null} if it does not exist (it binds nothing); a
	 * regular file that cannot be read or parsed has a problem, and then what it binds is not
	 * known; anything else (a directory, a FIFO) binds nothing
	 */
	static @Nullable Bound bound(Path file) {
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
			RegularFiles.Opened opened = RegularFiles.openForReading(file.toRealPath());
			byte[] bytes;
			try (FileChannel channel = opened.channel()) {
				bytes = readUpTo(channel, 4);
				if (isZip(bytes)) {
					return boundInJar(file);
				}
				if (opened.size() > MAX_BYTES) {
					return new Bound(Set.of(), "it is larger than " + MAX_BYTES + " bytes");
				}
				bytes = readUpTo(channel, (int) opened.size());
			}
			return new Bound(parse(file, decode(file, bytes)).boundHashes(), null);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			return new Bound(Set.of(), "it could not be read: " + DepotFiles.describe(ex));
		}
		catch (ArtifactException ex) {
			return new Bound(Set.of(), ex.getMessage());
		}
	}

	private static Bound boundInJar(Path jar) throws IOException {
		Set<String> hashes = new LinkedHashSet<>();
		String problem = null;
		// One budget for all the jar's entries together: a jar of many highly compressed
		// entries would otherwise make the collector decompress and parse without end.
		long budget = MAX_BYTES;
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
					return new Bound(hashes, "its " + FILE_NAME + " entries together are larger than " + MAX_BYTES
							+ " bytes (the bound of one " + FILE_NAME + ")");
				}
				budget -= bytes.length;
				try {
					hashes.addAll(parse(jar, decode(jar, bytes)).boundHashes());
				}
				catch (ArtifactException ex) {
					if (problem == null) {
						problem = "its entry " + name + " could not be read: " + ex.getMessage();
					}
				}
			}
		}
		catch (ZipException ex) {
			return new Bound(Set.of(), "it looks like a jar but could not be read as one: " + ex.getMessage());
		}
		// A jar without an Artifacts.toml binds nothing: that is known, not a problem.
		return new Bound(hashes, problem);
	}

	private static boolean isZip(byte[] start) {
		return start.length >= 4 && start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4;
	}

	private static byte[] readUpTo(FileChannel channel, int size) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(size);
		long position = 0;
		int read;
		while (buffer.hasRemaining() && (read = channel.read(buffer, position)) > 0) {
			position += read;
		}
		byte[] bytes = new byte[buffer.position()];
		buffer.flip().get(bytes);
		return bytes;
	}

	/**
	 * What a recorded file binds.
	 * @param hashes the tree hashes it binds, as far as it could be read
	 * @param problem why it (or one of its entries) could not be read, or {@code null}: then
	 * what it binds is not fully known
	 */
	record Bound(Set<String> hashes, @Nullable String problem) {
	}

	/** @return the file that was read */
	Path file() {
		return this.file;
	}

	/** @return every entry, by name, in the file's order */
	Map<String, Entry> entries() {
		return this.entries;
	}

	/**
	 * One entry.
	 * @throws ArtifactException naming the file and the name if the file has no such entry
	 */
	Entry entry(String name) {
		Entry entry = this.entries.get(name);
		if (entry == null) {
			throw new ArtifactException(Reason.NOT_BOUND, "No artifact named " + quoted(name) + " in " + this.file
					+ ((this.entries.isEmpty()) ? ", which binds no artifact"
							: "; it binds " + String.join(", ", this.entries.keySet().stream().map(ArtifactsToml::quoted).toList())));
		}
		return entry;
	}

	/** @return every tree hash the file binds, platform-specific ones included */
	Set<String> boundHashes() {
		Set<String> hashes = new LinkedHashSet<>();
		this.entries.values().forEach((entry) -> hashes.addAll(entry.treeHashes()));
		return hashes;
	}

	static String quoted(String name) {
		return "'" + MessageText.printable(name) + "'";
	}

	private static Entry entry(Path file, String name, @Nullable Object value) {
		if (value instanceof TomlTable table) {
			return new Entry(file, name, List.of(treeHash(file, name, table)), false, lazy(file, name, table),
					downloads(file, name, table));
		}
		if (value instanceof TomlArray array && !array.isEmpty() && allTables(array)) {
			List<String> hashes = new ArrayList<>();
			for (int i = 0; i < array.size(); i++) {
				hashes.add(treeHash(file, name, array.getTable(i)));
			}
			return new Entry(file, name, hashes, true, false, List.of());
		}
		throw new ArtifactException(Reason.MALFORMED_TOML, "Malformed artifact " + quoted(name) + " in " + file
				+ ": it must be a table [" + name + "] (or, per platform, an array of tables [[" + name + "]])");
	}

	private static String treeHash(Path file, String name, TomlTable table) {
		Object value = table.get(List.of(TREE_HASH_KEY));
		if (value == null) {
			throw new ArtifactException(Reason.MALFORMED_TOML,
					"Malformed artifact " + quoted(name) + " in " + file + ": it has no "
					+ TREE_HASH_KEY);
		}
		if (!(value instanceof String hash) || !TREE_HASH.matcher(hash).matches()) {
			throw new ArtifactException(Reason.MALFORMED_TOML,
					"Malformed artifact " + quoted(name) + " in " + file + ": its " + TREE_HASH_KEY
					+ " " + describe(value) + " is not 40 lower-case hexadecimal digits");
		}
		return hash;
	}

	private static boolean lazy(Path file, String name, TomlTable table) {
		Object value = table.get(List.of("lazy"));
		if (value == null) {
			return false;
		}
		if (value instanceof Boolean lazy) {
			return lazy;
		}
		throw new ArtifactException(Reason.MALFORMED_TOML,
				"Malformed artifact " + quoted(name) + " in " + file + ": its lazy "
				+ describe(value) + " is not true or false");
	}

	private static List<Source> downloads(Path file, String name, TomlTable table) {
		Object value = table.get(List.of(DOWNLOAD_KEY));
		if (value == null) {
			return List.of();
		}
		if (!(value instanceof TomlArray array) || !allTables(array)) {
			throw new ArtifactException(Reason.MALFORMED_TOML, "Malformed artifact " + quoted(name) + " in " + file
					+ ": its download must be an array of tables [[" + name + ".download]]");
		}
		List<Source> sources = new ArrayList<>();
		for (int i = 0; i < array.size(); i++) {
			TomlTable download = array.getTable(i);
			String where = "download " + (i + 1) + " of artifact " + quoted(name) + " in " + file;
			Object url = download.get(List.of("url"));
			Object sha256 = download.get(List.of("sha256"));
			if (!(url instanceof String urlText)) {
				throw new ArtifactException(Reason.MALFORMED_TOML,
						"Malformed " + where + ": its url " + describe(url) + " is not a string");
			}
			if (!(sha256 instanceof String shaText)) {
				throw new ArtifactException(Reason.MALFORMED_TOML,
						"Malformed " + where + ": its sha256 " + describe(sha256) + " is not a string");
			}
			String problem = Source.problem(urlText, shaText);
			if (problem != null) {
				throw new ArtifactException(Reason.MALFORMED_TOML, "Malformed " + where + ": " + problem);
			}
			sources.add(new Source(urlText, shaText));
		}
		return List.copyOf(sources);
	}

	private static boolean allTables(TomlArray array) {
		for (int i = 0; i < array.size(); i++) {
			if (!array.isTable(i)) {
				return false;
			}
		}
		return true;
	}

	private static String describe(@Nullable Object value) {
		if (value == null) {
			return "(missing)";
		}
		if (value instanceof String text) {
			return "'" + MessageText.printable(text) + "'";
		}
		return value.toString();
	}

	/**
	 * Reads the file as UTF-8: a regular file (links followed), at most {@link #MAX_BYTES}.
	 */
	static String readText(Path file) {
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(file, BasicFileAttributes.class);
		}
		catch (NoSuchFileException ex) {
			throw new ArtifactException(Reason.UNREADABLE_TOML,
					"Cannot read the Artifacts.toml " + file + ": it does not exist", ex);
		}
		catch (IOException ex) {
			throw DepotFiles.failure("read the Artifacts.toml", file, ex);
		}
		if (!attributes.isRegularFile()) {
			throw new ArtifactException(Reason.UNREADABLE_TOML, "Cannot read the Artifacts.toml " + file + ": it is "
					+ (attributes.isDirectory() ? "a directory" : "a FIFO, socket or device") + ", not a regular file");
		}
		if (attributes.size() > MAX_BYTES) {
			throw new ArtifactException(Reason.UNREADABLE_TOML,
					"Cannot read the Artifacts.toml " + file + ": it has " + attributes.size()
					+ " bytes, more than the " + MAX_BYTES + " an Artifacts.toml may have");
		}
		byte[] bytes;
		// At most one byte past the cap: the size checked above may be a zip entry's claim, or
		// the file may have grown since.
		try (InputStream in = Files.newInputStream(file)) {
			bytes = in.readNBytes(MAX_BYTES + 1);
		}
		catch (IOException ex) {
			throw DepotFiles.failure("read the Artifacts.toml", file, ex);
		}
		if (bytes.length > MAX_BYTES) {
			throw new ArtifactException(Reason.UNREADABLE_TOML, "Cannot read the Artifacts.toml " + file + ": it has more than "
					+ MAX_BYTES + " bytes, the most an Artifacts.toml may have (though its size says " + attributes.size() + ")");
		}
		return decode(file, bytes);
	}

	private static String decode(Path file, byte[] bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new ArtifactException(Reason.MALFORMED_TOML,
					"Malformed Artifacts.toml " + file + ": it is not UTF-8 text", ex);
		}
	}

	/**
	 * One name of the file.
	 *
	 * @param file the file it was read from
	 * @param name its name
	 * @param treeHashes its {@code git-tree-sha1}: one, or one per platform
	 * @param platformSpecific whether it is an array of tables, one per platform
	 * @param lazy its {@code lazy} flag
	 * @param downloads its {@code [[name.download]]} tables, in order
	 */
	record Entry(Path file, String name, List<String> treeHashes, boolean platformSpecific, boolean lazy,
			List<Source> downloads) {

		Entry {
			treeHashes = List.copyOf(treeHashes);
			downloads = List.copyOf(downloads);
		}

		/**
		 * The one tree hash of a platform-independent entry.
		 * @throws ArtifactException if the entry is platform-specific
		 */
		String treeHash() {
			if (this.platformSpecific) {
				throw new ArtifactException(Reason.PLATFORM_SPECIFIC,
						"The artifact " + quoted(this.name) + " in " + this.file
						+ " is platform-specific ([[" + this.name + "]], one table per platform): "
						+ "platform-specific artifacts are not supported");
			}
			return this.treeHashes.get(0);
		}

	}

	/**
	 * One {@code [[name.download]]} table, checked.
	 *
	 * @param url where the tarball is: an {@code https}, {@code http} or {@code file} URI
	 * @param sha256 the tarball's SHA-256, 64 lower-case hexadecimal digits
	 */
	record Source(String url, String sha256) {

		Source {
			Objects.requireNonNull(url, "'url' must not be null");
			Objects.requireNonNull(sha256, "'sha256' must not be null");
		}

		URI uri() {
			return URI.create(this.url);
		}

		/** @return what is wrong with a download, or {@code null} if nothing is */
		static @Nullable String problem(String url, String sha256) {
			URI uri;
			try {
				uri = new URI(url);
			}
			catch (URISyntaxException ex) {
				return "its url '" + MessageText.printable(url) + "' is not a URI (" + ex.getReason() + ")";
			}
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
			if (scheme == null || !(scheme.equals("https") || scheme.equals("http") || scheme.equals("file"))) {
				return "its url '" + MessageText.printable(url) + "' is not an https, http or file URI";
			}
			if (uri.isOpaque() || (!scheme.equals("file") && uri.getHost() == null)) {
				return "its url '" + MessageText.printable(url) + "' has no " + (scheme.equals("file") ? "path" : "host");
			}
			if (!SHA256.matcher(sha256).matches()) {
				return "its sha256 '" + MessageText.printable(sha256)
						+ "' is not 64 lower-case hexadecimal digits";
			}
			return null;
		}

	}

}
