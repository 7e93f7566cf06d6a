package dev.scratchspace.cli;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/** The options of the commands; each command accepts a subset. */
enum Option {

	DEPOT("DIR"),

	JSON(null),

	DRY_RUN(null),

	COLLECT_DELAY("DURATION"),

	MAX_UNUSED_AGE("DURATION"),

	MAX_TOTAL_SIZE("SIZE");

	private final String flag;

	private final @Nullable String valueName;

	Option(@Nullable String valueName) {
		this.flag = "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
		this.valueName = valueName;
	}

	/** @return the option as typed, such as {@code --dry-run} */
	String flag() {
		return this.flag;
	}

	/** @return the placeholder of its value, or {@code null} for a switch */
	@Nullable String valueName() {
		return this.valueName;
	}

	static @Nullable Option forFlag(String flag) {
		for (Option option : values()) {
			if (option.flag.equals(flag)) {
				return option;
			}
		}
		return null;
	}

}
