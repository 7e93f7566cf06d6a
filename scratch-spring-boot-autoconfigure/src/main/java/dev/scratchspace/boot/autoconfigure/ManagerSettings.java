package dev.scratchspace.boot.autoconfigure;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.Objects;

import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.system.ApplicationHome;

/**
 * What the {@code scratch.*} properties and the main application class say about the
 * application's {@link ScratchSpaceManager}. Two equal settings build equivalent managers.
 *
 * <p>The default owner is {@code scratch.owner} when set, else the artifact that contains the
 * main application class ({@link ScratchOwner#forClass(Class)}), else
 * {@link ScratchOwner#GLOBAL}. When that owner has no project file of its own, the project is
 * the application's: the executable jar, or the {@code pom.xml} of the build, as
 * {@link ApplicationHome} finds them, or the {@code META-INF/MANIFEST.MF} of an exploded
 * executable jar.
 *
 * @param depot the depot, or {@code null} for the core's default
 * @param owner the default owner
 * @param project the project file of the default owner's accesses, if known
 * @param trackAccess whether to record accesses
 * @param accessLogInterval the interval between two entries for the same space
 * @param lockTimeout the longest wait for any lock of the depot
 */
record ManagerSettings(@Nullable Path depot, ScratchOwner owner, @Nullable Path project, boolean trackAccess,
		Duration accessLogInterval, Duration lockTimeout) {

	private static final String POM = "pom.xml";

	static ManagerSettings of(ScratchProperties properties, @Nullable Class<?> mainApplicationClass) {
		ScratchOwner owner = owner(properties.getOwner(), mainApplicationClass);
		Path project = owner.project().orElseGet(() -> applicationProject(mainApplicationClass));
		return new ManagerSettings(properties.getDepot(), owner, project, properties.isTrackAccess(),
				properties.getAccessLogInterval(), properties.getLockTimeout());
	}

	private static ScratchOwner owner(@Nullable String owner, @Nullable Class<?> mainApplicationClass) {
		if (owner != null) {
			return ScratchOwner.parse(owner);
		}
		return (mainApplicationClass != null) ? ScratchOwner.forClass(mainApplicationClass) : ScratchOwner.GLOBAL;
	}

	static @Nullable Path applicationProject(@Nullable Class<?> mainApplicationClass) {
		Path exploded = explodedJarProject(mainApplicationClass);
		if (exploded != null) {
			return exploded;
		}
		ApplicationHome home = new ApplicationHome(mainApplicationClass);
		File source = home.getSource();
		if (source != null && source.isFile()) {
			return source.toPath();
		}
		if (source != null) {
			for (Path dir = source.toPath().toAbsolutePath(); dir != null; dir = dir.getParent()) {
				if (Files.isRegularFile(dir.resolve(POM))) {
					return dir.resolve(POM);
				}
			}
			return null;
		}
		// No source (as in tests): the home is the working directory; do not search above it.
		Path pom = home.getDir().toPath().resolve(POM);
		return Files.isRegularFile(pom) ? pom.toAbsolutePath() : null;
	}

	/**
	 * The project file of an application run from an exploded executable jar, whose classes
	 * are {@code <root>/BOOT-INF/classes}: the one the core finds for the main class (the
	 * root's {@code META-INF/MANIFEST.MF}), rather than a {@code pom.xml} that happens to lie
	 * above the deployment. Null for any other source.
	 */
	private static @Nullable Path explodedJarProject(@Nullable Class<?> mainApplicationClass) {
		if (mainApplicationClass == null) {
			return null;
		}
		try {
			CodeSource codeSource = mainApplicationClass.getProtectionDomain().getCodeSource();
			URL location = (codeSource != null) ? codeSource.getLocation() : null;
			if (location == null || !"file".equals(location.getProtocol())) {
				return null;
			}
			Path classes = Path.of(location.toURI());
			Path parent = classes.getParent();
			if (parent == null || !"classes".equals(String.valueOf(classes.getFileName()))
					|| !"BOOT-INF".equals(String.valueOf(parent.getFileName()))) {
				return null;
			}
		}
		catch (URISyntaxException | RuntimeException ex) {
			return null;
		}
		return ScratchOwner.forClass(mainApplicationClass).project().orElse(null);
	}

	/** @return a builder with these settings */
	ScratchSpaceManager.Builder builder() {
		ScratchSpaceManager.Builder builder = ScratchSpaceManager.builder()
			.defaultOwner(this.owner)
			.trackAccess(this.trackAccess)
			.accessLogInterval(this.accessLogInterval)
			.lockTimeout(this.lockTimeout);
		if (this.depot != null) {
			builder.depot(this.depot);
		}
		if (this.owner.project().isEmpty() && this.project != null) {
			builder.defaultProject(this.project);
		}
		return builder;
	}

	/** @return the default owner with its project file, to attribute accesses to */
	ScratchOwner caller() {
		return (this.owner.project().isPresent() || this.project == null) ? this.owner
				: this.owner.withProject(this.project);
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		// ScratchOwner compares UUIDs only; the project file matters here too.
		return obj instanceof ManagerSettings other && Objects.equals(this.depot, other.depot)
				&& this.owner.equals(other.owner) && this.owner.project().equals(other.owner.project())
				&& Objects.equals(this.project, other.project) && this.trackAccess == other.trackAccess
				&& this.accessLogInterval.equals(other.accessLogInterval) && this.lockTimeout.equals(other.lockTimeout);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.depot, this.owner, this.project, this.trackAccess, this.accessLogInterval,
				this.lockTimeout);
	}

}
