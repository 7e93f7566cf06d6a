package dev.scratchspace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What the entries of a usage log add up to, per space: the newest time and every parent
 * project, in the order they were first named. A million entries name 100,000 spaces, and
 * each entry updates one of them at random; with objects per space (a key, a value, a set or
 * array of parents) every entry would follow several pointers through a heap far larger than
 * the CPU's caches. Here a space's newest time and first two parents are the payload of its
 * header's bytes in a {@link KeyStore}: the lookup that finds the space has already brought
 * them into the cache. Only a space with more than two parents has an object for the rest.
 * <p>
 * Spaces and projects are identified by their decoded path, so every spelling of a path
 * (escapes, literal strings) counts as one: a second spelling's record points to the first.
 */
final class SpaceAggregates {

	/** Payload of a space's record: the newest time's second. */
	private static final int SECOND = 0;

	/** Payload: the newest time's nanoseconds, and {@link #RECORDED} once an entry was recorded. */
	private static final int NANO = 1;

	/** Payload: the first two parents' numbers, each plus one (0 = none), low and high. */
	private static final int PARENTS = 2;

	/** Payload: the space's number (low), and the handle plus one of the spelling that holds its aggregate, or 0. */
	private static final int LINK = 3;

	private static final long RECORDED = 1L << 32;

	private final KeyStore spaceKeys = new KeyStore(4);

	private final KeyStore projectKeys = new KeyStore(1);

	/** The handle of the first spelling of each space's path. */
	private final Map<String, Integer> spaceHandles = new HashMap<>();

	private final Map<String, Integer> projectNumbers = new HashMap<>();

	private final List<String> projects = new ArrayList<>();

	/** Each space's path, by number. */
	private String[] paths = new String[1 << 10];

	/** Each space's parents after the first two, by number. */
	private @Nullable MoreParents[] more = new MoreParents[1 << 10];

	private int spaceCount;

	/** The handles of the spaces with at least one recorded entry, in the order of their first one. */
	private int[] recorded = new int[1 << 10];

	private int recordedCount;

	/** How many entries are read before their spaces are looked up together. */
	private static final int BATCH = 64;

	/** The raw tokens of the batch's spaces, end to end: token k is {@code [pendingEnds[k], pendingEnds[k + 1])}. */
	private byte[] pendingBytes = new byte[BATCH * 128];

	private final int[] pendingEnds = new int[BATCH + 1];

	private final int[] pendingHashes = new int[BATCH];

	private final boolean[] pendingRecorded = new boolean[BATCH];

	private final long[] pendingSeconds = new long[BATCH];

	private final int[] pendingNanos = new int[BATCH];

	/** The batch's parents, end to end: entry k's are {@code [pendingParentEnds[k], pendingParentEnds[k + 1])}. */
	private int[] pendingParents = new int[BATCH * 4];

	private final int[] pendingParentEnds = new int[BATCH + 1];

	private int pendingCount;

	private final int[] likelyHandles = new int[BATCH];

	/** What the reads ahead of a batch's lookups added up to: kept, so that they are not left out. */
	@SuppressWarnings("unused")
	private long touched;

	/** The ticket the next entry gets. */
	private int nextTicket;

	/** The spaces' handles of the batch looked up last, and its first ticket. */
	private final int[] flushedHandles = new int[BATCH];

	private int flushedFirstTicket;

	private int flushedCount;

	/**
	 * Reads the string token at the scanner's cursor as a space's path and moves past it.
	 * The space is looked up later, with the rest of its batch (see {@link #flush}).
	 * @return the entry's ticket, for {@link #record} and {@link #path}
	 * @throws MalformedTomlException if the token is not closed or cannot be decoded
	 */
	int space(TomlScanner scanner) {
		byte[] b = scanner.line();
		int from = scanner.pos();
		int to = TomlText.tokenEnd(b, from, scanner.end());
		if (!ByteSearch.isPrintableAscii(b, from + 1, to - 1)) {
			// Decoded now, so that a token that cannot be decoded fails on its own line.
			TomlText.unquote(b, from, to);
		}
		if (this.pendingCount == BATCH) {
			flush();
		}
		int k = this.pendingCount++;
		int length = to - from;
		int start = this.pendingEnds[k];
		if (start + length > this.pendingBytes.length) {
			this.pendingBytes = Arrays.copyOf(this.pendingBytes, Math.max(2 * this.pendingBytes.length, start + length));
		}
		System.arraycopy(b, from, this.pendingBytes, start, length);
		this.pendingEnds[k + 1] = start + length;
		this.pendingHashes[k] = ByteSearch.hash(b, from, to);
		this.pendingParentEnds[k + 1] = this.pendingParentEnds[k];
		this.pendingRecorded[k] = false;
		scanner.advance(length);
		return this.nextTicket++ & Integer.MAX_VALUE;
	}

	/**
	 * Looks up the batch's spaces and records their entries, in the order they were read. A
	 * million entries name 100,000 spaces at random, and each lookup waits for memory twice:
	 * for its slot in the table, then for the space's record. One by one, those waits add up
	 * to most of the time a log takes to read. Here the slots of the whole batch are read
	 * first, then the records they name, each in a loop whose reads do not depend on one
	 * another, so the CPU has them all in flight at once; the lookups that follow find them
	 * in the cache.
	 */
	private void flush() {
		int count = this.pendingCount;
		if (count == 0) {
			return;
		}
		KeyStore keys = this.spaceKeys;
		int[] likely = this.likelyHandles;
		for (int k = 0; k < count; k++) {
			likely[k] = keys.likelyHandle(this.pendingHashes[k]);
		}
		long touched = 0;
		for (int k = 0; k < count; k++) {
			if (likely[k] >= 0) {
				touched += keys.touch(likely[k], this.pendingEnds[k + 1] - this.pendingEnds[k]);
			}
		}
		this.touched = touched;
		for (int k = 0; k < count; k++) {
			int from = this.pendingEnds[k];
			int to = this.pendingEnds[k + 1];
			int handle = keys.find(this.pendingBytes, from, to, this.pendingHashes[k]);
			if (handle < 0) {
				handle = addSpace(TomlText.unquote(this.pendingBytes, from, to), from, to, this.pendingHashes[k]);
			}
			int link = (int) (keys.payload(handle, LINK) >>> 32);
			handle = (link == 0) ? handle : link - 1;
			this.flushedHandles[k] = handle;
			if (this.pendingRecorded[k]) {
				int first = this.pendingParentEnds[k];
				recordNow(handle, this.pendingSeconds[k], this.pendingNanos[k], this.pendingParents, first,
						this.pendingParentEnds[k + 1] - first);
			}
		}
		this.flushedFirstTicket = this.nextTicket - count;
		this.flushedCount = count;
		this.pendingCount = 0;
	}

	private int addSpace(String path, int from, int to, int hash) {
		int handle = this.spaceKeys.add(this.pendingBytes, from, to, hash);
		Integer first = this.spaceHandles.get(path);
		if (first != null) {
			this.spaceKeys.payload(handle, LINK, (long) (first + 1) << 32);
			return handle;
		}
		int number = this.spaceCount++;
		if (number == this.paths.length) {
			this.paths = Arrays.copyOf(this.paths, number * 2);
			this.more = Arrays.copyOf(this.more, number * 2);
		}
		this.paths[number] = path;
		this.spaceKeys.payload(handle, SECOND, Long.MIN_VALUE);
		this.spaceKeys.payload(handle, LINK, number);
		this.spaceHandles.put(path, handle);
		return handle;
	}

	/**
	 * Reads the string token at the scanner's cursor as a project's path and moves past it.
	 * @return the project's number
	 * @throws MalformedTomlException if the token is not closed or cannot be decoded
	 */
	int project(TomlScanner scanner) {
		byte[] b = scanner.line();
		int from = scanner.pos();
		int to = TomlText.tokenEnd(b, from, scanner.end());
		int handle = this.projectKeys.find(b, from, to);
		if (handle < 0) {
			int number = project(TomlText.unquote(b, from, to));
			handle = this.projectKeys.add(b, from, to);
			this.projectKeys.payload(handle, 0, number);
		}
		scanner.advance(to - from);
		return (int) this.projectKeys.payload(handle, 0);
	}

	/** @return the number of the project with this path */
	int project(String path) {
		Integer known = this.projectNumbers.get(path);
		if (known != null) {
			return known;
		}
		int number = this.projects.size();
		this.projects.add(path);
		this.projectNumbers.put(path, number);
		return number;
	}

	/**
	 * The path of the space of an entry read lately: the batch is looked up first if needed.
	 * @param ticket what {@link #space} returned for the current entry
	 * @return the decoded path
	 */
	String path(int ticket) {
		flush();
		return this.paths[(int) this.spaceKeys.payload(flushedHandle(ticket), LINK)];
	}

	private int flushedHandle(int ticket) {
		int k = (ticket - this.flushedFirstTicket) & Integer.MAX_VALUE;
		if (k >= this.flushedCount) {
			throw new IllegalStateException("Entry " + ticket + " is not one of the last " + BATCH + " read");
		}
		return this.flushedHandles[k];
	}

	/**
	 * Adds one entry to its space: its time, if newer, and its parents, if new. Only the
	 * entry read last can be recorded, once: the reader records an entry when it has read it
	 * whole, before the next header.
	 * @param ticket what {@link #space} returned for the entry
	 * @param epochSecond the entry's time
	 * @param nano the entry's time
	 * @param parents the entry's project numbers, from index 0
	 * @param count how many
	 */
	void record(int ticket, long epochSecond, int nano, int[] parents, int count) {
		if (ticket != ((this.nextTicket - 1) & Integer.MAX_VALUE)) {
			throw new IllegalStateException("Entry " + ticket + " is recorded after a later one was read");
		}
		if (this.pendingCount == 0) {
			// Looked up already, for a warning about it.
			recordNow(flushedHandle(ticket), epochSecond, nano, parents, 0, count);
			return;
		}
		int k = this.pendingCount - 1;
		if (this.pendingRecorded[k]) {
			throw new IllegalStateException("Entry " + ticket + " is recorded twice");
		}
		int first = this.pendingParentEnds[k];
		if (first + count > this.pendingParents.length) {
			this.pendingParents = Arrays.copyOf(this.pendingParents, Math.max(2 * this.pendingParents.length, first + count));
		}
		System.arraycopy(parents, 0, this.pendingParents, first, count);
		this.pendingParentEnds[k + 1] = first + count;
		this.pendingSeconds[k] = epochSecond;
		this.pendingNanos[k] = nano;
		this.pendingRecorded[k] = true;
	}

	private void recordNow(int space, long epochSecond, int nano, int[] parents, int from, int count) {
		KeyStore keys = this.spaceKeys;
		long nanoAndFlag = keys.payload(space, NANO);
		if ((nanoAndFlag & RECORDED) == 0) {
			nanoAndFlag |= RECORDED;
			keys.payload(space, NANO, nanoAndFlag);
			if (this.recordedCount == this.recorded.length) {
				this.recorded = Arrays.copyOf(this.recorded, this.recordedCount * 2);
			}
			this.recorded[this.recordedCount++] = space;
		}
		long newest = keys.payload(space, SECOND);
		if (epochSecond > newest || (epochSecond == newest && nano > (int) nanoAndFlag)) {
			keys.payload(space, SECOND, epochSecond);
			keys.payload(space, NANO, RECORDED | nano);
		}
		for (int i = from; i < from + count; i++) {
			addParent(space, parents[i]);
		}
	}

	private void addParent(int space, int project) {
		long two = this.spaceKeys.payload(space, PARENTS);
		int first = (int) two;
		int second = (int) (two >>> 32);
		int plusOne = project + 1;
		if (first == plusOne || second == plusOne) {
			return;
		}
		if (first == 0) {
			this.spaceKeys.payload(space, PARENTS, plusOne);
		}
		else if (second == 0) {
			this.spaceKeys.payload(space, PARENTS, two | ((long) plusOne << 32));
		}
		else {
			int number = (int) this.spaceKeys.payload(space, LINK);
			MoreParents rest = this.more[number];
			if (rest == null) {
				rest = new MoreParents();
				this.more[number] = rest;
			}
			rest.add(project);
		}
	}

	/** @return every recorded space by path, in the order of its first entry */
	Map<String, UsageLog.Usage> usages() {
		flush();
		Map<String, UsageLog.Usage> usages = new LinkedHashMap<>(this.recordedCount * 4 / 3 + 1);
		// Spaces with the same one or two parents share one set: a few hundred sets instead of
		// 100,000 objects that live until the collection ends.
		Map<Long, Set<String>> shared = new HashMap<>();
		String[] names = new String[2];
		for (int i = 0; i < this.recordedCount; i++) {
			int space = this.recorded[i];
			int number = (int) this.spaceKeys.payload(space, LINK);
			long two = this.spaceKeys.payload(space, PARENTS);
			MoreParents rest = this.more[number];
			Instant newest = Instant.ofEpochSecond(this.spaceKeys.payload(space, SECOND),
					(int) this.spaceKeys.payload(space, NANO));
			if (rest == null) {
				Set<String> parents = shared.get(two);
				if (parents == null) {
					parents = parentsOf(two);
					shared.put(two, parents);
				}
				usages.put(this.paths[number], new UsageLog.Usage(newest, parents));
				continue;
			}
			if (names.length < 2 + rest.count) {
				names = new String[2 + rest.count];
			}
			int count = 0;
			if ((int) two != 0) {
				names[count++] = this.projects.get((int) two - 1);
			}
			if ((int) (two >>> 32) != 0) {
				names[count++] = this.projects.get((int) (two >>> 32) - 1);
			}
			for (int k = 0; k < rest.count; k++) {
				names[count++] = this.projects.get(rest.numbers[k]);
			}
			usages.put(this.paths[number], new UsageLog.Usage(newest, OrderedStringSet.ofDistinct(names, count)));
		}
		return usages;
	}

	/** The set of a space's first two parents, as {@link #PARENTS} holds them. */
	private Set<String> parentsOf(long two) {
		String first = ((int) two != 0) ? this.projects.get((int) two - 1) : null;
		String second = ((int) (two >>> 32) != 0) ? this.projects.get((int) (two >>> 32) - 1) : null;
		String[] names = (first == null) ? new String[0] : (second == null) ? new String[] { first }
				: new String[] { first, second };
		return OrderedStringSet.ofDistinct(names, names.length);
	}

	/**
	 * A space's parents after its first two. Few spaces have them, and few of those have many,
	 * so they sit in an array: cheaper to search than a set is to build, until there are so
	 * many (a log can name thousands) that a set pays.
	 */
	private static final class MoreParents {

		private static final int MAX_SCANNED = 32;

		private int[] numbers = new int[2];

		private int count;

		private @Nullable Set<Integer> index;

		void add(int project) {
			if (this.index != null) {
				if (!this.index.add(project)) {
					return;
				}
			}
			else {
				for (int i = 0; i < this.count; i++) {
					if (this.numbers[i] == project) {
						return;
					}
				}
				if (this.count == MAX_SCANNED) {
					this.index = new HashSet<>();
					for (int i = 0; i < this.count; i++) {
						this.index.add(this.numbers[i]);
					}
					this.index.add(project);
				}
			}
			if (this.count == this.numbers.length) {
				this.numbers = Arrays.copyOf(this.numbers, this.count * 2);
			}
			this.numbers[this.count++] = project;
		}

	}

}
