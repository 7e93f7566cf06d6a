package dev.scratchspace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A set of byte strings, each with a few {@code long}s of payload beside it. A usage log names
 * 100,000 spaces a million times, each time one at random; once the tables outgrow the CPU's
 * caches, every lookup pays a cache miss per object it touches, and a key as a {@code byte[]}
 * with its value in another object touches several. Here nothing is an object per key: each
 * key's record (payload, length, bytes) lies in one array, end to end with the others, and
 * the open-addressed table holds each key's hash and record side by side. A lookup reads its
 * slot and then one record, where the caller also finds what it keeps for the key.
 * <p>
 * A record is known by its <em>handle</em>, its offset in that array: handles stay valid as
 * the store grows.
 */
final class KeyStore {

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final int INITIAL_SLOTS = 1 << 10;

	/** Ints per slot: the hash, and the record's handle plus one (0 marks a free slot). */
	private static final int SLOT = 2;

	/** The largest array most JVMs allocate. */
	private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

	/** Bytes before a key in its record: the payload, then the key's length. */
	private final int keyOffset;

	private int[] table = new int[INITIAL_SLOTS * SLOT];

	private byte[] records = new byte[1 << 12];

	private int used;

	private int size;

	/**
	 * @param payloadLongs how many {@code long}s each key carries, all 0 when it is added
	 */
	KeyStore(int payloadLongs) {
		if (payloadLongs < 0 || payloadLongs > 64) {
			throw new IllegalArgumentException("'payloadLongs' must be 0 to 64, but was " + payloadLongs);
		}
		this.keyOffset = payloadLongs * Long.BYTES + Integer.BYTES;
	}

	/**
	 * The handle of {@code b[from, to)}, if it was added.
	 * @return the handle, or -1
	 */
	int find(byte[] b, int from, int to) {
		return find(b, from, to, ByteSearch.hash(b, from, to));
	}

	/**
	 * The handle of {@code b[from, to)}, if it was added.
	 * @param hash {@link ByteSearch#hash} of the key
	 * @return the handle, or -1
	 */
	int find(byte[] b, int from, int to, int hash) {
		int slot = slotOf(b, from, to, hash);
		return this.table[slot + 1] - 1;
	}

	/**
	 * The record that the first slot of this hash names, if that slot holds this hash: most
	 * likely the key's own record. Reading it is the part of a lookup that waits for memory;
	 * a caller with several keys to look up asks this for all of them first, so that the
	 * CPU fetches their slots at once instead of one after the other.
	 * @param hash {@link ByteSearch#hash} of a key
	 * @return a handle, or -1
	 */
	int likelyHandle(int hash) {
		int[] t = this.table;
		int slot = (hash * SLOT) & (t.length - SLOT);
		return (t[slot] == hash) ? t[slot + 1] - 1 : -1;
	}

	/**
	 * Reads the cache lines of a record that a lookup of a key of this length reads, so that
	 * they are in the cache when it does: see {@link #likelyHandle}.
	 * @param handle a handle
	 * @param length the length of the key that will be looked up
	 * @return a value that depends on every line read, for the caller to keep
	 */
	long touch(int handle, int length) {
		byte[] r = this.records;
		int last = Math.min(handle + this.keyOffset + length, this.used) - 1;
		long sum = 0;
		for (int at = handle; at < last; at += 64) {
			sum += r[at];
		}
		return sum + r[last];
	}

	/**
	 * Adds {@code b[from, to)} unless it is there.
	 * @return its handle; {@link #size()} grew if it is new
	 * @throws OutOfMemoryError if the records would take more bytes than an array holds
	 */
	int add(byte[] b, int from, int to) {
		return add(b, from, to, ByteSearch.hash(b, from, to));
	}

	/**
	 * Adds {@code b[from, to)} unless it is there.
	 * @param hash {@link ByteSearch#hash} of the key
	 * @return its handle; {@link #size()} grew if it is new
	 * @throws OutOfMemoryError if the records would take more bytes than an array holds
	 */
	int add(byte[] b, int from, int to, int hash) {
		int slot = slotOf(b, from, to, hash);
		if (this.table[slot + 1] != 0) {
			return this.table[slot + 1] - 1;
		}
		int length = to - from;
		// Records start at multiples of 8, so that a payload never straddles a cache line.
		long end = (this.used + this.keyOffset + (long) length + 7) & ~7L;
		if (end > this.records.length) {
			growRecords(end);
		}
		int handle = this.used;
		INTS.set(this.records, handle + this.keyOffset - Integer.BYTES, length);
		System.arraycopy(b, from, this.records, handle + this.keyOffset, length);
		this.used = (int) end;
		this.table[slot] = hash;
		this.table[slot + 1] = handle + 1;
		if (++this.size * 2 > this.table.length / SLOT) {
			growTable();
		}
		return handle;
	}

	/** @return how many distinct keys were added */
	int size() {
		return this.size;
	}

	/** @return payload {@code index} of the record {@code handle} */
	long payload(int handle, int index) {
		return (long) LONGS.get(this.records, handle + index * Long.BYTES);
	}

	/** Sets payload {@code index} of the record {@code handle}. */
	void payload(int handle, int index, long value) {
		LONGS.set(this.records, handle + index * Long.BYTES, value);
	}

	/**
	 * The slot that holds the key, or the free slot where it belongs. The hash is compared
	 * first: the record is read only when it matches, which is almost always a hit.
	 */
	private int slotOf(byte[] b, int from, int to, int hash) {
		int[] t = this.table;
		int mask = t.length - SLOT;
		int slot = (hash * SLOT) & mask;
		for (int handle = t[slot + 1] - 1; handle >= 0; handle = t[slot + 1] - 1) {
			if (t[slot] == hash) {
				int start = handle + this.keyOffset;
				int length = (int) INTS.get(this.records, start - Integer.BYTES);
				if (Arrays.equals(this.records, start, start + length, b, from, to)) {
					return slot;
				}
			}
			slot = (slot + SLOT) & mask;
		}
		return slot;
	}

	private void growRecords(long needed) {
		if (needed > MAX_ARRAY) {
			throw new OutOfMemoryError("The keys' records take more than " + MAX_ARRAY + " bytes");
		}
		int capacity = (int) Math.max(needed, Math.min(MAX_ARRAY, 2L * this.records.length));
		this.records = Arrays.copyOf(this.records, capacity);
	}

	private void growTable() {
		int[] old = this.table;
		if (old.length > MAX_ARRAY / 2) {
			throw new OutOfMemoryError("More keys than a table of " + (old.length / SLOT) + " slots holds");
		}
		int[] t = new int[old.length * 2];
		int mask = t.length - SLOT;
		for (int i = 0; i < old.length; i += SLOT) {
			if (old[i + 1] != 0) {
				int slot = (old[i] * SLOT) & mask;
				while (t[slot + 1] != 0) {
					slot = (slot + SLOT) & mask;
				}
				t[slot] = old[i];
				t[slot + 1] = old[i + 1];
			}
		}
		this.table = t;
	}

}
