package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.scratchspace.ArtifactException.Reason;
import org.jspecify.annotations.Nullable;

/**
 * Binds a name in an {@code Artifacts.toml} by editing its text, so that everything else in
 * the file (other entries, comments, blank lines, the author's order and spacing) stays byte
 * for byte: the tables of the name ({@code [name]}, {@code [[name.download]]} and any other
 * {@code [name.…]}) are replaced, where the first of them stood, by the tables Julia's
 * {@code Pkg.bind_artifact!} writes, or appended at the end for a new name:
 *
 * <pre>
 * [name]
 * git-tree-sha1 = "…"
 *
 *     [[name.download]]
 *     sha256 = "…"
 *     url = "…"
 * </pre>
 *
 * A table's region ends where the next header's leading comments and blank lines begin: a
 * comment above {@code [other]} belongs to {@code other} and is kept. Comments inside the
 * replaced tables are not kept. A {@code lazy = true} of the old entry is kept. The edited
 * text is parsed again before it is written: every other entry must read as before and the
 * bound one as asked, else nothing is written. A name defined otherwise than by table headers
 * (an inline table or dotted keys at the top), which Julia never writes, is refused.
 *
 * <p>Edits are serialized across processes by the lock file {@code Artifacts.toml.lock}
 * beside the file (a {@link FileMutex}, waited for at most the manager's lock timeout; it is
 * left in place, since deleting a lock file others may be waiting on would let two writers
 * in), and the new text is written to a temporary file beside it, given the old file's
 * permissions, and renamed over it: a reader sees the old file or the new one, and two binds
 * of different names from two processes both end up in the file.
 */
final class ArtifactsTomlEditor {

	static final String LOCK_SUFFIX = ".lock";

	private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

	private ArtifactsTomlEditor() {
	}

	/**
	 * Binds {@code name} to {@code treeHash} with these downloads.
	 * @throws ArtifactException naming the file (and the name, the old and the new hash) if
	 * the name is bound to another hash and {@code force} is false, if the file is a link, a
	 * directory or malformed, or if the name cannot be edited in its text
	 * @throws IOException if the file cannot be read or written, or the lock not taken in time
	 */
	static void bind(Path file, String name, String treeHash, List<ArtifactsToml.Source> downloads, boolean force,
			Duration lockTimeout) throws IOException {
		if (file.getFileSystem() != FileSystems.getDefault()) {
			throw new ArtifactException(Reason.BIND_REFUSED,
					"Cannot bind the artifact " + ArtifactsToml.quoted(name) + " in " + file.toUri()
					+ ": only an Artifacts.toml of the default file system can be written");
		}
		Path absolute = file.toAbsolutePath().normalize();
		checkWritable(absolute, name);
		FileMutex mutex = new FileMutex(absolute.resolveSibling(absolute.getFileName() + LOCK_SUFFIX), lockTimeout);
		mutex.call(() -> {
			BasicFileAttributes attributes = checkWritable(absolute, name);
			String old = (attributes != null) ? ArtifactsToml.readText(absolute) : "";
			String edited = edit(absolute, old, name, treeHash, downloads, force);
			if (!edited.equals(old)) {
				// A file the user keeps keeps its permissions.
				DepotFiles.replaceAtomically(absolute, edited.getBytes(StandardCharsets.UTF_8), attributes != null);
			}
			return null;
		});
	}

	/**
	 * The text with {@code name} bound.
	 * @throws ArtifactException as {@link #bind} does
	 */
	static String edit(Path file, String text, String name, String treeHash, List<ArtifactsToml.Source> downloads,
			boolean force) {
		ArtifactsToml before = ArtifactsToml.parse(file, text);
		ArtifactsToml.Entry existing = before.entries().get(name);
		boolean lazy = false;
		if (existing != null) {
			List<String> hashes = existing.treeHashes();
			boolean same = !existing.platformSpecific() && hashes.get(0).equals(treeHash);
			if (!same && !force) {
				throw new ArtifactException(Reason.BIND_REFUSED,
						"The artifact " + ArtifactsToml.quoted(name) + " in " + file
						+ " is bound to " + String.join(", ", hashes) + ", not to " + treeHash
						+ ": binding it to another tree hash needs force");
			}
			lazy = existing.lazy();
		}
		String block = block(name, treeHash, lazy, downloads);
		List<int[]> regions = (existing != null) ? regions(text, name) : List.of();
		if (existing != null && regions.isEmpty()) {
			throw new ArtifactException(Reason.BIND_REFUSED,
					"Cannot bind the artifact " + ArtifactsToml.quoted(name) + " in " + file
					+ ": it is written as an inline table or dotted keys, not as a table [" + name
					+ "]; rewrite it as a table to let it be bound");
		}
		StringBuilder out = new StringBuilder(text.length() + block.length() + 2);
		if (regions.isEmpty()) {
			out.append(text);
			if (!text.isEmpty() && !text.endsWith("\n")) {
				out.append('\n');
			}
			if (!text.isBlank() && !text.endsWith("\n\n")) {
				out.append('\n');
			}
			out.append(block);
		}
		else {
			int at = 0;
			for (int i = 0; i < regions.size(); i++) {
				int[] region = regions.get(i);
				out.append(text, at, region[0]);
				if (i == 0) {
					out.append(block);
					if (region[1] < text.length()) {
						// Something follows: keep it apart as Julia does.
						out.append('\n');
					}
				}
				at = region[1];
			}
			out.append(text, at, text.length());
		}
		String edited = out.toString();
		check(file, before, ArtifactsToml.parse(file, edited), name, treeHash, downloads);
		return edited;
	}

	/** Julia's tables for one name. */
	static String block(String name, String treeHash, boolean lazy, List<ArtifactsToml.Source> downloads) {
		String key = key(name);
		StringBuilder out = new StringBuilder(128 + downloads.size() * 160);
		out.append('[').append(key).append("]\n");
		out.append(ArtifactsToml.TREE_HASH_KEY).append(" = ").append(TomlText.quote(treeHash)).append('\n');
		if (lazy) {
			out.append("lazy = true\n");
		}
		for (ArtifactsToml.Source download : downloads) {
			out.append("\n    [[").append(key).append('.').append(ArtifactsToml.DOWNLOAD_KEY).append("]]\n");
			out.append("    sha256 = ").append(TomlText.quote(download.sha256())).append('\n');
			out.append("    url = ").append(TomlText.quote(download.url())).append('\n');
		}
		return out.toString();
	}

	/** A name as a TOML key: bare where TOML allows it, else a basic string. */
	static String key(String name) {
		return BARE_KEY.matcher(name).matches() ? name : TomlText.quote(name);
	}

	/** Refuses, before anything is written, an edit that changed more or less than asked. */
	private static void check(Path file, ArtifactsToml before, ArtifactsToml after, String name, String treeHash,
			List<ArtifactsToml.Source> downloads) {
		ArtifactsToml.Entry bound = after.entries().get(name);
		boolean ok = bound != null && !bound.platformSpecific() && bound.treeHashes().equals(List.of(treeHash))
				&& bound.downloads().equals(downloads);
		for (Map.Entry<String, ArtifactsToml.Entry> other : before.entries().entrySet()) {
			if (!other.getKey().equals(name)) {
				ok &= other.getValue().equals(after.entries().get(other.getKey()));
			}
		}
		ok &= after.entries().size() == before.entries().size() + (before.entries().containsKey(name) ? 0 : 1);
		if (!ok) {
			throw new ArtifactException(Reason.BIND_REFUSED,
					"Cannot bind the artifact " + ArtifactsToml.quoted(name) + " in " + file
					+ ": editing its text would change other entries; the file is left as it is");
		}
	}

	/**
	 * The regions {@code [start, end)} of the tables whose header's first key is {@code name}:
	 * from the header line to where the next header's leading comments and blank lines begin.
	 */
	static List<int[]> regions(String text, String name) {
		List<Integer> headers = headerLines(text);
		List<int[]> regions = new ArrayList<>();
		for (int h = 0; h < headers.size(); h++) {
			int start = headers.get(h);
			String first = firstKey(text, start);
			if (!name.equals(first)) {
				continue;
			}
			int next = (h + 1 < headers.size()) ? headers.get(h + 1) : text.endsWith("\n") ? text.length() : -1;
			// Comments above another table of the name are inside the entry, and go with it.
			int end = (next < 0) ? text.length()
					: (next < text.length() && name.equals(firstKey(text, next))) ? next : leadingCommentsStart(text, next);
			regions.add(new int[] { start, Math.max(end, lineEnd(text, start)) });
		}
		return regions;
	}

	/**
	 * Where the comments right above a header (or the end of the text) begin, blank lines
	 * between them included, blank lines above them not: those end the region before.
	 */
	private static int leadingCommentsStart(String text, int header) {
		int start = header;
		while (start > 0) {
			int previous = text.lastIndexOf('\n', start - 2) + 1;
			String line = text.substring(previous, start).strip();
			if (!line.isEmpty() && !line.startsWith("#")) {
				break;
			}
			start = previous;
		}
		// Blank lines at the top of the block stay with the region above.
		while (start < header) {
			int end = lineEnd(text, start);
			if (!text.substring(start, end).isBlank()) {
				break;
			}
			start = end;
		}
		return start;
	}

	private static int lineEnd(String text, int start) {
		int newline = text.indexOf('\n', start);
		return (newline < 0) ? text.length() : newline + 1;
	}

	/**
	 * The starts of the lines that begin a table header ({@code [} as their first character
	 * other than spaces and tabs), outside strings, so that a {@code [} at the start of a line
	 * of a multi-line string is not taken for a header.
	 */
	static List<Integer> headerLines(String text) {
		List<Integer> headers = new ArrayList<>();
		TomlLines.forEachLineStart(text, (start) -> {
			int j = start;
			while (j < text.length() && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
				j++;
			}
			if (j < text.length() && text.charAt(j) == '[') {
				headers.add(start);
			}
		});
		return headers;
	}

	/** The first key of the header starting on the line at {@code start}, or null if unreadable. */
	static @Nullable String firstKey(String text, int start) {
		int i = start;
		while (text.charAt(i) == ' ' || text.charAt(i) == '\t') {
			i++;
		}
		i++;
		if (i < text.length() && text.charAt(i) == '[') {
			i++;
		}
		while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
			i++;
		}
		if (i >= text.length()) {
			return null;
		}
		char c = text.charAt(i);
		if (c == '"' || c == '\'') {
			int end = TomlLines.skipString(text, i + 1, c, c == '"');
			try {
				return TomlText.unquote(text.substring(i, end));
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}
		int end = i;
		while (end < text.length() && BARE_KEY.matcher(String.valueOf(text.charAt(end))).matches()) {
			end++;
		}
		return (end > i) ? text.substring(i, end) : null;
	}

	/**
	 * Refuses a file that is a link (the rename would replace the link, not the file it
	 * names), a directory or anything else but a regular file.
	 * @return the file's attributes, or {@code null} if it does not exist
	 */
	private static @Nullable BasicFileAttributes checkWritable(Path file, String name) throws IOException {
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		String kind = attributes.isRegularFile() ? null : attributes.isSymbolicLink() ? "a symbolic link"
				: attributes.isDirectory() ? "a directory" : "a FIFO, socket or device";
		if (kind != null) {
			throw new ArtifactException(Reason.BIND_REFUSED,
					"Cannot bind the artifact " + ArtifactsToml.quoted(name) + " in " + file
					+ ": it is " + kind + ", not a regular file"
					+ (attributes.isSymbolicLink() ? "; bind in the file the link names" : ""));
		}
		return attributes;
	}

	static void requireName(String name) {
		Objects.requireNonNull(name, "'name' must not be null");
		if (name.isEmpty()) {
			throw new IllegalArgumentException("An artifact name must not be empty");
		}
		TomlText.quote(name);
	}

}
