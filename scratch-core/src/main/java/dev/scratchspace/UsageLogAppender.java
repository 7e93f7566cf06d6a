package dev.scratchspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.jspecify.annotations.Nullable;

/**
 * Appends entries to one manager's usage log through a channel kept open between appends.
 * Opening the log for every entry cost a {@code stat}, the open, a second {@code stat}, an
 * {@code fstat} and the close; an append now checks with one {@code stat} of the path (links
 * not followed) that the path still names the regular file the channel has open, writes at
 * the size that {@code stat} saw, and opens the log again, as
 * {@link RegularFiles#openIdentified} does, only when the path names another file: the log
 * was rewritten by a collection (a new file renamed over it), deleted, moved away, or
 * replaced by anything else. Appends never write to a file that is no longer the log.
 *
 * <p>A channel is kept only where the open proved which file it has open (the file existed
 * before the open, and had the same key after it): a log created by the open is written
 * through and closed, and the next append opens it again. The channel holds no lock (the log
 * lock is on its own file), so closing it releases nothing another channel holds. Called
 * holding the log lock; the monitor only orders an append against {@link #close()}.
 */
final class UsageLogAppender {

	private final Path log;

	/** Guarded by this. */
	private @Nullable FileChannel channel;

	/** Guarded by this: the key of the file the channel has open. */
	private @Nullable Object fileKey;

	/** Guarded by this. */
	private boolean closed;

	UsageLogAppender(Path log) {
		this.log = log;
	}

	/**
	 * Appends an entry at the end of the log, after a line break if the log does not end
	 * with one (a torn entry). Positional writes at the end, not {@code APPEND}: the log lock
	 * serializes every writer, and the last byte must be read; a FIFO or device refuses them
	 * instead of waiting. The byte is read for every entry, even where the log still has the
	 * size at which this appender's last entry ended: older Julia versions' {@code Pkg.gc()}
	 * rewrites the log in place, without the lock, and one stopped part-way leaves that file
	 * at any size, also that one, with a torn last line.
	 * @throws NoSuchFileException if the log's directory is missing
	 * @throws RegularFiles.NotRegularFileException if the log is not a regular file
	 */
	synchronized void append(byte[] entry) throws IOException {
		BasicFileAttributes seen = stillTheLog();
		FileChannel open = this.channel;
		boolean keep = (seen != null && open != null);
		long end;
		if (keep) {
			// The size of the very file the channel has open, seen under the log lock.
			end = seen.size();
		}
		else {
			RegularFiles.Identified opened = reopen();
			open = opened.channel();
			end = -1;
			if (!this.closed && opened.fileKey() != null) {
				this.channel = open;
				this.fileKey = opened.fileKey();
				keep = true;
			}
		}
		try {
			write(open, (end >= 0) ? end : open.size(), entry);
		}
		catch (IOException | RuntimeException ex) {
			// Whatever failed, the next append starts from a fresh open.
			keep = false;
			forget(open);
			throw ex;
		}
		finally {
			if (!keep) {
				open.close();
			}
		}
	}

	/**
	 * The log's attributes if the path still names the file of the kept channel; otherwise
	 * closes that channel and returns {@code null}.
	 */
	private @Nullable BasicFileAttributes stillTheLog() throws IOException {
		FileChannel open = this.channel;
		if (open == null) {
			return null;
		}
		BasicFileAttributes now;
		try {
			now = Files.readAttributes(this.log, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			now = null;
		}
		if (now != null && now.isRegularFile() && now.fileKey() != null && now.fileKey().equals(this.fileKey)
				&& open.isOpen()) {
			return now;
		}
		forget(open);
		open.close();
		return null;
	}

	/**
	 * Opens the log again, as any depot file, and refuses what a regular-file check lets
	 * through: a log directory replaced by a link (the open would follow it, and write or
	 * create the log outside the depot; the directory was checked only when the manager first
	 * wrote a log), and a log with more than one link (a hard link put in its place names a
	 * file outside the depot too; no writer of the log makes one). Rare, so the two checks
	 * cost nothing on the path of an append that finds its channel still good. A swap of the
	 * directory exactly between the check and the open remains.
	 */
	private RegularFiles.Identified reopen() throws IOException {
		RegularFiles.checkParentDirectory(this.log);
		RegularFiles.Identified opened = RegularFiles.openIdentified(this.log);
		int links = linkCount(this.log);
		if (links > 1) {
			opened.channel().close();
			throw new RegularFiles.NotRegularFileException(this.log,
					"it has " + links + " hard links, so it may be a file outside the depot");
		}
		return opened;
	}

	/** The number of hard links of a file, or 1 where the file system does not tell. */
	private static int linkCount(Path file) throws IOException {
		try {
			Object count = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
			return (count instanceof Integer links) ? links : 1;
		}
		catch (UnsupportedOperationException | IllegalArgumentException ex) {
			return 1;
		}
	}

	private void forget(FileChannel open) {
		if (this.channel == open) {
			this.channel = null;
			this.fileKey = null;
		}
	}

	private static void write(FileChannel channel, long end, byte[] entry) throws IOException {
		long position = end;
		ByteBuffer buffer = ByteBuffer.wrap(entry);
		if (position > 0) {
			ByteBuffer last = ByteBuffer.allocate(1);
			if (channel.read(last, position - 1) == 1 && last.get(0) != '\n') {
				byte[] fresh = new byte[entry.length + 1];
				fresh[0] = '\n';
				System.arraycopy(entry, 0, fresh, 1, entry.length);
				buffer = ByteBuffer.wrap(fresh);
			}
		}
		while (buffer.hasRemaining()) {
			position += channel.write(buffer, position);
		}
	}

	/** Closes the kept channel; later appends open the log for each entry. */
	synchronized void close() throws IOException {
		this.closed = true;
		FileChannel open = this.channel;
		this.channel = null;
		this.fileKey = null;
		if (open != null) {
			open.close();
		}
	}

}
