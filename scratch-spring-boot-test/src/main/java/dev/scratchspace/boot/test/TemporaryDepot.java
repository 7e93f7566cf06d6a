package dev.scratchspace.boot.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;

/**
 * The temporary depot of one test application context: a fresh owner-only directory, the
 * property source that makes it {@code scratch.depot}, and its deletion.
 */
final class TemporaryDepot {

	static final String PROPERTY_SOURCE_NAME = "temporaryScratchDepot";

	static final String DIRECTORY_PREFIX = "scratch-test-depot-";

	private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
			PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

	private final Path path;

	private final AtomicBoolean deleted = new AtomicBoolean();

	private TemporaryDepot(Path path) {
		this.path = path;
	}

	/**
	 * The temporary depot of an environment, created and attached on first use. Its property
	 * source is moved in front of all others on every call, since sources added later (such
	 * as dynamic test properties) go first too.
	 * @param environment the environment
	 * @return its depot
	 */
	static TemporaryDepot attach(ConfigurableEnvironment environment) {
		MutablePropertySources sources = environment.getPropertySources();
		synchronized (sources) {
			DepotPropertySource source = (sources.get(PROPERTY_SOURCE_NAME) instanceof DepotPropertySource existing)
					? existing : new DepotPropertySource(create());
			sources.remove(PROPERTY_SOURCE_NAME);
			sources.addFirst(source);
			return source.getSource();
		}
	}

	/**
	 * The temporary depot of an environment, if it has one.
	 * @param environment the environment
	 * @return its depot, or {@code null}
	 */
	static @Nullable TemporaryDepot find(ConfigurableEnvironment environment) {
		return (environment.getPropertySources().get(PROPERTY_SOURCE_NAME) instanceof DepotPropertySource source)
				? source.getSource() : null;
	}

	private static TemporaryDepot create() {
		try {
			boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
			FileAttribute<?>[] attributes = posix ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_ONLY) }
					: new FileAttribute<?>[0];
			return new TemporaryDepot(Files.createTempDirectory(DIRECTORY_PREFIX, attributes).toAbsolutePath());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a temporary scratch depot in "
					+ System.getProperty("java.io.tmpdir") + " for @TemporaryScratchDepot", ex);
		}
	}

	Path path() {
		return this.path;
	}

	/**
	 * Deletes the depot and everything in it, once; later calls do nothing.
	 * @throws UncheckedIOException if something could not be deleted
	 */
	void delete() {
		if (this.deleted.compareAndSet(false, true)) {
			try {
				deleteTree(this.path);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot delete temporary scratch depot " + this.path, ex);
			}
		}
	}

	/**
	 * Deletes a file, a link or a directory tree, never following links. Directories are made
	 * accessible to their owner first, and read-only flags cleared, so that what a test left
	 * read-only goes too.
	 */
	private static void deleteTree(Path path) throws IOException {
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return;
		}
		if (!attributes.isSymbolicLink()) {
			makeWritable(path, attributes.isDirectory());
		}
		if (attributes.isDirectory()) {
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
				for (Path entry : entries) {
					deleteTree(entry);
				}
			}
		}
		Files.deleteIfExists(path);
	}

	private static void makeWritable(Path path, boolean directory) throws IOException {
		if (!isPosix(path)) {
			DosFileAttributeView dos = Files.getFileAttributeView(path, DosFileAttributeView.class,
					LinkOption.NOFOLLOW_LINKS);
			if (dos != null && dos.readAttributes().isReadOnly()) {
				dos.setReadOnly(false);
			}
		}
		else if (directory) {
			// A read-only file goes with its directory writable; a directory needs all three.
			Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
			if (!permissions.containsAll(OWNER_ONLY)) {
				permissions.addAll(OWNER_ONLY);
				// Checked above not to be a link, in a depot only its owner can change.
				Files.setPosixFilePermissions(path, permissions);
			}
		}
	}

	private static boolean isPosix(Path path) {
		return path.getFileSystem().supportedFileAttributeViews().contains("posix");
	}

	@Override
	public String toString() {
		return this.path.toString();
	}

	/** Holds the depot; its one property is {@code scratch.depot}. */
	private static final class DepotPropertySource extends EnumerablePropertySource<TemporaryDepot> {

		private static final String DEPOT_PROPERTY = "scratch.depot";

		private static final String[] NAMES = { DEPOT_PROPERTY };

		DepotPropertySource(TemporaryDepot depot) {
			super(PROPERTY_SOURCE_NAME, depot);
		}

		@Override
		public String[] getPropertyNames() {
			// The same array each time: the binder then knows nothing changed.
			return NAMES;
		}

		@Override
		public @Nullable Object getProperty(String name) {
			return DEPOT_PROPERTY.equals(name) ? getSource().path().toString() : null;
		}

	}

}
