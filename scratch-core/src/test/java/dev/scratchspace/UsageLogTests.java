package dev.scratchspace;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

import dev.scratchspace.UsageLog.Usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link UsageLog}.
 */
class UsageLogTests {

	private static final String SPACE = "/home/me/.cache/jvm-scratch/scratchspaces/5a4f8c2e-7b1d-5e3f-9c0a-1d2e3f4a5b6c/index";

	private static final String OTHER_SPACE = "/home/me/.cache/jvm-scratch/scratchspaces/00000000-0000-0000-0000-000000000000/tmp";

	private static final String APP = "/opt/app/app.jar";

	private static final String LIBRARY = "/home/me/project/pom.xml";

	private static final Instant TIME = Instant.parse("2026-11-25T10:15:30.123Z");

	@TempDir
	Path dir;

	@Test
	void formattedEntryIsScratchJlsThreeLines() {
		byte[] entry = UsageLog.formatEntry(SPACE, TIME, List.of(APP));
		assertThat(new String(entry, StandardCharsets.UTF_8)).isEqualTo("[[\"" + SPACE + "\"]]\n"
				+ "time = 2026-11-25T10:15:30.123Z\n" + "parent_projects = [\"/opt/app/app.jar\"]\n");
	}

	@Test
	void formattedEntryWritesUtcWithExactlyThreeFractionalDigits() {
		assertThat(timeLine(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("time = 2026-01-02T03:04:05.000Z");
		assertThat(timeLine(Instant.parse("2026-01-02T03:04:05.1Z"))).isEqualTo("time = 2026-01-02T03:04:05.100Z");
		assertThat(timeLine(Instant.parse("2026-01-02T03:04:05.123999999Z")))
			.isEqualTo("time = 2026-01-02T03:04:05.123Z");
		assertThat(timeLine(OffsetDateTime.parse("2026-01-02T03:04:05.5+02:00").toInstant()))
			.isEqualTo("time = 2026-01-02T01:04:05.500Z");
	}

	@Test
	void formattedEntrySeparatesParentsWithCommaAndSpace() {
		assertThat(text(UsageLog.formatEntry(SPACE, TIME, List.of(APP, LIBRARY))))
			.endsWith("parent_projects = [\"/opt/app/app.jar\", \"/home/me/project/pom.xml\"]\n");
		assertThat(text(UsageLog.formatEntry(SPACE, TIME, List.of()))).endsWith("parent_projects = []\n");
	}

	@Test
	void formattedEntryRejectsATimeTomlCannotHold() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UsageLog.formatEntry(SPACE, Instant.parse("+10000-01-01T00:00:00Z"), List.of(APP)))
			.withMessageContaining("+10000-01-01T00:00:00Z");
	}

	@Test
	void formattedEntryReadsBack() throws IOException {
		Instant fine = Instant.parse("2026-11-25T10:15:30.123456789Z");
		UsageLog log = read(UsageLog.formatEntry(SPACE, fine, List.of(APP, LIBRARY)));
		assertThat(log.entryCount()).isOne();
		assertThat(log.damaged()).isFalse();
		assertThat(log.warnings()).isEmpty();
		assertThat(log.spaces()).containsOnlyKeys(SPACE);
		assertThat(log.spaces().get(SPACE).newest()).isEqualTo(Instant.parse("2026-11-25T10:15:30.123Z"));
		assertThat(log.spaces().get(SPACE).parentProjects()).containsExactly(APP, LIBRARY);
	}

	@Test
	void formattedEntryParsesWithTomljToTheSameValues() {
		TomlParseResult toml = Toml.parse(text(UsageLog.formatEntry(SPACE, TIME, List.of(APP, LIBRARY))));
		assertThat(toml.errors()).isEmpty();
		assertThat(toml.keySet()).containsExactly(SPACE);
		TomlArray entries = toml.getArray(List.of(SPACE));
		assertThat(entries.size()).isOne();
		assertTomljEntry(entries.getTable(0), TIME, List.of(APP, LIBRARY));
	}

	@Test
	void condensedLogParsesWithTomljToTheSameValues() {
		Map<String, Usage> spaces = new LinkedHashMap<>();
		spaces.put(SPACE, new Usage(TIME, Set.of(APP)));
		spaces.put(OTHER_SPACE, new Usage(TIME.plusSeconds(60), new LinkedHashSet<>(List.of(LIBRARY, APP))));
		TomlParseResult toml = Toml.parse(text(UsageLog.format(spaces)));
		assertThat(toml.errors()).isEmpty();
		assertThat(toml.keySet()).containsExactlyInAnyOrder(SPACE, OTHER_SPACE);
		assertTomljEntry(toml.getArray(List.of(SPACE)).getTable(0), TIME, List.of(APP));
		assertTomljEntry(toml.getArray(List.of(OTHER_SPACE)).getTable(0), TIME.plusSeconds(60), List.of(LIBRARY, APP));
	}

	@Test
	void condensedLogIsOneFormattedEntryPerSpaceInMapOrder() {
		Map<String, Usage> spaces = new LinkedHashMap<>();
		spaces.put(OTHER_SPACE, new Usage(TIME, Set.of(APP)));
		spaces.put(SPACE, new Usage(TIME, Set.of(LIBRARY)));
		assertThat(text(UsageLog.format(spaces))).isEqualTo(text(UsageLog.formatEntry(OTHER_SPACE, TIME, List.of(APP)))
				+ text(UsageLog.formatEntry(SPACE, TIME, List.of(LIBRARY))));
	}

	@Test
	void condensedLogReadsBackAsTheSameSpaces() throws IOException {
		Map<String, Usage> spaces = new LinkedHashMap<>();
		spaces.put(SPACE, new Usage(TIME, new LinkedHashSet<>(List.of(LIBRARY, APP))));
		spaces.put(OTHER_SPACE, new Usage(TIME.minusSeconds(3600), Set.of(APP)));
		UsageLog log = read(UsageLog.format(spaces));
		assertThat(log.spaces()).isEqualTo(spaces);
		assertThat(log.spaces().keySet()).containsExactly(SPACE, OTHER_SPACE);
		assertThat(log.spaces().get(SPACE).parentProjects()).containsExactly(LIBRARY, APP);
		assertThat(log.entryCount()).isEqualTo(2);
	}

	@Test
	void pathsWithSpecialCharactersRoundTripAndTomljAgrees() throws IOException {
		List<String> paths = List.of("/d/quote\"d", "/d/back\\slash", "/d/new\nline", "/d/tab\there", "/d/cr\rlf",
				"/d/ünïcödé/日本語", "/d/emoji-😀", "/d/literal-\\u0041-not-an-escape", "/d/nul\0bell\u0007esc\u001b",
				"/d/del\u007f-c1\u0085", "/d/'single'", "/d/#not-a-comment", "/d/]]not-the-end", "");
		List<byte[]> entries = new ArrayList<>();
		for (String path : paths) {
			byte[] entry = UsageLog.formatEntry(path, TIME, List.of(path + "/pom.xml"));
			TomlParseResult toml = Toml.parse(text(entry));
			assertThat(toml.errors()).as(path).isEmpty();
			assertThat(toml.keySet()).as(path).containsExactly(path);
			assertTomljEntry(toml.getArray(List.of(path)).getTable(0), TIME, List.of(path + "/pom.xml"));
			entries.add(entry);
		}
		UsageLog log = read(concat(entries));
		assertThat(log.warnings()).isEmpty();
		assertThat(log.spaces().keySet()).containsExactlyElementsOf(paths);
		paths.forEach((path) -> assertThat(log.spaces().get(path).parentProjects()).containsExactly(path + "/pom.xml"));
	}

	@Test
	void unicodeEscapesInPathsAreDecoded() throws IOException {
		UsageLog log = read("""
				[["/d/caf\\u00e9/\\U0001F600/\\u000a"]]
				time = 2026-11-25T10:15:30.123Z
				parent_projects = ["/p/\\u0041pp.jar"]
				""");
		assertThat(log.warnings()).isEmpty();
		assertThat(log.spaces()).containsOnlyKeys("/d/café/😀/\n");
		assertThat(log.spaces().get("/d/café/😀/\n").parentProjects()).containsExactly("/p/App.jar");
	}

	@Test
	void readsEntriesAsScratchJlAppendsThem() throws IOException {
		// track_scratch_access: string(now()) * "Z", where Julia prints no fraction when the
		// milliseconds are zero and older Julia versions print ".1" for 100 ms.
		UsageLog log = read("""
				[["/home/me/.julia/scratchspaces/a/k1"]]
				time = 2020-05-28T13:46:34.123Z
				parent_projects = ["/home/me/.julia/environments/v1.5/Project.toml"]
				[["/home/me/.julia/scratchspaces/a/k2"]]
				time = 2020-05-28T13:46:34Z
				parent_projects = ["/home/me/.julia/environments/v1.5/Project.toml"]
				[["/home/me/.julia/scratchspaces/a/k3"]]
				time = 2020-05-28T13:46:34.1Z
				parent_projects = ["/home/me/.julia/environments/v1.5/Project.toml"]
				""");
		assertThat(log.warnings()).isEmpty();
		assertThat(log.entryCount()).isEqualTo(3);
		assertThat(newest(log, "/home/me/.julia/scratchspaces/a/k1")).isEqualTo("2020-05-28T13:46:34.123Z");
		assertThat(newest(log, "/home/me/.julia/scratchspaces/a/k2")).isEqualTo("2020-05-28T13:46:34Z");
		assertThat(newest(log, "/home/me/.julia/scratchspaces/a/k3")).isEqualTo("2020-05-28T13:46:34.100Z");
	}

	@Test
	void readsLocalDateTimesWithoutOffsetAsUtc() throws IOException {
		UsageLog log = read("""
				[["/j/scratchspaces/a/k"]]
				time = 2020-05-28T13:46:34.123
				parent_projects = ["/j/Project.toml"]
				[["/j/scratchspaces/a/l"]]
				time = 2020-05-28T13:46:34
				parent_projects = ["/j/Project.toml"]
				""");
		assertThat(log.warnings()).isEmpty();
		assertThat(newest(log, "/j/scratchspaces/a/k")).isEqualTo("2020-05-28T13:46:34.123Z");
		assertThat(newest(log, "/j/scratchspaces/a/l")).isEqualTo("2020-05-28T13:46:34Z");
	}

	@Test
	void readsTheCondensedLogPkgGcWrites() throws IOException {
		// TOML.print(io, usage, sorted=true): keys sorted, a blank line between tables.
		UsageLog log = read("""
				[["/j/scratchspaces/a/k"]]
				parent_projects = ["/j/env/Project.toml", "/j/dev/Foo/Project.toml"]
				time = 2020-05-28T13:46:34.123Z

				[["/j/scratchspaces/b/k"]]
				parent_projects = ["/j/env/Project.toml"]
				time = 2020-06-01T00:00:00.000Z
				""");
		assertThat(log.warnings()).isEmpty();
		assertThat(log.spaces().get("/j/scratchspaces/a/k").parentProjects())
			.containsExactly("/j/env/Project.toml", "/j/dev/Foo/Project.toml");
		assertThat(newest(log, "/j/scratchspaces/b/k")).isEqualTo("2020-06-01T00:00:00Z");
	}

	@Test
	void readsTheEscapesJuliasEscapeStringWrites() throws IOException {
		UsageLog log = read("""
				[["/j/\\e\\a\\v\\0\\x01\\u85/k"]]
				time = 2020-05-28T13:46:34.123Z
				parent_projects = ["/j/\\x7f/Project.toml"]
				""");
		assertThat(log.warnings()).isEmpty();
		assertThat(log.spaces()).containsOnlyKeys("/j/\u001b\u0007\u000b\0\u0001\u0085/k");
		assertThat(log.spaces().get("/j/\u001b\u0007\u000b\0\u0001\u0085/k").parentProjects())
			.containsExactly("/j/\u007f/Project.toml");
	}

	@Test
	void readsOffsetsSeparatorsAndAnyFractionalPrecision() throws IOException {
		UsageLog log = read("""
				[["/s/a"]]
				time = 2026-11-25T12:15:30+02:00
				parent_projects = ["/p"]
				[["/s/b"]]
				time = 2026-11-25 04:45:30.5-05:30
				parent_projects = ["/p"]
				[["/s/c"]]
				time = 2026-11-25t10:15:30.123456789123z
				parent_projects = ["/p"]
				[["/s/d"]]
				time = 2024-02-29T23:59:59.9Z
				parent_projects = ["/p"]
				""");
		assertThat(log.warnings()).isEmpty();
		assertThat(newest(log, "/s/a")).isEqualTo("2026-11-25T10:15:30Z");
		assertThat(newest(log, "/s/b")).isEqualTo("2026-11-25T10:15:30.500Z");
		assertThat(newest(log, "/s/c")).isEqualTo("2026-11-25T10:15:30.123456789Z");
		assertThat(newest(log, "/s/d")).isEqualTo("2024-02-29T23:59:59.900Z");
	}

	@Test
	void readsCommentsBlankLinesAndCrlf() throws IOException {
		UsageLog log = read("# usage log\r\n\r\n[[\"/s/a\"]]  # the space\r\n  time = 2026-11-25T10:15:30.123Z # when\r\n"
				+ "\tparent_projects = [ \"/p\" ] # who\r\n\r\n# end\r\n");
		assertThat(log.warnings()).isEmpty();
		assertThat(log.spaces()).containsOnlyKeys("/s/a");
		assertThat(log.spaces().get("/s/a").parentProjects()).containsExactly("/p");
	}

	@Test
	void readsMultiLineArraysWithCommentsAndTrailingCommas() throws IOException {
		UsageLog log = read("""
				[["/s/a"]]
				parent_projects = [
				    "/p/one", # first
				    # a comment line
				    '/p/two'
				    ,
				    "/p/three",
				]
				time = 2026-11-25T10:15:30.123Z
				[["/s/b"]]
				time = 2026-11-25T10:15:30.123Z
				parent_projects = [
				]
				""");
		assertThat(log.warnings()).isEmpty();
		assertThat(log.spaces().get("/s/a").parentProjects()).containsExactly("/p/one", "/p/two", "/p/three");
		assertThat(log.spaces().get("/s/b").parentProjects()).isEmpty();
	}

	@Test
	void readsLiteralStrings() throws IOException {
		UsageLog log = read("""
				[['C:\\Users\\me\\scratchspaces\\a\\k']]
				time = 2026-11-25T10:15:30.123Z
				parent_projects = ['C:\\app\\"x".jar']
				""");
		assertThat(log.warnings()).isEmpty();
		assertThat(log.spaces()).containsOnlyKeys("C:\\Users\\me\\scratchspaces\\a\\k");
		assertThat(log.spaces().get("C:\\Users\\me\\scratchspaces\\a\\k").parentProjects())
			.containsExactly("C:\\app\\\"x\".jar");
	}

	@Test
	void otherValidTomlInAnEntryIsReadThroughTomlj() throws IOException {
		UsageLog log = read("""
				[["/s/extra-key"]]
				time = 2026-11-25T10:15:30.123Z
				comment = "written by a newer version"
				parent_projects = ["/p"]
				[["/s/quoted-keys"]]
				"time" = 2026-11-25T10:15:30.123Z
				'parent_projects' = ["/p"]
				[["/s/multi-line-string"]]
				time = 2026-11-25T10:15:30.123Z
				parent_projects = [\"\"\"/p/long\"\"\"]
				[["/s/fast"]]
				time = 2026-11-25T10:15:30.123Z
				parent_projects = ["/p"]
				""");
		assertThat(log.warnings()).isEmpty();
		assertThat(log.entryCount()).isEqualTo(4);
		assertThat(log.spaces().keySet()).containsExactly("/s/extra-key", "/s/quoted-keys", "/s/multi-line-string",
				"/s/fast");
		assertThat(log.spaces().get("/s/multi-line-string").parentProjects()).containsExactly("/p/long");
		assertThat(newest(log, "/s/quoted-keys")).isEqualTo("2026-11-25T10:15:30.123Z");
	}

	@Test
	void longRunsOfBlankAndCommentLinesInAnEntryReadThroughTomljStillRead() throws IOException {
		// Blank and comment lines that fill the reader's buffer, in an entry the fast path
		// leaves to tomlj: without their removal tomlj would take hours over them.
		UsageLog log = read("[[\"/s/extra-key\"]]\ncomment = \"newer\"\n" + "\n".repeat(300_000)
				+ "# a comment\n".repeat(50_000) + "time = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p\"]\n"
				+ "[[\"/s/bad\"]]\ncomment = \"newer\"\n" + "\n".repeat(1000) + "time = 2026-11-25T10:15:30.123Z\n"
				+ "time = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p\"]\n");
		assertThat(log.spaces()).containsOnlyKeys("/s/extra-key");
		assertThat(log.spaces().get("/s/extra-key").parentProjects()).containsExactly("/p");
		assertThat(log.warnings()).singleElement().asString().isEqualTo(
				"scratch_usage.toml line 351008: skipped the entry for \"/s/bad\": time previously defined at line 351007, column 1");
	}

	@Test
	void anEntryOfMoreLinesThanTomljIsGivenIsSkipped() throws IOException {
		UsageLog log = read("[[\"/s/long\"]]\n" + "extra = 1\n".repeat(TomljFallback.MAX_LINES)
				+ "time = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p\"]\n"
				+ "[[\"/s/fast\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p\"]\n");
		assertThat(log.spaces()).containsOnlyKeys("/s/fast");
		assertThat(log.warnings()).containsExactly("scratch_usage.toml line " + (TomljFallback.MAX_LINES + 2)
				+ ": skipped the entry for \"/s/long\": more than " + TomljFallback.MAX_LINES
				+ " lines that are not blank or comments");
	}

	@Test
	void repeatedHeadersAggregateTheNewestTimeAndTheUnionOfParents() throws IOException {
		UsageLog log = read(concat(List.of(
				UsageLog.formatEntry(SPACE, TIME, List.of(APP)),
				UsageLog.formatEntry(OTHER_SPACE, TIME, List.of(APP)),
				UsageLog.formatEntry(SPACE, TIME.plusSeconds(10), List.of(LIBRARY)),
				UsageLog.formatEntry(SPACE, TIME.minusSeconds(10), List.of(APP, "/third")))));
		assertThat(log.entryCount()).isEqualTo(4);
		assertThat(log.spaces().keySet()).containsExactly(SPACE, OTHER_SPACE);
		assertThat(log.spaces().get(SPACE).newest()).isEqualTo(TIME.plusSeconds(10));
		assertThat(log.spaces().get(SPACE).parentProjects()).containsExactly(APP, LIBRARY, "/third");
		assertThat(log.spaces().get(OTHER_SPACE).newest()).isEqualTo(TIME);
	}

	@Test
	void differentSpellingsOfOnePathAggregateAsOneSpace() throws IOException {
		UsageLog log = read("""
				[["/d/caf\\u00e9"]]
				time = 2026-11-25T10:15:30.123Z
				parent_projects = ["/p/one"]
				[["/d/café"]]
				time = 2026-11-25T10:15:31.123Z
				parent_projects = ['/p/two']
				[['/d/café']]
				time = 2026-11-25T10:15:29.123Z
				parent_projects = ["/p/\\u006fne"]
				""");
		assertThat(log.warnings()).isEmpty();
		assertThat(log.entryCount()).isEqualTo(3);
		assertThat(log.spaces()).containsOnlyKeys("/d/café");
		assertThat(newest(log, "/d/café")).isEqualTo("2026-11-25T10:15:31.123Z");
		assertThat(log.spaces().get("/d/café").parentProjects()).containsExactly("/p/one", "/p/two");
	}

	@Test
	void randomLogsAggregateAsTheirEntriesSayWhateverTheSpelling() throws IOException {
		// Many spaces and a few projects, each spelled in any of several equivalent ways.
		String[] names = { "a", "b/c", "caf\u00e9", "\u65e5\u672c", "x y", "q\"uote", "back\\slash", "\ud83e\udd80" };
		for (int round = 0; round < 20; round++) {
			java.util.Random random = new java.util.Random(round);
			List<String> spaces = new ArrayList<>();
			for (int i = 0; i < 2_000; i++) {
				spaces.add("/d/scratchspaces/" + names[random.nextInt(names.length)] + "/" + random.nextInt(5_000));
			}
			List<String> projects = List.of("/p/one", "/p/caf\u00e9/pom.xml", "/p/\u65e5/app.jar", "/p/two words");
			Map<String, Instant> newest = new LinkedHashMap<>();
			Map<String, Set<String>> parents = new LinkedHashMap<>();
			StringBuilder log = new StringBuilder();
			for (int n = 0; n < 5_000; n++) {
				String space = spaces.get(random.nextInt(spaces.size()));
				Instant time = TIME.plusMillis(random.nextInt(1_000_000_000));
				List<String> named = new ArrayList<>();
				for (int k = random.nextInt(3) + 1; k > 0; k--) {
					named.add(projects.get(random.nextInt(projects.size())));
				}
				log.append("[[").append(spell(space, random)).append("]]\n");
				log.append("time = ").append(time).append('\n');
				log.append("parent_projects = [");
				for (int k = 0; k < named.size(); k++) {
					log.append((k > 0) ? ", " : "").append(spell(named.get(k), random));
				}
				log.append("]\n");
				newest.merge(space, time, (a, b) -> a.isAfter(b) ? a : b);
				parents.computeIfAbsent(space, (key) -> new LinkedHashSet<>()).addAll(named);
			}
			UsageLog read = read(log.toString());
			assertThat(read.warnings()).isEmpty();
			assertThat(read.entryCount()).isEqualTo(5_000);
			assertThat(read.spaces().keySet()).containsExactlyElementsOf(newest.keySet());
			for (Map.Entry<String, Usage> each : read.spaces().entrySet()) {
				assertThat(each.getValue().newest()).isEqualTo(newest.get(each.getKey()));
				assertThat(each.getValue().parentProjects()).containsExactlyElementsOf(parents.get(each.getKey()));
			}
		}
	}

	/** A TOML string for {@code s}: basic, literal where it can be, or with characters escaped. */
	private static String spell(String s, java.util.Random random) {
		int how = random.nextInt(3);
		if (how == 1 && s.indexOf('\'') < 0) {
			return "'" + s + "'";
		}
		if (how == 2) {
			StringBuilder out = new StringBuilder("\"");
			s.codePoints().forEach((cp) -> {
				if (cp == '"' || cp == '\\' || (cp > 0x7f && random.nextBoolean()) || random.nextInt(10) == 0) {
					out.append((cp > 0xffff) ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp));
				}
				else {
					out.appendCodePoint(cp);
				}
			});
			return out.append('"').toString();
		}
		return TomlText.quote(s);
	}

	@Test
	void pathsAreKeptExactlyAsWritten() throws IOException {
		UsageLog log = read(concat(List.of(UsageLog.formatEntry("/d/./a/../b/", TIME, List.of("relative/pom.xml")),
				UsageLog.formatEntry("/d/b", TIME, List.of(APP)))));
		assertThat(log.spaces().keySet()).containsExactly("/d/./a/../b/", "/d/b");
		assertThat(log.spaces().get("/d/./a/../b/").parentProjects()).containsExactly("relative/pom.xml");
	}

	@Test
	void tornLastLineIsSkippedWithAWarning() throws IOException {
		String good = text(UsageLog.formatEntry(SPACE, TIME, List.of(APP)));
		Map<String, String> torn = new LinkedHashMap<>();
		torn.put("[[\"/s/torn", "line 4: skipped an entry: string is not closed on its line");
		torn.put("[[\"/s/torn\"]]\ntime = 2026-11-25T10:1", "line 5: skipped the entry for \"/s/torn\": 'time' is not a valid");
		torn.put("[[\"/s/torn\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p",
				"line 6: skipped the entry for \"/s/torn\": string is not closed on its line");
		torn.put("[[\"/s/torn\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p\"",
				"line 6: skipped the entry for \"/s/torn\": the 'parent_projects' array is not closed");
		torn.put("[[\"/s/torn\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_pro", "line 6: skipped the entry for \"/s/torn\": ");
		torn.forEach((tail, warning) -> {
			UsageLog log = read(good + tail);
			assertThat(log.spaces()).as(tail).containsOnlyKeys(SPACE);
			assertThat(log.entryCount()).as(tail).isOne();
			assertThat(log.malformedCount()).as(tail).isOne();
			assertThat(log.damaged()).as(tail).isTrue();
			assertThat(log.warnings()).as(tail).singleElement(STRING).startsWith("scratch_usage.toml " + warning);
		});
	}

	@Test
	void completeLastLineWithoutALineBreakIsRead() throws IOException {
		String entry = text(UsageLog.formatEntry(SPACE, TIME, List.of(APP)));
		UsageLog log = read(entry.substring(0, entry.length() - 1));
		assertThat(log.damaged()).isFalse();
		assertThat(log.spaces()).containsOnlyKeys(SPACE);
	}

	@Test
	void badDatesAreSkippedWithAWarningNamingTheLine() throws IOException {
		List<String> bad = List.of("2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-25T24:00:00Z",
				"2026-11-25T10:60:00Z", "2026-11-25T10:15:60Z", "2026-11-25", "2026-11-25T10:15:30.Z",
				"2026-11-25T10:15:30+25:00", "26-11-25T10:15:30Z", "\"2026-11-25T10:15:30Z\"", "1764065730",
				"2026-11-25T10:15:30Zjunk", "now");
		for (String date : bad) {
			UsageLog log = read("[[\"/s/bad\"]]\ntime = " + date + "\nparent_projects = [\"/p\"]\n"
					+ text(UsageLog.formatEntry(SPACE, TIME, List.of(APP))));
			assertThat(log.spaces()).as(date).containsOnlyKeys(SPACE);
			assertThat(log.malformedCount()).as(date).isOne();
			assertThat(log.warnings()).as(date).singleElement(STRING)
				.startsWith("scratch_usage.toml line 2: skipped the entry for \"/s/bad\": ")
				.containsIgnoringCase("time");
		}
	}

	@Test
	void entryWithoutTimeIsSkipped() throws IOException {
		UsageLog log = read("[[\"/s/bad\"]]\nparent_projects = [\"/p\"]\n" + text(UsageLog.formatEntry(SPACE, TIME, List.of(APP))));
		assertOneSkipped(log, "line 1: skipped the entry for \"/s/bad\": the entry has no 'time'");
	}

	@Test
	void entryWithoutParentProjectsIsSkipped() throws IOException {
		UsageLog log = read("[[\"/s/bad\"]]\ntime = 2026-11-25T10:15:30.123Z\n\n" + text(UsageLog.formatEntry(SPACE, TIME, List.of(APP))));
		assertOneSkipped(log, "line 1: skipped the entry for \"/s/bad\": the entry has no 'parent_projects'");
	}

	@Test
	void parentProjectsThatIsNotAnArrayIsSkipped() throws IOException {
		UsageLog log = read("[[\"/s/bad\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = \"/p\"\n"
				+ text(UsageLog.formatEntry(SPACE, TIME, List.of(APP))));
		assertOneSkipped(log, "line 3: skipped the entry for \"/s/bad\": 'parent_projects' is not an array: \"\\\"/p\\\"\"");
	}

	@Test
	void parentProjectsWithElementsThatAreNotStringsIsSkipped() throws IOException {
		for (String array : List.of("[1]", "[\"/p\", 2]", "[[\"/p\"]]", "[{ path = \"/p\" }]", "[true]",
				"[\"/p\" \"/q\"]", "[,]", "[\"/p\",,]")) {
			UsageLog log = read("[[\"/s/bad\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = " + array + "\n"
					+ text(UsageLog.formatEntry(SPACE, TIME, List.of(APP))));
			assertThat(log.spaces()).as(array).containsOnlyKeys(SPACE);
			assertThat(log.malformedCount()).as(array).isOne();
			assertThat(log.warnings()).as(array).singleElement(STRING)
				.startsWith("scratch_usage.toml line 3: skipped the entry for \"/s/bad\": ")
				.contains("parent_projects");
		}
	}

	@Test
	void keyGivenTwiceInOneEntryMakesItMalformed() throws IOException {
		UsageLog log = read("""
				[["/s/bad"]]
				time = 2026-11-25T10:15:30.123Z
				parent_projects = ["/p"]
				time = 2026-11-25T10:15:31.123Z
				[["/s/good"]]
				time = 2026-11-25T10:15:30.123Z
				parent_projects = ["/p"]
				""");
		assertThat(log.spaces()).containsOnlyKeys("/s/good");
		assertThat(log.warnings()).containsExactly(
				"scratch_usage.toml line 4: skipped the entry for \"/s/bad\": 'time' is given twice");
	}

	@Test
	void binaryGarbageInTheMiddleLosesNoFollowingEntry() throws IOException {
		byte[] garbage = new byte[4096];
		new java.util.Random(42).nextBytes(garbage);
		for (int i = 0; i < garbage.length; i++) {
			if (garbage[i] == '\n' && i % 7 == 0) {
				garbage[i] = '[';
			}
		}
		List<byte[]> parts = new ArrayList<>();
		parts.add(UsageLog.formatEntry(SPACE, TIME, List.of(APP)));
		parts.add("[[\"/s/damaged\"]]\ntime = 2026-11-25T10:15:30.123Z\n".getBytes(StandardCharsets.UTF_8));
		parts.add(garbage);
		parts.add("\n".getBytes(StandardCharsets.UTF_8));
		for (int i = 0; i < 50; i++) {
			parts.add(UsageLog.formatEntry(OTHER_SPACE + i, TIME.plusSeconds(i), List.of(APP)));
		}
		UsageLog log = read(concat(parts));
		assertThat(log.spaces()).containsKey(SPACE);
		for (int i = 0; i < 50; i++) {
			assertThat(log.spaces()).containsKey(OTHER_SPACE + i);
		}
		assertThat(log.spaces()).doesNotContainKey("/s/damaged");
		assertThat(log.entryCount()).isEqualTo(51);
		assertThat(log.malformedCount()).isPositive();
		assertThat(log.warnings()).isNotEmpty().allSatisfy((warning) -> assertThat(warning).matches("scratch_usage.toml line \\d+: .*"));
	}

	@Test
	void zerosLeftByACrashDamageOnlyTheEntryBeforeThem() throws IOException {
		byte[] zeros = new byte[512];
		UsageLog log = read(concat(List.of("[[\"/s/torn\"]]\ntime = 2026-11-2".getBytes(StandardCharsets.UTF_8), zeros,
				UsageLog.formatEntry(SPACE, TIME, List.of(APP)))));
		assertThat(log.spaces()).containsOnlyKeys(SPACE);
		assertThat(log.warnings()).singleElement(STRING)
			.startsWith("scratch_usage.toml line 2: skipped the entry for \"/s/torn\": ");
	}

	@Test
	void invalidUtf8IsSkippedWithAWarning() throws IOException {
		byte[][] bad = { bytes("[[\"/s/", 0xC3, 0x28, "\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p\"]\n"),
				bytes("[[\"/s/a\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p/", 0xED, 0xA0, 0x80, "\"]\n"),
				bytes("[[\"/s/a\"]]\ntime = 2026-11-25T10:15:30.123Z # ", 0xFF, "\nparent_projects = [\"/p\"]\n"),
				bytes("[[\"/s/a\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = ['/p/", 0xC0, 0xAF, "']\n"),
				bytes("[[\"/s/a\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p/", 0xF4, 0x90, 0x80, 0x80, "\"]\n") };
		for (byte[] entry : bad) {
			UsageLog log = read(concat(List.of(entry, UsageLog.formatEntry(SPACE, TIME, List.of(APP)))));
			assertThat(log.spaces()).containsOnlyKeys(SPACE);
			assertThat(log.malformedCount()).isOne();
			assertThat(log.warnings()).singleElement(STRING)
				.contains("invalid UTF-8");
		}
	}

	@Test
	void rawControlCharactersInStringsAreSkipped() throws IOException {
		UsageLog log = read("[[\"/s/a\u0001b\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p\"]\n"
				+ text(UsageLog.formatEntry(SPACE, TIME, List.of(APP))));
		assertOneSkipped(log, "line 1: skipped an entry: control character U+0001");
	}

	@Test
	void lineOfFiftyMegabytesIsSkippedWithoutHoldingItInMemory() throws IOException {
		Path file = this.dir.resolve("scratch_usage.toml");
		try (OutputStream out = Files.newOutputStream(file)) {
			out.write(UsageLog.formatEntry(SPACE, TIME, List.of(APP)));
			out.write("[[\"/s/huge\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"".getBytes(StandardCharsets.UTF_8));
			byte[] chunk = new byte[1 << 20];
			Arrays.fill(chunk, (byte) 'x');
			for (int i = 0; i < 50; i++) {
				out.write(chunk);
			}
			out.write("\"]\n".getBytes(StandardCharsets.UTF_8));
			out.write(UsageLog.formatEntry(OTHER_SPACE, TIME, List.of(APP)));
		}
		Runtime runtime = Runtime.getRuntime();
		System.gc();
		long before = runtime.totalMemory() - runtime.freeMemory();
		UsageLog log = UsageLogReader.read(file);
		long after = runtime.totalMemory() - runtime.freeMemory();
		assertThat(log.spaces().keySet()).containsExactly(SPACE, OTHER_SPACE);
		assertThat(log.warnings()).containsExactly("scratch_usage.toml line 6: skipped the entry for \"/s/huge\": "
				+ "the line is longer than " + ByteLines.DEFAULT_CAPACITY + " bytes");
		assertThat(after - before).isLessThan(50L << 20);
	}

	@Test
	void headerThatIsNotAnArrayOfTablesWithOneQuotedKeyIsSkipped() throws IOException {
		for (String header : List.of("[\"/s/a\"]", "[[/s/a]]", "[[bare]]", "[[\"/s/a\".\"b\"]]", "[[\"/s/a\", \"/s/b\"]]",
				"[[\"/s/a\"]", "[[\"\"\"/s/a\"\"\"]]", "[ [\"/s/a\"]]", "[[\"/s/a\"]] junk")) {
			UsageLog log = read(header + "\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p\"]\n"
					+ text(UsageLog.formatEntry(SPACE, TIME, List.of(APP))));
			assertThat(log.spaces()).as(header).containsOnlyKeys(SPACE);
			assertThat(log.malformedCount()).as(header).isOne();
			assertThat(log.warnings()).as(header).singleElement(STRING)
				.startsWith("scratch_usage.toml line 1: skipped ");
		}
	}

	@Test
	void textBeforeTheFirstEntryIsCountedOnce() throws IOException {
		UsageLog log = read("garbage\nmore garbage = \n\u0001\u0002\n" + text(UsageLog.formatEntry(SPACE, TIME, List.of(APP))));
		assertOneSkipped(log, "line 1: skipped text before the first entry: unexpected \"garbage\"");
	}

	@Test
	void warningsAreBoundedButEveryMalformedEntryIsCounted() throws IOException {
		StringBuilder content = new StringBuilder();
		for (int i = 0; i < 250; i++) {
			content.append("[[\"/s/bad").append(i).append("\"]]\ntime = never\nparent_projects = []\n");
			content.append(text(UsageLog.formatEntry(SPACE + i, TIME, List.of(APP))));
		}
		UsageLog log = read(content.toString());
		assertThat(log.entryCount()).isEqualTo(250);
		assertThat(log.malformedCount()).isEqualTo(250);
		assertThat(log.warnings()).hasSize(BoundedWarnings.LIMIT + 1);
		assertThat(log.warnings().get(0)).startsWith("scratch_usage.toml line 2: skipped the entry for \"/s/bad0\"");
		assertThat(log.warnings().get(BoundedWarnings.LIMIT)).isEqualTo("... and 150 more");
	}

	@Test
	void entryThatTomljRejectsIsSkippedWithTomljsReasonAndLine() throws IOException {
		UsageLog log = read("[[\"/s/bad\"]]\nextra = \"\\q\"\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p\"]\n"
				+ text(UsageLog.formatEntry(SPACE, TIME, List.of(APP))));
		assertOneSkipped(log, "line 2: skipped the entry for \"/s/bad\": Invalid escape sequence '\\q'");
	}

	@Test
	void lineThatTomljRejectsAfterACompleteEntryCostsOnlyThatLine() throws IOException {
		UsageLog log = read("[[\"/s/bad\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p\"]\nextra = \"\\q\"\n"
				+ text(UsageLog.formatEntry(SPACE, TIME, List.of(APP))));
		assertKeptBeforeDamage(log, "/s/bad", "line 4: kept the entry for \"/s/bad\" as read up to this line, and "
				+ "skipped the rest of it: Invalid escape sequence '\\q'");
	}

	@Test
	void unknownKeyThatTomljAcceptsIsNoDamage() throws IOException {
		UsageLog log = read("[[\"/s/newer\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p\"]\nextra = 1\n");
		assertThat(log.warnings()).isEmpty();
		assertThat(log.damaged()).isFalse();
		assertThat(log.spaces().get("/s/newer").parentProjects()).containsExactly("/p");
	}

	@Test
	void deeplyNestedValueIsSkippedBeforeItCanOverflowTomlj() throws IOException {
		UsageLog log = read("[[\"/s/bad\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p\"]\nextra = "
				+ "[".repeat(100_000) + "\n" + text(UsageLog.formatEntry(SPACE, TIME, List.of(APP))));
		assertKeptBeforeDamage(log, "/s/bad", "line 4: kept the entry for \"/s/bad\" as read up to this line, and "
				+ "skipped the rest of it: nested deeper than 32 levels");
	}

	@Test
	void entryTooLargeForTomljIsSkipped() throws IOException {
		String line = "extra = \"" + "x".repeat(1000) + "\"\n";
		UsageLog log = read("[[\"/s/big\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = [\"/p\"]\n"
				+ line.repeat(2000) + text(UsageLog.formatEntry(SPACE, TIME, List.of(APP))));
		assertKeptBeforeDamage(log, "/s/big", "line 4: kept the entry for \"/s/big\" as read up to this line, and "
				+ "skipped the rest of it: the entry is larger than " + ByteLines.DEFAULT_CAPACITY + " bytes");
	}

	@Test
	void zerosAtTheStartOfALineDamageOnlyTheEntryBeforeThem() throws IOException {
		UsageLog log = read(concat(List.of("[[\"/s/torn\"]]\ntime = 2026-11-25T10:15:30.123Z\n".getBytes(StandardCharsets.UTF_8),
				new byte[100], UsageLog.formatEntry(SPACE, TIME, List.of(APP)))));
		assertOneSkipped(log, "line 3: skipped the entry for \"/s/torn\": binary zeros");
	}

	@Test
	void rawC1ControlCharactersAndTabsAreValidInStrings() throws IOException {
		UsageLog log = read("[[\"/s/a\u0085\tb\"]]\ntime = 2026-11-25T10:15:30.123Z\nparent_projects = ['/p\u009f']\n");
		assertThat(log.warnings()).isEmpty();
		assertThat(log.spaces()).containsOnlyKeys("/s/a\u0085\tb");
		assertThat(log.spaces().get("/s/a\u0085\tb").parentProjects()).containsExactly("/p\u009f");
	}

	@Test
	void missingFileReadsAsEmpty() throws IOException {
		UsageLog log = UsageLogReader.read(this.dir.resolve("absent.toml"));
		assertThat(log.spaces()).isEmpty();
		assertThat(log.entryCount()).isZero();
		assertThat(log.warnings()).isEmpty();
		assertThat(log.damaged()).isFalse();
	}

	@Test
	void emptyFileReadsAsEmpty() throws IOException {
		UsageLog log = read("");
		assertThat(log.spaces()).isEmpty();
		assertThat(log.damaged()).isFalse();
	}

	@Test
	void usageCopiesItsParentsAndKeepsTheirOrder() {
		Set<String> parents = new LinkedHashSet<>(List.of("/b", "/a", "/c"));
		Usage usage = new Usage(TIME, parents);
		parents.clear();
		assertThat(usage.parentProjects()).containsExactly("/b", "/a", "/c");
	}

	private static void assertTomljEntry(TomlTable entry, Instant time, List<String> parents) {
		OffsetDateTime written = entry.getOffsetDateTime("time");
		assertThat(written).isNotNull();
		assertThat(written.toInstant()).isEqualTo(time.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
		TomlArray array = entry.getArray("parent_projects");
		assertThat(array).isNotNull();
		assertThat(array.toList()).containsExactlyElementsOf(parents);
	}

	private static void assertKeptBeforeDamage(UsageLog log, String kept, String warning) {
		assertThat(log.spaces()).containsOnlyKeys(kept, SPACE);
		assertThat(log.spaces().get(kept).parentProjects()).containsExactly("/p");
		assertThat(log.spaces().get(kept).newest()).isEqualTo(Instant.parse("2026-11-25T10:15:30.123Z"));
		assertThat(log.entryCount()).isEqualTo(2);
		assertThat(log.malformedCount()).isOne();
		assertThat(log.damaged()).isTrue();
		assertThat(log.warnings()).containsExactly("scratch_usage.toml " + warning);
	}

	private static void assertOneSkipped(UsageLog log, String warning) {
		assertThat(log.spaces()).containsOnlyKeys(SPACE);
		assertThat(log.entryCount()).isOne();
		assertThat(log.malformedCount()).isOne();
		assertThat(log.warnings()).containsExactly("scratch_usage.toml " + warning);
	}

	private static String newest(UsageLog log, String path) {
		return log.spaces().get(path).newest().toString();
	}

	private static String timeLine(Instant time) {
		return text(UsageLog.formatEntry(SPACE, time, List.of(APP))).split("\n")[1];
	}

	private UsageLog read(String content) {
		return read(content.getBytes(StandardCharsets.UTF_8));
	}

	private UsageLog read(byte[] content) {
		try {
			Path file = this.dir.resolve("scratch_usage.toml");
			Files.write(file, content);
			return UsageLogReader.read(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static byte[] concat(List<byte[]> parts) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		parts.forEach(out::writeBytes);
		return out.toByteArray();
	}

	/** Text and raw byte values, for writing invalid UTF-8. */
	private static byte[] bytes(Object... parts) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		for (Object part : parts) {
			if (part instanceof String text) {
				out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
			}
			else {
				out.write((Integer) part);
			}
		}
		return out.toByteArray();
	}

}
