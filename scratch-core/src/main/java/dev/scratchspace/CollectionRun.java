package dev.scratchspace;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One garbage-collection run (the scratch-space part of Julia's {@code Pkg.gc()}): read and
 * condense the usage log, mark, keep the orphanage, apply the size bound, delete safely, and
 * report every decision with its reason.
 */
final class CollectionRun {

	private static final System.Logger logger = System.getLogger(CollectionRun.class.getName());

	private static final DateTimeFormatter DAMAGED_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	/**
	 * The name of a populator's staging directory: {@code <uuid>.<key>.<16 hex digits>}, the
	 * uuid as {@link java.util.UUID#toString()} writes it, the key as {@link ScratchKeys}
	 * allows it.
	 */
	private static final Pattern STAGING_NAME = Pattern
		.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.[A-Za-z0-9_.-]{1,255}\\.[0-9a-f]{16}");

	private final ManagerState state;

	private final DepotLayout layout;

	private final Path spacesRoot;

	private final GcOptions options;

	private final List<String> warnings = new ArrayList<>();

	private Map<String, String> oldCauses = Map.of();

	/** The usage log as this run left it: entries past it were appended since. */
	private SpaceRemoval.LogMark logMark = new SpaceRemoval.LogMark(null, 0);

	private final Map<String, String> newCauses = new LinkedHashMap<>();

	CollectionRun(ManagerState state, Path spacesRoot, GcOptions options) {
		this.state = state;
		this.layout = state.layout();
		this.spacesRoot = spacesRoot;
		this.options = options;
	}

	GcReport run() {
		long started = System.nanoTime();
		FileMutex.Held gcLock;
		try {
			gcLock = this.state.tryGcLock();
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
		catch (IOException ex) {
			throw DepotFiles.failure("collect garbage in", this.layout.root(), ex);
		}
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
		if (!this.options.dryRun()) {
			writeOrphanage(newOrphans);
			removeLeftoverTrash();
			removeEmptyOwnerDirectories();
			removeStaleStaging();
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		logger.log(System.Logger.Level.DEBUG, "Garbage collection of {0}: {1} spaces, {2} deleted, {3} bytes freed in {4} ms",
				this.spacesRoot, candidates.size(), deleted, freed, elapsed.toMillis());
		return new GcReport(decisions, deleted, freed, this.warnings, elapsed, this.options.dryRun());
	}

	/**
	 * Reads the usage log and, unless this is a dry run, writes it back with one entry per
	 * space that still exists and still has a parent project that exists. Holds the log lock
	 * throughout, so an access recorded meanwhile by another process waits and is not lost.
	 * @return every space the log names, with all its parents, for marking
	 */
	private Map<String, UsageLog.Usage> condenseUsageLog(Supplier<Scan> scan, ProjectCheck projects)
			throws IOException {
		return this.state.underLogLock(() -> {
			removeStaleTemporaries();
			UsageLog log = UsageLogReader.read(this.layout.usageLog());
			this.warnings.addAll(log.warnings());
			Set<String> listed = scan.get().listed;
			Map<String, UsageLog.Usage> condensed = new LinkedHashMap<>();
			for (Map.Entry<String, UsageLog.Usage> each : log.spaces().entrySet()) {
				if (!spaceExists(each.getKey(), listed)) {
					continue;
				}
				Set<String> existing = new LinkedHashSet<>();
				for (String project : each.getValue().parentProjects()) {
					if (projects.exists(project)) {
						existing.add(project);
					}
				}
				if (!existing.isEmpty()) {
					condensed.put(each.getKey(), new UsageLog.Usage(each.getValue().newest(), existing));
				}
			}
			if (!this.options.dryRun() && Files.exists(this.layout.usageLog())) {
				if (log.damaged()) {
					keepDamagedCopy(this.layout.usageLog());
				}
				DepotFiles.replaceAtomically(this.layout.usageLog(), UsageLog.format(condensed));
			}
			this.logMark = SpaceRemoval.LogMark.of(this.layout.usageLog());
			return log.spaces();
		});
	}

	/** The spaces on disk and the live leases, found in that order. */
	private Scan scan() {
		// List first, then read the leases: a lease is written before its space is created.
		List<String> scanWarnings = new ArrayList<>();
		List<SpaceListing.Entry> entries = SpaceListing.list(this.layout.root(), this.spacesRoot, scanWarnings);
		// Dead leases are removed only under the lease lock, in SpaceRemoval.
		Lease.Scan leases = Lease.scan(this.layout.leases(), false);
		scanWarnings.addAll(leases.warnings());
		Set<String> listed = new HashSet<>(entries.size() * 4 / 3 + 1);
		for (SpaceListing.Entry entry : entries) {
			listed.add(entry.path().toString());
		}
		return new Scan(entries, listed, new HashSet<>(leases.leasedPaths()), scanWarnings);
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

		final List<String> warnings;

		boolean warningsTaken;

		Scan(List<SpaceListing.Entry> entries, Set<String> listed, Set<String> leased, List<String> warnings) {
			this.entries = entries;
			this.listed = listed;
			this.leased = leased;
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
						&& Files.isDirectory(space, LinkOption.NOFOLLOW_LINKS);
			}
			return Files.isDirectory(space);
		}
		catch (InvalidPathException ex) {
			return false;
		}
	}

	/**
	 * Removes what a rewrite killed between writing and moving left behind. Every rewrite of a
	 * file in logs/ holds the log lock, which the caller holds: any temporary there is stale.
	 */
	private void removeStaleTemporaries() {
		try (DirectoryStream<Path> temporaries = Files.newDirectoryStream(this.layout.logs(), "*.tmp-*")) {
			for (Path temporary : temporaries) {
				if (DepotFiles.isTemporaryName(temporary.getFileName().toString()) && Files
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
		return this.state.underLogLock(() -> {
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
		this.state.underLogLock(() -> {
			if (orphans.isEmpty() && !Files.exists(this.layout.orphanage())) {
				return null;
			}
			DepotFiles.replaceAtomically(this.layout.orphanage(), Orphanage.format(orphans, this.newCauses));
			return null;
		});
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
			cause = this.oldCauses.getOrDefault(entry.path().toString(), "no access was ever recorded");
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
						+ describe(this.options.maxUnusedAge().orElseThrow());
			}
			else {
				candidate.keep(GcDecision.Action.KEPT, "parent project " + describeList(existing) + " exists");
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
			candidate.reason = cause + "; orphaned since " + since + "; deleted after the " + describe(delay)
					+ " delay";
		}
		else {
			candidate.action = GcDecision.Action.ORPHANED;
			candidate.reason = cause + "; orphaned since " + since + "; will be deleted after the " + describe(delay)
					+ " delay, at " + since.plus(delay);
		}
		return candidate;
	}

	private boolean isUnused(UsageLog.Usage use, Instant now) {
		Duration maxUnusedAge = this.options.maxUnusedAge().orElse(null);
		return maxUnusedAge != null && use.newest().isBefore(now.minus(maxUnusedAge));
	}

	private static String goneProjects(Set<String> projects) {
		return (projects.size() == 1) ? "parent project " + projects.iterator().next() + " no longer exists"
				: "parent projects " + describeList(new ArrayList<>(projects)) + " no longer exist";
	}

	private static String describeList(List<String> items) {
		if (items.size() <= 3) {
			return String.join(", ", items);
		}
		return String.join(", ", items.subList(0, 3)) + " and " + (items.size() - 3) + " more";
	}

	static String describe(Duration duration) {
		if (duration.isZero()) {
			return "zero";
		}
		long seconds = duration.getSeconds();
		if (duration.getNano() == 0 && seconds % 86400 == 0) {
			return (seconds / 86400) + "-day";
		}
		if (duration.getNano() == 0 && seconds % 3600 == 0) {
			return (seconds / 3600) + "-hour";
		}
		if (duration.getNano() == 0 && seconds % 60 == 0) {
			return (seconds / 60) + "-minute";
		}
		return duration.toString();
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
			candidate.size = DepotFiles.sizeAndCount(candidate.entry.path())[0];
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
		return entry.symbolicLink() ? 0 : DepotFiles.sizeAndCount(entry.path())[0];
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
				deleteTrash(candidate.entry.path(), moved.trash());
			}
			else {
				String why = (outcome instanceof SpaceRemoval.Failed failed) ? failed.reason() : "not attempted";
				candidate.reason = candidate.reason + "; deleting it failed: " + why;
				candidate.action = GcDecision.Action.FAILED;
				this.warnings.add("Could not delete " + candidate.entry.path() + ": " + why);
			}
		}
	}

	/** Deletes a space that was moved out of the way; what is left is retried next run. */
	private void deleteTrash(Path space, String trash) {
		if (trash.isEmpty()) {
			return;
		}
		try {
			DepotFiles.deleteRecursively(this.spacesRoot.resolve(trash));
		}
		catch (IOException | RuntimeException ex) {
			String why = (ex instanceof IOException io) ? DepotFiles.describe(io) : String.valueOf(ex.getMessage());
			this.warnings.add("Space " + space + " was removed, but deleting its files from " + this.spacesRoot.resolve(trash)
					+ " failed (the next collection retries): " + why);
		}
	}

	/** Deletes what collectors that died between moving a space away and deleting it left. */
	private void removeLeftoverTrash() {
		for (String trash : SpaceRemoval.leftovers(this.spacesRoot)) {
			try {
				DepotFiles.deleteRecursively(this.spacesRoot.resolve(trash));
			}
			catch (IOException | RuntimeException ex) {
				String why = (ex instanceof IOException io) ? DepotFiles.describe(io) : String.valueOf(ex.getMessage());
				this.warnings.add("Could not delete " + this.spacesRoot.resolve(trash) + ": " + why);
			}
		}
	}

	private void removeEmptyOwnerDirectories() {
		for (Path ownerDir : SpaceListing.ownerDirectories(this.spacesRoot)) {
			if (DepotFiles.isEmptyDirectory(ownerDir)) {
				try {
					Files.deleteIfExists(ownerDir);
				}
				catch (IOException ex) {
					// A space was created in it meanwhile, or it is not ours to remove: leave it.
				}
			}
		}
	}

	/**
	 * Removes staging directories whose populate lock is free: what a crashed or failed
	 * populator left behind. A staging directory is {@code <uuid>.<key>.<random>}, its lock
	 * {@code <uuid>.<key>.lock}.
	 */
	private void removeStaleStaging() {
		if (Files.isSymbolicLink(this.layout.staging())) {
			this.warnings
				.add("Refusing to clean the staging directory " + this.layout.staging() + ": it is a symbolic link");
			return;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.layout.staging())) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (!STAGING_NAME.matcher(name).matches() || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
					continue;
				}
				int dot = name.lastIndexOf('.');
				FileMutex mutex = new FileMutex(this.layout.staging().resolve(name.substring(0, dot) + ".lock"));
				FileMutex.Held held = mutex.tryAcquire();
				if (held != null) {
					try (held) {
						DepotFiles.deleteRecursively(entry);
					}
				}
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
