package dev.scratchspace;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Finds the default depot: {@code SCRATCH_DEPOT}, else the platform's per-user cache
 * directory plus {@code jvm-scratch}.
 */
final class DepotLocator {

	static final String DEPOT_VARIABLE = "SCRATCH_DEPOT";

	private static final String DIRECTORY_NAME = "jvm-scratch";

	private DepotLocator() {
	}

	static Path defaultDepot(UnaryOperator<@Nullable String> environment, String osName, String userHome) {
		String fromEnvironment = environment.apply(DEPOT_VARIABLE);
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return absolute(fromEnvironment, DEPOT_VARIABLE);
		}
		return userCacheDirectory(environment, osName, userHome).resolve(DIRECTORY_NAME);
	}

	static Path userCacheDirectory(UnaryOperator<@Nullable String> environment, String osName, String userHome) {
		String os = osName.toLowerCase(Locale.ROOT);
		if (os.startsWith("windows")) {
			String localAppData = environment.apply("LOCALAPPDATA");
			if (localAppData != null && !localAppData.isBlank()) {
				return absolute(localAppData, "LOCALAPPDATA");
			}
			return Path.of(userHome, "AppData", "Local");
		}
		if (os.startsWith("mac")) {
			return Path.of(userHome, "Library", "Caches");
		}
		String xdg = environment.apply("XDG_CACHE_HOME");
		// The XDG spec says a relative value is invalid and must be ignored.
		if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
			return Path.of(xdg);
		}
		return Path.of(userHome, ".cache");
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

	private static Path absolute(String value, String source) {
		try {
			return Path.of(value).toAbsolutePath().normalize();
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					"Invalid depot '" + MessageText.printable(value) + "' from " + source + ": " + ex.getMessage(), ex);
		}
	}

}
