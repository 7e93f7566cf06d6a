package dev.scratchspace;

import java.util.ArrayList;
import java.util.List;

/**
 * Warnings about a damaged file, bounded so that a file full of garbage does not turn into a
 * report of millions of lines: the first {@value #LIMIT} are kept, the rest only counted.
 */
final class BoundedWarnings {

	static final int LIMIT = 100;

	private final List<String> kept = new ArrayList<>();

	private long dropped;

	void add(String warning) {
		if (this.kept.size() < LIMIT) {
			this.kept.add(warning);
		}
		else {
			this.dropped++;
		}
	}

	/** @return the kept warnings, then a line that counts the others, if any */
	List<String> toList() {
		if (this.dropped == 0) {
			return List.copyOf(this.kept);
		}
		List<String> all = new ArrayList<>(this.kept);
		all.add("... and " + this.dropped + " more");
		return List.copyOf(all);
	}

}
