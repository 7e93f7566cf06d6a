package dev.scratchspace;

import java.util.Arrays;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Maps TOML string tokens to values, decoding each distinct token only once. A usage log
 * names the same spaces and projects over and over; looking their raw bytes up here costs
 * one pass to hash them and a compare, instead of a decode and new objects per entry. The
 * table is open-addressed: parallel arrays of hashes, keys and values, probed linearly.
 *
 * @param <T> what a token stands for
 */
final class TokenInterner<T> {

	private static final int INITIAL_CAPACITY = 1 << 10;

	/** Marks a free slot in {@link #hashes}; a token that hashes to it is given 1 instead. */
	private static final int EMPTY = 0;

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
		int to = TomlText.tokenEnd(b, from, scanner.end());
		int hash = ByteSearch.hash(b, from, to);
		T value = lookup(b, from, to, (hash != EMPTY) ? hash : 1);
		scanner.advance(to - from);
		return value;
	}

	/**
	 * Finds the token's slot. The hashes are probed first: they sit together in one small
	 * array, while each key is an object of its own, somewhere in a heap far larger than the
	 * CPU's caches. A key is read only when its hash matches, which is almost always a hit.
	 */
	@SuppressWarnings("unchecked")
	private T lookup(byte[] b, int from, int to, int hash) {
		int mask = this.hashes.length - 1;
		int slot = hash & mask;
		for (int h = this.hashes[slot]; h != EMPTY; h = this.hashes[slot]) {
			if (h == hash) {
				byte[] key = this.keys[slot];
				if (Arrays.equals(key, 0, key.length, b, from, to)) {
					return (T) this.values[slot];
				}
			}
			slot = (slot + 1) & mask;
		}
		T value = this.valueOf.apply(TomlText.unquote(b, from, to));
		this.keys[slot] = Arrays.copyOfRange(b, from, to);
		this.values[slot] = value;
		this.hashes[slot] = hash;
		if (++this.size * 2 > this.hashes.length) {
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
		int mask = this.hashes.length - 1;
		for (int i = 0; i < oldHashes.length; i++) {
			if (oldHashes[i] != EMPTY) {
				int slot = oldHashes[i] & mask;
				while (this.hashes[slot] != EMPTY) {
					slot = (slot + 1) & mask;
				}
				this.keys[slot] = oldKeys[i];
				this.values[slot] = oldValues[i];
				this.hashes[slot] = oldHashes[i];
			}
		}
	}

}
