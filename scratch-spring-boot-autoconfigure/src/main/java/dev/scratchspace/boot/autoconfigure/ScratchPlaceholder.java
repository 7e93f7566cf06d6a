package dev.scratchspace.boot.autoconfigure;

import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import org.jspecify.annotations.Nullable;

/**
 * One {@code $<scratch:KEY>} or {@code $<scratch:OWNER/KEY>} placeholder: the path of a space,
 * created when the placeholder is resolved. {@code OWNER} is a UUID, {@code groupId:artifactId}
 * or {@code global}; without it, the space belongs to the application's default owner.
 *
 * @param text the placeholder as written
 * @param owner the owner, or {@code null} for the manager's default owner
 * @param key the key, validated by the manager when the space is acquired
 */
record ScratchPlaceholder(String text, @Nullable ScratchOwner owner, String key) {

	static final String PREFIX = "$<scratch:";

	private static final String SUFFIX = ">";

	private static final String FORMS = "write $<scratch:KEY> or $<scratch:OWNER/KEY>";

	/** Whether a value holds a {@code $<scratch:…>} or a {@code $<artifact:…>} placeholder. */
	static boolean containsPlaceholder(@Nullable Object value) {
		return value instanceof String text && (text.contains(PREFIX) || text.contains(ArtifactPlaceholder.PREFIX));
	}

	/** The start of the next placeholder of either kind, or -1. */
	private static int next(String value, int from) {
		int scratch = value.indexOf(PREFIX, from);
		int artifact = value.indexOf(ArtifactPlaceholder.PREFIX, from);
		if (scratch < 0 || artifact < 0) {
			return Math.max(scratch, artifact);
		}
		return Math.min(scratch, artifact);
	}

	/**
	 * Replaces every placeholder in {@code value}: a {@code $<scratch:…>} by the path of its
	 * space, a {@code $<artifact:…>} by the directory of its artifact.
	 * @param value the text
	 * @param property the property that holds it, for messages; {@code null} if none
	 * @param spaces acquires a space and returns its path
	 * @param artifacts installs an artifact and returns its directory
	 * @param depot the depot setting of the manager that acquires the spaces, for messages
	 * @return the text with every placeholder replaced
	 * @throws ScratchPlaceholderException quoting the placeholder if one is malformed, or if
	 * its space or artifact cannot be had (with the reason as the cause)
	 */
	static String resolveAll(String value, @Nullable String property, Function<ScratchPlaceholder, Path> spaces,
			ArtifactPlaceholder.Installer artifacts, Supplier<DepotSource> depot) {
		int start = next(value, 0);
		if (start < 0) {
			return value;
		}
		StringBuilder resolved = new StringBuilder(value.length() + 64);
		int from = 0;
		while (start >= 0) {
			resolved.append(value, from, start);
			boolean artifact = value.startsWith(ArtifactPlaceholder.PREFIX, start);
			int end = value.indexOf(SUFFIX, start + (artifact ? ArtifactPlaceholder.PREFIX : PREFIX).length());
			if (end < 0) {
				if (artifact) {
					throw invalidArtifact(value.substring(start), value, property, "it has no closing '>'", artifacts);
				}
				throw invalid(value.substring(start), value, property, "it has no closing '>'");
			}
			String text = value.substring(start, end + SUFFIX.length());
			if (artifact) {
				resolved.append(install(text, value, property, artifacts, depot));
			}
			else {
				ScratchPlaceholder placeholder = parse(text, value, property);
				resolved.append(acquire(placeholder, value, property, spaces, depot));
			}
			from = end + SUFFIX.length();
			start = next(value, from);
		}
		return resolved.append(value, from, value.length()).toString();
	}

	private static Path install(String text, String value, @Nullable String property,
			ArtifactPlaceholder.Installer artifacts, Supplier<DepotSource> depot) {
		ArtifactPlaceholder placeholder;
		try {
			placeholder = ArtifactPlaceholder.parse(text);
		}
		catch (IllegalArgumentException ex) {
			throw invalidArtifact(text, value, property, ex.getMessage(), artifacts);
		}
		try {
			return artifacts.install(placeholder);
		}
		catch (ScratchPlaceholderException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw failedArtifact(placeholder, value, property, artifacts, depot, ex);
		}
	}

	private static ScratchPlaceholderException failedArtifact(ArtifactPlaceholder placeholder, String value, @Nullable String property,
			ArtifactPlaceholder.Installer artifacts, Supplier<DepotSource> depot, RuntimeException ex) {
		String location = artifacts.location();
		return new ScratchPlaceholderException("Cannot install the artifact '" + placeholder.name() + "' of "
				+ location + " for placeholder '" + placeholder.text() + "'" + where(placeholder.text(), value, property)
				+ ": " + ex.getMessage(), placeholder.text(), value, property, String.valueOf(ex.getMessage()),
				depot.get(), ex, placeholder.name(), location);
	}

	/** The problem's own message is part of this one, so the cause is not chained. */
	private static ScratchPlaceholderException invalidArtifact(String text, String value, @Nullable String property,
			@Nullable String problem, ArtifactPlaceholder.Installer artifacts) {
		return new ScratchPlaceholderException(
				"Invalid artifact placeholder '" + text + "'" + where(text, value, property) + ": " + problem, text,
				value, property, String.valueOf(problem), null, null, null, artifacts.location());
	}

	private static ScratchPlaceholder parse(String text, String value, @Nullable String property) {
		String content = text.substring(PREFIX.length(), text.length() - SUFFIX.length());
		if (content.isEmpty()) {
			throw invalid(text, value, property, "it names no space; " + FORMS);
		}
		int slash = content.indexOf('/');
		if (slash < 0) {
			return new ScratchPlaceholder(text, null, content);
		}
		if (content.indexOf('/', slash + 1) >= 0) {
			throw invalid(text, value, property, "it has more than one '/'; " + FORMS);
		}
		try {
			ScratchOwner owner = ScratchOwner.parse(content.substring(0, slash));
			return new ScratchPlaceholder(text, owner, content.substring(slash + 1));
		}
		catch (IllegalArgumentException ex) {
			throw invalid(text, value, property, ex.getMessage());
		}
	}

	private static Path acquire(ScratchPlaceholder placeholder, String value, @Nullable String property,
			Function<ScratchPlaceholder, Path> spaces, Supplier<DepotSource> depot) {
		try {
			return spaces.apply(placeholder);
		}
		catch (ScratchPlaceholderException ex) {
			throw ex;
		}
		catch (IllegalArgumentException ex) {
			throw invalid(placeholder.text(), value, property, ex.getMessage());
		}
		catch (RuntimeException ex) {
			// The depot, or the scratch.* properties the manager is built from: the cause says which.
			throw new ScratchPlaceholderException(
					"Cannot resolve scratch space placeholder '" + placeholder.text() + "'"
							+ where(placeholder.text(), value, property) + ": " + ex.getMessage(),
					placeholder.text(), value, property, String.valueOf(ex.getMessage()), depot.get(), ex);
		}
	}

	/**
	 * The failure of a placeholder read while scratch spaces are disabled.
	 * @param value the text with a placeholder
	 * @param property the property that holds it, for messages; {@code null} if none
	 * @return the exception to throw
	 */
	static ScratchPlaceholderException disabled(String value, @Nullable String property) {
		int start = next(value, 0);
		int end = value.indexOf(SUFFIX, start);
		String text = (end < 0) ? value.substring(start) : value.substring(start, end + SUFFIX.length());
		String problem = (value.startsWith(ArtifactPlaceholder.PREFIX, start) ? "artifacts are" : "scratch spaces are")
				+ " disabled (scratch.enabled=false)";
		return new ScratchPlaceholderException("Cannot resolve '" + value + "'"
				+ ((property != null) ? " in property '" + property + "'" : "") + ": " + problem, text, value, property,
				problem, null, null);
	}

	/** The problem's own message is part of this one, so the cause is not chained. */
	private static ScratchPlaceholderException invalid(String text, String value, @Nullable String property,
			@Nullable String problem) {
		return new ScratchPlaceholderException(
				"Invalid scratch space placeholder '" + text + "'" + where(text, value, property) + ": " + problem, text,
				value, property, String.valueOf(problem), null, null);
	}

	private static String where(String text, String value, @Nullable String property) {
		if (property != null) {
			return " in property '" + property + "'";
		}
		return text.equals(value) ? "" : " in '" + value + "'";
	}

	/**
	 * Creates the space, or finds it, through a manager.
	 * @param manager the manager
	 * @param caller the owner the access is attributed to when the placeholder names an
	 * owner; the default owner's accesses are attributed as the manager's settings say
	 * @return the path of the space
	 */
	Path acquire(ScratchSpaceManager manager, ScratchOwner caller) {
		return (this.owner != null) ? manager.getScratch(this.owner, this.key, caller) : manager.getScratch(this.key);
	}

}
