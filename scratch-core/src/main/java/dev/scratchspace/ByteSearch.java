package dev.scratchspace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Searches and hashes byte arrays eight bytes at a time. A usage log is read byte by byte
 * otherwise, and its lines and paths are long: looking at a {@code long} per step instead
 * of a byte makes the search for a newline or a closing quote several times cheaper. C2
 * does not vectorize loops that exit early, so this is done by hand ("SWAR").
 */
final class ByteSearch {

	/** Reads eight bytes as one {@code long}; little-endian, so byte 0 is the low byte. */
	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final long ONES = 0x0101010101010101L;

	private static final long HIGHS = 0x8080808080808080L;

	private static final long GOLDEN = 0x9e3779b97f4a7c15L;

	private ByteSearch() {
	}

	/**
	 * The first index of {@code target} in {@code b[from, to)}.
	 * @return the index, or -1 if it is not there
	 */
	static int indexOf(byte[] b, int from, int to, byte target) {
		long pattern = ONES * (target & 0xff);
		int i = from;
		for (; i + Long.BYTES <= to; i += Long.BYTES) {
			long found = zeroBytes((long) LONGS.get(b, i) ^ pattern);
			if (found != 0) {
				return i + firstByte(found);
			}
		}
		for (; i < to; i++) {
			if (b[i] == target) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * The first index of {@code first} or {@code second} in {@code b[from, to)}.
	 * @return the index, or -1 if neither is there
	 */
	static int indexOfEither(byte[] b, int from, int to, byte first, byte second) {
		long firstPattern = ONES * (first & 0xff);
		long secondPattern = ONES * (second & 0xff);
		int i = from;
		for (; i + Long.BYTES <= to; i += Long.BYTES) {
			long word = (long) LONGS.get(b, i);
			long found = zeroBytes(word ^ firstPattern) | zeroBytes(word ^ secondPattern);
			if (found != 0) {
				return i + firstByte(found);
			}
		}
		for (; i < to; i++) {
			if (b[i] == first || b[i] == second) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Whether every byte of {@code b[from, to)} is printable ASCII other than a backslash
	 * (0x20 to 0x7e): the text of a TOML string that decodes to itself, whichever its quotes.
	 * @return whether no byte needs decoding or checking
	 */
	static boolean isPrintableAscii(byte[] b, int from, int to) {
		long backslashes = ONES * '\\';
		long deletes = ONES * 0x7f;
		int i = from;
		for (; i + Long.BYTES <= to; i += Long.BYTES) {
			long word = (long) LONGS.get(b, i);
			// A borrow only starts at a byte below 0x20, and a zero byte only where one matches.
			long below = (word - ONES * 0x20) & ~word & HIGHS;
			if ((word & HIGHS) != 0 || below != 0 || zeroBytes(word ^ backslashes) != 0
					|| zeroBytes(word ^ deletes) != 0) {
				return false;
			}
		}
		for (; i < to; i++) {
			if (b[i] < 0x20 || b[i] == 0x7f || b[i] == '\\') {
				return false;
			}
		}
		return true;
	}

	/**
	 * A hash of {@code b[from, to)}, mixed so that its low bits depend on every byte.
	 * @return the hash; equal bytes give equal hashes
	 */
	static int hash(byte[] b, int from, int to) {
		long h = to - from;
		int i = from;
		for (; i + Long.BYTES <= to; i += Long.BYTES) {
			h = Long.rotateLeft((h ^ (long) LONGS.get(b, i)) * GOLDEN, 31);
		}
		long tail = 0;
		for (int j = to - 1; j >= i; j--) {
			tail = (tail << 8) | (b[j] & 0xff);
		}
		h = (h ^ tail) * GOLDEN;
		h ^= h >>> 32;
		return (int) (h ^ (h >>> 16));
	}

	/**
	 * Marks the zero bytes of {@code word} with their high bit. A byte above a zero byte may
	 * be marked too (by the borrow), but the lowest mark is always exact, and only the
	 * lowest one is used.
	 */
	private static long zeroBytes(long word) {
		return (word - ONES) & ~word & HIGHS;
	}

	/** The index, 0 to 7, of the lowest byte marked by {@link #zeroBytes}. */
	private static int firstByte(long marks) {
		return Long.numberOfTrailingZeros(marks) >>> 3;
	}

}
