package dev.scratchspace;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The owner of scratch spaces: a UUID, usually derived from a Maven artifact's coordinates.
 * Two owners are equal when their UUIDs are equal; coordinates, version and project file are
 * descriptive only.
 *
 * <p>The UUID of an artifact is the name-based (version 5, SHA-1) UUID of its Package URL
 * without version, {@code pkg:maven/<groupId>/<artifactId>}, in the RFC 4122 URL namespace,
 * so every JVM and every tool computes the same owner for the same artifact.
 */
public final class ScratchOwner {

	/** The owner of spaces that belong to no particular package. */
	public static final ScratchOwner GLOBAL = new ScratchOwner(new UUID(0, 0), null, null, null);

	private static final UUID URL_NAMESPACE = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

	/** The owners of artifacts found by {@link #forClass}: an owner's UUID costs a SHA-1. */
	private static final Map<ArtifactLocator.Artifact, ScratchOwner> FOUND = new ConcurrentHashMap<>();

	private final UUID uuid;

	private final @Nullable String coordinates;

	private final @Nullable String version;

	private final @Nullable Path project;

	private ScratchOwner(UUID uuid, @Nullable String coordinates, @Nullable String version, @Nullable Path project) {
		this.uuid = uuid;
		this.coordinates = coordinates;
		this.version = version;
		this.project = project;
	}

	/**
	 * An owner with an explicit UUID.
	 * @param uuid the UUID
	 * @return the owner
	 */
	public static ScratchOwner of(UUID uuid) {
		Objects.requireNonNull(uuid, "'uuid' must not be null");
		return GLOBAL.uuid.equals(uuid) ? GLOBAL : new ScratchOwner(uuid, null, null, null);
	}

	/**
	 * The owner of a Maven artifact.
	 * @param groupId the group id, of {@code [A-Za-z0-9_.-]}
	 * @param artifactId the artifact id, of {@code [A-Za-z0-9_.-]}
	 * @return the owner, with its coordinates
	 */
	public static ScratchOwner of(String groupId, String artifactId) {
		return ofArtifact(groupId, artifactId, null, null);
	}

	static ScratchOwner ofArtifact(String groupId, String artifactId, @Nullable String version,
			@Nullable Path project) {
		checkCoordinatePart("groupId", groupId);
		checkCoordinatePart("artifactId", artifactId);
		UUID uuid = nameBasedUuid("pkg:maven/" + groupId + "/" + artifactId);
		return new ScratchOwner(uuid, groupId + ":" + artifactId, version, project);
	}

	/**
	 * Parses an owner: a UUID in its canonical 36-character form, {@code groupId:artifactId},
	 * or {@code global}.
	 * @param text the text
	 * @return the owner
	 * @throws IllegalArgumentException naming the text when it is none of these
	 */
	public static ScratchOwner parse(String text) {
		Objects.requireNonNull(text, "'text' must not be null");
		if ("global".equals(text)) {
			return GLOBAL;
		}
		if (ScratchKeys.isCanonicalUuid(text)) {
			return of(UUID.fromString(text));
		}
		int colon = text.indexOf(':');
		if (colon > 0 && colon == text.lastIndexOf(':')) {
			String groupId = text.substring(0, colon);
			String artifactId = text.substring(colon + 1);
			if (ScratchKeys.isCoordinatePart(groupId) && ScratchKeys.isCoordinatePart(artifactId)) {
				return of(groupId, artifactId);
			}
		}
		throw new IllegalArgumentException("Invalid scratch space owner '" + MessageText.printable(text)
				+ "': expected a UUID (8-4-4-4-12 hex digits), 'groupId:artifactId' of [A-Za-z0-9_.-], or 'global'");
	}

	/**
	 * The owner of the artifact that contains a class: the jar's {@code pom.properties}, or
	 * the nearest {@code pom.xml} above a directory of classes. {@link #GLOBAL} when no
	 * artifact can be found.
	 * @param type the class
	 * @return the owner, with its project file when one was found
	 */
	public static ScratchOwner forClass(Class<?> type) {
		Objects.requireNonNull(type, "'type' must not be null");
		return FOUND.computeIfAbsent(ArtifactLocator.locate(type), ScratchOwner::of);
	}

	/** The owner of what {@link ArtifactLocator} found, with its project file. */
	static ScratchOwner of(ArtifactLocator.Artifact artifact) {
		String groupId = artifact.groupId();
		String artifactId = artifact.artifactId();
		Path project = artifact.project();
		if (groupId == null || artifactId == null) {
			return (project != null) ? GLOBAL.withProject(project) : GLOBAL;
		}
		return ofArtifact(groupId, artifactId, artifact.version(), project);
	}

	/**
	 * A copy of this owner whose accesses are attributed to the given project file. When the
	 * file is gone, the spaces used only by it become orphaned.
	 * @param project the project file (a jar, or a {@code pom.xml})
	 * @return a copy with the project file
	 */
	public ScratchOwner withProject(Path project) {
		Objects.requireNonNull(project, "'project' must not be null");
		return new ScratchOwner(this.uuid, this.coordinates, this.version, project.toAbsolutePath().normalize());
	}

	static ScratchOwner withCoordinates(UUID uuid, String coordinates) {
		return new ScratchOwner(uuid, coordinates, null, null);
	}

	/** @return the UUID, the name of the owner's directory in the depot */
	public UUID uuid() {
		return this.uuid;
	}

	/** @return {@code groupId:artifactId}, when known */
	public Optional<String> coordinates() {
		return Optional.ofNullable(this.coordinates);
	}

	/** @return the artifact's version, when known */
	public Optional<String> version() {
		return Optional.ofNullable(this.version);
	}

	/** @return the project file that accesses are attributed to, when known */
	public Optional<Path> project() {
		return Optional.ofNullable(this.project);
	}

	@Nullable Path projectOrNull() {
		return this.project;
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		return this == obj || (obj instanceof ScratchOwner other && this.uuid.equals(other.uuid));
	}

	@Override
	public int hashCode() {
		return this.uuid.hashCode();
	}

	@Override
	public String toString() {
		if (this == GLOBAL || GLOBAL.uuid.equals(this.uuid)) {
			return "global";
		}
		return (this.coordinates != null) ? this.coordinates + " (" + this.uuid + ")" : this.uuid.toString();
	}

	private static void checkCoordinatePart(String name, String value) {
		Objects.requireNonNull(value, () -> "'" + name + "' must not be null");
		if (!ScratchKeys.isCoordinatePart(value)) {
			throw new IllegalArgumentException("Invalid " + name + " '" + MessageText.printable(value)
					+ "': a Maven coordinate is one or more of A-Z, a-z, 0-9, '_', '.' and '-'");
		}
	}

	static UUID nameBasedUuid(String name) {
		MessageDigest sha1;
		try {
			sha1 = MessageDigest.getInstance("SHA-1");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required of every Java platform", ex);
		}
		sha1.update(toBytes(URL_NAMESPACE));
		byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
		hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
		hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
		long msb = 0;
		long lsb = 0;
		for (int i = 0; i < 8; i++) {
			msb = (msb << 8) | (hash[i] & 0xff);
			lsb = (lsb << 8) | (hash[i + 8] & 0xff);
		}
		return new UUID(msb, lsb);
	}

	private static byte[] toBytes(UUID uuid) {
		byte[] bytes = new byte[16];
		long msb = uuid.getMostSignificantBits();
		long lsb = uuid.getLeastSignificantBits();
		for (int i = 0; i < 8; i++) {
			bytes[i] = (byte) (msb >>> (56 - 8 * i));
			bytes[i + 8] = (byte) (lsb >>> (56 - 8 * i));
		}
		return bytes;
	}

}
