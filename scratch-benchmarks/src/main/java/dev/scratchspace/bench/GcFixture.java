package dev.scratchspace.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;

import dev.scratchspace.BenchmarkSupport;
import dev.scratchspace.ScratchOwner;

/**
 * A synthetic depot for garbage collection, scaled by its number of spaces: 100 spaces per
 * owner, 10 usage-log entries per space, one application project per 10 owners (at least
 * one). So 10,000
 * spaces make 100 owners and a 100,000-entry log, and 100,000 spaces make 1,000 owners and a
 * 1,000,000-entry log: every part of the input grows by the same factor.
 *
 * <p>Deterministic (fixed seed), so a cached fixture equals a fresh one. The mix:
 * <ul>
 * <li>4 of 5 projects exist, the rest were "uninstalled" and never created;</li>
 * <li>most entries of a space name its home project, 1 in 7 another one, so some spaces have
 * lost every parent project and some still have one;</li>
 * <li>1 space in 20 never appears in the log (untracked);</li>
 * <li>1 entry in 50 names a space that no longer exists.</li>
 * </ul>
 * Spaces are empty directories: a collection that deletes nothing never looks inside them.
 *
 * <p>The log is {@code <root>/usage-log.pristine}, hard-linked into the depot. A real
 * collection replaces the depot's log by a new file (never in place), so the pristine copy
 * survives and {@link #restoreLog()} puts it back without copying.
 */
record GcFixture(Path root, Path depot, int spaces, long logBytes) {

	static final int SPACES_PER_OWNER = 100;

	static final int ENTRIES_PER_SPACE = 10;

	static final int OWNERS_PER_PROJECT = 10;

	private static final Duration HISTORY = Duration.ofDays(90);

	private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

	static GcFixture obtain(int spaces, Fixtures.Fixture fixture) throws IOException {
		Path depot = fixture.root().resolve("depot");
		return new GcFixture(fixture.root(), depot, spaces, Files.size(pristineLog(fixture.root())));
	}

	static String name(int spaces) {
		return "gc-" + spaces + "-v1";
	}

	static void generate(Path root, int spaces) throws IOException {
		if (spaces <= 0 || spaces % SPACES_PER_OWNER != 0) {
			throw new IllegalArgumentException(
					"spaces must be a positive multiple of " + SPACES_PER_OWNER + ", but was " + spaces);
		}
		int owners = spaces / SPACES_PER_OWNER;
		int projectCount = Math.max(1, owners / OWNERS_PER_PROJECT);
		Path spacesRoot = Files.createDirectories(root.resolve("depot").resolve("scratchspaces"));
		Files.writeString(spacesRoot.resolve("CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n",
				StandardCharsets.UTF_8);
		Path[] ownerDirs = new Path[owners];
		for (int i = 0; i < owners; i++) {
			UUID uuid = ScratchOwner.of("dev.scratchspace.bench.gc", "library-" + i).uuid();
			ownerDirs[i] = Files.createDirectory(spacesRoot.resolve(uuid.toString()));
			for (int k = 0; k < SPACES_PER_OWNER; k++) {
				Files.createDirectory(ownerDirs[i].resolve(key(k)));
			}
		}
		Path[] projects = new Path[projectCount];
		for (int p = 0; p < projectCount; p++) {
			Path dir = root.resolve("projects").resolve("app-" + p);
			projects[p] = dir.resolve("pom.xml");
			if (p % 5 != 4) {
				Files.createDirectories(dir);
				Files.writeString(projects[p], "<project/>\n", StandardCharsets.UTF_8);
			}
		}
		writeLog(pristineLog(root), spaces, ownerDirs, projects);
		Path logs = Files.createDirectories(root.resolve("depot").resolve("logs"));
		Files.createLink(logs.resolve("scratch_usage.toml"), pristineLog(root));
	}

	private static void writeLog(Path log, int spaces, Path[] ownerDirs, Path[] projects) throws IOException {
		Random random = new Random(20261125L + spaces);
		long history = HISTORY.toMillis();
		try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(log), 1 << 20)) {
			for (long entry = 0; entry < (long) spaces * ENTRIES_PER_SPACE; entry++) {
				int space = random.nextInt(spaces);
				if (space % 20 == 19) {
					// Untracked: its accesses went to its neighbour.
					space--;
				}
				Path ownerDir = ownerDirs[space / SPACES_PER_OWNER];
				Path spacePath = (random.nextInt(50) == 0) ? ownerDir.resolve("deleted-" + entry)
						: ownerDir.resolve(key(space % SPACES_PER_OWNER));
				int home = Math.floorMod(Integer.hashCode(space * 31 + 7), projects.length);
				Path project = (random.nextInt(7) == 0) ? projects[random.nextInt(projects.length)] : projects[home];
				Instant time = NOW.minusMillis((long) (random.nextDouble() * history));
				out.write(BenchmarkSupport.usageLogEntry(spacePath, time, project));
			}
		}
	}

	private static String key(int k) {
		return String.format("space-%03d", k);
	}

	private static Path pristineLog(Path root) {
		return root.resolve("usage-log.pristine");
	}

	Path spacesRoot() {
		return this.depot.resolve("scratchspaces");
	}

	Path usageLog() {
		return this.depot.resolve("logs").resolve("scratch_usage.toml");
	}

	/**
	 * Undoes what a real collection wrote: the condensed log, the orphanage and the owner
	 * index. It deletes no space, so the spaces need no restoring.
	 * @throws IOException if a file cannot be replaced
	 */
	void restoreLog() throws IOException {
		Path logs = this.depot.resolve("logs");
		Files.deleteIfExists(usageLog());
		Files.deleteIfExists(logs.resolve("orphaned.toml"));
		Files.createLink(usageLog(), pristineLog(this.root));
		if (Files.size(pristineLog(this.root)) != this.logBytes) {
			throw new IllegalStateException("The pristine usage log of " + this.root + " was changed in place");
		}
	}

}
