package dev.scratchspace;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Finds the depot and decides whether it may be used.
 *
 * <p>Finding: the builder's {@code depot(Path)}, else {@code SCRATCH_DEPOT}, else the
 * platform's per-user cache directory plus {@code jvm-scratch}. Every setting must be an
 * absolute path: a relative one would put the depot wherever the working directory happens
 * to be (a user without a passwd entry gets {@code user.home=?}), so it is refused, naming
 * the variable or property and its value. There is no fallback: a shared temporary directory
 * would mix the spaces of several users.
 *
 * <p>Accepting ({@link #accept}): a depot is a directory this project or Julia's Pkg can own.
 * Accepted are a missing path; a directory that holds {@code scratchspaces/} or
 * {@code logs/scratch_usage.toml} (a depot of this project or of Julia); and a directory
 * whose every entry is a name such a depot has at its top level ({@link #DEPOT_NAMES}), which
 * includes an empty one and one that another manager is creating right now. Refused, before
 * anything in it is read or written: the root of a file system, the user's home directory
 * (whatever it holds), and a directory with any other entry. A path that is not a directory,
 * or that cannot be read, is not refused here: its first use fails with an
 * {@link java.io.UncheckedIOException} naming it, as for a depot that cannot be written.
 */
final class DepotLocator {

	static final String DEPOT_VARIABLE = "SCRATCH_DEPOT";

	/** How the builder's own setting is named in errors. */
	static final String BUILDER_SETTING = "the builder's depot(Path)";

	private static final String DIRECTORY_NAME = "jvm-scratch";

	/**
	 * The names a depot may hold at its top level: those this project writes, those of
	 * Julia's Pkg depot (so that a Julia depot without spaces yet is accepted), and two that
	 * systems put in directories by themselves ({@code lost+found} at the root of a file
	 * system, {@code .DS_Store} where macOS Finder looked).
	 */
	static final Set<String> DEPOT_NAMES = Set.of(DepotLayout.SPACES_DIRECTORY, "logs", "leases", "staging",
			"artifacts", "packages", "registries", "compiled", "environments", "clones", "conda", "dev", "config",
			"prefs", "servers", "datadeps", "lost+found", ".DS_Store");

	/** At most this many foreign names are quoted in an error. */
	private static final int QUOTED_NAMES = 3;

	private DepotLocator() {
	}

	/**
	 * A depot and the setting it came from, for errors that must name both.
	 * @param path the depot, absolute
	 * @param setting the setting, for a sentence: {@code the environment variable SCRATCH_DEPOT}
	 * @param remedy what to change, for a sentence: {@code Set SCRATCH_DEPOT to}
	 */
	record Located(Path path, String setting, String remedy) {
	}

	/**
	 * The depot of a builder.
	 * @param explicit the builder's {@code depot(Path)}, or {@code null}
	 * @param environment the environment variables
	 * @param properties the system properties
	 * @return the depot, absolute, with its setting
	 * @throws IllegalStateException if a setting that chooses the depot is not absolute
	 * @throws IllegalArgumentException if it is not a valid path
	 */
	static Located locate(@Nullable Path explicit, UnaryOperator<@Nullable String> environment,
			UnaryOperator<@Nullable String> properties) {
		if (explicit != null) {
			return new Located(explicit, BUILDER_SETTING, "Point depot(Path) at");
		}
		String fromEnvironment = environment.apply(DEPOT_VARIABLE);
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return new Located(absolute(fromEnvironment, "the environment variable " + DEPOT_VARIABLE),
					"the environment variable " + DEPOT_VARIABLE, "Set " + DEPOT_VARIABLE + " to");
		}
		String osName = valueOf(properties, "os.name");
		String userHome = valueOf(properties, "user.home");
		return new Located(userCacheDirectory(environment, osName, userHome).resolve(DIRECTORY_NAME),
				"the platform default (" + defaultFrom(environment, osName, userHome) + ")",
				"Set " + DEPOT_VARIABLE + " (or the scratch.depot property of a Spring Boot application) to");
	}

	static Path defaultDepot(UnaryOperator<@Nullable String> environment, String osName, String userHome) {
		return locate(null, environment, (name) -> "os.name".equals(name) ? osName : userHome).path();
	}

	static Path userCacheDirectory(UnaryOperator<@Nullable String> environment, String osName, String userHome) {
		String os = osName.toLowerCase(Locale.ROOT);
		if (os.startsWith("windows")) {
			String localAppData = environment.apply("LOCALAPPDATA");
			if (localAppData != null && !localAppData.isBlank()) {
				return absolute(localAppData, "the environment variable LOCALAPPDATA");
			}
			return home(userHome).resolve("AppData").resolve("Local");
		}
		if (os.startsWith("mac")) {
			return home(userHome).resolve("Library").resolve("Caches");
		}
		String xdg = environment.apply("XDG_CACHE_HOME");
		// The XDG spec says a relative value is invalid and must be ignored.
		if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
			return Path.of(xdg);
		}
		return home(userHome).resolve(".cache");
	}

	/** Which variable or property the platform default was derived from. */
	private static String defaultFrom(UnaryOperator<@Nullable String> environment, String osName, String userHome) {
		String os = osName.toLowerCase(Locale.ROOT);
		String variable = os.startsWith("windows") ? "LOCALAPPDATA" : os.startsWith("mac") ? null : "XDG_CACHE_HOME";
		String value = (variable != null) ? environment.apply(variable) : null;
		if (variable != null && value != null && !value.isBlank() && Path.of(value).isAbsolute()) {
			return "from the environment variable " + variable;
		}
		return "from the system property user.home";
	}

	private static Path home(String userHome) {
		return absolute(userHome, "the system property user.home");
	}

	private static String valueOf(UnaryOperator<@Nullable String> properties, String name) {
		String value = properties.apply(name);
		return (value != null) ? value : "";
	}

	/**
	 * The depot's one identity: the real path of its longest existing ancestor, followed by
	 * the names that do not exist yet. Managers that reach one depot through a link, a bind
	 * mount's other name or {@code ..} then write the same paths to the usage log, the leases
	 * and the orphanage, and share their in-process locks.
	 * @param depot an absolute path
	 * @return the same directory, without links or {@code ..}
	 */
	static Path realPath(Path depot) {
		Path absolute = depot.toAbsolutePath().normalize();
		Path existing = absolute;
		while (existing != null) {
			try {
				Path real = existing.toRealPath();
				return real.resolve(existing.relativize(absolute)).normalize();
			}
			catch (java.io.IOException | SecurityException ex) {
				existing = existing.getParent();
			}
		}
		return absolute;
	}

	/**
	 * Refuses a depot that is not one (see the class documentation). Reads at most the
	 * attributes of the depot and of two names in it, and its listing when it holds neither
	 * {@code scratchspaces/} nor a usage log; writes nothing. Names that another manager is
	 * creating at the same moment are all depot names, so a race accepts.
	 * @param depot the depot's real path
	 * @param setting the setting it came from
	 * @param userHome the system property {@code user.home}, or {@code null}
	 * @throws IllegalStateException naming the path, the setting and what to do, if refused
	 */
	static void accept(Located depot, @Nullable String userHome) {
		Path path = depot.path();
		if (path.getParent() == null) {
			throw refused(depot, "it is the root of a file system");
		}
		if (userHome != null && !userHome.isEmpty() && Path.of(userHome).isAbsolute()
				&& path.equals(realPath(Path.of(userHome)))) {
			throw refused(depot, "it is the user's home directory");
		}
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(path, BasicFileAttributes.class);
		}
		catch (IOException ex) {
			// Missing: accepted. Unreadable: its first use names the failure.
			return;
		}
		if (!attributes.isDirectory() || Files.isDirectory(path.resolve(DepotLayout.SPACES_DIRECTORY),
				LinkOption.NOFOLLOW_LINKS)
				|| Files.isRegularFile(path.resolve("logs").resolve("scratch_usage.toml"), LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		List<String> foreign = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (!DEPOT_NAMES.contains(name)) {
					foreign.add("'" + MessageText.printable(name) + "'");
					if (foreign.size() == QUOTED_NAMES) {
						foreign.add("...");
						break;
					}
				}
			}
		}
		catch (NoSuchFileException ex) {
			return;
		}
		catch (IOException ex) {
			// Its first use names the failure.
			return;
		}
		if (!foreign.isEmpty()) {
			throw refused(depot, "it holds files that are not a depot's: " + String.join(", ", foreign));
		}
	}

	private static IllegalStateException refused(Located depot, String why) {
		return new IllegalStateException("Refusing to use '" + depot.path() + "' as the scratch space depot, chosen by "
				+ depot.setting() + ": " + why + ". A depot must be a directory that is missing, empty, or already a "
				+ "depot (one that holds scratchspaces/ or logs/scratch_usage.toml, as this library and Julia make "
				+ "them). " + depot.remedy() + " such a directory, for example a new directory named "
				+ DIRECTORY_NAME + " in the user's cache directory; nothing in '" + depot.path() + "' was touched.");
	}

	private static Path absolute(String value, String source) {
		Path path;
		try {
			path = Path.of(value);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					"Invalid depot '" + MessageText.printable(value) + "' from " + source + ": " + ex.getMessage(), ex);
		}
		if (!path.isAbsolute()) {
			throw new IllegalStateException("Cannot find the scratch space depot: " + source + " is '"
					+ MessageText.printable(value) + "', which is not an absolute path. Set " + DEPOT_VARIABLE
					+ " (or the scratch.depot property of a Spring Boot application, or the builder's depot(Path)) to "
					+ "an absolute path" + (source.contains(DEPOT_VARIABLE) ? "" : ", or fix " + source) + ".");
		}
		return path.normalize();
	}

}
