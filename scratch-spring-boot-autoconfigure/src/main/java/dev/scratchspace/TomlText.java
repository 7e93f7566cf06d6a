package dev.scratchspace;

import org.jspecify.annotations.Nullable;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/** Interim TOML string helpers; replaced by the streaming codec. */
final class TomlText {

	private TomlText() {
	}

	static String quote(String s) {
		StringBuilder out = new StringBuilder(s.length() + 2);
		appendQuoted(out, s);
		return out.toString();
	}

	static void appendQuoted(StringBuilder out, String s) {
		out.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '\\' -> out.append("\\\\");
				case '"' -> out.append("\\\"");
				case '\b' -> out.append("\\b");
				case '\t' -> out.append("\\t");
				case '\n' -> out.append("\\n");
				case '\f' -> out.append("\\f");
				case '\r' -> out.append("\\r");
				default -> {
					if (c < 0x20 || c == 0x7f) {
						out.append(String.format("\\u%04X", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

	static @Nullable String unquoteOrNull(String quoted) {
		TomlParseResult result = Toml.parse("k = " + quoted);
		return result.hasErrors() ? null : result.getString("k");
	}

}
