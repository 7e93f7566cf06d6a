package dev.scratchspace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ByteSearch}.
 */
class ByteSearchTests {

	/** Bytes one apart from the targets, and 0x80, trip a naive zero-byte test. */
	private static final byte[] ALPHABET = { '\n', '\u000b', '\t', '"', '#', '!', '\\', ']', '[', 0, 1, (byte) 0x80,
			(byte) 0xff, 'a' };

	@Test
	void findsTheFirstMatchLikeAByteLoopWithinAnyBounds() {
		Random random = new Random(7);
		for (int n = 0; n < 2_000; n++) {
			byte[] b = new byte[random.nextInt(40)];
			for (int i = 0; i < b.length; i++) {
				b[i] = ALPHABET[random.nextInt(ALPHABET.length)];
			}
			int from = random.nextInt(b.length + 1);
			int to = from + random.nextInt(b.length - from + 1);
			assertThat(ByteSearch.indexOf(b, from, to, (byte) '\n')).isEqualTo(naive(b, from, to, '\n', '\n'));
			assertThat(ByteSearch.indexOf(b, from, to, (byte) 0x80)).isEqualTo(naive(b, from, to, 0x80, 0x80));
			assertThat(ByteSearch.indexOfEither(b, from, to, (byte) '"', (byte) '\\'))
				.isEqualTo(naive(b, from, to, '"', '\\'));
		}
	}

	@Test
	void printableAsciiIsTheSpanFromSpaceToTildeWithoutABackslash() {
		Random random = new Random(11);
		byte[] edges = { 0x1f, 0x20, 0x21, '\\', '[', ']', 0x7e, 0x7f, (byte) 0x80, (byte) 0xff, 0, '\t', 'a' };
		for (int n = 0; n < 5_000; n++) {
			byte[] b = new byte[random.nextInt(40)];
			for (int i = 0; i < b.length; i++) {
				// Mostly printable, so that one bad byte at any position is tried often.
				b[i] = (random.nextInt(8) == 0) ? edges[random.nextInt(edges.length)] : (byte) ('a' + random.nextInt(26));
			}
			int from = random.nextInt(b.length + 1);
			int to = from + random.nextInt(b.length - from + 1);
			boolean expected = true;
			for (int i = from; i < to; i++) {
				expected &= (b[i] >= 0x20 && b[i] <= 0x7e && b[i] != '\\');
			}
			assertThat(ByteSearch.isPrintableAscii(b, from, to)).as("%s [%d, %d)", Arrays.toString(b), from, to)
				.isEqualTo(expected);
		}
	}

	@Test
	void hashDependsOnlyOnTheBytesInBounds() {
		byte[] a = "xx\"/tmp/d/scratchspaces/0123/key-1\"yy".getBytes(StandardCharsets.US_ASCII);
		byte[] b = "\"/tmp/d/scratchspaces/0123/key-1\"".getBytes(StandardCharsets.US_ASCII);
		assertThat(ByteSearch.hash(a, 2, a.length - 2)).isEqualTo(ByteSearch.hash(b, 0, b.length));
		assertThat(ByteSearch.hash(b, 0, b.length)).isNotEqualTo(ByteSearch.hash(b, 0, b.length - 1));
	}

	private static int naive(byte[] b, int from, int to, int first, int second) {
		for (int i = from; i < to; i++) {
			if (b[i] == (byte) first || b[i] == (byte) second) {
				return i;
			}
		}
		return -1;
	}

}
