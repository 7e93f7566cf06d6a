package dev.scratchspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The collector's last step before a delete, atomic with leasing: holding the
 * {@linkplain LeaseGate lease lock} exclusive, it reads every live lease again and the usage
 * log's entries appended since the collector read it, and renames each space that is still
 * unused out of its owner directory to {@code scratchspaces/.deleting-<random>}. Once the lock
 * is released, no manager can reach the renamed directory under a space's name, so it is
 * deleted at leisure; a collector that dies first leaves it for the next run.
 *
 * <p>Renames are made relative to the open spaces and owner directories
 * ({@link SecureDirectoryStream#move}), so a link swapped in for an owner directory cannot
 * redirect them; a space that is itself a link is renamed as a link.
 */
final class SpaceRemoval {

	static final String TRASH_PREFIX = ".deleting-";

	private static final Pattern TRASH_NAME = Pattern.compile(Pattern.quote(TRASH_PREFIX) + "[0-9a-f]{16}");

	/** The usage log's tail is searched only up to this size; past it every space is kept. */
	private static final long MAX_TAIL_BYTES = 64L * 1024 * 1024;

	private SpaceRemoval() {
	}

	/** Whether a name in the spaces directory is one that {@link #moveOut} gave. */
	static boolean isTrashName(String name) {
		return TRASH_NAME.matcher(name).matches();
	}

	/** What became of one space. */
	sealed interface Outcome {
	}

	/** Renamed out of its owner directory to {@code trash} (a name in the spaces directory). */
	record Moved(String trash) implements Outcome {
	}

	/** Kept: the reason says who uses it now. */
	record Kept(String reason) implements Outcome {
	}

	/** Not renamed: the reason says why. */
	record Failed(String reason) implements Outcome {
	}

	/**
	 * The usage log as the collector left it: its identity and size after the rewrite (or
	 * the read, in a dry run). Entries past that size were appended since.
	 */
	record LogMark(@Nullable Object fileKey, long size) {

		static LogMark of(Path usageLog) throws IOException {
			try {
				BasicFileAttributes attributes = Files.readAttributes(usageLog, BasicFileAttributes.class,
						LinkOption.NOFOLLOW_LINKS);
				return new LogMark(attributes.fileKey(), attributes.isRegularFile() ? attributes.size() : 0);
			}
			catch (NoSuchFileException ex) {
				return new LogMark(null, 0);
			}
		}

	}

	/**
	 * Renames every space that is still unused out of the way, and removes dead leases.
	 * @param spacesRoot the directory that holds the owner directories
	 * @param gate the depot's lease lock
	 * @param leases the lease directory
	 * @param timeout the longest wait for the lease lock
	 * @param usageLog the usage log
	 * @param mark the usage log as the collector left it
	 * @param leasedHere whether a manager of this JVM that shares the collector's state holds
	 * the space
	 * @param spaces the spaces to remove, each {@code <spacesRoot>/<owner>/<key>}
	 * @param warnings where problems are reported
	 * @return the outcome of each space, in the given order
	 */
	static Map<Path, Outcome> moveOut(Path spacesRoot, LeaseGate gate, Path leases, Duration timeout, Path usageLog,
			LogMark mark, Predicate<Path> leasedHere, List<Path> spaces, List<String> warnings) {
		Map<Path, Outcome> outcomes = new LinkedHashMap<>();
		if (spaces.isEmpty() && !Files.isDirectory(leases, LinkOption.NOFOLLOW_LINKS)) {
			return outcomes; // nothing to delete, and no lease that could be dead
		}
		String task = spaces.isEmpty() ? "Gave up removing dead leases"
				: "Gave up deleting " + spaces.size() + " space(s) and dead leases";
		try (LeaseGate.Held held = gate.exclusive(timeout)) {
			if (held == null) {
				String why = "another process held the lease lock " + gate.lockFile() + " for longer than "
						+ timeout.toMillis() + " ms; nothing was deleted";
				warnings.add(task + ": " + why);
				spaces.forEach((space) -> outcomes.put(space, new Failed(why)));
				return outcomes;
			}
			Lease.Scan live = Lease.scan(leases, true);
			warnings.addAll(live.warnings());
			if (spaces.isEmpty()) {
				return outcomes; // only dead leases to remove, which the scan did
			}
			String tail = appendedSince(usageLog, mark);
			LeasedFiles leasedFiles = new LeasedFiles(live.leasedPaths());
			try (DirectoryStream<Path> root = Files.newDirectoryStream(spacesRoot)) {
				for (Path space : spaces) {
					outcomes.put(space, decide(root, spacesRoot, space, live, leasedFiles, tail, leasedHere));
				}
			}
			catch (IOException ex) {
				String why = "could not open " + spacesRoot + ": " + DepotFiles.describe(ex);
				warnings.add(task + ": " + why);
				for (Path space : spaces) {
					outcomes.putIfAbsent(space, new Failed(why));
				}
			}
		}
		catch (IOException ex) {
			String why = "could not take the lease lock " + gate.lockFile() + ": " + DepotFiles.describe(ex);
			warnings.add(task + ": " + why);
			for (Path space : spaces) {
				outcomes.putIfAbsent(space, new Failed(why));
			}
		}
		return outcomes;
	}

	private static Outcome decide(DirectoryStream<Path> root, Path spacesRoot, Path space, Lease.Scan live,
			LeasedFiles leasedFiles, @Nullable String tail, Predicate<Path> leasedHere) {
		String path = space.toString();
		if (live.leasedPaths().contains(path) || leasedHere.test(space) || leasedFiles.contains(space)) {
			return new Kept("leased by a live process since the collector looked");
		}
		if (tail == null) {
			return new Kept("the usage log changed in a way the collector could not read; left for the next run");
		}
		if (tail.contains(TomlText.quote(path))) {
			return new Kept("accessed since the collector read the usage log");
		}
		Path owner = Objects.requireNonNull(space.getParent());
		if (!spacesRoot.equals(owner.getParent())) {
			return new Failed("not directly below " + spacesRoot);
		}
		String trash = TRASH_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
		try {
			String found = rename(root, spacesRoot, owner.getFileName(), space.getFileName(), trash);
			if (found != null) {
				return new Kept(space + " is " + found + " now, not a directory or a symbolic link: only those are "
						+ "spaces, and anything else in an owner directory is someone else's and is left alone");
			}
			return new Moved(trash);
		}
		catch (NoSuchFileException ex) {
			return new Moved("");
		}
		catch (IOException ex) {
			return new Failed("moving it out of the way failed: " + DepotFiles.describe(ex));
		}
	}

	/**
	 * Renames a space to {@code trash}, if it is still a directory or a symbolic link. The
	 * listing that doomed it is a snapshot: since then another process may have put a file of
	 * its own in its place, and that is not the collector's to delete. The type is read
	 * relative to the open owner directory, as the rename is made.
	 * @return {@code null} once renamed, or what the entry is instead of a space ("a regular
	 * file"), left in place
	 */
	private static @Nullable String rename(DirectoryStream<Path> root, Path spacesRoot, Path owner, Path key,
			String trash) throws IOException {
		if (root instanceof SecureDirectoryStream<Path> secureRoot) {
			try (SecureDirectoryStream<Path> ownerDir = secureRoot.newDirectoryStream(owner,
					LinkOption.NOFOLLOW_LINKS)) {
				String found = notASpace(ownerDir
					.getFileAttributeView(key, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
					.readAttributes());
				if (found != null) {
					return found;
				}
				// A file put in the space's place between the check and this rename is renamed
				// too: the window of one system call, which no directory-relative call closes.
				ownerDir.move(key, secureRoot, Path.of(trash));
			}
			return null;
		}
		// No directory-relative operations on this platform: check, then rename by path.
		Path ownerDir = spacesRoot.resolve(owner);
		if (Files.isSymbolicLink(ownerDir)) {
			throw new IOException(ownerDir + " is a symbolic link");
		}
		Path space = ownerDir.resolve(key);
		String found = notASpace(Files.readAttributes(space, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
		if (found != null) {
			return found;
		}
		// An owner directory or a space swapped between these checks and the rename is the
		// window that remains without directory-relative operations.
		Files.move(space, spacesRoot.resolve(trash), StandardCopyOption.ATOMIC_MOVE);
		return null;
	}

	/** What an entry is, if it is not a space (a directory or a symbolic link); else {@code null}. */
	private static @Nullable String notASpace(BasicFileAttributes attributes) {
		if (attributes.isDirectory() || attributes.isSymbolicLink()) {
			return null;
		}
		return attributes.isRegularFile() ? "a regular file" : "a special file (a pipe, socket or device)";
	}

	/**
	 * The identities (device and inode) of the leased spaces that exist, read only when a
	 * space's path is not leased by name. A manager names a space by the depot path it was
	 * built with: one that reached the depot through a link made after it was built, or a
	 * bind mount, leases the very directories the collector lists under other names.
	 */
	static final class LeasedFiles {

		private final Set<String> paths;

		private @Nullable Set<Object> keys;

		LeasedFiles(Set<String> paths) {
			this.paths = paths;
		}

		boolean contains(Path space) {
			Object key = fileKeyOrNull(space);
			return key != null && keys().contains(key);
		}

		private Set<Object> keys() {
			Set<Object> known = this.keys;
			if (known == null) {
				known = new HashSet<>();
				for (String leased : this.paths) {
					try {
						Object key = fileKeyOrNull(Path.of(leased));
						if (key != null) {
							known.add(key);
						}
					}
					catch (InvalidPathException ex) {
						// Not a path of this file system: it names nothing here.
					}
				}
				this.keys = known;
			}
			return known;
		}

		/** The identity of a file, not following a link at its last name; null if unknown. */
		private static @Nullable Object fileKeyOrNull(Path path) {
			if (!path.isAbsolute()) {
				return null;
			}
			try {
				return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
			}
			catch (IOException ex) {
				return null;
			}
		}

	}

	/**
	 * The usage log's bytes appended since the mark, as text; {@code null} when the log was
	 * replaced or grew too much to search.
	 */
	private static @Nullable String appendedSince(Path usageLog, LogMark mark) throws IOException {
		BasicFileAttributes now;
		try {
			now = Files.readAttributes(usageLog, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return (mark.fileKey() == null) ? "" : null;
		}
		if (!now.isRegularFile()) {
			return null;
		}
		long from = (mark.fileKey() == null) ? 0 : mark.size();
		if (mark.fileKey() != null && !mark.fileKey().equals(now.fileKey())) {
			return null;
		}
		long length = now.size() - from;
		if (length <= 0) {
			return "";
		}
		if (length > MAX_TAIL_BYTES) {
			return null;
		}
		ByteBuffer buffer = ByteBuffer.allocate((int) length);
		// Never blocks, even if a FIFO took the log's place since the check above.
		try (FileChannel channel = RegularFiles.openForReading(usageLog).channel()) {
			while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
				// read on
			}
		}
		catch (RegularFiles.NotRegularFileException ex) {
			return null;
		}
		return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
	}

	/**
	 * Deletes what {@link #moveOut} (or the artifacts' collection, likewise) renamed to
	 * {@code trash} in {@code root}; an empty {@code trash} means it was gone already. The
	 * delete is {@link DepotFiles#deleteRecursively}'s: no link followed, relative to open
	 * directories where the platform allows, read-only directories made writable first. What
	 * it cannot delete is left for the next collection, with a warning.
	 * @param root the directory the trash was renamed into
	 * @param trash the trash name, or empty
	 * @param removed what was removed, as the warning names it: "Space /x" or "Artifact /y"
	 * @param warnings where a failure is reported
	 */
	static void deleteTrash(Path root, String trash, String removed, List<String> warnings) {
		if (trash.isEmpty()) {
			return;
		}
		String why = deleteQuietly(root.resolve(trash));
		if (why != null) {
			warnings.add(removed + " was removed, but deleting its files from " + root.resolve(trash)
					+ " failed (the next collection retries): " + why);
		}
	}

	/**
	 * Deletes the trash that collectors which died between renaming and deleting left in
	 * {@code root}, as {@link #deleteTrash} does, with a warning for each that stays.
	 */
	static void deleteLeftovers(Path root, List<String> warnings) {
		for (String trash : leftovers(root)) {
			String why = deleteQuietly(root.resolve(trash));
			if (why != null) {
				warnings.add("Could not delete " + root.resolve(trash) + ": " + why);
			}
		}
	}

	/** Deletes a tree; returns why it failed, or {@code null}. */
	private static @Nullable String deleteQuietly(Path path) {
		try {
			DepotFiles.deleteRecursively(path);
			return null;
		}
		catch (IOException ex) {
			return DepotFiles.describe(ex);
		}
		catch (RuntimeException ex) {
			return String.valueOf(ex.getMessage());
		}
	}

	/** The trash names in {@code root} (the spaces or the artifacts directory). */
	private static List<String> leftovers(Path root) {
		List<String> names = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (isTrashName(name)) {
					names.add(name);
				}
			}
		}
		catch (IOException ex) {
			// Nothing to sweep.
		}
		return names;
	}

}
