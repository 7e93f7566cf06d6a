package dev.scratchspace;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The rules for the names in a depot: space keys, and the owner UUIDs that name the owner
 * directories. Public so that adapters (the actuator endpoint, the command line) reject what
 * the core would reject, with the same words.
 */
public final class ScratchKeys {

	/** The key rule, in words, for messages. */
	public static final String KEY_RULE = "a key is 1 to 255 characters of A-Z, a-z, 0-9, '.', '_' and '-', and not '.' or '..'";

	private static final int UUID_LENGTH = 36;

	private static final Pattern COORDINATE_PART = Pattern.compile("[A-Za-z0-9_.-]+");

	private ScratchKeys() {
	}

	/**
	 * Whether a text is a UUID in its canonical form: 8-4-4-4-12 hexadecimal digits, of
	 * either case. {@link java.util.UUID#fromString} alone also takes forms such as
	 * {@code 1-2-3-4-5}, which name no owner directory.
	 * @param text the text
	 * @return whether {@code text} is a canonical UUID
	 */
	public static boolean isCanonicalUuid(String text) {
		return isUuid(text, false);
	}

	/**
	 * Whether a directory name is an owner's, {@code UUID.toString()}: canonical and lower
	 * case. Other directories under the spaces root are not the core's to list or delete.
	 */
	static boolean isOwnerDirectoryName(String name) {
		return isUuid(name, true);
	}

	private static boolean isUuid(String text, boolean lowerCaseOnly) {
		if (text.length() != UUID_LENGTH) {
			return false;
		}
		for (int i = 0; i < UUID_LENGTH; i++) {
			char c = text.charAt(i);
			boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
			boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
					|| (!lowerCaseOnly && c >= 'A' && c <= 'F');
			if (dash ? c != '-' : !hex) {
				return false;
			}
		}
		return true;
	}

	/** Whether a group or artifact id can name an owner: one or more of {@code [A-Za-z0-9_.-]}. */
	static boolean isCoordinatePart(String part) {
		return COORDINATE_PART.matcher(part).matches();
	}

	static boolean isValid(String key) {
		int length = key.length();
		if (length == 0 || length > 255 || ".".equals(key) || "..".equals(key)) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = key.charAt(i);
			boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
					|| c == '_' || c == '-';
			if (!allowed) {
				return false;
			}
		}
		return true;
	}

	static String validate(String key) {
		Objects.requireNonNull(key, "'key' must not be null");
		if (!isValid(key)) {
			throw new IllegalArgumentException(
					"Invalid scratch space key '" + MessageText.printable(key) + "': " + KEY_RULE);
		}
		return key;
	}

}
