package dev.scratchspace.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

import dev.scratchspace.GcOptions;
import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;

import org.jspecify.annotations.Nullable;

/**
 * The command line of the {@code scratch-core} jar: {@code list}, {@code gc} and
 * {@code clear} for operators and cron jobs. Exit status 0 on success, 1 when the operation
 * failed, 2 on bad usage. It never records usage, so listing or collecting does not keep a
 * space alive, and it creates nothing in a depot that does not exist.
 */
public final class ScratchCommandLine {

	/** The operation succeeded. */
	public static final int OK = 0;

	/** The operation failed: an I/O error, or a space that garbage collection failed to delete. */
	public static final int FAILED = 1;

	/** The command line was wrong; nothing was done. */
	public static final int USAGE = 2;

	static final String USAGE_TEXT = """
			Usage: java -jar scratch-core-<version>.jar list  [--depot DIR] [--json]
			       java -jar scratch-core-<version>.jar gc    [--depot DIR] [--dry-run] [--collect-delay 7d]
			                                                  [--max-unused-age 30d] [--max-total-size 10GB] [--json]
			       java -jar scratch-core-<version>.jar clear [--depot DIR] OWNER [KEY]
			       java -jar scratch-core-<version>.jar --help
			""";

	static final String HELP_TEXT = USAGE_TEXT + """

			Scratch spaces for the JVM: list, collect and clear the spaces of a depot.

			Commands:
			  list    List every space: owner, key, status (LIVE, ORPHANED, UNTRACKED), size,
			          files, last access and whether a running program holds a lease on it.
			  gc      Collect garbage: delete spaces whose parent projects are gone once they
			          have been orphaned for the collect delay; print one decision per space.
			  clear   Delete the space KEY of OWNER, or every space of OWNER without KEY.
			          OWNER is a UUID, groupId:artifactId, or global. Leases do not protect
			          against clear, and nothing else in the depot is touched.

			Options:
			  --depot DIR              The depot. Default: $SCRATCH_DEPOT, else the per-user
			                           cache directory + /jvm-scratch ($XDG_CACHE_HOME or
			                           ~/.cache on Linux, ~/Library/Caches on macOS,
			                           %LOCALAPPDATA% on Windows).
			  --json                   Print JSON (the shapes of the actuator endpoint) instead
			                           of a table.
			  --dry-run                Decide and report, but change nothing on disk.
			  --collect-delay DURATION How long a space stays orphaned before it is deleted.
			                           Default: 7d.
			  --max-unused-age DURATION
			                           Also orphan spaces still in use but not accessed for this
			                           long. Default: no limit.
			  --max-total-size SIZE    Evict the least recently accessed unleased spaces until
			                           the rest fit. Default: no bound.
			  -h, --help               Print this help.

			  DURATION: 500ms, 45s, 30m, 12h, 7d, or ISO-8601 (PT12H, P7D); a bare number is days.
			  SIZE: 123B, 1KB, 500MB, 10GB, 1TB (multiples of 1024); a bare number is megabytes.

			Exit status:
			  0  success (garbage-collection warnings alone do not fail a run)
			  1  the operation failed: an I/O error, or a space garbage collection could not delete
			  2  bad usage: an unknown option, a bad value, owner or key; nothing was done

			The command line never records usage: listing or collecting keeps nothing alive.
			""";

	private final PrintStream out;

	private final PrintStream err;

	private final Map<String, String> environment;

	/**
	 * A command line that writes to the given streams.
	 * @param out where results and help go
	 * @param err where errors, usage and warnings go
	 * @param environment the environment, for {@code SCRATCH_DEPOT}
	 */
	public ScratchCommandLine(PrintStream out, PrintStream err, Map<String, String> environment) {
		this.out = Objects.requireNonNull(out, "'out' must not be null");
		this.err = Objects.requireNonNull(err, "'err' must not be null");
		this.environment = Map.copyOf(Objects.requireNonNull(environment, "'environment' must not be null"));
	}

	/**
	 * Runs a command and exits the JVM with its status.
	 * @param args the command line
	 */
	public static void main(String[] args) {
		System.exit(new ScratchCommandLine(System.out, System.err, System.getenv()).run(args));
	}

	/**
	 * Runs a command.
	 * @param args the command line
	 * @return the exit status: {@link #OK}, {@link #FAILED} or {@link #USAGE}
	 */
	public int run(String... args) {
		try {
			Arguments arguments = Arguments.parse(args);
			Command command = arguments.command();
			if (command == null) {
				this.out.print(HELP_TEXT);
				return OK;
			}
			return run(command, arguments);
		}
		catch (UsageException ex) {
			this.err.println("error: " + ex.getMessage());
			this.err.print(USAGE_TEXT);
			return USAGE;
		}
		catch (UncheckedIOException | IllegalStateException | IllegalArgumentException ex) {
			this.err.println("error: " + ex.getMessage());
			return FAILED;
		}
		catch (NoClassDefFoundError ex) {
			this.err.println("error: " + ex.getMessage() + " is missing: keep the jars the build copies beside the "
					+ "scratch-core jar (tomlj, commons-compress and its dependencies) there");
			return FAILED;
		}
	}

	private int run(Command command, Arguments arguments) {
		// Every value is checked before the depot is opened: bad usage touches nothing.
		GcOptions gcOptions = (command == Command.GC) ? GcCommand.options(arguments) : GcOptions.defaults();
		ScratchOwner owner = (command == Command.CLEAR) ? ClearCommand.owner(arguments.operands().get(0)) : null;
		try (ScratchSpaceManager manager = manager(arguments.get(Option.DEPOT))) {
			return switch (command) {
				case LIST -> ListCommand.run(manager, arguments.has(Option.JSON), this.out);
				case GC -> GcCommand.run(manager, gcOptions, arguments.has(Option.JSON), this.out, this.err);
				case CLEAR -> ClearCommand.run(manager, Objects.requireNonNull(owner),
						(arguments.operands().size() > 1) ? arguments.operands().get(1) : null, this.out);
			};
		}
	}

	private ScratchSpaceManager manager(@Nullable String depotOption) {
		ScratchSpaceManager.Builder builder = ScratchSpaceManager.builder().trackAccess(false);
		String source = "--depot";
		String depot = depotOption;
		if (depot == null) {
			source = "SCRATCH_DEPOT";
			depot = this.environment.get(source);
			if (depot != null && depot.isBlank()) {
				// Unset, as the core reads it.
				depot = null;
			}
		}
		if (depot == null) {
			return builder.build();
		}
		if (depot.isBlank()) {
			throw new UsageException("invalid depot " + UsageException.quote(depot) + " from " + source
					+ ": must not be empty or blank");
		}
		Path path;
		try {
			path = Path.of(depot);
		}
		catch (InvalidPathException ex) {
			throw new UsageException(
					"invalid depot " + UsageException.quote(depot) + " from " + source + ": " + ex.getReason());
		}
		// The core refuses a relative SCRATCH_DEPOT; a relative --depot is the operator's own.
		if (depotOption == null && !path.isAbsolute()) {
			throw new UsageException("invalid depot " + UsageException.quote(depot) + " from " + source
					+ ": must be an absolute path");
		}
		try {
			return builder.depot(path).build();
		}
		catch (IllegalStateException ex) {
			// Refused: not a depot. A bad value of an option or variable, so bad usage.
			throw new UsageException("invalid depot " + UsageException.quote(depot) + " from " + source + ": "
					+ ex.getMessage());
		}
	}

}
