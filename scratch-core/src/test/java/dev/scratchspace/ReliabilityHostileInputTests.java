package dev.scratchspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.scratchspace.GcDecision.Action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Keys, owners, usage logs, orphanages and depot layouts made to escape the depot,
 * impersonate a name, exhaust memory or confuse the parser. Each gets its documented error,
 * or is skipped with a warning in the garbage-collection report; and after every test a
 * sentinel directory beside the depot, baited with look-alikes of depot content, is
 * exactly as it was.
 */
class ReliabilityHostileInputTests {

	private static final ScratchOwner OWNER = ScratchOwner.of("org.example", "hostile");

	private static final String BAIT_KEY = "bait";

	private static final GcOptions NO_DELAY = GcOptions.defaults().withCollectDelay(Duration.ZERO);

	private static final String KEY_RULE = "A-Z, a-z, 0-9, '.', '_' and '-'";

	@TempDir
	Path temp;

	private Path depot;

	private Path project;

	private Path sentinel;

	private Map<String, String> sentinelBefore;

	@BeforeEach
	void createDepotAndSentinel() throws IOException {
		this.depot = this.temp.resolve("depot");
		this.project = Files.writeString(this.temp.resolve("app.jar"), "jar");
		this.sentinel = Files.createDirectories(this.temp.resolve("sentinel"));
		Files.writeString(this.sentinel.resolve("precious.txt"), "keep me");
		// Look-alikes of a space, a staging directory, a lease and a usage log.
		Path baitSpace = Files.createDirectories(this.sentinel.resolve(OWNER.uuid().toString()).resolve(BAIT_KEY));
		Files.writeString(baitSpace.resolve("data"), "keep me too");
		Path baitStaging = Files.createDirectories(
				this.sentinel.resolve(OWNER.uuid() + "." + BAIT_KEY + ".0123456789abcdef"));
		Files.writeString(baitStaging.resolve("half"), "keep");
		Files.writeString(this.sentinel.resolve("4242-0123456789abcdef.lease"), "\"/nowhere\"\n");
		Files.writeString(this.sentinel.resolve("scratch_usage.toml"), "# not yours\n");
		Files.createDirectories(this.sentinel.resolve("sub/deeper"));
		Files.writeString(this.sentinel.resolve("sub/deeper/file"), "x".repeat(5000));
		this.sentinelBefore = DirectorySnapshot.of(this.sentinel);
	}

	@AfterEach
	void sentinelIsUntouched() throws IOException {
		assertThat(DirectorySnapshot.of(this.sentinel)).as("the sentinel outside the depot")
			.isEqualTo(this.sentinelBefore);
	}

	static Stream<Arguments> hostileKeys() {
		return Stream.of(named("separator", "a/b"), named("backslash", "a\\b"), named("absolute", "/etc"),
				named("parent", ".."), named("current", "."), named("parent then name", "../x"),
				named("name then parents", "x/../.."), named("NUL", "a\u0000b"), named("newline", "key\n"),
				named("empty", ""), named("space", "a b"), named("256 characters", "k".repeat(256)),
				named("100,000 characters", "k".repeat(100_000)), named("Cyrillic a", "d\u0430ta"),
				named("fullwidth solidus", "a\uFF0Fb"), named("one-dot leader", "\u2024"),
				named("two one-dot leaders", "\u2024\u2024"), named("leaders and fullwidth solidus",
						"\u2024\u2024\uFF0F\u2024\u2024\uFF0Fetc"),
				named("fullwidth letters", "\uFF4B\uFF45\uFF59"), named("combining accent", "cafe\u0301"),
				named("right-to-left override", "\u202Egpj.exe"), named("lone surrogate", "a\uD800"));
	}

	private static Arguments named(String name, String value) {
		return Arguments.of(Named.of(name, value));
	}

	@ParameterizedTest
	@MethodSource("hostileKeys")
	void hostileKeyIsRejectedQuotingTheKeyAndTheRuleAndCreatesNothing(String key) {
		try (ScratchSpaceManager manager = builder().build()) {
			ScratchOwner caller = OWNER.withProject(this.project);
			List<Runnable> operations = List.of(() -> manager.getScratch(key), () -> manager.getScratch(OWNER, key),
					() -> manager.getScratch(OWNER, key, caller), () -> manager.scratchPath(OWNER, key),
					() -> manager.deleteScratch(key), () -> manager.deleteScratch(OWNER, key),
					() -> manager.getOrPopulate(OWNER, key, (staging) -> {
						throw new AssertionError("populator ran for an invalid key");
					}));
			for (Runnable operation : operations) {
				assertThatIllegalArgumentException().isThrownBy(operation::run)
					.withMessageContaining("'" + MessageText.printable(key))
					.withMessageContaining(KEY_RULE)
					.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(1000));
			}
		}
		assertThat(this.depot).doesNotExist();
	}

	static Stream<Arguments> hostileOwners() {
		return Stream.of(named("parent path", "../../etc"), named("absolute path", "/etc/passwd"),
				named("separator in artifactId", "org.example:a/../b"),
				named("separator in groupId", "org/example:a"), named("NUL", "org.example:a\u0000"),
				named("two colons", "org.example:a:b"), named("no groupId", ":a"), named("no artifactId", "org.example:"),
				named("fullwidth letter", "\uFF47:a"), named("Cyrillic a in global", "glob\u0430l"),
				named("fullwidth digit in a UUID", "00000000-0000-0000-0000-00000000000\uFF10"),
				named("UUID with a newline", "00000000-0000-0000-0000-000000000000\n"),
				named("UUID with a leading space", " 00000000-0000-0000-0000-000000000000"),
				named("short UUID form", "0-0-0-0-0"), named("37-character UUID", "00000000-0000-0000-0000-0000000000000"),
				named("one-dot leader in artifactId", "org.example:a\u2024b"),
				named("100,000 characters", "g".repeat(100_000)));
	}

	@ParameterizedTest
	@MethodSource("hostileOwners")
	void hostileOwnerTextIsRejectedQuotingIt(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> ScratchOwner.parse(text))
			.withMessageContaining("'" + MessageText.printable(text))
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(1000));
	}

	static Stream<Arguments> hostileCoordinates() {
		return Stream.of(named("separator", "a/b"), named("backslash", "a\\b"), named("absolute", "/etc"),
				named("parent then name", "../x"), named("colon", "a:b"), named("NUL", "a\u0000b"),
				named("newline", "a\n"), named("empty", ""), named("space", "a b"), named("Cyrillic a", "d\u0430ta"),
				named("fullwidth solidus", "a\uFF0Fb"), named("one-dot leader", "a\u2024b"),
				named("right-to-left override", "\u202Egpj.exe"), named("lone surrogate", "a\uD800"));
	}

	@ParameterizedTest
	@MethodSource("hostileCoordinates")
	void hostileCoordinatesAreRejectedNamingThem(String part) {
		assertThatIllegalArgumentException().isThrownBy(() -> ScratchOwner.of(part, "artifact"))
			.withMessageContaining("groupId '" + MessageText.printable(part));
		assertThatIllegalArgumentException().isThrownBy(() -> ScratchOwner.of("org.example", part))
			.withMessageContaining("artifactId '" + MessageText.printable(part));
	}

	@Test
	void pathsInTheLogsThatPointOutsideOrAreRelativeNeverCauseADeletion() throws Exception {
		Path live;
		try (ScratchSpaceManager manager = builder().build()) {
			live = manager.getScratch(OWNER, "live", OWNER.withProject(this.project));
		}
		Path untracked = Files.createDirectories(live.resolveSibling("untracked"));
		Path gone = this.temp.resolve("gone.jar");
		Path baitSpace = this.sentinel.resolve(OWNER.uuid().toString()).resolve(BAIT_KEY);
		List<String> hostile = List.of(baitSpace.toString(), this.sentinel.toString(),
				this.sentinel.resolve("precious.txt").toString(), live.getParent() + "/../../../sentinel",
				live.getParent() + "/../../../sentinel/" + OWNER.uuid() + "/" + BAIT_KEY, live.getParent() + "/./live",
				"scratchspaces/" + OWNER.uuid() + "/live", "../sentinel", "sentinel", "", "/");
		StringBuilder log = new StringBuilder();
		StringBuilder orphanage = new StringBuilder();
		for (String path : hostile) {
			log.append(entry(path, gone.toString())).append(entry(path, this.project.toString()));
			orphanage.append(TomlText.quote(path)).append(" = 1970-01-01T00:00:00Z\n");
		}
		append(usageLog(), log.toString());
		Files.writeString(this.depot.resolve("logs/orphaned.toml"), orphanage);

		GcReport report;
		try (ScratchSpaceManager collector = builder().build()) {
			report = collector.collectGarbage(NO_DELAY);
			assertThat(collector.spaces()).extracting(ScratchSpace::path).containsExactly(live);
		}
		assertThat(report.warnings()).isEmpty();
		assertThat(byPath(report)).containsOnlyKeys(live, untracked);
		assertThat(byPath(report).get(live).action()).isEqualTo(Action.KEPT);
		assertThat(byPath(report).get(untracked).action()).isEqualTo(Action.DELETED);
		assertThat(live).isDirectory();
	}

	@Test
	void giganticLinesAreSkippedWithShortWarningsAndTheOtherEntriesStillCount() throws Exception {
		Path before = use("before");
		String space = before.getParent().toString();
		try (var out = Files.newOutputStream(usageLog(), StandardOpenOption.APPEND)) {
			out.write(("[[\"" + space + "/gigantic\"]]\n").getBytes(StandardCharsets.UTF_8));
			byte[] junk = new byte[8 << 20];
			java.util.Arrays.fill(junk, (byte) 'a');
			out.write(junk);
			out.write('\n');
			String longPath = space + "/" + "k".repeat(256 << 10);
			out.write(entry(longPath, this.project.toString()).getBytes(StandardCharsets.UTF_8));
			out.write(("[[\"" + "q".repeat(1 << 20)).getBytes(StandardCharsets.UTF_8));
			out.write('\n');
		}
		Path after = use("after");
		Files.writeString(this.depot.resolve("logs/orphaned.toml"),
				"\"" + "o".repeat(1 << 20) + "\" = 2026-01-01T00:00:00Z\n" + "z".repeat(1 << 20) + "\n");

		assertCollectionSkipsTheDamageAndKeeps(before, after);
	}

	@Test
	void invalidUtf8IsSkippedWithWarningsAndTheOtherEntriesStillCount() throws Exception {
		Path before = use("before");
		String space = before.getParent().toString();
		ByteArrayOutputStream damage = new ByteArrayOutputStream();
		damage.writeBytes(("[[\"" + space + "/bad-comment\"]]\n# a comment with a bad byte \u00ff\n")
			.getBytes(StandardCharsets.ISO_8859_1));
		// An overlong encoding of '/', the classic way to smuggle a separator past a check.
		damage.writeBytes(("[[\"" + space + "/..").getBytes(StandardCharsets.UTF_8));
		damage.writeBytes(new byte[] { (byte) 0xC0, (byte) 0xAF });
		damage.writeBytes(("..\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"" + this.project + "\"]\n")
			.getBytes(StandardCharsets.UTF_8));
		// A truncated sequence, an encoded surrogate, and bytes that are never UTF-8.
		damage.writeBytes(("[[\"" + space + "/bad").getBytes(StandardCharsets.UTF_8));
		damage.writeBytes(new byte[] { (byte) 0xE2, (byte) 0x82, '-', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '-',
				(byte) 0xFE, (byte) 0xFF });
		damage.writeBytes(("\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"" + this.project + "\"]\n")
			.getBytes(StandardCharsets.UTF_8));
		Files.write(usageLog(), damage.toByteArray(), StandardOpenOption.APPEND);
		Path after = use("after");
		ByteArrayOutputStream orphans = new ByteArrayOutputStream();
		orphans.writeBytes(("\"" + space + "/x").getBytes(StandardCharsets.UTF_8));
		orphans.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xC0, (byte) 0xAF });
		orphans.writeBytes("\" = 2026-01-01T00:00:00Z\n".getBytes(StandardCharsets.UTF_8));
		Files.write(this.depot.resolve("logs/orphaned.toml"), orphans.toByteArray());

		assertCollectionSkipsTheDamageAndKeeps(before, after);
	}

	static Stream<Arguments> damagedLines() {
		return Stream.of(Arguments.of(Named.of("a comment with invalid UTF-8", "# caf\u00e9\n")),
				Arguments.of(Named.of("text that is no key", "garbage without a key\n")),
				Arguments.of(Named.of("a line of 2 MB", "a".repeat(2 << 20) + "\n")),
				Arguments.of(Named.of("NUL bytes", "\u0000\u0000\u0000\n")));
	}

	/**
	 * Damage right after a complete entry, where no write of an entry could have put it:
	 * it costs its own line, never the complete entry before it.
	 */
	@ParameterizedTest
	@MethodSource("damagedLines")
	void damagedLineAfterACompleteEntryCostsNotThatEntry(String damage) throws Exception {
		Path before = use("before");
		Files.write(usageLog(), damage.getBytes(StandardCharsets.ISO_8859_1), StandardOpenOption.APPEND);
		Path after = use("after");
		try (ScratchSpaceManager collector = builder().build()) {
			GcReport report = collector.collectGarbage(GcOptions.defaults());
			assertThat(report.warnings()).isNotEmpty();
			assertThat(byPath(report).get(before)).satisfies((decision) -> assertThat(decision.action())
				.as("%s (warnings %s)", decision.reason(), report.warnings())
				.isEqualTo(Action.KEPT));
			assertThat(byPath(report).get(after).action()).isEqualTo(Action.KEPT);
		}
	}

	@Test
	void duplicatedTablesAndKeysAreSkippedWithWarningsAndTheOtherEntriesStillCount() throws Exception {
		Path before = use("before");
		String quotedSpace = TomlText.quote(before.toString());
		String quotedProject = TomlText.quote(this.project.toString());
		append(usageLog(), "[" + quotedSpace + "]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [" + quotedProject
				+ "]\n" + "[[" + quotedSpace + "]]\ntime = 2026-11-25T10:15:30.123Z\ntime = 2026-11-25T10:15:31.123Z\n"
				+ "parent_projects = [" + quotedProject + "]\nparent_projects = [" + quotedProject + "]\n");
		Path after = use("after");
		Path orphan = Files.createDirectories(before.resolveSibling("orphan"));
		String quotedOrphan = TomlText.quote(orphan.toString());
		Files.writeString(this.depot.resolve("logs/orphaned.toml"), quotedOrphan + " = 2026-01-01T00:00:00Z\n"
				+ quotedOrphan + " = 2025-01-01T00:00:00Z\n[" + quotedOrphan + "]\n");

		assertCollectionSkipsTheDamageAndKeeps(before, after);
	}

	private void assertCollectionSkipsTheDamageAndKeeps(Path before, Path after) throws IOException {
		try (ScratchSpaceManager collector = builder().build()) {
			GcReport report = collector.collectGarbage(GcOptions.defaults());
			assertThat(report.warnings()).isNotEmpty()
				.allSatisfy((warning) -> assertThat(warning).hasSizeLessThan(2000));
			assertThat(byPath(report).get(before).action()).as("%s", report).isEqualTo(Action.KEPT);
			assertThat(byPath(report).get(after).action()).as("%s", report).isEqualTo(Action.KEPT);
			GcReport again = collector.collectGarbage(GcOptions.defaults());
			assertThat(again.warnings()).as("warnings of the next collection").isEmpty();
		}
		try (Stream<Path> logs = Files.list(this.depot.resolve("logs"))) {
			assertThat(logs.map((file) -> file.getFileName().toString()))
				.anyMatch((name) -> name.startsWith("scratch_usage.toml.damaged-"))
				.anyMatch((name) -> name.startsWith("orphaned.toml.damaged-"));
		}
	}

	@Test
	void spaceReplacedByALinkToOutsideIsRefusedAndOnlyTheLinkIsEverDeleted() throws Exception {
		Path linked = use("linked");
		Files.delete(linked);
		Files.createSymbolicLink(linked, this.sentinel);
		try (ScratchSpaceManager manager = builder().build()) {
			assertThatExceptionOfType(UncheckedIOException.class)
				.isThrownBy(() -> manager.getScratch(OWNER, "linked", OWNER.withProject(this.project)))
				.withMessageContaining(linked.toString())
				.withMessageContaining("symbolic link");
			assertThatExceptionOfType(UncheckedIOException.class)
				.isThrownBy(() -> manager.getOrPopulate(OWNER, "linked", (staging) -> {
					throw new AssertionError("populator ran for a linked space");
				}))
				.withMessageContaining(linked.toString());
			ScratchSpace listed = manager.spaces().get(0);
			assertThat(listed.path()).isEqualTo(linked);
			assertThat(listed.sizeBytes()).isZero();
			assertThat(listed.fileCount()).isZero();
		}
		try (ScratchSpaceManager collector = builder().build()) {
			GcReport live = collector.collectGarbage(NO_DELAY);
			assertThat(live.warnings()).isEmpty();
			assertThat(byPath(live).get(linked).action()).isEqualTo(Action.KEPT);
			Files.delete(this.project);
			GcReport orphaned = collector.collectGarbage(NO_DELAY);
			assertThat(byPath(orphaned).get(linked).action()).isEqualTo(Action.DELETED);
			assertThat(orphaned.bytesFreed()).isZero();
		}
		assertThat(linked).doesNotExist();
	}

	@Test
	void linksInsideASpaceAreRemovedByEveryDeletionWithoutFollowingThem() throws Exception {
		try (ScratchSpaceManager manager = builder().build()) {
			for (String key : List.of("collected", "deleted", "cleared")) {
				Path space = manager.getScratch(OWNER, key);
				Files.createDirectories(space.resolve("sub"));
				Files.createSymbolicLink(space.resolve("sub/to-sentinel"), this.sentinel);
				Files.createSymbolicLink(space.resolve("to-precious"), this.sentinel.resolve("precious.txt"));
				Files.createSymbolicLink(space.resolve("to-bait"),
						this.sentinel.resolve(OWNER.uuid().toString()).resolve(BAIT_KEY));
			}
			assertThat(manager.spaces()).allSatisfy((space) -> assertThat(space.sizeBytes()).isZero());
			manager.deleteScratch(OWNER, "deleted");
		}
		try (ScratchSpaceManager collector = builder().build()) {
			assertThat(collector.collectGarbage(NO_DELAY).deletedCount()).isEqualTo(2);
			collector.getScratch(OWNER, "cleared");
			Files.createSymbolicLink(collector.scratchPath(OWNER, "cleared").resolve("again"), this.sentinel);
			collector.clearScratchSpaces(OWNER);
			collector.clearScratchSpaces();
		}
		assertThat(this.depot.resolve("scratchspaces").resolve(OWNER.uuid().toString())).doesNotExist();
	}

	static Stream<Arguments> depotPartsReplacedByLinks() {
		return Stream.of(Arguments.of("scratchspaces", "."),
				Arguments.of("scratchspaces/" + OWNER.uuid(), OWNER.uuid().toString()),
				Arguments.of("staging", "."), Arguments.of("leases", "."), Arguments.of("logs", "."),
				Arguments.of("logs/scratch_usage.toml", "scratch_usage.toml"));
	}

	/**
	 * A part of the depot replaced by a link into the sentinel, whose look-alikes of spaces,
	 * staging directories, leases and logs are then within reach: every operation either
	 * works without following the link or fails naming a path, and the sentinel is untouched.
	 */
	@ParameterizedTest(name = "{0} -> sentinel/{1}")
	@MethodSource("depotPartsReplacedByLinks")
	void depotPartReplacedByALinkToOutsideIsNeverFollowed(String part, String target) throws Exception {
		use("existing");
		Path link = this.depot.resolve(part);
		DepotFiles.deleteRecursively(link);
		Files.createDirectories(link.getParent());
		Files.createSymbolicLink(link, this.sentinel.resolve(target).normalize());
		List<String> outcomes = new ArrayList<>();
		// A usage log that is a link is refused with a logged warning: keep the run quiet.
		java.util.logging.Logger stateLogger = java.util.logging.Logger.getLogger(ManagerState.class.getName());
		stateLogger.setUseParentHandlers(false);
		try (ScratchSpaceManager manager = builder().accessLogInterval(Duration.ZERO).build()) {
			ScratchOwner caller = OWNER.withProject(this.project);
			attempt(outcomes, "getScratch", () -> manager.getScratch(OWNER, "new", caller));
			attempt(outcomes, "getScratch of the bait", () -> manager.getScratch(OWNER, BAIT_KEY, caller));
			attempt(outcomes, "getOrPopulate", () -> manager.getOrPopulate(OWNER, "populated",
					(staging) -> Files.writeString(staging.resolve("file"), "x")));
			attempt(outcomes, "spaces", () -> manager.spaces().stream().map(ScratchSpace::path).toList());
			attempt(outcomes, "collectGarbage", () -> manager.collectGarbage(NO_DELAY).decisions());
			attempt(outcomes, "deleteScratch", () -> {
				manager.deleteScratch(OWNER, BAIT_KEY);
				return "done";
			});
			attempt(outcomes, "clearScratchSpaces of the owner", () -> {
				manager.clearScratchSpaces(OWNER);
				return "done";
			});
			attempt(outcomes, "clearScratchSpaces", () -> {
				manager.clearScratchSpaces();
				return "done";
			});
		}
		finally {
			stateLogger.setUseParentHandlers(true);
		}
		try (ScratchSpaceManager collector = builder().build()) {
			attempt(outcomes, "collectGarbage after close", () -> collector.collectGarbage(NO_DELAY).decisions());
		}
		assertThat(outcomes).as("outcomes")
			.allSatisfy((outcome) -> assertThat(outcome).doesNotContain(" threw ").doesNotContain(" outside the depot"));
		assertThat(DirectorySnapshot.of(this.sentinel)).as("the sentinel after: %s", outcomes)
			.isEqualTo(this.sentinelBefore);
	}

	/**
	 * Runs an operation that may fail, but only with an UncheckedIOException naming a depot
	 * path, and that may return paths, but only paths that really lead into the depot.
	 */
	private void attempt(List<String> outcomes, String operation, java.util.concurrent.Callable<?> action) {
		try {
			Object result = action.call();
			List<?> results = (result instanceof List<?> list) ? list : List.of(result);
			for (Object each : results) {
				Path path = (each instanceof GcDecision decision) ? decision.path()
						: (each instanceof Path plain) ? plain : null;
				if (path != null && Files.exists(path)
						&& !path.toRealPath().startsWith(this.depot.toRealPath())) {
					outcomes.add(operation + " returned " + path + ", which leads outside the depot, to "
							+ path.toRealPath());
					return;
				}
			}
			outcomes.add(operation + " returned " + result);
		}
		catch (UncheckedIOException ex) {
			boolean namesAPath = ex.getMessage().contains(this.depot.toString());
			outcomes.add(operation + (namesAPath ? " failed: " : " threw without naming a depot path: ")
					+ ex.getMessage());
		}
		catch (Exception ex) {
			outcomes.add(operation + " threw " + ex);
		}
	}

	@Test
	void depotUnderARegularFileFailsEveryWriteNamingThePath() throws Exception {
		Path file = Files.writeString(this.temp.resolve("a-file"), "keep me");
		assertEveryWriteFailsNamingThePath(file.resolve("depot"));
		assertThat(file).hasContent("keep me");
	}

	@Test
	void depotThatIsARegularFileFailsEveryWriteNamingThePath() throws Exception {
		Path file = Files.writeString(this.temp.resolve("depot-file"), "keep me");
		assertEveryWriteFailsNamingThePath(file);
		assertThat(file).hasContent("keep me");
	}

	private void assertEveryWriteFailsNamingThePath(Path depot) {
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			ScratchOwner caller = OWNER.withProject(this.project);
			List<Runnable> writes = List.of(() -> manager.getScratch(OWNER, "x", caller),
					() -> manager.getOrPopulate(OWNER, "x", (staging) -> {
						throw new AssertionError("populator ran without a depot");
					}), () -> manager.collectGarbage(NO_DELAY), () -> manager.clearScratchSpaces(),
					() -> manager.deleteScratch(OWNER, "x"));
			for (Runnable write : writes) {
				assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(write::run)
					.withMessageContaining(depot.toString());
			}
			assertThat(manager.spaces()).isEmpty();
		}
	}

	/**
	 * A depot on a read-only mount: as root, permissions do not stop writes, so the child
	 * runs in its own user and mount namespace (no privileges needed) where the depot is
	 * bind-mounted read-only. An existing space is returned, unleased and unrecorded, with
	 * one warning; every write fails naming the path, a new space saying the depot is
	 * read-only; listing works; nothing in the depot changes.
	 */
	@Test
	void depotOnAReadOnlyMountServesExistingSpacesAndFailsEveryWriteNamingThePath() throws Exception {
		Assumptions.assumeTrue(namespacesWork(), "unprivileged user and mount namespaces (unshare -Urm) are not "
				+ "available here, so no read-only mount can be made without privileges");
		Path existing = use("existing");
		Files.writeString(existing.resolve("data"), "populated");
		Map<String, String> depotBefore = DirectorySnapshot.of(this.depot);
		List<String> prefix = List.of("unshare", "-Urm", "sh", "-c",
				"mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" && exec \"$@\"", this.depot.toString());
		List<String> lines;
		Path work = this.temp.resolve("read-only");
		try (WatchedChild child = WatchedChild.start(work, prefix, List.of(), "read-only",
				this.depot.toString(), "org.example:hostile", "existing", "new")) {
			child.awaitSuccess();
			lines = child.lines();
		}
		Map<String, String> outcomes = lines.stream()
			.filter((line) -> line.contains(" "))
			.collect(Collectors.toMap((line) -> line.substring(0, line.indexOf(' ')),
					(line) -> line.substring(line.indexOf(' ') + 1), (a, b) -> a + " | " + b));
		assertThat(outcomes).as("outcomes").containsEntry("writable", "ok false").doesNotContainKey("populator");
		assertThat(outcomes).containsEntry("getScratch-existing", "ok " + existing)
			.containsEntry("getScratch-existing-again", "ok " + existing)
			.containsEntry("getOrPopulate-existing", "ok " + existing);
		for (String write : List.of("getScratch-new", "getOrPopulate-new")) {
			assertThat(outcomes.get(write)).as(write)
				.startsWith("failed java.io.UncheckedIOException")
				.contains(this.depot.toString())
				.contains("is read-only");
		}
		for (String write : List.of("collectGarbage", "deleteScratch")) {
			assertThat(outcomes.get(write)).as(write)
				.startsWith("failed java.io.UncheckedIOException")
				.contains(this.depot.toString());
		}
		assertThat(outcomes.get("spaces")).isEqualTo("ok 1");
		String stderr = Files.readString(work.resolve("stderr.log"));
		assertThat(stderr.split("is read-only", -1)).as("one warning in\n%s", stderr).hasSize(2);
		assertThat(DirectorySnapshot.of(this.depot)).isEqualTo(depotBefore);
	}

	private static boolean namespacesWork() {
		try {
			Process probe = new ProcessBuilder("unshare", "-Urm", "true").redirectErrorStream(true).start();
			probe.getInputStream().readAllBytes();
			return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private ScratchSpaceManager.Builder builder() {
		return ScratchSpaceManager.builder().depot(this.depot);
	}

	/** A tracked space whose manager is closed, so only its usage-log entry keeps it. */
	private Path use(String key) {
		try (ScratchSpaceManager manager = builder().build()) {
			return manager.getScratch(OWNER, key, OWNER.withProject(this.project));
		}
	}

	private Path usageLog() {
		return this.depot.resolve("logs/scratch_usage.toml");
	}

	private static String entry(String path, String project) {
		return "[[" + TomlText.quote(path) + "]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = ["
				+ TomlText.quote(project) + "]\n";
	}

	private static void append(Path file, String text) throws IOException {
		Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
	}

	private static Map<Path, GcDecision> byPath(GcReport report) {
		return report.decisions().stream().collect(Collectors.toMap(GcDecision::path, Function.identity()));
	}

}
