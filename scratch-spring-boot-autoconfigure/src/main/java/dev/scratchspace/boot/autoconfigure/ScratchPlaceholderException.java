package dev.scratchspace.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;

/**
 * Thrown when a {@code $<scratch:…>} or {@code $<artifact:…>} placeholder cannot be resolved:
 * it is malformed, names an invalid key or owner, scratch spaces are disabled, the depot cannot
 * be used, the {@code scratch.*} properties that the manager is built from are invalid (the
 * cause then names the property), or the artifact cannot be installed (the cause says why:
 * no {@code Artifacts.toml}, no such name in it, a failed download, a hash that does not
 * match). It carries the placeholder and the property that held it, so that the
 * start-up failure can name both wherever it surfaces.
 *
 * <p>A {@link BeansException}, so that the bean factory records the injection point
 * ({@code @Value} field or parameter) when it is thrown while resolving an embedded value.
 */
public final class ScratchPlaceholderException extends BeansException {

	private static final long serialVersionUID = 1L;

	private final String placeholder;

	private final String value;

	private final @Nullable String property;

	private final String problem;

	private final transient @Nullable DepotSource depotSource;

	private final @Nullable String artifact;

	private final @Nullable String artifactsToml;

	ScratchPlaceholderException(String message, String placeholder, String value, @Nullable String property,
			String problem, @Nullable DepotSource depotSource, @Nullable Throwable cause) {
		this(message, placeholder, value, property, problem, depotSource, cause, null, null);
	}

	ScratchPlaceholderException(String message, String placeholder, String value, @Nullable String property,
			String problem, @Nullable DepotSource depotSource, @Nullable Throwable cause, @Nullable String artifact,
			@Nullable String artifactsToml) {
		super(message, cause);
		this.placeholder = placeholder;
		this.value = value;
		this.property = property;
		this.problem = problem;
		this.depotSource = depotSource;
		this.artifact = artifact;
		this.artifactsToml = artifactsToml;
	}

	/** @return whether the placeholder is a {@code $<artifact:…>} one */
	public boolean isArtifactPlaceholder() {
		return this.placeholder.startsWith(ArtifactPlaceholder.PREFIX);
	}

	/**
	 * @return the name of the artifact, or {@code null} if the placeholder is not an artifact
	 * placeholder or its name is invalid
	 */
	public @Nullable String getArtifact() {
		return this.artifact;
	}

	/**
	 * @return the location of the {@code Artifacts.toml} ({@code scratch.artifacts.toml}), or
	 * {@code null} if the placeholder is not an artifact placeholder
	 */
	public @Nullable String getArtifactsToml() {
		return this.artifactsToml;
	}

	/** @return the placeholder as written, such as {@code $<scratch:cache>} */
	public String getPlaceholder() {
		return this.placeholder;
	}

	/** @return the whole value that holds the placeholder */
	public String getValue() {
		return this.value;
	}

	/** @return the property that holds the value, or {@code null} for a {@code @Value} */
	public @Nullable String getProperty() {
		return this.property;
	}

	/** @return what is wrong, without the placeholder and the property */
	public String getProblem() {
		return this.problem;
	}

	/** @return the depot setting of the manager that failed, or {@code null} if none was involved */
	public @Nullable DepotSource getDepotSource() {
		return this.depotSource;
	}

}
