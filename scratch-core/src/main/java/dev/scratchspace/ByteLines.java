package dev.scratchspace;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Reads a file line by line into one fixed buffer, so that a file of any size costs the
 * buffer's size in memory and no object per line. A line is the bytes before {@code \n},
 * without a {@code \r} before it; the last line may lack the {@code \n}. A line longer than
 * the buffer is skipped and reported as {@link #tooLong()}.
 * <p>
 * A reader may {@link #mark()} the start of the next line to get the bytes from there to
 * the current line back later, as long as they fit in the buffer.
 */
final class ByteLines implements Closeable {

	static final int DEFAULT_CAPACITY = 1 << 20;

	private final FileChannel channel;

	/** The file's size when it was opened: nothing past it is read. */
	private final long size;

	/** Where the next read starts in the file. */
	private long position;

	private final byte[] buffer;

	/** Start of the bytes not yet returned as lines. */
	private int pos;

	/** End of the bytes read from the file. */
	private int limit;

	/** Where the search for the next newline resumes. */
	private int scanned;

	private boolean eof;

	private long lineNumber;

	private int lineStart;

	private int lineEnd;

	private boolean tooLong;

	private boolean lastLineUnterminated;

	private int mark = -1;

	private boolean markLost;

	private ByteLines(FileChannel channel, long size, int capacity) {
		this.channel = channel;
		this.size = size;
		this.buffer = new byte[capacity];
	}

	static ByteLines open(Path file) throws IOException {
		return open(file, DEFAULT_CAPACITY);
	}

	/**
	 * Opens a regular file, refusing anything else (see {@link RegularFiles}): the reads are
	 * positional and end at the size the file had when it was opened, so neither a FIFO nor a
	 * device put in its place can make them block or run on forever.
	 * @throws java.nio.file.NoSuchFileException if the file does not exist
	 * @throws RegularFiles.NotRegularFileException if it is not a regular file
	 */
	static ByteLines open(Path file, int capacity) throws IOException {
		RegularFiles.Opened opened = RegularFiles.openForReading(file);
		return new ByteLines(opened.channel(), opened.size(), capacity);
	}

	/** Reads at the current position, at most up to the size seen at the open. */
	private int read(ByteBuffer into) throws IOException {
		long left = this.size - this.position;
		if (left <= 0) {
			return -1;
		}
		if (into.remaining() > left) {
			into.limit(into.position() + (int) left);
		}
		int read = this.channel.read(into, this.position);
		if (read > 0) {
			this.position += read;
		}
		return read;
	}

	/**
	 * Reads an open channel from {@code from} up to its present size (the collector reads what
	 * was appended to a log it has replaced); closing the lines closes the channel.
	 */
	static ByteLines of(FileChannel channel, long from) throws IOException {
		ByteLines lines = new ByteLines(channel, channel.size(), DEFAULT_CAPACITY);
		lines.position = from;
		return lines;
	}

	/**
	 * Moves to the next line.
	 * @return false at the end of the file
	 * @throws IOException if the file cannot be read
	 */
	boolean next() throws IOException {
		this.tooLong = false;
		for (;;) {
			int newline = indexOfNewline(this.scanned, this.limit);
			if (newline >= 0) {
				setLine(newline, false);
				return true;
			}
			this.scanned = this.limit;
			if (this.eof) {
				this.lineStart = this.limit;
				if (this.pos == this.limit) {
					return false;
				}
				setLine(this.limit, true);
				return true;
			}
			if (!fill()) {
				skipLongLine();
				return true;
			}
		}
	}

	private void setLine(int end, boolean atEof) {
		this.lineNumber++;
		this.lineStart = this.pos;
		this.lineEnd = (end > this.pos && this.buffer[end - 1] == '\r') ? end - 1 : end;
		this.lastLineUnterminated = atEof;
		this.pos = atEof ? end : end + 1;
		this.scanned = this.pos;
	}

	private int indexOfNewline(int from, int to) {
		return ByteSearch.indexOf(this.buffer, from, to, (byte) '\n');
	}

	/**
	 * Makes room and reads more. Keeps the marked bytes while they leave room to read.
	 * @return false if the line being searched fills the whole buffer
	 */
	private boolean fill() throws IOException {
		int keep = (this.mark >= 0) ? this.mark : this.pos;
		if (keep == 0 && this.limit == this.buffer.length && this.mark >= 0) {
			this.mark = -1;
			this.markLost = true;
			keep = this.pos;
		}
		if (keep > 0) {
			System.arraycopy(this.buffer, keep, this.buffer, 0, this.limit - keep);
			this.pos -= keep;
			this.limit -= keep;
			this.scanned -= keep;
			if (this.mark >= 0) {
				this.mark -= keep;
			}
		}
		if (this.limit == this.buffer.length) {
			return false;
		}
		int read = read(ByteBuffer.wrap(this.buffer, this.limit, this.buffer.length - this.limit));
		if (read < 0) {
			this.eof = true;
		}
		else {
			this.limit += read;
		}
		return true;
	}

	/** Drops a line that does not fit in the buffer, up to and including its newline. */
	private void skipLongLine() throws IOException {
		this.lineNumber++;
		this.tooLong = true;
		for (;;) {
			int read = read(ByteBuffer.wrap(this.buffer));
			if (read < 0) {
				this.eof = true;
				this.lastLineUnterminated = true;
				this.pos = 0;
				this.limit = 0;
				break;
			}
			int newline = indexOfNewline(0, read);
			if (newline >= 0) {
				this.pos = newline + 1;
				this.limit = read;
				break;
			}
		}
		this.scanned = this.pos;
		this.lineStart = this.pos;
		this.lineEnd = this.pos;
	}

	/** @return the buffer that holds the current line */
	byte[] buffer() {
		return this.buffer;
	}

	/** @return where the current line starts in {@link #buffer()} */
	int start() {
		return this.lineStart;
	}

	/** @return where the current line ends in {@link #buffer()}, before any line break */
	int end() {
		return this.lineEnd;
	}

	/** @return how many bytes of the file the lines end at: its size when it was opened */
	long size() {
		return this.size;
	}

	/** @return the 1-based number of the current line */
	long lineNumber() {
		return this.lineNumber;
	}

	/** @return whether the current line did not fit in the buffer and was skipped */
	boolean tooLong() {
		return this.tooLong;
	}

	/** @return whether the current line is the last one and has no line break */
	boolean lastLineUnterminated() {
		return this.lastLineUnterminated;
	}

	int capacity() {
		return this.buffer.length;
	}

	/** Remembers the start of the next line. */
	void mark() {
		this.mark = this.pos;
		this.markLost = false;
	}

	/**
	 * The bytes from the mark to the start of the current line, or to the end of the file
	 * once {@link #next()} returned false.
	 * @return a copy, or null if there is no mark or the bytes did not fit in the buffer
	 */
	byte @Nullable [] marked() {
		if (this.mark < 0 || this.markLost) {
			return null;
		}
		return Arrays.copyOfRange(this.buffer, this.mark, Math.max(this.mark, this.lineStart));
	}

	void clearMark() {
		this.mark = -1;
		this.markLost = false;
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

}
