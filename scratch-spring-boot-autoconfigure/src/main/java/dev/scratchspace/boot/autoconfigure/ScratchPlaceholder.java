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

	static boolean containsPlaceholder(@Nullable Object value) {
		return value instanceof String text && text.contains(PREFIX);
	}

	/**
	 * Replaces every placeholder in {@code value} by the path of its space.
	 * @param value the text
	 * @param property the property that holds it, for messages; {@code null} if none
	 * @param spaces acquires a space and returns its path
	 * @param depot the depot setting of the manager that acquires the spaces, for messages
	 * @return the text with every placeholder replaced
	 * @throws ScratchPlaceholderException quoting the placeholder if one is malformed, or if
	 * its space cannot be created (with the reason as the cause)
	 */
	static String resolveAll(String value, @Nullable String property, Function<ScratchPlaceholder, Path> spaces,
			Supplier<DepotSource> depot) {
		int start = value.indexOf(PREFIX);
		if (start < 0) {
			return value;
		}
		StringBuilder resolved = new StringBuilder(value.length() + 64);
		int from = 0;
		while (start >= 0) {
			resolved.append(value, from, start);
			int end = value.indexOf(SUFFIX, start + PREFIX.length());
			if (end < 0) {
				throw invalid(value.substring(start), value, property, "it has no closing '>'");
			}
			String text = value.substring(start, end + SUFFIX.length());
			ScratchPlaceholder placeholder = parse(text, value, property);
			resolved.append(acquire(placeholder, value, property, spaces, depot));
			from = end + SUFFIX.length();
			start = value.indexOf(PREFIX, from);
		}
		return resolved.append(value, from, value.length()).toString();
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
		int start = value.indexOf(PREFIX);
		int end = value.indexOf(SUFFIX, start);
		String text = (end < 0) ? value.substring(start) : value.substring(start, end + SUFFIX.length());
		String problem = "scratch spaces are disabled (scratch.enabled=false)";
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
