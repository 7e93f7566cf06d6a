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
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The artifact part of a garbage-collection run (Julia's {@code Pkg.gc()} for artifacts),
 * called by {@link CollectionRun} after the spaces are decided and before the orphanage is
 * written, so that one report and one orphanage hold both.
 *
 * <p><b>Mark.</b> Every directory {@code artifacts/<40 hex digits>} (found without following
 * links; any other name there is never touched) is <em>kept</em> while a recorded
 * {@code Artifacts.toml} that still exists binds its tree hash: recorded means named in
 * {@code logs/artifact_usage.toml}, and a jar recorded there counts with every
 * {@code Artifacts.toml} it holds (see {@link ArtifactBindings}). Otherwise it is
 * <em>orphaned</em>: {@code logs/orphaned.toml} records when it was first found so, beside the
 * spaces' entries, and once it has been orphaned for at least the collect delay it is
 * deleted. A leased artifact (one that a live manager handed out) is
 * {@link GcDecision.Action#SKIPPED_LEASED}. The maximum unused age and the size bound are
 * for spaces: they never delete an artifact.
 *
 * <p><b>When it cannot tell, it deletes nothing.</b> If the artifact usage log cannot be read
 * at all (it is not a regular file, its lock is held too long, an I/O error), or a recorded
 * {@code Artifacts.toml} that exists cannot be read, what binds an artifact is unknown: no
 * artifact that nothing readable binds is orphaned or deleted in that run, and the orphan
 * dates already recorded stay as they are. A damaged entry of the log costs only that entry
 * (with a warning): the other entries still bind their artifacts.
 *
 * <p><b>Delete.</b> As for spaces (see {@link SpaceRemoval}): holding the lease lock
 * exclusive, the leases are read again, and so is the artifact usage log if it changed since
 * it was read; an artifact still unleased and unbound is renamed, relative to the open
 * {@code artifacts/} directory, to {@code artifacts/.deleting-<16 hex digits>}. Once the lock
 * is released, the renamed tree is deleted with the no-follow walk of {@link SecureTree},
 * which makes the artifact's read-only directories writable relative to their open parents
 * and removes a link swapped in anywhere as a link. A collector that dies leaves
 * {@code .deleting-*} directories; later runs delete them.
 *
 * <p><b>Staging.</b> Builds of artifacts work in {@code staging/artifact.<16 hex digits>/}
 * while holding {@code staging/artifact.<same hex>.lock}; the sweep removes such a directory
 * only if it can take that lock at once, and then deletes the lock file while still holding
 * it. No other name in {@code staging/} is touched here.
 *
 * <p><b>Condensing.</b> Unless this is a dry run, the artifact usage log is rewritten under
 * its lock with one entry per recorded file that still exists, with its newest time, as
 * {@code Pkg.gc()} condenses it (see {@link #condense}).
 */
final class ArtifactCollection {

	private static final Pattern TREE_HASH = Pattern.compile("[0-9a-f]{40}");

	private static final DateTimeFormatter DAMAGED_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private static final Pattern STAGING_NAME = Pattern.compile("artifact\\.[0-9a-f]{16}");

	private final ManagerState state;

	private final DepotLayout layout;

	private final Path root;

	private final GcOptions options;

	private final List<String> warnings;

	private final List<GcDecision> decisions = new ArrayList<>();

	private int deletedCount;

	private long bytesFreed;

	/** The artifact usage log as this run read it: a change since then is seen under the lease lock. */
	private SpaceRemoval.LogMark logMark = new SpaceRemoval.LogMark(null, 0);

	/** Runs between reading the artifact usage log and replacing it: where tests append as Julia would. */
	private Runnable beforeRewrite = () -> {
	};

	/** Runs after the artifact usage log is read and before the last check: where tests record a use. */
	private Runnable beforeLastCheck = () -> {
	};

	ArtifactCollection(ManagerState state, GcOptions options, List<String> warnings) {
		this.state = state;
		this.layout = state.layout();
		this.root = this.layout.artifacts();
		this.options = options;
		this.warnings = warnings;
	}

	/** Sets what runs between reading the artifact usage log and replacing it, for tests. */
	ArtifactCollection beforeRewrite(Runnable action) {
		this.beforeRewrite = action;
		return this;
	}

	/** Sets what runs between reading the artifact usage log and the last check, for tests. */
	ArtifactCollection beforeLastCheck(Runnable action) {
		this.beforeLastCheck = action;
		return this;
	}

	/** @return one decision per artifact directory found */
	List<GcDecision> decisions() {
		return this.decisions;
	}

	/** @return how many artifacts were deleted (would have been, in a dry run) */
	int deletedCount() {
		return this.deletedCount;
	}

	/** @return the bytes those artifacts held */
	long bytesFreed() {
		return this.bytesFreed;
	}

	/**
	 * Decides every artifact and, unless this is a dry run, deletes the ones orphaned for at
	 * least the collect delay.
	 * @param now the run's time
	 * @param oldOrphans the orphanage as read
	 * @param oldCauses the orphanage's reasons as read
	 * @param newOrphans the orphanage to write: its entries for artifacts are replaced
	 * @param newCauses the reasons to write with it
	 */
	void collect(Instant now, Map<String, Instant> oldOrphans, Map<String, String> oldCauses,
			Map<String, Instant> newOrphans, Map<String, String> newCauses) {
		BasicFileAttributes rootAttributes;
		try {
			rootAttributes = DepotFiles.attributesOrNull(this.root);
		}
		catch (UncheckedIOException ex) {
			this.warnings.add("Could not collect artifacts: " + ex.getMessage());
			return;
		}
		if (rootAttributes != null && !rootAttributes.isDirectory()) {
			this.warnings.add("Refusing to collect artifacts in " + this.root + ": "
					+ (rootAttributes.isSymbolicLink() ? "it is a symbolic link" : "it is not a directory"));
			return;
		}
		List<Path> dirs;
		try {
			dirs = (rootAttributes != null) ? list(this.root, this.warnings) : List.of();
		}
		catch (UncheckedIOException ex) {
			this.warnings.add("Could not collect artifacts: " + ex.getMessage());
			return;
		}
		// This run decides every artifact again: old entries of artifacts gone drop out.
		Map<String, Instant> previous = new LinkedHashMap<>();
		for (Iterator<Map.Entry<String, Instant>> it = newOrphans.entrySet().iterator(); it.hasNext();) {
			Map.Entry<String, Instant> orphan = it.next();
			if (isArtifactEntry(orphan.getKey())) {
				previous.put(orphan.getKey(), orphan.getValue());
				newCauses.remove(orphan.getKey());
				it.remove();
			}
		}
		if (dirs.isEmpty()) {
			return;
		}
		ArtifactBindings bindings = null;
		String unknown;
		try {
			ArtifactUsageReader.Usage usage = readUsageLog();
			bindings = ArtifactBindings.of(usage);
			this.warnings.addAll(bindings.warnings());
			unknown = bindings.unreadable().isEmpty() ? null
					: "the recorded " + MessageText.describeList(bindings.unreadable()) + " could not be read";
		}
		catch (IOException ex) {
			unknown = "the artifact usage log " + this.layout.artifactUsageLog() + " could not be read ("
					+ DepotFiles.describe(ex) + ")";
		}
		if (unknown != null) {
			this.warnings.add("Deleted no artifact that nothing readable binds: " + unknown);
		}
		Lease.Scan leases = Lease.scan(this.layout.leases(), false);
		List<Doomed> doomed = new ArrayList<>();
		for (Path dir : dirs) {
			String hash = String.valueOf(dir.getFileName());
			String path = dir.toString();
			List<Path> boundBy = (bindings != null) ? bindings.boundBy(hash) : List.of();
			if (!boundBy.isEmpty()) {
				Instant last = Objects.requireNonNull(bindings).lastAccess(hash);
				String names = MessageText.describeList(boundBy.stream().map(Path::toString).toList());
				this.decisions.add(new GcDecision(dir, GcDecision.Action.KEPT,
						"bound by " + names + "; last used " + last));
				continue;
			}
			if (unknown != null) {
				Instant since = previous.get(path);
				if (since != null) {
					newOrphans.put(path, since);
					String cause = oldCauses.get(path);
					if (cause != null) {
						newCauses.put(path, cause);
					}
				}
				this.decisions.add(new GcDecision(dir, GcDecision.Action.KEPT, "no readable recorded Artifacts.toml "
						+ "binds it, but " + unknown + "; kept until what binds it can be read"));
				continue;
			}
			String cause = Objects.requireNonNull(bindings).recordedCount() == 0
					? "no Artifacts.toml that uses it is recorded in logs/" + DepotLayout.ARTIFACT_USAGE_LOG
					: "no Artifacts.toml recorded in logs/" + DepotLayout.ARTIFACT_USAGE_LOG + " that still exists binds it";
			if (leases.leasedPaths().contains(path) || this.state.isLeasedHere(dir)) {
				this.decisions.add(new GcDecision(dir, GcDecision.Action.SKIPPED_LEASED,
						cause + ", but a live manager holds a lease on it"));
				continue;
			}
			Instant since = oldOrphans.getOrDefault(path, now);
			if (since.isAfter(now)) {
				since = now;
			}
			newOrphans.put(path, since);
			newCauses.put(path, cause);
			Duration delay = this.options.collectDelay();
			if (Duration.between(since, now).compareTo(delay) >= 0) {
				doomed.add(new Doomed(dir, cause + "; orphaned since " + since, "; deleted after the "
						+ MessageText.describe(delay) + " delay"));
			}
			else {
				Instant deadline = GcOptions.plus(since, delay);
				this.decisions.add(new GcDecision(dir, GcDecision.Action.ORPHANED, cause + "; orphaned since " + since
						+ "; will be deleted after the " + MessageText.describe(delay) + " delay"
						+ ((deadline != null) ? ", at " + deadline : "")));
			}
		}
		this.beforeLastCheck.run();
		for (Doomed each : doomed) {
			each.size = DepotFiles.sizeAndCount(each.dir)[0];
		}
		if (!this.options.dryRun()) {
			remove(doomed);
		}
		for (Doomed each : doomed) {
			if (each.action == GcDecision.Action.DELETED) {
				this.deletedCount++;
				this.bytesFreed += each.size;
			}
			this.decisions.add(new GcDecision(each.dir, each.action, each.reason));
		}
		this.decisions.sort((a, b) -> a.path().compareTo(b.path()));
	}

	/** Removes what dead collectors and builders left: trash and unlocked staging directories. */
	void sweep() {
		removeLeftoverTrash();
		removeStaleStaging();
	}

	private boolean isArtifactEntry(String path) {
		try {
			Path entry = Path.of(path).normalize();
			return entry.startsWith(this.root) && !entry.equals(this.root);
		}
		catch (InvalidPathException ex) {
			return false;
		}
	}

	/**
	 * Reads the artifact usage log under its lock, so that a use being recorded is read whole;
	 * a dry run on a depot whose lock file does not exist reads it without, creating nothing.
	 */
	private ArtifactUsageReader.Usage readUsageLog() throws IOException {
		Path log = this.layout.artifactUsageLog();
		Path lock = log.resolveSibling(log.getFileName() + ".lock");
		FileMutex.IoCallable<ArtifactUsageReader.Usage> read = () -> {
			if (this.options.dryRun() || !Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
				ArtifactUsageReader.Usage usage = ArtifactUsageReader.read(log);
				this.warnings.addAll(usage.warnings());
				this.logMark = SpaceRemoval.LogMark.of(log);
				return usage;
			}
			return condense(log);
		};
		if ((this.options.dryRun() && !Files.exists(lock, LinkOption.NOFOLLOW_LINKS))
				|| !Files.isDirectory(this.layout.logs())) {
			// Without logs/ there is no log to read: nothing needs the lock.
			return read.call();
		}
		return new FileMutex(lock, this.state.lockTimeout()).call(read);
	}

	/**
	 * Reads the artifact usage log and writes it back with one entry per recorded file that
	 * still exists, with its newest time, as {@code Pkg.gc()} condenses it; the caller holds
	 * the log's lock, so a use recorded meanwhile by this project waits. A log that had damage
	 * is first copied to {@code artifact_usage.toml.damaged-<timestamp>}.
	 * <p>
	 * Julia appends without the lock. An entry it appends after the read and before the
	 * rename would be lost with the old file, so the old file stays open, and what grew past
	 * the size read is read again after the rename and appended to the new log.
	 * @return every entry of the log as read, for binding
	 */
	private ArtifactUsageReader.Usage condense(Path log) throws IOException {
		try (FileChannel old = RegularFiles.openForReading(log).channel()) {
			long readFrom = old.size();
			// The lines are not closed: that would close the old file's channel, still needed.
			ArtifactUsageReader.Usage usage = ArtifactUsageReader.read(String.valueOf(log.getFileName()),
					ByteLines.of(old, 0));
			this.warnings.addAll(usage.warnings());
			Map<String, Instant> existing = new LinkedHashMap<>();
			usage.newest().forEach((path, time) -> {
				if (exists(path)) {
					existing.put(path, time);
				}
			});
			this.beforeRewrite.run();
			if (usage.damaged()) {
				keepDamagedCopy(log);
			}
			DepotFiles.replaceAtomically(log, ArtifactUsageReader.format(existing));
			this.logMark = SpaceRemoval.LogMark.of(log);
			rescueForeignAppends(log, old, readFrom);
			return usage;
		}
	}

	private static boolean exists(String path) {
		try {
			Path file = Path.of(path);
			return file.isAbsolute() && Files.exists(file);
		}
		catch (InvalidPathException ex) {
			return false;
		}
	}

	/** Appends to the new log what a writer without the lock appended to the old one since it was read. */
	private void rescueForeignAppends(Path log, FileChannel old, long from) {
		try {
			if (old.size() <= from) {
				return;
			}
			// Not closed here either: the caller closes the old file's channel.
			ArtifactUsageReader.Usage tail = ArtifactUsageReader.read(String.valueOf(log.getFileName()),
					ByteLines.of(old, from));
			if (tail.newest().isEmpty()) {
				return;
			}
			ByteBuffer buffer = ByteBuffer.wrap(ArtifactUsageReader.format(tail.newest()));
			try (FileChannel channel = RegularFiles.openForWriting(log)) {
				long position = channel.size();
				while (buffer.hasRemaining()) {
					position += channel.write(buffer, position);
				}
			}
		}
		catch (IOException ex) {
			this.warnings.add("Could not carry over to the condensed " + log + " the entries appended to the old log "
					+ "meanwhile without the lock: " + DepotFiles.describe(ex));
		}
	}

	private void keepDamagedCopy(Path file) {
		Path copy = file.resolveSibling(file.getFileName() + ".damaged-" + DAMAGED_SUFFIX.format(this.state.now()));
		try {
			Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
			this.warnings.add("Kept a copy of the damaged " + file.getFileName() + " as " + copy);
		}
		catch (IOException ex) {
			this.warnings.add("Could not keep a copy of the damaged " + file + ": " + DepotFiles.describe(ex));
		}
	}

	/**
	 * Deletes the doomed artifacts: first, holding the lease lock exclusive, each one that is
	 * still unleased and unbound is renamed to {@code artifacts/.deleting-<random>}; then the
	 * renamed trees are deleted without any lock held.
	 */
	private void remove(List<Doomed> doomed) {
		if (doomed.isEmpty()) {
			return;
		}
		Map<Path, SpaceRemoval.Outcome> outcomes = moveOut(doomed);
		for (Doomed each : doomed) {
			SpaceRemoval.Outcome outcome = outcomes.get(each.dir);
			if (outcome instanceof SpaceRemoval.Kept kept) {
				boolean leased = kept.reason().startsWith("leased");
				each.action = leased ? GcDecision.Action.SKIPPED_LEASED : GcDecision.Action.KEPT;
				each.reason = each.orphaned + "; not deleted: " + kept.reason();
			}
			else if (outcome instanceof SpaceRemoval.Moved moved) {
				SpaceRemoval.deleteTrash(this.root, moved.trash(), "Artifact " + each.dir, this.warnings);
			}
			else {
				String why = (outcome instanceof SpaceRemoval.Failed failed) ? failed.reason() : "not attempted";
				each.action = GcDecision.Action.FAILED;
				each.reason = each.reason + "; deleting it failed: " + why;
				this.warnings.add("Could not delete the artifact " + each.dir + ": " + why);
			}
		}
	}

	private Map<Path, SpaceRemoval.Outcome> moveOut(List<Doomed> doomed) {
		Map<Path, SpaceRemoval.Outcome> outcomes = new LinkedHashMap<>();
		LeaseGate gate = this.state.leaseGate();
		Duration timeout = this.state.lockTimeout();
		try (LeaseGate.Held held = gate.exclusive(timeout)) {
			if (held == null) {
				String why = "another process held the lease lock " + gate.lockFile() + " for longer than "
						+ timeout.toMillis() + " ms; nothing was deleted";
				this.warnings.add("Gave up deleting " + doomed.size() + " artifact(s): " + why);
				doomed.forEach((each) -> outcomes.put(each.dir, new SpaceRemoval.Failed(why)));
				return outcomes;
			}
			Lease.Scan live = Lease.scan(this.layout.leases(), true);
			SpaceRemoval.LeasedFiles leasedFiles = new SpaceRemoval.LeasedFiles(live.leasedPaths());
			ArtifactBindings recordedSince = null;
			String unreadableSince = null;
			Path log = this.layout.artifactUsageLog();
			if (!SpaceRemoval.LogMark.of(log).equals(this.logMark)) {
				// Read without the log's lock: a use being appended now has its lease already.
				try {
					recordedSince = ArtifactBindings.of(ArtifactUsageReader.read(log));
					if (!recordedSince.unreadable().isEmpty()) {
						unreadableSince = "a recorded Artifacts.toml could not be read";
					}
				}
				catch (IOException ex) {
					unreadableSince = "the artifact usage log could not be read: " + DepotFiles.describe(ex);
				}
			}
			try (DirectoryStream<Path> stream = openRoot()) {
				for (Doomed each : doomed) {
					outcomes.put(each.dir, decide(stream, each.dir, live, leasedFiles, recordedSince, unreadableSince));
				}
			}
		}
		catch (IOException ex) {
			String why = "could not take the lease lock or open " + this.root + ": " + DepotFiles.describe(ex);
			this.warnings.add("Gave up deleting artifacts: " + why);
			doomed.forEach((each) -> outcomes.putIfAbsent(each.dir, new SpaceRemoval.Failed(why)));
		}
		return outcomes;
	}

	/** Opens {@code artifacts/}, refusing a link put in its place since it was listed. */
	private DirectoryStream<Path> openRoot() throws IOException {
		BasicFileAttributes expected = Files.readAttributes(this.root, BasicFileAttributes.class,
				LinkOption.NOFOLLOW_LINKS);
		if (!expected.isDirectory()) {
			throw new IOException(this.root + " is no longer a directory");
		}
		DirectoryStream<Path> stream = Files.newDirectoryStream(this.root);
		if (stream instanceof SecureDirectoryStream<Path> secure && expected.fileKey() != null) {
			Object opened = Objects.requireNonNull(secure.getFileAttributeView(BasicFileAttributeView.class))
				.readAttributes()
				.fileKey();
			if (!expected.fileKey().equals(opened)) {
				stream.close();
				throw new IOException(this.root + " was replaced while being opened");
			}
		}
		return stream;
	}

	private SpaceRemoval.Outcome decide(DirectoryStream<Path> stream, Path dir, Lease.Scan live,
			SpaceRemoval.LeasedFiles leasedFiles, @Nullable ArtifactBindings recordedSince,
			@Nullable String unreadableSince) {
		if (live.leasedPaths().contains(dir.toString()) || this.state.isLeasedHere(dir) || leasedFiles.contains(dir)) {
			return new SpaceRemoval.Kept("leased by a live process since the collector looked");
		}
		if (unreadableSince != null) {
			return new SpaceRemoval.Kept(unreadableSince + " since the collector read it; left for the next run");
		}
		String hash = String.valueOf(dir.getFileName());
		if (recordedSince != null && !recordedSince.boundBy(hash).isEmpty()) {
			return new SpaceRemoval.Kept("bound by " + recordedSince.boundBy(hash).get(0)
					+ ", recorded since the collector read the artifact usage log");
		}
		String trash = SpaceRemoval.TRASH_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
		try {
			if (stream instanceof SecureDirectoryStream<Path> secure) {
				secure.move(Path.of(hash), secure, Path.of(trash));
			}
			else {
				Files.move(dir, this.root.resolve(trash), StandardCopyOption.ATOMIC_MOVE);
			}
			return new SpaceRemoval.Moved(trash);
		}
		catch (NoSuchFileException ex) {
			return new SpaceRemoval.Moved("");
		}
		catch (IOException ex) {
			return new SpaceRemoval.Failed("moving it out of the way failed: " + DepotFiles.describe(ex));
		}
	}

	private void removeLeftoverTrash() {
		if (Files.isDirectory(this.root, LinkOption.NOFOLLOW_LINKS)) {
			SpaceRemoval.deleteLeftovers(this.root, this.warnings);
		}
	}

	/** Whether a name in {@code staging/} is an artifact build's directory. */
	static boolean isStagingName(String name) {
		return STAGING_NAME.matcher(name).matches();
	}

	/**
	 * Removes the artifact builds' staging directories whose lock is free: what a build that
	 * died left. The lock file goes too, deleted while held.
	 */
	private void removeStaleStaging() {
		Path staging = this.layout.staging();
		if (!Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
			return; // missing, or a link that the spaces' sweep already warned about
		}
		List<Path> dirs = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(staging, "artifact.*")) {
			for (Path entry : entries) {
				if (isStagingName(String.valueOf(entry.getFileName()))
						&& Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
					dirs.add(entry);
				}
			}
		}
		catch (IOException ex) {
			this.warnings.add("Could not list the artifact staging directories in " + staging + ": "
					+ DepotFiles.describe(ex));
			return;
		}
		for (Path dir : dirs) {
			Path lockFile = staging.resolve(dir.getFileName() + ".lock");
			try {
				FileMutex.Held held = new FileMutex(lockFile).tryAcquire();
				if (held == null) {
					continue; // a build is under way
				}
				try (held) {
					DepotFiles.deleteRecursively(dir);
					Files.deleteIfExists(lockFile);
				}
			}
			catch (IOException | UncheckedIOException ex) {
				IOException cause = (ex instanceof UncheckedIOException unchecked) ? unchecked.getCause()
						: (IOException) ex;
				this.warnings.add("Left the artifact staging directory " + dir + " in place: " + DepotFiles.describe(cause)
						+ " (its lock is " + lockFile + ")");
			}
		}
	}

	/** An artifact found orphaned for at least the collect delay, and what became of it. */
	private static final class Doomed {

		final Path dir;

		GcDecision.Action action = GcDecision.Action.DELETED;

		/** Why it is orphaned, and since when. */
		final String orphaned;

		String reason;

		long size;

		Doomed(Path dir, String orphaned, String deleted) {
			this.dir = dir;
			this.orphaned = orphaned;
			this.reason = orphaned + deleted;
		}

	}

	/**
	 * The artifact directories: every directory {@code <root>/<40 lower-case hex digits>},
	 * found without following links, sorted by name. The collector's own trash names are
	 * skipped silently; every other name (a link, a file, a name that is no tree hash) is
	 * never touched, and reported in {@code warnings} if given.
	 * @param root {@code artifacts/}, which the caller checked is not a link
	 * @param warnings where names left alone are reported, or null
	 * @return the directories; empty if {@code root} does not exist
	 * @throws java.io.UncheckedIOException if {@code root} cannot be listed
	 */
	static List<Path> list(Path root, @Nullable List<String> warnings) {
		List<Path> dirs = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
			for (Path entry : entries) {
				String name = String.valueOf(entry.getFileName());
				BasicFileAttributes attributes = DepotFiles.attributesOrNull(entry);
				if (attributes == null) {
					continue;
				}
				boolean hash = TREE_HASH.matcher(name).matches();
				if (hash && attributes.isDirectory()) {
					dirs.add(entry);
				}
				else if (warnings != null && !SpaceRemoval.isTrashName(name)) {
					warnings.add("Left " + entry + " alone: "
							+ (attributes.isSymbolicLink() ? "it is a symbolic link"
									: !attributes.isDirectory() ? "it is not a directory"
											: "its name is not a tree hash")
							+ ", so it is no artifact");
				}
			}
		}
		catch (NoSuchFileException ex) {
			return List.of();
		}
		catch (IOException ex) {
			throw DepotFiles.failure("list the artifacts in", root, ex);
		}
		dirs.sort(null);
		return dirs;
	}

}
