package dev.scratchspace.boot.diagnostics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import dev.scratchspace.boot.autoconfigure.DepotSource;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A depot that cannot be used, and the setting that chose it. The core names the path in
 * every such failure: an {@link UncheckedIOException} for a depot that is a file, is not
 * writable or is on a read-only file system, an {@link IllegalStateException} for a depot it
 * refuses (a directory that is not a depot, the root, the user's home, a relative setting).
 * A refused depot gets advice that does not suggest making that directory a depot.
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
				if (depot != null ? message != null && names(message, depot)
						: cause instanceof UncheckedIOException || isRefusal(cause)) {
					return (RuntimeException) cause;
				}
			}
		}
		return null;
	}

	/**
	 * The core's refusal of a depot in a chain of causes, for when the depot itself is not
	 * known (the platform default was refused, so no manager could tell it).
	 * @param failure the failure
	 * @return the refusal, or {@code null} if there is none
	 */
	static @Nullable RuntimeException findRefusal(Throwable failure) {
		for (Throwable cause : FailureChain.of(failure)) {
			if (isRefusal(cause)) {
				return (RuntimeException) cause;
			}
		}
		return null;
	}

	/**
	 * Whether the core refused a depot: an {@link IllegalStateException} about "the scratch
	 * space depot" (a directory that is not a depot, or a setting that is not absolute).
	 */
	private static boolean isRefusal(Throwable cause) {
		String message = cause.getMessage();
		return cause instanceof IllegalStateException && message != null && message.contains("scratch space depot");
	}

	/** Whether a message names the depot, as configured or as its real path (which the core uses). */
	private static boolean names(String message, Path depot) {
		if (message.contains(depot.toString())) {
			return true;
		}
		try {
			return message.contains(depot.toRealPath().toString());
		}
		catch (IOException | SecurityException ex) {
			return false;
		}
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
		return new FailureAnalysis(description.toString().strip(),
				isRefusal(depotFailure) ? refusedAction(source) : action(source), failure);
	}

	/** For a depot the core refused: never "make it one", it may be someone's home. */
	private static String refusedAction(DepotSource source) {
		String what = "the absolute path of a directory that is missing, empty or already a scratch space depot, "
				+ "such as a new directory in the user's cache directory";
		return switch (source.kind()) {
			case PROPERTY -> "Set scratch.depot to " + what + ".";
			case ENVIRONMENT -> "Set the " + variable(source) + " environment variable (or scratch.depot, which takes "
					+ "precedence) to " + what + ".";
			case DEFAULT -> "Set scratch.depot (or SCRATCH_DEPOT) to " + what + ".";
		};
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
