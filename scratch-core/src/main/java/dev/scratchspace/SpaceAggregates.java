package dev.scratchspace;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

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
	private static final int BATCH = 128;

	/** How long closing waits for the lookup thread to end: it has at most a few batches to finish. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	/** How many batches a reader and its lookup thread share: one filled, the others looked up or free. */
	private static final int POOL = 4;

	/** The batch the reader fills. */
	private Batch filling = new Batch();

	/** The batch looked up last: where a warning about its last entry finds that entry's space. */
	private @Nullable Batch looked;

	/** Batches to fill next: in one thread, the one looked up last; with a lookup thread, those it gave back. */
	private final ArrayDeque<Batch> spares = new ArrayDeque<>();

	/** The thread that looks the batches up while the reader reads on, or {@code null} to look them up in turn. */
	private final @Nullable Lookups lookups;

	/** What the reads ahead of a batch's lookups added up to: kept, so that they are not left out. */
	@SuppressWarnings("unused")
	private long touched;

	/** The ticket the next entry gets. */
	private int nextTicket;

	/**
	 * Aggregates entries as one thread reads them.
	 * @param concurrent whether a thread of its own looks the spaces up while the reader reads
	 * on (worth it for a large log: see {@link Lookups}); {@link #close} stops it
	 */
	SpaceAggregates(boolean concurrent) {
		this.lookups = concurrent ? new Lookups() : null;
	}

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
		if (this.filling.count == BATCH) {
			dispatch();
		}
		this.filling.add(b, from, to, this.nextTicket);
		scanner.advance(to - from);
		return this.nextTicket++ & Integer.MAX_VALUE;
	}

	/** Hands the filled batch over to be looked up, and takes another one to fill. */
	private void dispatch() {
		Batch full = this.filling;
		if (this.lookups == null) {
			lookUp(full);
			if (this.looked != null) {
				this.spares.add(this.looked);
			}
		}
		else {
			this.lookups.submit(full);
		}
		this.looked = full;
		Batch next = this.spares.poll();
		if (next == null) {
			next = (this.lookups != null) ? this.lookups.takeBack(this.spares) : null;
			next = (next != null) ? next : new Batch();
		}
		next.clear();
		this.filling = next;
	}

	/**
	 * Looks up every entry read so far, and waits until that is done: then the aggregates
	 * may be read, and changed, on the reader's thread.
	 */
	private void flush() {
		if (this.filling.count > 0) {
			dispatch();
		}
		if (this.lookups != null) {
			this.lookups.awaitAll(this.spares);
		}
	}

	/** Stops the lookup thread, if there is one. */
	void close() {
		if (this.lookups != null) {
			this.lookups.stop();
		}
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
	private void lookUp(Batch batch) {
		int count = batch.count;
		KeyStore keys = this.spaceKeys;
		int[] ends = batch.ends;
		int[] hashes = batch.hashes;
		int[] handles = batch.handles;
		for (int k = 0; k < count; k++) {
			hashes[k] = ByteSearch.hash(batch.bytes, ends[k], ends[k + 1]);
		}
		for (int k = 0; k < count; k++) {
			handles[k] = keys.likelyHandle(hashes[k]);
		}
		long touched = 0;
		for (int k = 0; k < count; k++) {
			if (handles[k] >= 0) {
				touched += keys.touch(handles[k], ends[k + 1] - ends[k]);
			}
		}
		this.touched = touched;
		for (int k = 0; k < count; k++) {
			int from = ends[k];
			int to = ends[k + 1];
			int handle = keys.find(batch.bytes, from, to, hashes[k]);
			if (handle < 0) {
				handle = addSpace(TomlText.unquote(batch.bytes, from, to), batch.bytes, from, to, hashes[k]);
			}
			int link = (int) (keys.payload(handle, LINK) >>> 32);
			handle = (link == 0) ? handle : link - 1;
			handles[k] = handle;
			if (batch.recorded[k]) {
				int first = batch.parentEnds[k];
				recordNow(handle, batch.seconds[k], batch.nanos[k], batch.parents, first,
						batch.parentEnds[k + 1] - first);
			}
		}
	}

	private int addSpace(String path, byte[] b, int from, int to, int hash) {
		int handle = this.spaceKeys.add(b, from, to, hash);
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
		return this.paths[(int) this.spaceKeys.payload(lookedHandle(ticket), LINK)];
	}

	private int lookedHandle(int ticket) {
		Batch batch = this.looked;
		int k = (batch != null) ? (ticket - batch.firstTicket) & Integer.MAX_VALUE : Integer.MAX_VALUE;
		if (batch == null || k >= batch.count) {
			throw new IllegalStateException("Entry " + ticket + " is not one of the last " + BATCH + " read");
		}
		return batch.handles[k];
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
		if (this.filling.count == 0) {
			// Looked up already, for a warning about it, and every lookup is done.
			recordNow(lookedHandle(ticket), epochSecond, nano, parents, 0, count);
			return;
		}
		this.filling.record(ticket, epochSecond, nano, parents, count);
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
	 * Entries read but not looked up yet: their spaces' tokens end to end, their times and
	 * parents; after the lookup, their spaces' handles.
	 */
	private static final class Batch {

		private byte[] bytes = new byte[BATCH * 128];

		/** Token k is {@code bytes[ends[k], ends[k + 1])}. */
		private final int[] ends = new int[BATCH + 1];

		private final int[] hashes = new int[BATCH];

		private final int[] handles = new int[BATCH];

		private final boolean[] recorded = new boolean[BATCH];

		private final long[] seconds = new long[BATCH];

		private final int[] nanos = new int[BATCH];

		/** Entry k's parents are {@code parents[parentEnds[k], parentEnds[k + 1])}. */
		private int[] parents = new int[BATCH * 4];

		private final int[] parentEnds = new int[BATCH + 1];

		private int count;

		private int firstTicket;

		void clear() {
			this.count = 0;
		}

		void add(byte[] b, int from, int to, int ticket) {
			int k = this.count++;
			if (k == 0) {
				this.firstTicket = ticket & Integer.MAX_VALUE;
			}
			int length = to - from;
			int start = this.ends[k];
			if (start + length > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, Math.max(2 * this.bytes.length, start + length));
			}
			System.arraycopy(b, from, this.bytes, start, length);
			this.ends[k + 1] = start + length;
			this.parentEnds[k + 1] = this.parentEnds[k];
			this.recorded[k] = false;
		}

		void record(int ticket, long epochSecond, int nano, int[] parents, int count) {
			int k = this.count - 1;
			if (this.recorded[k]) {
				throw new IllegalStateException("Entry " + ticket + " is recorded twice");
			}
			int first = this.parentEnds[k];
			if (first + count > this.parents.length) {
				this.parents = Arrays.copyOf(this.parents, Math.max(2 * this.parents.length, first + count));
			}
			System.arraycopy(parents, 0, this.parents, first, count);
			this.parentEnds[k + 1] = first + count;
			this.seconds[k] = epochSecond;
			this.nanos[k] = nano;
			this.recorded[k] = true;
		}

	}

	/**
	 * The thread that looks up the batches a reader fills. Reading a log is two kinds of work
	 * of about the same size: finding lines, tokens and times in 200 MB of text, and looking
	 * the spaces up in tables that are far larger than the CPU's caches. One thread each, and
	 * a large log is read in about the time of the larger part. Only this thread touches the
	 * spaces' tables until the reader {@link #awaitAll waits} for it; the projects belong to
	 * the reader, which looks their names up as it reads and hands over only numbers. The
	 * batches travel through two queues, which order every write to them before every read.
	 */
	private final class Lookups implements Runnable {

		private final Batch stop = new Batch();

		private final BlockingQueue<Batch> work = new ArrayBlockingQueue<>(POOL + 1);

		private final BlockingQueue<Batch> done = new ArrayBlockingQueue<>(POOL + 1);

		private volatile @Nullable Throwable failure;

		/** Batches handed over and not taken back, counted by the reader. */
		private int inFlight;

		private @Nullable Thread thread;

		void submit(Batch batch) {
			if (this.thread == null) {
				Thread started = new Thread(this, "scratch-usage-log-lookups");
				started.setDaemon(true);
				started.start();
				this.thread = started;
			}
			this.inFlight++;
			putUninterruptibly(this.work, batch);
		}

		/**
		 * A batch to fill: a new one while fewer than {@link #POOL} exist, else the first one
		 * looked up, when it is.
		 * @return a batch, or {@code null} to make a new one
		 */
		@Nullable Batch takeBack(ArrayDeque<Batch> spares) {
			if (this.inFlight + spares.size() + 1 < POOL) {
				return null;
			}
			Batch batch = takeUninterruptibly(this.done);
			this.inFlight--;
			rethrowFailure();
			return batch;
		}

		/** Waits until every batch handed over is looked up, and keeps them to be filled again. */
		void awaitAll(ArrayDeque<Batch> spares) {
			while (this.inFlight > 0) {
				spares.add(takeUninterruptibly(this.done));
				this.inFlight--;
			}
			rethrowFailure();
		}

		/**
		 * Ends the thread once it has looked up what it was given, and waits for that: a
		 * bounded wait, since a batch is a few microseconds of work.
		 */
		void stop() {
			Thread running = this.thread;
			if (running == null) {
				return;
			}
			this.thread = null;
			putUninterruptibly(this.work, this.stop);
			boolean interrupted = false;
			long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
			try {
				while (running.isAlive() && System.nanoTime() < deadline) {
					try {
						running.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
					}
					catch (InterruptedException ex) {
						interrupted = true;
					}
				}
			}
			finally {
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}
		}

		@Override
		public void run() {
			for (;;) {
				Batch batch = takeUninterruptibly(this.work);
				if (batch == this.stop) {
					return;
				}
				try {
					if (this.failure == null) {
						lookUp(batch);
					}
				}
				catch (RuntimeException | Error ex) {
					// The reader rethrows it; this thread only gives the batches back.
					this.failure = ex;
				}
				putUninterruptibly(this.done, batch);
			}
		}

		private void rethrowFailure() {
			Throwable failed = this.failure;
			if (failed instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (failed instanceof Error error) {
				throw error;
			}
		}

		/** Waits for a batch: the other side always hands one over soon, so an interrupt waits too, and is kept. */
		private static Batch takeUninterruptibly(BlockingQueue<Batch> queue) {
			boolean interrupted = false;
			try {
				for (;;) {
					try {
						return queue.take();
					}
					catch (InterruptedException ex) {
						interrupted = true;
					}
				}
			}
			finally {
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}
		}

		/** Never waits: each queue holds every batch there is. */
		private static void putUninterruptibly(BlockingQueue<Batch> queue, Batch batch) {
			if (!queue.offer(batch)) {
				throw new IllegalStateException("A batch queue is full");
			}
		}

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
