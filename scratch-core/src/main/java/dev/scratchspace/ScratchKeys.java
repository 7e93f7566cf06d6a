package dev.scratchspace;

import java.util.Objects;

/** The rule for space keys. */
final class ScratchKeys {

	static final String RULE = "a key is 1 to 255 characters of A-Z, a-z, 0-9, '.', '_' and '-', and not '.' or '..'";

	private ScratchKeys() {
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
					"Invalid scratch space key '" + ScratchOwner.printable(key) + "': " + RULE);
		}
		return key;
	}

}
