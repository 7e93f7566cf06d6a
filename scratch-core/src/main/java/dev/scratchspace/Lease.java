package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The lease of one live manager: a file under {@code <depot>/leases/} that lists the spaces
 * the manager handed out, one TOML-quoted path per line, kept locked for the manager's
 * lifetime. The lock covers one byte far past the content, so other processes can read the
 * list (also where locks are mandatory) but cannot lock it while the owner lives.
 */
final class Lease implements AutoCloseable {

	static final String SUFFIX = ".lease";

	private static final long LOCK_POSITION = Long.MAX_VALUE - 1;

	/**
	 * The lease files this JVM holds, by file identity (not path: one depot may be reached
	 * through several). They are read from memory, never opened again: closing any other
	 * channel on a file releases the process's POSIX locks on it, which would make a live
	 * lease look dead to other processes.
	 */
	private static final Map<Object, Lease> HELD_HERE = new ConcurrentHashMap<>();

	/**
	 * Held for writing while a lease of this JVM is created, locked and registered in
	 * {@link #HELD_HERE}, or closed; for reading while a scan looks a file up there and, not
	 * finding it, opens, probes and closes its own channel on it. A scan never closes a
	 * channel on a lease file this JVM has locked but not yet registered.
	 */
	private static final ReentrantReadWriteLock CHANNELS = new ReentrantReadWriteLock();

	/** The names this class gives lease files: {@code <pid>-<16 hex digits>.lease}. */
	private static final Pattern NAME = Pattern.compile("[0-9]{1,19}-[0-9a-f]{16}" + Pattern.quote(SUFFIX));

	private final Path root;

	private final Path directory;

	private final LeaseGate gate;

	private final Duration timeout;

	private final Set<Path> leased = new LinkedHashSet<>();

	private @Nullable FileChannel channel;

	private @Nullable FileLock lock;

	private @Nullable Path file;

	private @Nullable Object fileKey;

	/** The end of the lease file: only this manager writes it. */
	private long position;

	private boolean closed;

	Lease(Path root, Path directory, Duration timeout) {
		this.root = root;
		this.directory = directory;
		this.gate = new LeaseGate(directory);
		this.timeout = timeout;
	}

	/**
	 * Adds a space to the lease, writing it to the lease file before the caller creates the
	 * space, so that a collector that lists a space always finds its lease. The line is
	 * written holding the lease lock shared: a collector that holds it exclusive to check the
	 * leases one last time and move the space away either sees this line or has finished
	 * moving the space before it is written (see {@link SpaceRemoval}).
	 * @return {@code false} if the lease lock was held exclusive for longer than the timeout:
	 * the space is then not leased
	 */
	synchronized boolean add(Path space) {
		if (this.closed || this.leased.contains(space)) {
			return true;
		}
		try (LeaseGate.Held held = this.gate.shared(this.timeout)) {
			if (held == null) {
				return false;
			}
			FileChannel open = openStillLinked();
			this.leased.add(space);
			if (this.position == 0) {
				// A new lease file: a replacement lists every space this manager handed out.
				for (Path each : this.leased) {
					write(open, each);
				}
			}
			else {
				write(open, space);
			}
			return true;
		}
		catch (IOException ex) {
			throw DepotFiles.failure("write the lease for", space, ex);
		}
	}

	private void write(FileChannel open, Path space) throws IOException {
		ByteBuffer line = ByteBuffer.wrap((TomlText.quote(space.toString()) + "\n").getBytes(StandardCharsets.UTF_8));
		while (line.hasRemaining()) {
			this.position += open.write(line, this.position);
		}
	}

	/**
	 * The open lease file, replaced by a new one if it is no longer linked where collectors
	 * look (a person deleted it, or {@code leases/}, by hand): writing on to an unlinked file
	 * would lease nothing anyone sees.
	 */
	private FileChannel openStillLinked() throws IOException {
		FileChannel current = this.channel;
		if (current != null && this.file != null) {
			Object key;
			try {
				key = Files.readAttributes(this.file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
			}
			catch (NoSuchFileException ex) {
				key = null;
			}
			if (key == null || !key.equals(this.fileKey)) {
				// Unlinked, so no scan opens it: nothing else of this JVM has it open.
				HELD_HERE.remove(this.fileKey);
				this.channel = null;
				this.file = null;
				this.position = 0;
				try {
					if (this.lock != null) {
						this.lock.release();
					}
				}
				finally {
					this.lock = null;
					current.close();
				}
			}
		}
		return open();
	}

	private FileChannel open() throws IOException {
		FileChannel current = this.channel;
		if (current != null) {
			return current;
		}
		DepotFiles.createDirectories(this.root, this.directory, "lease directory");
		CHANNELS.writeLock().lock();
		try {
			return create();
		}
		finally {
			CHANNELS.writeLock().unlock();
		}
	}

	/** Creates, locks and registers a new lease file; called holding {@link #CHANNELS} for writing. */
	private FileChannel create() throws IOException {
		for (int attempt = 0;; attempt++) {
			Path file = this.directory.resolve(ProcessHandle.current().pid() + "-"
					+ HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + SUFFIX);
			FileChannel opened = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
					StandardOpenOption.WRITE);
			FileLock taken = opened.lock(LOCK_POSITION, 1, false);
			// A collector may have judged the unlocked new file dead and removed it: start over.
			if (Files.exists(file)) {
				this.channel = opened;
				this.lock = taken;
				this.file = file;
				this.fileKey = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
				HELD_HERE.put(this.fileKey, this);
				return opened;
			}
			taken.release();
			opened.close();
			if (attempt > 10) {
				throw new IOException("lease file " + file + " kept disappearing");
			}
		}
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		FileChannel open = this.channel;
		if (open == null) {
			return;
		}
		this.channel = null;
		// Delete first, while still locked, so no collector reads a half-removed lease.
		CHANNELS.writeLock().lock();
		try {
			try {
				if (this.file != null) {
					HELD_HERE.remove(this.fileKey);
					Files.deleteIfExists(this.file);
				}
			}
			finally {
				if (this.lock != null) {
					this.lock.release();
				}
				open.close();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not release the lease in " + this.directory, ex);
		}
		finally {
			CHANNELS.writeLock().unlock();
		}
	}

	/** The spaces leased by live managers, and what could not be read. */
	record Scan(Set<String> leasedPaths, List<String> warnings) {
	}

	/**
	 * Reads every lease in a directory. A lease whose lock can be taken belongs to a dead
	 * process: it leases nothing and, when {@code removeDead}, is deleted while locked.
	 */
	static Scan scan(Path directory, boolean removeDead) {
		Set<String> leased = new LinkedHashSet<>();
		List<String> warnings = new ArrayList<>();
		if (Files.isSymbolicLink(directory)) {
			warnings.add("Refusing to read the leases in " + directory + ": it is a symbolic link");
			return new Scan(leased, warnings);
		}
		try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
			for (Path file : files) {
				scanOne(file, removeDead, leased, warnings);
			}
		}
		catch (NoSuchFileException ex) {
			// No manager ever leased a space here.
		}
		catch (IOException ex) {
			warnings.add("Could not list the leases in " + directory + ": " + DepotFiles.describe(ex));
		}
		return new Scan(leased, warnings);
	}

	private static void scanOne(Path file, boolean removeDead, Set<String> leased, List<String> warnings) {
		if (!NAME.matcher(file.getFileName().toString()).matches()) {
			return;
		}
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return; // released while we looked
		}
		catch (IOException ex) {
			warnings.add("Could not read lease " + file + ": " + DepotFiles.describe(ex));
			return;
		}
		if (!attributes.isRegularFile()) {
			warnings.add("Ignored lease " + file + ": it is not a regular file");
			return;
		}
		Lease own;
		CHANNELS.readLock().lock();
		try {
			own = (attributes.fileKey() != null) ? HELD_HERE.get(attributes.fileKey()) : null;
			if (own == null) {
				probe(file, attributes.size(), removeDead, leased, warnings);
				return;
			}
		}
		finally {
			CHANNELS.readLock().unlock();
		}
		synchronized (own) {
			own.leased.forEach((space) -> leased.add(space.toString()));
		}
	}

	/**
	 * Reads a lease file this JVM does not hold, and deletes it if dead; called holding
	 * {@link #CHANNELS} for reading, so that no lease of this JVM is being created or closed
	 * meanwhile.
	 */
	private static void probe(Path file, long size, boolean removeDead, Set<String> leased,
			List<String> warnings) {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
				LinkOption.NOFOLLOW_LINKS)) {
			FileLock probe;
			try {
				probe = channel.tryLock(LOCK_POSITION, 1, false);
			}
			catch (OverlappingFileLockException ex) {
				probe = null; // held by a live manager in this JVM
			}
			if (probe == null) {
				leased.addAll(readPaths(channel, size));
				return;
			}
			try {
				if (removeDead) {
					Files.deleteIfExists(file);
				}
			}
			finally {
				probe.release();
			}
		}
		catch (NoSuchFileException ex) {
			// Released while we looked.
		}
		catch (IOException ex) {
			warnings.add("Could not read lease " + file + ": " + DepotFiles.describe(ex));
		}
	}

	/**
	 * Reads a lease through the channel the lock was probed on, at positions, up to the size
	 * seen before it was opened: a FIFO swapped in meanwhile fails the read instead of blocking.
	 */
	private static List<String> readPaths(FileChannel channel, long size) throws IOException {
		List<String> paths = new ArrayList<>();
		ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(size, Integer.MAX_VALUE - 8));
		while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) > 0) {
			// read on
		}
		String content = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
		int start = 0;
		int newline;
		// A line without its newline is still being written: its space does not exist yet.
		while ((newline = content.indexOf('\n', start)) >= 0) {
			try {
				paths.add(TomlText.unquote(content.substring(start, newline)));
			}
			catch (IllegalArgumentException ex) {
				// Not written by a lease: ignore the line.
			}
			start = newline + 1;
		}
		return paths;
	}

}
