package dev.scratchspace;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Opens the depot's own files (the usage log, the orphanage, the owner index, lock files) so
 * that no file a person or another program put in their place can make the open or a read
 * block: a FIFO opened for reading alone waits for a writer, and a read from an empty one
 * waits for data.
 *
 * <p>Each file is checked to be a regular file (links not followed) before it is opened, and
 * opened for reading <em>and</em> writing, which returns at once even on a FIFO; the file's
 * identity is compared with the checked one after the open. The callers then read and write
 * at explicit positions only, which a FIFO refuses ({@code ESPIPE}) instead of waiting, and
 * read at most the size seen when the file was checked. What remains: a file that may be
 * read but not written is opened for reading alone; the swap of a FIFO between the check and
 * that open is then possible to someone who may write the directory but not the file, and
 * the open waits until the FIFO gets a writer. On a read-only file system no FIFO can be
 * swapped in.
 */
final class RegularFiles {

	private static final String REPLACED = "it was replaced while it was opened";

	/** Opens of a lock file that a replacement may spoil before one proves its file. */
	private static final int PROVEN_ATTEMPTS = 4;

	private RegularFiles() {
	}

	/** A channel on a regular file, and the file's size when it was checked. */
	record Opened(FileChannel channel, long size) {
	}

	/**
	 * Opens an existing regular file for positional reads.
	 * @throws NoSuchFileException if the file does not exist
	 * @throws NotRegularFileException if it is anything but a regular file, or was replaced
	 * while it was opened
	 */
	static Opened openForReading(Path file) throws IOException {
		BasicFileAttributes checked = regularAttributes(file);
		FileChannel channel;
		try {
			channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
					LinkOption.NOFOLLOW_LINKS);
		}
		catch (AccessDeniedException ex) {
			channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
		}
		catch (FileSystemException ex) {
			if (!isReadOnly(ex)) {
				throw ex;
			}
			channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
		}
		return new Opened(checkSame(file, checked, channel), checked.size());
	}

	/**
	 * Opens a regular file for positional reads and writes, creating it if missing.
	 * @throws NotRegularFileException if it is anything but a regular file, or was replaced
	 * while it was opened
	 */
	static FileChannel openForWriting(Path file) throws IOException {
		return openIdentified(file).channel();
	}

	/**
	 * A channel on a regular file, and the identity of the file it has open, where that is
	 * proven: the same {@linkplain BasicFileAttributes#fileKey() file key} seen before and
	 * after the open.
	 *
	 * @param channel the open channel
	 * @param fileKey the file's key, or {@code null} where the open created the file (nothing
	 * proves that the file seen after the open is the one created) or the file system has no
	 * file keys
	 */
	record Identified(FileChannel channel, @Nullable Object fileKey) {
	}

	/**
	 * Opens a regular file for positional reads and writes, creating it if missing, and tells
	 * which file it opened, so that a caller that keeps the channel open can later check,
	 * with one {@code stat} of the path, that the path still names that file.
	 * @throws NotRegularFileException if it is anything but a regular file, or was replaced
	 * while it was opened
	 */
	static Identified openIdentified(Path file) throws IOException {
		@Nullable BasicFileAttributes checked = null;
		try {
			checked = regularAttributes(file);
		}
		catch (NoSuchFileException ex) {
			// Created by the open.
		}
		FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
				StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
		checkSame(file, checked, channel);
		return new Identified(channel, (checked != null) ? checked.fileKey() : null);
	}

	/**
	 * Opens a regular file for positional reads and writes, creating it if missing, and
	 * proves which file it opened: where the open created the file, nothing proves that the
	 * file the path names after it is the one created (it may have been replaced at once), so
	 * the channel is closed and the file, which now exists, opened again. For callers that
	 * keep the channel and later compare the path's identity with the one returned here.
	 * @return the channel, and the identity of its file; {@code null} only where the file
	 * system has no file keys, or the file was deleted again after each of a few opens
	 * @throws NotRegularFileException if it is anything but a regular file, or was replaced
	 * while it was opened
	 */
	static Identified openProven(Path file) throws IOException {
		Identified opened = null;
		for (int attempt = 1; true; attempt++) {
			try {
				opened = openIdentified(file);
			}
			catch (NotRegularFileException ex) {
				// Replaced during this open: a regular file is there, so open that one.
				if (!ex.wasReplaced() || attempt >= PROVEN_ATTEMPTS) {
					throw ex;
				}
				continue;
			}
			if (opened.fileKey() != null || attempt >= PROVEN_ATTEMPTS) {
				return opened;
			}
			opened.channel().close();
		}
	}

	/**
	 * Refuses a file whose directory is no longer a directory: a link put in its place would
	 * be followed by the open, which then writes, or creates, a file outside the depot. For
	 * callers that checked the directory once and open the file again later.
	 * @throws NotRegularFileException if the directory is a link or anything but a directory
	 */
	static void checkParentDirectory(Path file) throws IOException {
		Path directory = file.toAbsolutePath().getParent();
		if (directory == null) {
			return;
		}
		BasicFileAttributes attributes = Files.readAttributes(directory, BasicFileAttributes.class,
				LinkOption.NOFOLLOW_LINKS);
		if (!attributes.isDirectory()) {
			throw new NotRegularFileException(file, "its directory " + directory + " is "
					+ (attributes.isSymbolicLink() ? "a symbolic link, which is never followed" : "no directory"));
		}
	}

	/**
	 * Whether a failure to write means that the depot cannot be written at all: a read-only
	 * file system, or no permission.
	 */
	static boolean isReadOnly(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof AccessDeniedException) {
				return true;
			}
			if (cause instanceof FileSystemException fse && fse.getReason() != null
					&& fse.getReason().contains("Read-only file system")) {
				return true;
			}
		}
		return false;
	}

	private static BasicFileAttributes regularAttributes(Path file) throws IOException {
		BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
				LinkOption.NOFOLLOW_LINKS);
		if (!attributes.isRegularFile()) {
			throw new NotRegularFileException(file, attributes);
		}
		return attributes;
	}

	/** Closes the channel unless the path still names the checked regular file. */
	private static FileChannel checkSame(Path file, @Nullable BasicFileAttributes checked, FileChannel channel)
			throws IOException {
		try {
			BasicFileAttributes now = regularAttributes(file);
			if (checked != null && checked.fileKey() != null && !Objects.equals(checked.fileKey(), now.fileKey())) {
				throw new NotRegularFileException(file, REPLACED);
			}
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			try {
				channel.close();
			}
			catch (IOException suppressed) {
				ex.addSuppressed(suppressed);
			}
			throw ex;
		}
	}

	/** A depot file that is not a regular file: refused, never opened in a way that may block. */
	static final class NotRegularFileException extends FileSystemException {

		private static final long serialVersionUID = 1L;

		NotRegularFileException(Path file, BasicFileAttributes attributes) {
			this(file, "it is " + kind(attributes) + ", not a regular file");
		}

		NotRegularFileException(Path file, String reason) {
			super(file.toString(), null, reason);
		}

		/** Whether the file was a regular file, replaced by another while it was opened. */
		boolean wasReplaced() {
			return REPLACED.equals(getReason());
		}

		private static String kind(BasicFileAttributes attributes) {
			if (attributes.isDirectory()) {
				return "a directory";
			}
			if (attributes.isSymbolicLink()) {
				return "a symbolic link";
			}
			return "a FIFO, socket or device";
		}

	}

}
