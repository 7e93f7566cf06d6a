package dev.scratchspace.boot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.io.ApplicationResourceLoader;
import org.springframework.core.io.Resource;

/**
 * Finds the {@code Artifacts.toml} of {@code scratch.artifacts.toml} (a Spring resource
 * location) as a {@link Path}, which the core reads and records in
 * {@code logs/artifact_usage.toml}. A file (a {@code file:} or plain location, or a
 * {@code classpath:} resource of an exploded application) is its own path. An entry of a jar
 * (a {@code jar:file:} URL, or Spring Boot's {@code jar:nested:} URL of the executable jar's
 * {@code BOOT-INF/classes/}) is read through a zip file system of the jar, so that the jar,
 * the file that exists on disk, is what the usage log records and what keeps the artifact
 * through garbage collection while the jar exists.
 *
 * <p>Any other location is refused before it is touched ({@link #check(String)}): an
 * {@code http:} or {@code https:} location, a {@code jar:} of one, or a {@code file:} URL
 * naming another host (which Java fetches over FTP) would make the start wait, without a
 * bound, for a server that may never answer, and a remote file is nothing the usage log can
 * record.
 */
final class ArtifactsTomlLocation {

	static final String PROPERTY = "scratch.artifacts.toml";

	static final String DEFAULT = "classpath:Artifacts.toml";

	static final String RULE = "a file path or a file:, classpath: or jar: location "
			+ "(a file: location on this host, a jar: of a file: jar)";

	/** A URL scheme of two characters or more: a drive letter ({@code C:\\}) is a path. */
	private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):.*", Pattern.DOTALL);

	private ArtifactsTomlLocation() {
	}

	/**
	 * Applies an action to the {@code Artifacts.toml} at a location; a zip file system opened
	 * for it is closed afterwards.
	 * @param location the resource location
	 * @param classLoader the class loader of {@code classpath:} locations
	 * @param action what to do with the file
	 * @return the action's result
	 * @throws UncheckedIOException naming the location if it does not exist or cannot be read
	 * as a file or an entry of a jar file
	 * @throws IllegalArgumentException naming the property, the location and the rule if the
	 * location is not local ({@link #check(String)}); then nothing was touched
	 */
	static <T> T apply(String location, @Nullable ClassLoader classLoader, Function<Path, T> action) {
		check(location);
		Resource resource = ApplicationResourceLoader.get(classLoader).getResource(location);
		if (!resource.exists()) {
			throw new UncheckedIOException("The Artifacts.toml " + location + " does not exist",
					new NoSuchFileException(location));
		}
		try {
			if (resource.isFile()) {
				return action.apply(resource.getFile().toPath());
			}
			JarEntry entry = JarEntry.of(resource.getURI());
			if (entry == null) {
				throw new IOException("The Artifacts.toml " + location + " is " + resource.getURI()
						+ ", neither a file nor an entry of a jar file");
			}
			try (FileSystem jar = FileSystems.newFileSystem(entry.jar())) {
				return action.apply(jar.getPath("/" + entry.name()));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the Artifacts.toml " + location + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Refuses a location that is not local, looking at its text only: a plain path, a
	 * {@code file:} URL without a host (or {@code localhost}), {@code classpath:}, or
	 * {@code jar:} of such a {@code file:} URL or of Spring Boot's {@code nested:} jar.
	 * @param location the resource location
	 * @return the location
	 * @throws IllegalArgumentException naming the property, the location and the rule
	 */
	static String check(String location) {
		if (!isLocal(location)) {
			throw new IllegalArgumentException(PROPERTY + " is '" + location + "', which is not " + RULE
					+ ": the Artifacts.toml is read where the application runs, and a remote one would make the "
					+ "start wait for its server; nothing was fetched");
		}
		return location;
	}

	private static boolean isLocal(String location) {
		Matcher scheme = SCHEME.matcher(location);
		if (!scheme.matches()) {
			return true;
		}
		String name = scheme.group(1).toLowerCase(Locale.ROOT);
		String rest = location.substring(name.length() + 1);
		return switch (name) {
			case "classpath" -> true;
			case "file" -> isLocalFile(rest);
			case "jar" -> {
				int separator = rest.indexOf("!/");
				String jar = (separator >= 0) ? rest.substring(0, separator) : rest;
				yield jar.regionMatches(true, 0, "file:", 0, 5) && isLocalFile(jar.substring(5))
						|| jar.regionMatches(true, 0, JarEntry.NESTED, 0, JarEntry.NESTED.length());
			}
			default -> false;
		};
	}

	/** After {@code file:}: no authority, an empty one, or {@code localhost}. */
	private static boolean isLocalFile(String rest) {
		if (!rest.startsWith("//")) {
			return true;
		}
		int end = rest.indexOf('/', 2);
		String host = rest.substring(2, (end >= 0) ? end : rest.length());
		return host.isEmpty() || host.equalsIgnoreCase("localhost");
	}

	/**
	 * An entry of a jar file on the default file system.
	 *
	 * @param jar the jar file
	 * @param name the entry's name, without a leading {@code /}
	 */
	record JarEntry(Path jar, String name) {

		private static final String SEPARATOR = "!/";

		static final String NESTED = "nested:";

		/**
		 * The jar entry a URI points to: {@code jar:file:/app.jar!/Artifacts.toml}, or Spring
		 * Boot's {@code jar:nested:/app.jar/!BOOT-INF/classes/!/Artifacts.toml} (a directory of
		 * the executable jar).
		 * @param uri the URI
		 * @return the entry, or {@code null} if the URI is not one of those forms
		 * @throws IOException naming the URI if it points into a jar nested in the jar
		 */
		static @Nullable JarEntry of(URI uri) throws IOException {
			if (!"jar".equalsIgnoreCase(uri.getScheme())) {
				return null;
			}
			String inner = uri.getRawSchemeSpecificPart();
			int separator = inner.indexOf(SEPARATOR);
			if (separator < 0) {
				return null;
			}
			String outer = inner.substring(0, separator);
			String name = decode(inner.substring(separator + SEPARATOR.length()));
			if (outer.regionMatches(true, 0, "file:", 0, 5)) {
				return new JarEntry(Path.of(URI.create(outer)), name);
			}
			if (!outer.regionMatches(true, 0, NESTED, 0, NESTED.length())) {
				return null;
			}
			String nested = outer.substring(NESTED.length());
			int nestedSeparator = nested.lastIndexOf("/!");
			if (nestedSeparator < 0) {
				return new JarEntry(Path.of(decode(nested)), name);
			}
			String directory = decode(nested.substring(nestedSeparator + 2));
			if (!directory.isEmpty() && !directory.endsWith("/")) {
				throw new IOException(uri + " is inside the jar " + directory + " nested in the application's jar; "
						+ "put the Artifacts.toml in the application's own classes, or set " + PROPERTY
						+ " to a file: location");
			}
			return new JarEntry(Path.of(decode(nested.substring(0, nestedSeparator))), directory + name);
		}

		/** Percent-decoding; a {@code +} stays as it is, as in a path. */
		private static String decode(String raw) {
			return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
		}

	}

}
