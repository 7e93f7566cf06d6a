package dev.scratchspace.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad input: exit status 2, one error line naming the input and the rule, then
 * the usage on standard error, and nothing done (the depot is not even created).
 */
class UsageErrorTests {

	@TempDir
	Path temp;

	static Stream<Arguments> badInput() {
		return Stream.of(bad("", "missing command: expected list, gc or clear"),
				bad("frobnicate", "unknown command 'frobnicate': expected list, gc or clear"),
				bad("list --bogus", "unknown option '--bogus' for list"),
				bad("list --dry-run", "unknown option '--dry-run' for list"),
				bad("clear --json global", "unknown option '--json' for clear"),
				bad("list --json=yes", "option --json takes no value, but was given 'yes'"),
				bad("list --json --json", "option --json is given twice"),
				bad("gc --collect-delay 1d --collect-delay=2d", "option --collect-delay is given twice"),
				bad("gc --collect-delay", "option --collect-delay needs a value (DURATION)"),
				bad("gc --max-total-size", "option --max-total-size needs a value (SIZE)"),
				bad("gc --collect-delay 7x", "invalid duration '7x' for --collect-delay: expected a non-negative"),
				bad("gc --collect-delay -1d", "invalid duration '-1d' for --collect-delay"),
				bad("gc --collect-delay PT-1H", "invalid duration 'PT-1H' for --collect-delay"),
				bad("gc --collect-delay P", "invalid duration 'P' for --collect-delay"),
				bad("gc --collect-delay 7 d", "unexpected argument 'd': gc takes no arguments"),
				bad("gc --collect-delay 99999999999999999999d", "invalid duration '99999999999999999999d'"),
				bad("gc --max-unused-age 0", "invalid duration '0' for --max-unused-age: must be positive"),
				bad("gc --max-unused-age=", "invalid duration '' for --max-unused-age"),
				bad("gc --max-total-size 10XB", "invalid size '10XB' for --max-total-size: expected a non-negative"
						+ " number with a unit B, KB, MB, GB or TB"),
				bad("gc --max-total-size -5MB", "invalid size '-5MB' for --max-total-size"),
				bad("gc --max-total-size 1.5GB", "invalid size '1.5GB' for --max-total-size"),
				bad("gc --max-total-size 99999999TB", "invalid size '99999999TB' for --max-total-size"),
				bad("list extra", "unexpected argument 'extra': list takes no arguments"),
				bad("clear", "clear needs an OWNER (a UUID, groupId:artifactId or global)"),
				bad("clear org.example", "Invalid scratch space owner 'org.example': expected a UUID"),
				bad("clear GLOBAL", "Invalid scratch space owner 'GLOBAL'"),
				bad("clear global ..", "Invalid scratch space key '..': a key is 1 to 255 characters"),
				bad("clear global a/b", "Invalid scratch space key 'a/b'"),
				bad("gc --collect-delay 7x --bogus", "unknown option '--bogus' for gc"),
				bad("clear global k extra", "unexpected argument 'extra': clear takes OWNER and an optional KEY"));
	}

	private static Arguments bad(String args, String message) {
		return Arguments.of(args, message);
	}

	@ParameterizedTest
	@MethodSource("badInput")
	void badInputExitsWithTwoNamingTheInput(String args, String message) {
		Path depot = this.temp.resolve("depot");
		List<String> command = new ArrayList<>(args.isEmpty() ? List.of() : List.of(args.split(" ")));
		if (!command.isEmpty()) {
			command.add(1, "--depot=" + depot);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int status = new ScratchCommandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), Map.of())
			.run(command.toArray(String[]::new));

		assertThat(status).isEqualTo(ScratchCommandLine.USAGE);
		String error = err.toString(StandardCharsets.UTF_8);
		assertThat(error.lines().findFirst()).hasValueSatisfying(
				(line) -> assertThat(line).startsWith("error: ").contains(message));
		assertThat(error).endsWith(ScratchCommandLine.USAGE_TEXT);
		assertThat(error.lines().count()).isEqualTo(1 + ScratchCommandLine.USAGE_TEXT.lines().count());
		assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
		assertThat(depot).doesNotExist();
	}

	@ParameterizedTest
	@MethodSource("badDepot")
	void badDepotExitsWithTwo(String depot, Map<String, String> environment, String message) {
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int status = new ScratchCommandLine(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), environment)
			.run((depot != null) ? new String[] { "list", "--depot", depot } : new String[] { "list" });

		assertThat(status).isEqualTo(ScratchCommandLine.USAGE);
		assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: " + message);
	}

	static Stream<Arguments> badDepot() {
		return Stream.of(Arguments.of("", Map.of(), "invalid depot '' from --depot: must not be empty"),
				Arguments.of("a\u0000b", Map.of(), "invalid depot 'a\\u0000b' from --depot"),
				Arguments.of(null, Map.of("SCRATCH_DEPOT", "x\u0000"), "invalid depot 'x\\u0000' from SCRATCH_DEPOT"));
	}

	@Test
	void controlCharactersInInputCannotForgeLines() {
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		new ScratchCommandLine(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), Map.of())
			.run("clear", "--depot", this.temp.toString(), "bad\nerror: forged\u001b[2J");

		assertThat(err.toString(StandardCharsets.UTF_8).lines().findFirst())
			.hasValue("error: Invalid scratch space owner 'bad\\u000aerror: forged\\u001b[2J': expected a UUID (8-4-4-4-12 hex "
					+ "digits), 'groupId:artifactId' of [A-Za-z0-9_.-], or 'global'");
	}

}
