package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One garbage-collection run (Julia's {@code Pkg.gc()}): read and condense the usage log,
 * mark, keep the orphanage, apply the size bound, delete safely, and report every decision
 * with its reason; the artifacts are collected in the same run, into the same orphanage and
 * report, by {@link ArtifactCollection}.
 */
final class CollectionRun {

	private static final System.Logger logger = System.getLogger(CollectionRun.class.getName());

	private static final DateTimeFormatter DAMAGED_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private final ManagerState state;

	private final DepotLayout layout;

	private final Path spacesRoot;

	private final GcOptions options;

	/** What {@link DepotFiles#replaceAtomically} names its temporaries in {@code logs/}. */
	private static final Pattern TEMPORARY_NAME = Pattern
		.compile("(?:scratch_usage|orphaned|owners|artifact_usage)\\.toml\\.tmp-[0-9]{1,19}-[0-9a-f]{1,16}");

	/** {@code <owner-uuid>.<key>.<16 hex digits>}, as {@code getOrPopulate} names them. */
	private static final Pattern STAGING_NAME = Pattern.compile("([0-9a-f-]{36})\\.(.+)\\.([0-9a-f]{16})");

	private final List<String> warnings = new ArrayList<>();

	private Map<String, String> oldCauses = Map.of();

	/** The usage log as this run left it: entries past it were appended since. */
	private SpaceRemoval.LogMark logMark = new SpaceRemoval.LogMark(null, 0);

	private final Map<String, String> newCauses = new LinkedHashMap<>();

	/** The reasons of kept spaces, by their existing parents: see {@link #keptReason}. */
	private final Map<List<String>, String> keptReasons = new HashMap<>();

	/** Runs just before an empty owner directory is removed: where tests put something in its place. */
	private Consumer<Path> beforeOwnerRemoval = (ownerDir) -> {
	};

	/** Runs after the usage log is read and before it is replaced: where tests append as Julia would. */
	private Runnable beforeRewrite = () -> {
	};

	CollectionRun(ManagerState state, Path spacesRoot, GcOptions options) {
		this.state = state;
		this.layout = state.layout();
		this.spacesRoot = spacesRoot;
		this.options = options;
	}

	/** Sets what runs between reading the usage log and replacing it, for tests. */
	CollectionRun beforeRewrite(Runnable action) {
		this.beforeRewrite = action;
		return this;
	}

	/** Sets what runs just before an empty owner directory is removed, for tests. */
	CollectionRun beforeOwnerRemoval(Consumer<Path> action) {
		this.beforeOwnerRemoval = action;
		return this;
	}

	GcReport run() {
		long started = System.nanoTime();
		if (this.options.dryRun() && !Files.exists(this.layout.gcLock(), LinkOption.NOFOLLOW_LINKS)) {
			// A dry run changes nothing on disk, not even by creating the lock file: without
			// it, no collection ever ran here. Racing one that starts now costs at most a
			// report from a log read half-rewritten, never a change.
			try {
				return collect(started);
			}
			catch (IOException ex) {
				throw DepotFiles.failure("collect garbage in", this.layout.root(), ex);
			}
		}
		FileMutex.Held gcLock;
		try {
			gcLock = this.state.tryGcLock();
		}
		catch (RegularFiles.NotRegularFileException ex) {
			return gaveUp(started, "Refused the garbage-collection lock " + this.layout.gcLock() + ": "
					+ DepotFiles.describe(ex) + "; this run changed nothing");
		}
		catch (IOException ex) {
			throw DepotFiles.failure("take the garbage-collection lock", this.layout.gcLock(), ex);
		}
		if (gcLock == null) {
			return new GcReport(List.of(), 0, 0,
					List.of("Another garbage collection holds " + this.layout.gcLock()
							+ "; this run changed nothing"),
					Duration.ofNanos(System.nanoTime() - started), this.options.dryRun());
		}
		try (gcLock) {
			return collect(started);
		}
		catch (FileMutex.LockTimeoutException ex) {
			// Only the locks taken before anything is deleted get here (see writeOrphanage).
			return gaveUp(started, "Gave up: " + ex.getMessage() + "; this run deleted nothing");
		}
		catch (RegularFiles.NotRegularFileException ex) {
			// Without the log every tracked space would look untracked: deleting nothing is safe.
			return gaveUp(started, "Refused to read " + ex.getFile() + ": " + DepotFiles.describe(ex)
					+ "; without a readable usage log every tracked space would look untracked, so this run "
					+ "deleted nothing");
		}
		catch (IOException ex) {
			throw DepotFiles.failure("collect garbage in", this.layout.root(), ex);
		}
	}

	/** The report of a run that stopped before it deleted anything. */
	private GcReport gaveUp(long started, String why) {
		List<String> all = new ArrayList<>(this.warnings);
		all.add(why);
		return new GcReport(List.of(), 0, 0, all, Duration.ofNanos(System.nanoTime() - started),
				this.options.dryRun());
	}

	private GcReport collect(long started) throws IOException {
		Instant now = this.state.now();
		// Listing is system calls, reading the log is parsing: do both at once.
		FutureTask<Scan> scan = new FutureTask<>(this::scan);
		Thread scanner = new Thread(scan, "scratch-gc-listing");
		scanner.setDaemon(true);
		scanner.start();
		ProjectCheck projects = new ProjectCheck();
		Map<String, UsageLog.Usage> usage = condenseUsageLog(() -> awaitScan(scan), projects);
		Scan scanned = awaitScan(scan);
		List<SpaceListing.Entry> entries = scanned.entries;
		Set<String> leased = scanned.leased;
		Orphanage oldOrphanage = readOrphanage();
		this.warnings.addAll(OwnerIndex.read(this.layout.ownerIndex()).warnings());
		Map<String, Instant> oldOrphans = oldOrphanage.orphans();
		this.oldCauses = oldOrphanage.causes();

		List<Candidate> candidates = new ArrayList<>(entries.size());
		for (SpaceListing.Entry entry : entries) {
			String path = entry.path().toString();
			boolean isLeased = leased.contains(path) || this.state.isLeasedHere(entry.path());
			candidates.add(mark(entry, usage.get(path), isLeased, projects, oldOrphans, now));
		}
		applySizeBound(candidates);
		Map<String, Instant> newOrphans = new LinkedHashMap<>();
		keepOrphansOutside(oldOrphans, newOrphans);
		List<Candidate> doomed = new ArrayList<>();
		for (Candidate candidate : candidates) {
			if (candidate.orphanedSince != null) {
				newOrphans.put(candidate.entry.path().toString(), candidate.orphanedSince);
			}
			if (candidate.isDeleted()) {
				if (candidate.size < 0) {
					candidate.size = sizeOf(candidate.entry);
				}
				doomed.add(candidate);
			}
		}
		if (!this.options.dryRun()) {
			remove(doomed);
		}
		List<GcDecision> decisions = new ArrayList<>(candidates.size());
		int deleted = 0;
		long freed = 0;
		for (Candidate candidate : candidates) {
			if (candidate.isDeleted()) {
				deleted++;
				freed += candidate.size;
			}
			decisions.add(new GcDecision(candidate.entry.path(), candidate.action, candidate.reason));
		}
		ArtifactCollection artifacts = new ArtifactCollection(this.state, this.options, this.warnings);
		artifacts.collect(now, oldOrphans, this.oldCauses, newOrphans, this.newCauses);
		decisions.addAll(artifacts.decisions());
		deleted += artifacts.deletedCount();
		freed += artifacts.bytesFreed();
		if (!this.options.dryRun()) {
			writeOrphanage(newOrphans);
			// What collectors that died between moving a space away and deleting it left.
			SpaceRemoval.deleteLeftovers(this.spacesRoot, this.warnings);
			removeEmptyOwnerDirectories(scanned.emptyOwners, candidates);
			removeStaleStaging();
			artifacts.sweep();
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		logger.log(System.Logger.Level.DEBUG, "Garbage collection of {0}: {1} spaces, {2} deleted, {3} bytes freed in {4} ms",
				this.spacesRoot, candidates.size(), deleted, freed, elapsed.toMillis());
		return new GcReport(decisions, deleted, freed, this.warnings, elapsed, this.options.dryRun());
	}

	/**
	 * Reads the usage log and, unless this is a dry run, writes it back with one entry per
	 * space that still exists and still has a parent project that exists, within the limits
	 * of the reader (see {@link UsageLog#format}). Holds the log lock throughout, so an access
	 * recorded meanwhile by another process of this project waits and is not lost.
	 * <p>
	 * Julia's Scratch.jl appends without any lock. An entry it appends to the old file after
	 * the read and before the rename would be lost with the old file, so the old file stays
	 * open, and after the rename what grew past the size it had before the read is read again
	 * and appended to the new log: an entry read twice is harmless, one read never is lost.
	 * What lands in the old file after that second read is lost (README, "Sharing a depot with
	 * Julia").
	 * @return every space the log names, with all its parents, for marking
	 */
	private Map<String, UsageLog.Usage> condenseUsageLog(Supplier<Scan> scan, ProjectCheck projects)
			throws IOException {
		return underLogLockUnlessNew(() -> {
			if (!this.options.dryRun()) {
				removeStaleTemporaries();
			}
			try (FileChannel old = openOldLog()) {
				long readFrom = (old != null) ? old.size() : 0;
				UsageLog log = UsageLogReader.read(this.layout.usageLog());
				this.warnings.addAll(log.warnings());
				Set<String> listed = scan.get().listed;
				Map<String, UsageLog.Usage> condensed = new LinkedHashMap<>();
				for (Map.Entry<String, UsageLog.Usage> each : log.spaces().entrySet()) {
					if (!spaceExists(each.getKey(), listed)) {
						continue;
					}
					Set<String> parents = each.getValue().parentProjects();
					Set<String> existing = existingProjects(parents, projects);
					if (existing.isEmpty()) {
						continue;
					}
					if (!UsageLog.fits(each.getKey())) {
						this.warnings.add("Left the space " + each.getKey().substring(0, 200)
								+ "… out of the condensed usage log: its path is too long for a line of it");
						continue;
					}
					condensed.put(each.getKey(), (existing == parents) ? each.getValue()
							: new UsageLog.Usage(each.getValue().newest(), existing));
				}
				this.beforeRewrite.run();
				if (!this.options.dryRun() && Files.exists(this.layout.usageLog())) {
					if (log.damaged()) {
						keepDamagedCopy(this.layout.usageLog());
					}
					DepotFiles.replaceAtomically(this.layout.usageLog(), (out) -> UsageLog.write(condensed, out));
					// The mark comes first: SpaceRemoval then sees the rescued entries as new.
					this.logMark = SpaceRemoval.LogMark.of(this.layout.usageLog());
					if (old != null) {
						rescueForeignAppends(old, readFrom);
					}
				}
				else {
					this.logMark = SpaceRemoval.LogMark.of(this.layout.usageLog());
				}
				return log.spaces();
			}
		});
	}

	/**
	 * The parents that still exist, in their order: the same set when all of them do, as
	 * they do for almost every space, so that nothing is copied for it.
	 */
	private static Set<String> existingProjects(Set<String> parents, ProjectCheck projects) {
		Set<String> existing = null;
		int checked = 0;
		for (String project : parents) {
			if (projects.exists(project)) {
				if (existing != null) {
					existing.add(project);
				}
			}
			else if (existing == null) {
				existing = new LinkedHashSet<>();
				Iterator<String> before = parents.iterator();
				for (int i = 0; i < checked; i++) {
					existing.add(before.next());
				}
			}
			checked++;
		}
		return (existing != null) ? existing : parents;
	}

	/** The usage log as it is before the rewrite, to read what is appended to it meanwhile. */
	private @Nullable FileChannel openOldLog() {
		if (!Files.isRegularFile(this.layout.usageLog(), LinkOption.NOFOLLOW_LINKS)) {
			return null;
		}
		try {
			return RegularFiles.openForReading(this.layout.usageLog()).channel();
		}
		catch (IOException ex) {
			// The reader reports what is wrong with the log; without this channel, nothing is rescued.
			return null;
		}
	}

	/**
	 * Appends to the new log the complete entries that a writer without the lock (Julia)
	 * appended to the old one since it was read; they were not condensed, so they are
	 * written as read. Holding the log lock, the new log ends with a line break.
	 */
	private void rescueForeignAppends(FileChannel old, long from) throws IOException {
		if (old.size() <= from) {
			return;
		}
		UsageLog tail;
		try (ByteLines lines = ByteLines.of(old, from)) {
			tail = new UsageLogReader(String.valueOf(this.layout.usageLog().getFileName()), lines).read();
		}
		if (tail.spaces().isEmpty()) {
			return;
		}
		byte[] entries = UsageLog.format(tail.spaces());
		try (FileChannel log = RegularFiles.openForWriting(this.layout.usageLog())) {
			ByteBuffer buffer = ByteBuffer.wrap(entries);
			long position = log.size();
			while (buffer.hasRemaining()) {
				position += log.write(buffer, position);
			}
		}
		catch (IOException ex) {
			this.warnings.add("Could not carry over to the condensed " + this.layout.usageLog() + " the entries for "
					+ tail.spaces().size() + " space(s) appended to the old log meanwhile without the lock: "
					+ DepotFiles.describe(ex));
		}
	}

	/**
	 * Runs an action under the log lock; a dry run on a depot whose lock file does not exist
	 * runs it without, so that it creates nothing.
	 */
	private <T> T underLogLockUnlessNew(FileMutex.IoCallable<T> action) throws IOException {
		if (this.options.dryRun() && !Files.exists(this.layout.usageLogLock(), LinkOption.NOFOLLOW_LINKS)) {
			return action.call();
		}
		return this.state.underLogLock(action);
	}

	/** The spaces on disk and the live leases, found in that order. */
	private Scan scan() {
		// List first, then read the leases: a lease is written before its space is created.
		List<String> scanWarnings = new ArrayList<>();
		List<Path> emptyOwners = new ArrayList<>();
		List<SpaceListing.Entry> entries = SpaceListing.list(this.layout.root(), this.spacesRoot, scanWarnings, true,
				(ownerDir) -> {
				}, emptyOwners::add);
		// Dead leases are removed only under the lease lock, in SpaceRemoval.
		Lease.Scan leases = Lease.scan(this.layout.leases(), false);
		scanWarnings.addAll(leases.warnings());
		Set<String> listed = new HashSet<>(entries.size() * 4 / 3 + 1);
		for (SpaceListing.Entry entry : entries) {
			listed.add(entry.path().toString());
		}
		return new Scan(entries, listed, new HashSet<>(leases.leasedPaths()), emptyOwners, scanWarnings);
	}

	private Scan awaitScan(FutureTask<Scan> scan) {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					Scan result = scan.get();
					if (!result.warningsTaken) {
						result.warningsTaken = true;
						this.warnings.addAll(result.warnings);
					}
					return result;
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
				catch (ExecutionException ex) {
					Throwable cause = ex.getCause();
					if (cause instanceof RuntimeException runtime) {
						throw runtime;
					}
					if (cause instanceof Error error) {
						throw error;
					}
					throw new IllegalStateException("Listing the spaces failed", cause);
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** What the listing thread found. */
	private static final class Scan {

		final List<SpaceListing.Entry> entries;

		final Set<String> listed;

		final Set<String> leased;

		/** The owner directories that held nothing when they were listed. */
		final List<Path> emptyOwners;

		final List<String> warnings;

		boolean warningsTaken;

		Scan(List<SpaceListing.Entry> entries, Set<String> listed, Set<String> leased, List<Path> emptyOwners,
				List<String> warnings) {
			this.entries = entries;
			this.listed = listed;
			this.leased = leased;
			this.emptyOwners = emptyOwners;
			this.warnings = warnings;
		}

	}

	/**
	 * Whether a space named in the log still exists: looked up in the listing when it lies
	 * under the collected directory, else asked of the file system (a log entry is never a
	 * reason to delete anything).
	 */
	private boolean spaceExists(String path, Set<String> listed) {
		if (listed.contains(path)) {
			return true;
		}
		try {
			Path space = Path.of(path);
			if (!space.isAbsolute()) {
				return false;
			}
			Path normalized = space.normalize();
			if (normalized.startsWith(this.spacesRoot)) {
				return normalized.equals(space) && space.getNameCount() == this.spacesRoot.getNameCount() + 2
						&& DepotFiles.isDirectoryNoFollow(space);
			}
			return DepotFiles.existsFollowingLinks(space) && Files.isDirectory(space);
		}
		catch (InvalidPathException ex) {
			return false;
		}
	}

	/**
	 * Removes what a rewrite killed between writing and moving left behind. Every rewrite of a
	 * file in logs/ holds the log lock, which the caller holds: any temporary there is stale.
	 * Only names {@link DepotFiles#replaceAtomically} gives are removed.
	 */
	private void removeStaleTemporaries() {
		try (DirectoryStream<Path> temporaries = Files.newDirectoryStream(this.layout.logs(), "*.tmp-*")) {
			for (Path temporary : temporaries) {
				if (isTemporaryName(temporary.getFileName().toString()) && Files
					.readAttributes(temporary, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
					.isRegularFile()) {
					Files.deleteIfExists(temporary);
				}
			}
		}
		catch (IOException ex) {
			this.warnings.add("Could not remove stale temporary files in " + this.layout.logs() + ": "
					+ DepotFiles.describe(ex));
		}
	}

	private Orphanage readOrphanage() throws IOException {
		return underLogLockUnlessNew(() -> {
			Orphanage orphanage = Orphanage.read(this.layout.orphanage());
			this.warnings.addAll(orphanage.warnings());
			if (orphanage.damaged() && !this.options.dryRun()) {
				keepDamagedCopy(this.layout.orphanage());
			}
			return orphanage;
		});
	}

	private void keepOrphansOutside(Map<String, Instant> oldOrphans, Map<String, Instant> newOrphans) {
		// A view collects only its own directory: the rest of the orphanage is not its to judge.
		for (Map.Entry<String, Instant> orphan : oldOrphans.entrySet()) {
			if (!isUnder(orphan.getKey(), this.spacesRoot)) {
				newOrphans.put(orphan.getKey(), orphan.getValue());
				String cause = this.oldCauses.get(orphan.getKey());
				if (cause != null) {
					this.newCauses.put(orphan.getKey(), cause);
				}
			}
		}
	}

	private static boolean isUnder(String path, Path root) {
		try {
			return Path.of(path).normalize().startsWith(root);
		}
		catch (InvalidPathException ex) {
			return false;
		}
	}

	private void writeOrphanage(Map<String, Instant> orphans) throws IOException {
		try {
			this.state.underLogLock(() -> {
				if (orphans.isEmpty() && !Files.exists(this.layout.orphanage())) {
					return null;
				}
				DepotFiles.replaceAtomically(this.layout.orphanage(), Orphanage.format(orphans, this.newCauses));
				return null;
			});
		}
		catch (FileMutex.LockTimeoutException | RegularFiles.NotRegularFileException ex) {
			// Spaces may be deleted already: report them, and time the orphans again next run.
			this.warnings.add("Could not update the orphanage " + this.layout.orphanage() + ": "
					+ DepotFiles.describe(ex));
		}
	}

	private void keepDamagedCopy(Path file) {
		Path copy = file.resolveSibling(
				file.getFileName() + ".damaged-" + DAMAGED_SUFFIX.format(this.state.now()));
		try {
			Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
			this.warnings.add("Kept a copy of the damaged " + file.getFileName() + " as " + copy);
		}
		catch (IOException ex) {
			this.warnings.add("Could not keep a copy of the damaged " + file + ": " + DepotFiles.describe(ex));
		}
	}

	private Candidate mark(SpaceListing.Entry entry, UsageLog.@Nullable Usage use, boolean leased,
			ProjectCheck projects, Map<String, Instant> oldOrphans, Instant now) {
		Candidate candidate = new Candidate(entry, use);
		candidate.leased = leased;
		String cause = null;
		if (use == null) {
			// A condensed log forgets an orphan's parents: the orphanage remembers why.
			cause = this.oldCauses.getOrDefault(entry.path().toString(), InventoryScan.NEVER_TRACKED);
		}
		else {
			List<String> existing = new ArrayList<>();
			for (String project : use.parentProjects()) {
				if (projects.exists(project)) {
					existing.add(project);
				}
			}
			if (existing.isEmpty()) {
				cause = goneProjects(use.parentProjects());
			}
			else if (!leased && isUnused(use, now)) {
				cause = "not accessed since " + use.newest() + ", longer than the maximum unused age of "
						+ MessageText.describe(this.options.maxUnusedAge().orElseThrow());
			}
			else {
				candidate.keep(GcDecision.Action.KEPT, keptReason(existing));
				return candidate;
			}
		}
		if (leased) {
			candidate.keep(GcDecision.Action.SKIPPED_LEASED, cause + ", but a live manager holds a lease on it");
			return candidate;
		}
		Instant since = oldOrphans.getOrDefault(entry.path().toString(), now);
		if (since.isAfter(now)) {
			since = now;
		}
		candidate.orphanedSince = since;
		this.newCauses.put(entry.path().toString(), cause);
		Duration delay = this.options.collectDelay();
		if (Duration.between(since, now).compareTo(delay) >= 0) {
			candidate.action = GcDecision.Action.DELETED;
			candidate.reason = cause + "; orphaned since " + since + "; deleted after the "
					+ MessageText.describe(delay) + " delay";
		}
		else {
			candidate.action = GcDecision.Action.ORPHANED;
			Instant deadline = GcOptions.plus(since, delay);
			candidate.reason = cause + "; orphaned since " + since + "; will be deleted after the "
					+ MessageText.describe(delay) + " delay" + ((deadline != null) ? ", at " + deadline : "");
		}
		return candidate;
	}

	/**
	 * Why a space with these existing parents is kept. Most spaces share their parents with
	 * many others, so they share the text too: one string per set of parents, not one per
	 * space that lives as long as the report.
	 */
	private String keptReason(List<String> existing) {
		String reason = this.keptReasons.get(existing);
		if (reason == null) {
			reason = "parent project " + MessageText.describeList(existing) + " exists";
			this.keptReasons.put(existing, reason);
		}
		return reason;
	}

	private boolean isUnused(UsageLog.Usage use, Instant now) {
		Duration maxUnusedAge = this.options.maxUnusedAge().orElse(null);
		if (maxUnusedAge == null) {
			return false;
		}
		// An age reaching before the earliest instant leaves nothing old enough.
		Instant cutoff = GcOptions.plus(now, maxUnusedAge.negated());
		return cutoff != null && use.newest().isBefore(cutoff);
	}

	private static String goneProjects(Set<String> projects) {
		return (projects.size() == 1) ? "parent project " + projects.iterator().next() + " no longer exists"
				: "parent projects " + MessageText.describeList(new ArrayList<>(projects)) + " no longer exist";
	}

	/** A delay in words, as the reasons give it: see {@link MessageText#describe(Duration)}. */
	static String describe(Duration duration) {
		return MessageText.describe(duration);
	}

	/** Deletes the least recently accessed unleased survivors until the total fits. */
	private void applySizeBound(List<Candidate> candidates) {
		long bound = this.options.maxTotalSize().orElse(-1);
		if (bound < 0) {
			return;
		}
		long total = 0;
		List<Candidate> evictable = new ArrayList<>();
		for (Candidate candidate : candidates) {
			if (candidate.action == GcDecision.Action.DELETED) {
				continue;
			}
			candidate.size = DepotFiles.spaceSizeAndCount(candidate.entry.path())[0];
			total += candidate.size;
			if (candidate.action != GcDecision.Action.SKIPPED_LEASED && !candidate.leased) {
				evictable.add(candidate);
			}
		}
		evictable.sort(Comparator.comparing(Candidate::lastAccess).thenComparing((c) -> c.entry.path()));
		for (Candidate candidate : evictable) {
			if (total <= bound) {
				break;
			}
			total -= candidate.size;
			Instant last = candidate.use != null ? candidate.use.newest() : null;
			candidate.action = GcDecision.Action.EVICTED;
			candidate.reason = candidate.reason + "; evicted to bring the spaces under the size bound of " + bound
					+ " bytes, as the least recently accessed (" + ((last != null) ? "last access " + last
							: "no access recorded")
					+ ")";
		}
	}

	private static long sizeOf(SpaceListing.Entry entry) {
		return entry.symbolicLink() ? 0 : DepotFiles.spaceSizeAndCount(entry.path())[0];
	}

	/**
	 * Deletes the doomed spaces: first, atomically with leasing, each one that is still
	 * unused is moved out of its owner directory (see {@link SpaceRemoval}); then the moved
	 * directories are deleted without any lock held.
	 */
	private void remove(List<Candidate> doomed) {
		List<Path> paths = new ArrayList<>(doomed.size());
		doomed.forEach((candidate) -> paths.add(candidate.entry.path()));
		Map<Path, SpaceRemoval.Outcome> outcomes = this.state.moveOut(this.spacesRoot, this.logMark, paths,
				this.warnings);
		for (Candidate candidate : doomed) {
			SpaceRemoval.Outcome outcome = outcomes.get(candidate.entry.path());
			if (outcome instanceof SpaceRemoval.Kept kept) {
				boolean leased = kept.reason().startsWith("leased");
				candidate.keep(leased ? GcDecision.Action.SKIPPED_LEASED : GcDecision.Action.KEPT,
						candidate.reason + "; not deleted: " + kept.reason());
			}
			else if (outcome instanceof SpaceRemoval.Moved moved) {
				SpaceRemoval.deleteTrash(this.spacesRoot, moved.trash(), "Space " + candidate.entry.path(),
						this.warnings);
			}
			else {
				String why = (outcome instanceof SpaceRemoval.Failed failed) ? failed.reason() : "not attempted";
				candidate.reason = candidate.reason + "; deleting it failed: " + why;
				candidate.action = GcDecision.Action.FAILED;
				this.warnings.add("Could not delete " + candidate.entry.path() + ": " + why);
			}
		}
	}

	/**
	 * Removes the owner directories this run may have left empty: those it deleted spaces
	 * from, and those that were empty when listed. Reading all 1,000 owner directories of a
	 * large depot again would cost more than the rest of a run that deletes nothing; one that
	 * another process emptied meanwhile is removed by the next run.
	 * <p>
	 * Each is removed relative to the open spaces directory by {@code rmdir}'s own rule
	 * ({@link SecureDirectoryStream#deleteDirectory}): only an empty directory goes. A space
	 * created in it meanwhile, or a file or link another process put in its place since it
	 * was looked at, makes the call fail and stays; a delete by path would read the type,
	 * then unlink whatever is there by then.
	 */
	private void removeEmptyOwnerDirectories(List<Path> emptyOwners, List<Candidate> candidates) {
		Set<Path> owners = new LinkedHashSet<>(emptyOwners);
		for (Candidate candidate : candidates) {
			if (candidate.isDeleted()) {
				owners.add(candidate.entry.path().getParent());
			}
		}
		if (owners.isEmpty()) {
			return;
		}
		try (DirectoryStream<Path> root = Files.newDirectoryStream(this.spacesRoot)) {
			for (Path ownerDir : owners) {
				if (this.spacesRoot.equals(ownerDir.getParent())) {
					removeIfEmptyDirectory(root, ownerDir);
				}
			}
		}
		catch (IOException ex) {
			// The spaces directory went away or cannot be read: nothing to tidy up.
		}
	}

	private void removeIfEmptyDirectory(DirectoryStream<Path> root, Path ownerDir) {
		try {
			if (!SpaceListing.isRealDirectory(ownerDir) || !DepotFiles.isEmptyDirectory(ownerDir)) {
				return;
			}
			this.beforeOwnerRemoval.accept(ownerDir);
			if (root instanceof SecureDirectoryStream<Path> secureRoot) {
				secureRoot.deleteDirectory(ownerDir.getFileName());
			}
			else {
				// No directory-relative operations on this platform: a file swapped in between
				// the check and this delete is the window that remains.
				Files.deleteIfExists(ownerDir);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			// A space was created in it meanwhile, or it is not ours to remove: leave it.
		}
	}

	/**
	 * Whether a name in {@code logs/} is a temporary of {@link DepotFiles#replaceAtomically}:
	 * {@code <file>.tmp-<pid>-<hex>} for one of the files rewritten there.
	 */
	static boolean isTemporaryName(String name) {
		return TEMPORARY_NAME.matcher(name).matches();
	}

	/**
	 * The lock of a staging directory, if the name is one that {@code getOrPopulate} gives:
	 * {@code <owner-uuid>.<key>.<16 hex digits>}, whose lock is {@code <owner-uuid>.<key>.lock}.
	 * @param name a name in {@code staging/}
	 * @return the name of its lock, or {@code null} if the name is not a staging directory's
	 */
	static @Nullable String stagingLockName(String name) {
		Matcher matcher = STAGING_NAME.matcher(name);
		if (!matcher.matches() || !ScratchKeys.isOwnerDirectoryName(matcher.group(1))
				|| !ScratchKeys.isValid(matcher.group(2))) {
			return null;
		}
		return matcher.group(1) + "." + matcher.group(2) + ".lock";
	}

	/**
	 * Removes staging directories whose populate lock is free: what a crashed or failed
	 * populator left behind. A staging directory is {@code <uuid>.<key>.<random>}, its lock
	 * {@code <uuid>.<key>.lock}; every other name is someone else's and is left alone.
	 */
	private void removeStaleStaging() {
		if (Files.isSymbolicLink(this.layout.staging())) {
			this.warnings
				.add("Refusing to clean the staging directory " + this.layout.staging() + ": it is a symbolic link");
			return;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.layout.staging())) {
			for (Path entry : entries) {
				String lock = stagingLockName(entry.getFileName().toString());
				if (lock == null || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
					continue;
				}
				removeIfStale(entry, this.layout.staging().resolve(lock));
			}
		}
		catch (NoSuchFileException ex) {
			// No populator ever ran here.
		}
		catch (IOException ex) {
			this.warnings.add("Could not clean the staging directory " + this.layout.staging() + ": "
					+ DepotFiles.describe(ex));
		}
	}

	/**
	 * Removes one staging directory if its populate lock is free. A lock that cannot be taken
	 * (not a regular file, say) costs only this directory, with a warning that names the lock.
	 */
	private void removeIfStale(Path entry, Path lockFile) {
		try {
			FileMutex.Held held = new FileMutex(lockFile).tryAcquire();
			if (held != null) {
				try (held) {
					DepotFiles.deleteRecursively(entry);
				}
			}
		}
		catch (IOException | UncheckedIOException ex) {
			IOException cause = (ex instanceof UncheckedIOException unchecked) ? unchecked.getCause() : (IOException) ex;
			this.warnings.add("Left the staging directory " + entry + " in place: its lock " + lockFile
					+ " could not be taken (" + DepotFiles.describe(cause) + ")");
		}
	}

	/** The decision being made for one space. */
	private static final class Candidate {

		final SpaceListing.Entry entry;

		final UsageLog.@Nullable Usage use;

		GcDecision.Action action = GcDecision.Action.KEPT;

		String reason = "";

		@Nullable Instant orphanedSince;

		boolean leased;

		long size = -1;

		Candidate(SpaceListing.Entry entry, UsageLog.@Nullable Usage use) {
			this.entry = entry;
			this.use = use;
		}

		boolean isDeleted() {
			return this.action == GcDecision.Action.DELETED || this.action == GcDecision.Action.EVICTED;
		}

		void keep(GcDecision.Action action, String reason) {
			this.action = action;
			this.reason = reason;
		}

		Instant lastAccess() {
			return (this.use != null) ? this.use.newest() : Instant.MIN;
		}

	}

}
