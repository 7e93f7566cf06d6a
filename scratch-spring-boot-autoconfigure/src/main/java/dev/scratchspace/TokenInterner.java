package dev.scratchspace;

import java.util.Arrays;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Maps TOML string tokens to values, decoding each distinct token only once. A usage log
 * names the same spaces and projects over and over; looking their raw bytes up here costs
 * one pass to hash them and a compare, instead of a decode and new objects per entry.
 *
 * @param <T> what a token stands for
 */
final class TokenInterner<T> {

	private static final int INITIAL_CAPACITY = 1 << 10;

	private final Function<String, T> valueOf;

	private byte[] @Nullable [] keys = new byte[INITIAL_CAPACITY][];

	private @Nullable Object[] values = new Object[INITIAL_CAPACITY];

	private int[] hashes = new int[INITIAL_CAPACITY];

	private int size;

	/**
	 * @param valueOf what a newly seen token stands for, given its decoded string
	 */
	TokenInterner(Function<String, T> valueOf) {
		this.valueOf = valueOf;
	}

	/**
	 * Reads the single-line string token at the scanner's cursor and moves past it.
	 * @param scanner the line, at an opening quote
	 * @return the value the token stands for, the same instance for the same bytes
	 * @throws MalformedTomlException if the token is not closed or cannot be decoded
	 */
	T intern(TomlScanner scanner) {
		byte[] b = scanner.line();
		int from = scanner.pos();
		int to = scanner.end();
		byte quote = b[from];
		int hash = quote;
		int i = from + 1;
		for (;;) {
			if (i >= to) {
				throw new MalformedTomlException("string is not closed on its line");
			}
			byte c = b[i++];
			hash = 31 * hash + c;
			if (c == quote) {
				break;
			}
			if (c == '\\' && quote == '"' && i < to) {
				hash = 31 * hash + b[i++];
			}
		}
		T value = lookup(b, from, i, spread(hash));
		scanner.advance(i - from);
		return value;
	}

	@SuppressWarnings("unchecked")
	private T lookup(byte[] b, int from, int to, int hash) {
		int mask = this.keys.length - 1;
		int slot = hash & mask;
		for (byte[] key = this.keys[slot]; key != null; key = this.keys[slot]) {
			if (this.hashes[slot] == hash && Arrays.equals(key, 0, key.length, b, from, to)) {
				return (T) this.values[slot];
			}
			slot = (slot + 1) & mask;
		}
		T value = this.valueOf.apply(TomlText.unquote(b, from, to));
		this.keys[slot] = Arrays.copyOfRange(b, from, to);
		this.values[slot] = value;
		this.hashes[slot] = hash;
		if (++this.size * 2 > this.keys.length) {
			grow();
		}
		return value;
	}

	private void grow() {
		byte[] @Nullable [] oldKeys = this.keys;
		@Nullable Object[] oldValues = this.values;
		int[] oldHashes = this.hashes;
		this.keys = new byte[oldKeys.length * 2][];
		this.values = new Object[oldKeys.length * 2];
		this.hashes = new int[oldKeys.length * 2];
		int mask = this.keys.length - 1;
		for (int i = 0; i < oldKeys.length; i++) {
			if (oldKeys[i] != null) {
				int slot = oldHashes[i] & mask;
				while (this.keys[slot] != null) {
					slot = (slot + 1) & mask;
				}
				this.keys[slot] = oldKeys[i];
				this.values[slot] = oldValues[i];
				this.hashes[slot] = oldHashes[i];
			}
		}
	}

	/** Slots are chosen by the low bits, and paths differ near their end. */
	private static int spread(int hash) {
		int h = hash * 0x9e3779b9;
		return h ^ (h >>> 16);
	}

}
