package dev.scratchspace.cli;

import org.jspecify.annotations.Nullable;

/**
 * Writes indented JSON. Strings are escaped as RFC 8259 requires, and every character outside
 * printable ASCII is written as a {@code \\uXXXX} escape, so the output is the same bytes in
 * any console encoding and a path with an unpaired surrogate still gives valid JSON.
 */
final class JsonWriter {

	private final StringBuilder out = new StringBuilder();

	private int depth;

	/** Whether the open container has no element yet. */
	private boolean empty = true;

	/** Whether a name was written and its value is next. */
	private boolean named;

	JsonWriter beginObject() {
		element();
		return open('{');
	}

	JsonWriter endObject() {
		return close('}');
	}

	JsonWriter beginArray() {
		element();
		return open('[');
	}

	JsonWriter endArray() {
		return close(']');
	}

	JsonWriter name(String name) {
		separate();
		string(name);
		this.out.append(": ");
		this.named = true;
		return this;
	}

	JsonWriter value(@Nullable String value) {
		element();
		if (value == null) {
			this.out.append("null");
		}
		else {
			string(value);
		}
		return this;
	}

	JsonWriter value(long value) {
		element();
		this.out.append(value);
		return this;
	}

	JsonWriter value(boolean value) {
		element();
		this.out.append(value);
		return this;
	}

	@Override
	public String toString() {
		return this.out.toString();
	}

	private JsonWriter open(char bracket) {
		this.out.append(bracket);
		this.depth++;
		this.empty = true;
		return this;
	}

	private JsonWriter close(char bracket) {
		this.depth--;
		if (!this.empty) {
			newline();
		}
		this.out.append(bracket);
		this.empty = false;
		return this;
	}

	private void element() {
		if (this.named) {
			this.named = false;
		}
		else {
			separate();
		}
	}

	private void separate() {
		if (this.depth > 0) {
			if (!this.empty) {
				this.out.append(',');
			}
			newline();
		}
		this.empty = false;
	}

	private void newline() {
		this.out.append('\n');
		this.out.append("  ".repeat(this.depth));
	}

	private void string(String value) {
		this.out.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> this.out.append("\\\"");
				case '\\' -> this.out.append("\\\\");
				case '\n' -> this.out.append("\\n");
				case '\r' -> this.out.append("\\r");
				case '\t' -> this.out.append("\\t");
				case '\b' -> this.out.append("\\b");
				case '\f' -> this.out.append("\\f");
				default -> {
					if (c < 0x20 || c > 0x7e) {
						this.out.append(String.format("\\u%04x", (int) c));
					}
					else {
						this.out.append(c);
					}
				}
			}
		}
		this.out.append('"');
	}

}
