package dev.scratchspace;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Finds the Maven artifact that contains a class, from the class's code source: a jar's
 * {@code pom.properties}, the nearest {@code pom.xml} above a directory of classes, or a jar
 * nested in a Spring Boot executable jar. It finds coordinates and a project file only;
 * {@link ScratchOwner#forClass(Class)} makes the owner of them.
 */
final class ArtifactLocator {

	private static final System.Logger logger = System.getLogger(ArtifactLocator.class.getName());

	private static final Pattern POM_PROPERTIES = Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");

	private static final Map<String, Artifact> CACHE = new ConcurrentHashMap<>();

	private static final List<String> GRADLE_BUILD_FILES = List.of("build.gradle.kts", "build.gradle");

	private static final Pattern COMMENT_OR_CDATA = Pattern.compile("<!--.*?-->|<!\\[CDATA\\[.*?]]>|<\\?.*?\\?>",
			Pattern.DOTALL);

	private static final Pattern TAG = Pattern.compile("<(/?)([A-Za-z_][\\w.:-]*)[^>]*?(/?)>");

	private ArtifactLocator() {
	}

	/**
	 * What was found: valid coordinates (or none) and the project file that keeps the
	 * artifact's spaces alive (or none).
	 * @param groupId the group id, of {@code [A-Za-z0-9_.-]}, or null with the artifact id
	 * @param artifactId the artifact id, of {@code [A-Za-z0-9_.-]}, or null with the group id
	 * @param version the version, when known
	 * @param project the jar, {@code pom.xml} or build script, when known
	 */
	record Artifact(@Nullable String groupId, @Nullable String artifactId, @Nullable String version,
			@Nullable Path project) {

		/** No artifact: the class belongs to no project (the JDK, or an unknown code source). */
		static final Artifact NONE = new Artifact(null, null, null, null);

		static Artifact projectOnly(Path project) {
			return new Artifact(null, null, null, project);
		}

	}

	static Artifact locate(Class<?> type) {
		URL location = codeSourceLocation(type);
		if (location == null) {
			return Artifact.NONE;
		}
		return CACHE.computeIfAbsent(location.toString(), ArtifactLocator::locate);
	}

	private static @Nullable URL codeSourceLocation(Class<?> type) {
		try {
			ProtectionDomain domain = type.getProtectionDomain();
			CodeSource source = (domain != null) ? domain.getCodeSource() : null;
			return (source != null) ? source.getLocation() : null;
		}
		catch (SecurityException ex) {
			return null;
		}
	}

	static Artifact locate(String location) {
		try {
			String text = location.startsWith("jar:") ? location.substring(4) : location;
			if (text.startsWith("nested:")) {
				return nested(text.substring("nested:".length()), "/!");
			}
			int separator = text.indexOf("!/");
			if (text.startsWith("file:") && separator > 0) {
				return nested(text.substring("file:".length()), "!/");
			}
			if (text.startsWith("file:")) {
				Path path = Path.of(new URI(text));
				return Files.isDirectory(path) ? fromClassesDirectory(path) : fromJar(path);
			}
		}
		catch (IOException | URISyntaxException | RuntimeException ex) {
			logger.log(System.Logger.Level.DEBUG, () -> "No artifact found for code source " + location, ex);
		}
		return Artifact.NONE;
	}

	/** {@code <outer jar><separator><entry>[!/]}, as Spring Boot's launchers write them. */
	private static Artifact nested(String text, String separator) throws IOException, URISyntaxException {
		int split = text.indexOf(separator);
		if (split < 0) {
			return fromJar(fileOf(text));
		}
		Path outer = fileOf(text.substring(0, split));
		String entry = text.substring(split + separator.length());
		int end = entry.indexOf("!/");
		entry = (end >= 0) ? entry.substring(0, end) : entry;
		if (entry.endsWith("/")) {
			// BOOT-INF/classes/: the application itself, described by the outer jar's pom.properties.
			return fromJar(outer);
		}
		try (JarFile jar = new JarFile(outer.toFile())) {
			JarEntry inner = jar.getJarEntry(entry);
			if (inner == null) {
				return Artifact.projectOnly(outer);
			}
			String name = entry.substring(entry.lastIndexOf('/') + 1);
			try (JarInputStream stream = new JarInputStream(jar.getInputStream(inner))) {
				List<Properties> found = new ArrayList<>();
				for (JarEntry each; (each = stream.getNextJarEntry()) != null;) {
					if (POM_PROPERTIES.matcher(each.getName()).matches()) {
						found.add(load(stream));
					}
				}
				return choose(found, name, outer);
			}
		}
	}

	private static Path fileOf(String uriPath) throws URISyntaxException {
		return Path.of(new URI("file", null, decode(uriPath), null)).toAbsolutePath().normalize();
	}

	private static String decode(String text) {
		return java.net.URLDecoder.decode(text.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
	}

	private static Artifact fromJar(Path jarPath) throws IOException {
		Path jar = jarPath.toAbsolutePath().normalize();
		try (JarFile file = new JarFile(jar.toFile())) {
			List<Properties> found = new ArrayList<>();
			for (var entries = file.entries(); entries.hasMoreElements();) {
				JarEntry entry = entries.nextElement();
				if (POM_PROPERTIES.matcher(entry.getName()).matches()) {
					try (InputStream in = file.getInputStream(entry)) {
						found.add(load(in));
					}
				}
			}
			return choose(found, jar.getFileName().toString(), jar);
		}
	}

	private static Properties load(InputStream in) throws IOException {
		Properties properties = new Properties();
		properties.load(in);
		return properties;
	}

	/** One {@code pom.properties}, or of several the one whose artifactId names the jar. */
	private static Artifact choose(List<Properties> found, String jarName, Path project) {
		Properties chosen = null;
		if (found.size() == 1) {
			chosen = found.get(0);
		}
		else {
			int best = -1;
			for (Properties candidate : found) {
				String artifactId = candidate.getProperty("artifactId", "");
				boolean names = jarName.equals(artifactId + ".jar") || jarName.startsWith(artifactId + "-");
				if (names && artifactId.length() > best) {
					best = artifactId.length();
					chosen = candidate;
				}
			}
		}
		if (chosen == null) {
			return Artifact.projectOnly(project);
		}
		return artifact(chosen.getProperty("groupId"), chosen.getProperty("artifactId"), chosen.getProperty("version"),
				project);
	}

	private static Artifact artifact(@Nullable String groupId, @Nullable String artifactId,
			@Nullable String version, Path project) {
		if (groupId == null || artifactId == null) {
			return Artifact.projectOnly(project);
		}
		String group = groupId.trim();
		String artifact = artifactId.trim();
		if (!ScratchKeys.isCoordinatePart(group) || !ScratchKeys.isCoordinatePart(artifact)) {
			logger.log(System.Logger.Level.DEBUG, () -> "Unusable coordinates " + MessageText.printable(group) + ":"
					+ MessageText.printable(artifact) + " in " + project);
			return Artifact.projectOnly(project);
		}
		return new Artifact(group, artifact, (version != null) ? version.trim() : null, project);
	}

	/**
	 * The nearest build file above a directory of classes: a {@code pom.xml}, read for the
	 * coordinates, or else a Gradle build script, which carries none but still serves as the
	 * project file that keeps the spaces alive.
	 */
	private static Artifact fromClassesDirectory(Path classes) throws IOException {
		for (Path dir = classes.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
			Path pom = dir.resolve("pom.xml");
			if (Files.isRegularFile(pom)) {
				return fromPom(pom);
			}
			for (String gradle : GRADLE_BUILD_FILES) {
				Path script = dir.resolve(gradle);
				if (Files.isRegularFile(script)) {
					return Artifact.projectOnly(script);
				}
			}
		}
		return Artifact.NONE;
	}

	/**
	 * Reads the coordinates of a {@code pom.xml}: the top-level {@code groupId} (or the
	 * parent's), {@code artifactId} and {@code version}. A small scan rather than an XML
	 * parser, which costs tens of milliseconds to load at application start.
	 */
	static Artifact fromPom(Path pom) throws IOException {
		Path project = pom.toAbsolutePath().normalize();
		String xml = COMMENT_OR_CDATA.matcher(Files.readString(project, StandardCharsets.UTF_8)).replaceAll(" ");
		Map<String, String> values = new HashMap<>();
		Deque<String> open = new ArrayDeque<>();
		Matcher tag = TAG.matcher(xml);
		int textStart = -1;
		while (tag.find()) {
			String name = tag.group(2);
			if (tag.group(1).isEmpty()) {
				if (tag.group(3).isEmpty()) {
					open.push(name);
					textStart = tag.end();
				}
			}
			else if (!open.isEmpty() && open.peek().equals(name)) {
				if (textStart >= 0 && (open.size() == 2 || open.size() == 3)) {
					String path = String.join("/", reversed(open));
					values.putIfAbsent(path, xml.substring(textStart, tag.start()).trim());
				}
				open.pop();
				textStart = -1;
			}
		}
		String groupId = nonEmpty(values.get("project/groupId"));
		if (groupId == null) {
			groupId = nonEmpty(values.get("project/parent/groupId"));
		}
		String version = nonEmpty(values.get("project/version"));
		if (version == null) {
			version = nonEmpty(values.get("project/parent/version"));
		}
		return artifact(groupId, nonEmpty(values.get("project/artifactId")), version, project);
	}

	private static List<String> reversed(Deque<String> stack) {
		List<String> names = new ArrayList<>(stack);
		Collections.reverse(names);
		return names;
	}

	private static @Nullable String nonEmpty(@Nullable String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

}
