package dev.scratchspace.cli;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/** The commands, with the options and the number of operands each accepts. */
enum Command {

	LIST(EnumSet.of(Option.DEPOT, Option.JSON), 0, 0),

	GC(EnumSet.of(Option.DEPOT, Option.DRY_RUN, Option.COLLECT_DELAY, Option.MAX_UNUSED_AGE, Option.MAX_TOTAL_SIZE,
			Option.JSON), 0, 0),

	CLEAR(EnumSet.of(Option.DEPOT), 1, 2);

	private final Set<Option> options;

	private final int minOperands;

	private final int maxOperands;

	Command(Set<Option> options, int minOperands, int maxOperands) {
		this.options = options;
		this.minOperands = minOperands;
		this.maxOperands = maxOperands;
	}

	/** @return the command as typed */
	String word() {
		return name().toLowerCase(Locale.ROOT);
	}

	boolean accepts(Option option) {
		return this.options.contains(option);
	}

	int minOperands() {
		return this.minOperands;
	}

	int maxOperands() {
		return this.maxOperands;
	}

	static @Nullable Command forWord(String word) {
		for (Command command : values()) {
			if (command.word().equals(word)) {
				return command;
			}
		}
		return null;
	}

}
