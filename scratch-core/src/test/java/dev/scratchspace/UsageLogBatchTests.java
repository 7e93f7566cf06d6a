package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage-log reader looks up the spaces of several entries at once, on its own thread or
 * on one of their own: what it reports must not depend on where an entry falls in such a
 * batch, nor on the thread. Each test reads more entries than a batch holds, so entries meet
 * every position in one, and both ends, both ways.
 */
class UsageLogBatchTests {

	private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

	private static final String ROOT = "/d/scratchspaces/";

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aggregatesAreWhatEachEntryAddsUp(boolean concurrent) throws IOException {
		Random random = new Random(5);
		String[] spaces = new String[150];
		for (int i = 0; i < spaces.length; i++) {
			// Some paths are not ASCII, so that their headers are decoded as they are read.
			spaces[i] = ROOT + new UUID(random.nextLong(), random.nextLong()) + ((i % 10 == 0) ? "/clé-" : "/key-") + i;
		}
		String[] projects = new String[12];
		for (int i = 0; i < projects.length; i++) {
			projects[i] = "/p/app-" + i + "/pom.xml";
		}
		StringBuilder log = new StringBuilder();
		Map<String, Instant> newest = new LinkedHashMap<>();
		Map<String, Set<String>> parents = new LinkedHashMap<>();
		int entries = 1_000;
		for (int e = 0; e < entries; e++) {
			String space = spaces[random.nextInt(spaces.length)];
			Instant time = START.plusSeconds(random.nextInt(100_000)).plusMillis(random.nextInt(1_000));
			List<String> named = new ArrayList<>();
			for (int p = 1 + random.nextInt(3); p > 0; p--) {
				named.add(projects[random.nextInt(projects.length)]);
			}
			log.append("[[").append(spelling(space, random.nextInt(3))).append("]]\n");
			log.append("time = ").append(time).append('\n');
			log.append("parent_projects = [");
			for (int p = 0; p < named.size(); p++) {
				log.append((p > 0) ? ", " : "").append('"').append(named.get(p)).append('"');
			}
			log.append("]\n");
			newest.merge(space, time, (a, b) -> a.isAfter(b) ? a : b);
			parents.computeIfAbsent(space, (k) -> new LinkedHashSet<>()).addAll(named);
		}

		UsageLog read = read(log, concurrent);

		assertThat(read.warnings()).isEmpty();
		assertThat(read.entryCount()).isEqualTo(entries);
		assertThat(read.spaces().keySet()).containsExactlyElementsOf(newest.keySet());
		for (Map.Entry<String, UsageLog.Usage> each : read.spaces().entrySet()) {
			assertThat(each.getValue().newest()).as(each.getKey()).isEqualTo(newest.get(each.getKey()));
			assertThat(each.getValue().parentProjects()).as(each.getKey())
				.containsExactlyElementsOf(parents.get(each.getKey()));
		}
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void damagedEntriesAnywhereInABatchAreReportedWithTheirOwnLineAndSpace(boolean concurrent) throws IOException {
		StringBuilder log = new StringBuilder();
		List<String> expectedWarnings = new ArrayList<>();
		Set<String> recorded = new LinkedHashSet<>();
		int line = 1;
		for (int e = 0; e < 300; e++) {
			String space = ROOT + "00000000-0000-0000-0000-000000000000/key-" + e;
			String entry = "[[\"" + space + "\"]]\ntime = " + START.plusSeconds(e) + "\nparent_projects = [\"/p/pom.xml\"]\n";
			// Fewer damaged entries than the warnings a read keeps, at every offset of a batch.
			int kind = (e < 20) ? 0 : e % 11;
			if (kind == 1) {
				// An escape TOML does not have: the header cannot be decoded.
				entry = entry.replace("/key-" + e, "/key\\q-" + e);
				expectedWarnings.add("scratch_usage.toml line " + line + ": skipped an entry: ");
			}
			else if (kind == 2) {
				entry = entry.replace("time = " + START.plusSeconds(e) + "\n", "");
				expectedWarnings.add("scratch_usage.toml line " + line + ": skipped the entry for \"" + space
						+ "\": the entry has no 'time'");
			}
			else if (kind == 3) {
				entry = entry + "stray text\n";
				expectedWarnings.add("scratch_usage.toml line " + (line + 3) + ": kept the entry for \"" + space
						+ "\" as read up to this line, and skipped the rest of it: ");
				recorded.add(space);
			}
			else {
				recorded.add(space);
			}
			log.append(entry);
			line += (int) entry.chars().filter((c) -> c == '\n').count();
		}

		UsageLog read = read(log, concurrent);

		assertThat(read.warnings()).hasSameSizeAs(expectedWarnings);
		for (int i = 0; i < expectedWarnings.size(); i++) {
			assertThat(read.warnings().get(i)).startsWith(expectedWarnings.get(i));
		}
		assertThat(read.spaces().keySet()).containsExactlyElementsOf(recorded);
		assertThat(read.entryCount()).isEqualTo(recorded.size());
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aSpaceFirstNamedByADamagedEntryIsOrderedByItsFirstRecordedOne(boolean concurrent) throws IOException {
		StringBuilder log = new StringBuilder();
		List<String> order = new ArrayList<>();
		for (int e = 0; e < 200; e++) {
			String space = ROOT + "00000000-0000-0000-0000-000000000000/key-" + e;
			if (e % 5 == 0) {
				// Named first by an entry without a time, recorded only by the next one.
				log.append("[[\"").append(space).append("\"]]\nparent_projects = [\"/p/pom.xml\"]\n");
			}
			else {
				order.add(space);
			}
			log.append("[[\"").append(space).append("\"]]\ntime = ").append(START.plusSeconds(e))
				.append("\nparent_projects = [\"/p/pom.xml\"]\n");
			if (e % 5 == 0) {
				order.add(space);
			}
		}

		UsageLog read = read(log, concurrent);

		assertThat(read.spaces().keySet()).containsExactlyElementsOf(order);
		assertThat(read.malformedCount()).isEqualTo(40);
	}

	@Test
	void theLookupThreadEndsWithEveryRead() throws IOException {
		StringBuilder log = new StringBuilder();
		for (int e = 0; e < 1_000; e++) {
			log.append("[[\"").append(ROOT).append("00000000-0000-0000-0000-000000000000/key-").append(e % 300)
				.append("\"]]\ntime = ").append(START.plusSeconds(e)).append("\nparent_projects = [\"/p/pom.xml\"]\n");
		}
		assertThat(read(log, true).spaces()).hasSize(300);
		assertThat(lookupThreads()).isEmpty();

		Path file = this.dir.resolve("scratch_usage.toml");
		try (ByteLines lines = ByteLines.open(file)) {
			UsageLogReader reader = new UsageLogReader("scratch_usage.toml", lines, true);
			// The file shrinks under the reader: it reads what is left, and stops.
			Files.write(file, log.substring(0, log.length() / 2).getBytes(StandardCharsets.UTF_8));
			assertThat(reader.read().entryCount()).isLessThan(1_000);
		}
		assertThat(lookupThreads()).isEmpty();
	}

	private static List<Thread> lookupThreads() {
		return Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.getName().equals("scratch-usage-log-lookups") && thread.isAlive())
			.toList();
	}

	private static String spelling(String space, int how) {
		return switch (how) {
			case 0 -> '"' + space + '"';
			case 1 -> "'" + space + "'";
			// The same path with its slashes escaped: one space, however it is spelled.
			default -> '"' + space.replace("/", "\\u002F") + '"';
		};
	}

	private UsageLog read(CharSequence log, boolean concurrent) throws IOException {
		Path file = this.dir.resolve("scratch_usage.toml");
		Files.writeString(file, log, StandardCharsets.UTF_8);
		try (ByteLines lines = ByteLines.open(file)) {
			return new UsageLogReader("scratch_usage.toml", lines, concurrent).read();
		}
	}

}
