package dev.scratchspace.boot.diagnostics;

import java.io.UncheckedIOException;
import java.nio.file.Path;

import dev.scratchspace.boot.autoconfigure.DepotSource;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A depot that cannot be used, and the setting that chose it. The core names the path in
 * every such failure: an {@link UncheckedIOException} for a depot that is a file, is not
 * writable or is on a read-only file system, an {@link IllegalStateException} for a depot it
 * refuses.
 */
final class DepotFailure {

	private DepotFailure() {
	}

	/**
	 * The failure of the depot in a chain of causes.
	 * @param failure the failure
	 * @param depot the depot, or {@code null} to take any I/O failure as the depot's
	 * @return the depot's failure, or {@code null} if there is none
	 */
	static @Nullable RuntimeException find(Throwable failure, @Nullable Path depot) {
		for (Throwable cause : FailureChain.of(failure)) {
			if (cause instanceof UncheckedIOException || cause instanceof IllegalStateException) {
				String message = cause.getMessage();
				if (depot != null ? message != null && message.contains(depot.toString())
						: cause instanceof UncheckedIOException) {
					return (RuntimeException) cause;
				}
			}
		}
		return null;
	}

	static FailureAnalysis analysis(RuntimeException depotFailure, DepotSource source, @Nullable String readFor,
			Throwable failure) {
		StringBuilder description = new StringBuilder("The scratch space depot cannot be used: ")
			.append(depotFailure.getMessage())
			.append(String.format("%n%n"));
		if (source.depot() != null) {
			description.append(String.format("    Depot: %s%n", source.depot()));
		}
		description.append(String.format("    Chosen by: %s%n", source.describe()));
		if (readFor != null) {
			description.append(String.format("%n%s", readFor));
		}
		return new FailureAnalysis(description.toString().strip(), action(source), failure);
	}

	private static String action(DepotSource source) {
		String depot = (source.depot() != null) ? source.depot().toString() : "the depot";
		String what = "a directory that this user can create and write, on a file system that is not read-only";
		return switch (source.kind()) {
			case PROPERTY -> "Set scratch.depot to " + what + ", or make " + depot + " one.";
			case ENVIRONMENT -> "Set the " + variable(source) + " environment variable (or scratch.depot, which takes "
					+ "precedence) to " + what + ", or make " + depot + " one.";
			case DEFAULT -> "Set scratch.depot (or SCRATCH_DEPOT) to " + what + ", or make " + depot + " one.";
		};
	}

	private static String variable(DepotSource source) {
		return (source.origin() != null) ? source.origin() : "SCRATCH_DEPOT";
	}

}
