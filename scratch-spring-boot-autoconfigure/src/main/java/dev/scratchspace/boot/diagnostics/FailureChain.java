package dev.scratchspace.boot.diagnostics;

import java.util.ArrayList;
import java.util.List;

import dev.scratchspace.boot.autoconfigure.ScratchPlaceholderException;
import org.jspecify.annotations.Nullable;

/**
 * The causes of a failure, outermost first, and the sentences the analyzers share.
 */
final class FailureChain {

	private FailureChain() {
	}

	static List<Throwable> of(Throwable failure) {
		List<Throwable> chain = new ArrayList<>();
		for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
			chain.add(cause);
		}
		return chain;
	}

	static <T extends Throwable> @Nullable T first(Throwable failure, Class<T> type) {
		for (Throwable cause : of(failure)) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	/**
	 * Where a placeholder was: {@code property 'x'}, {@code the @Value of field f in C}, or both.
	 * @param failure the failure
	 * @param injectionPoint the injection point as Spring Boot describes it ("Field f in C"),
	 * or {@code null}
	 * @return the words, for a sentence
	 */
	static String where(ScratchPlaceholderException failure, @Nullable String injectionPoint) {
		String property = failure.getProperty();
		String injection = (injectionPoint != null) ? "the @Value of " + lowerFirst(injectionPoint) : null;
		if (property != null) {
			return "property '" + property + "'" + ((injection != null) ? ", read by " + injection : "");
		}
		if (injection != null) {
			return injection;
		}
		return "the @Value '" + failure.getValue() + "'";
	}

	/** The sentence that says which placeholder led to a failure. */
	static String readFor(ScratchPlaceholderException failure, @Nullable String injectionPoint) {
		return "This happened while resolving the " + kind(failure) + " '" + failure.getPlaceholder() + "' in "
				+ where(failure, injectionPoint) + ".";
	}

	/** {@code scratch space placeholder} or {@code artifact placeholder}. */
	static String kind(ScratchPlaceholderException failure) {
		return failure.isArtifactPlaceholder() ? "artifact placeholder" : "scratch space placeholder";
	}

	private static String lowerFirst(String text) {
		return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
	}

}
