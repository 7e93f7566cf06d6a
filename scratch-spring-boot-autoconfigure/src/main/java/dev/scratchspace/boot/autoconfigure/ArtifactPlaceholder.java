package dev.scratchspace.boot.autoconfigure;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One {@code $<artifact:NAME>} placeholder: the directory of the artifact that the
 * application's {@code Artifacts.toml} ({@code scratch.artifacts.toml}) binds to NAME,
 * installed when the placeholder is resolved.
 *
 * @param text the placeholder as written
 * @param name the artifact's name in the {@code Artifacts.toml}
 */
record ArtifactPlaceholder(String text, String name) {

	static final String PREFIX = "$<artifact:";

	static final String NAME_RULE = "a name is 1 to 255 characters of A-Z, a-z, 0-9, '.', '_' and '-', "
			+ "and not '.' or '..'";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");

	/**
	 * Parses a placeholder.
	 * @param text the placeholder, from {@link #PREFIX} to its closing {@code >}
	 * @return the placeholder
	 * @throws IllegalArgumentException saying what is wrong with the name
	 */
	static ArtifactPlaceholder parse(String text) {
		String name = text.substring(PREFIX.length(), text.length() - 1);
		if (name.isEmpty()) {
			throw new IllegalArgumentException("it names no artifact; write $<artifact:NAME>");
		}
		if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
			throw new IllegalArgumentException("'" + name + "' is not a valid artifact name: " + NAME_RULE);
		}
		return new ArtifactPlaceholder(text, name);
	}

	/**
	 * Installs the artifacts of placeholders.
	 */
	interface Installer {

		/**
		 * Installs an artifact, or finds it installed.
		 * @param placeholder the placeholder
		 * @return the artifact's directory
		 */
		Path install(ArtifactPlaceholder placeholder);

		/**
		 * The {@code Artifacts.toml} as configured, for messages.
		 * @return its location, such as {@code classpath:Artifacts.toml}
		 */
		String location();

	}

}
