package dev.scratchspace.boot.actuate.endpoint;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.scratchspace.Artifacts;
import dev.scratchspace.GcDecision;
import dev.scratchspace.GcOptions;
import dev.scratchspace.GcReport;
import dev.scratchspace.ScratchKeys;
import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpace;
import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchGarbageCollector;
import dev.scratchspace.boot.actuate.ScratchInventory;
import dev.scratchspace.boot.actuate.ScratchInventory.ListedArtifact;
import dev.scratchspace.boot.actuate.ScratchInventory.ListedSpace;
import dev.scratchspace.boot.actuate.ScratchInventory.Listing;
import dev.scratchspace.boot.actuate.ScratchInventory.Sizes;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@link Endpoint @Endpoint} that lists the spaces of the depot, deletes spaces and runs
 * garbage collection. Read-only by default: deleting and collecting need
 * {@code management.endpoint.scratch.access=unrestricted}.
 *
 * <p>An {@code owner} selector is a UUID or {@code global}; a {@code key} must be a valid key.
 * Anything else is refused with 400 before a path is built, so nothing is touched. The
 * spaces of an owner that has none are an empty list, not a 404. Deleting a space that does
 * not exist succeeds, as it leaves the depot as asked.
 *
 * <p>A listing never walks the files of the depot: which spaces exist, their status and
 * leases are read live, their {@code bytes} and {@code files} come from the
 * {@link ScratchInventory}'s snapshot, measured in the background, and {@code sizesAsOf}
 * says when. A space the last walk did not find (it is newer, or no walk has completed yet)
 * has {@code null} sizes and counts for nothing in {@code totalBytes}; before the first walk
 * {@code totalBytes} and {@code sizesAsOf} are {@code null} too. One space asked for by owner
 * and key is measured there and then: that walks one space only.
 *
 * <p>The listing of the whole depot also has the installed {@code artifacts}, all from the
 * same snapshot, as of {@code sizesAsOf}: telling what binds an artifact reads every
 * {@code Artifacts.toml} and jar the depot records, which no request waits for. An artifact
 * installed since shows after the next walk, which this application's own installs start
 * within about a second; before the first walk the list is empty and
 * {@code artifactsWarning} says why. Each has its {@code bytes} and a {@code status}:
 * {@code BOUND} while a recorded
 * {@code Artifacts.toml} that still exists binds it (garbage collection keeps it),
 * {@code ORPHANED} when garbage collection found it bound by nothing and will delete it after
 * the collect delay, {@code UNBOUND} when nothing binds it but no collection has orphaned it
 * yet. Artifacts belong to no owner: the listing of one owner has none.
 *
 * <p>{@code POST} runs garbage collection with the configured {@code scratch.gc.*} options;
 * a JSON body may override {@code dryRun} (a JSON boolean) and {@code collectDelay} (a
 * duration string), and nothing else: any other body is refused with 400 before anything is
 * collected. Like every actuator write operation with parameters, it needs
 * {@code Content-Type: application/json}, even without a body. In the JSON of a space every
 * field is always present, {@code null} when unknown, as in the specification (actuator
 * otherwise omits null fields).
 */
@Endpoint(id = "scratch", defaultAccess = Access.READ_ONLY)
public class ScratchEndpoint {

	private final ScratchInventory inventory;

	private final ScratchGarbageCollector collector;

	/**
	 * Creates the endpoint.
	 * @param inventory the spaces of the manager
	 * @param collector runs garbage collection
	 */
	public ScratchEndpoint(ScratchInventory inventory, ScratchGarbageCollector collector) {
		this.inventory = Objects.requireNonNull(inventory, "'inventory' must not be null");
		this.collector = Objects.requireNonNull(collector, "'collector' must not be null");
	}

	/**
	 * Lists every space in the depot.
	 * @return the depot, its total size and its spaces
	 */
	@ReadOperation
	public SpacesDescriptor spaces() {
		return describe((space) -> true, true);
	}

	/**
	 * Lists the spaces of one owner; an owner without spaces has an empty list.
	 * @param owner a UUID or {@code global}
	 * @return the depot, the total size of the owner's spaces and the spaces
	 */
	@ReadOperation
	public SpacesDescriptor ownerSpaces(@Selector String owner) {
		UUID uuid = owner(owner).uuid();
		return describe((space) -> space.owner().uuid().equals(uuid), false);
	}

	/**
	 * Describes one space.
	 * @param owner a UUID or {@code global}
	 * @param key the key
	 * @return the space, or {@code null} (404) if it does not exist
	 */
	@ReadOperation
	public @Nullable SpaceDescriptor space(@Selector String owner, @Selector String key) {
		Path path = path(owner(owner), key);
		return this.inventory.measure(path)
			.map((space) -> SpaceDescriptor.of(space, new Sizes(space.sizeBytes(), space.fileCount())))
			.orElse(null);
	}

	/**
	 * Deletes one space, whether or not a lease protects it.
	 * @param owner a UUID or {@code global}
	 * @param key the key
	 */
	@DeleteOperation
	public void deleteSpace(@Selector String owner, @Selector String key) {
		ScratchOwner parsed = owner(owner);
		path(parsed, key);
		manager().deleteScratch(parsed, key);
	}

	/**
	 * Deletes every space of one owner, whether or not leases protect them.
	 * @param owner a UUID or {@code global}
	 */
	@DeleteOperation
	public void deleteOwner(@Selector String owner) {
		manager().clearScratchSpaces(owner(owner));
	}

	/**
	 * Runs garbage collection now, with the configured options unless the request says
	 * otherwise. Actuator hands over the body's fields as text and would turn {@code "yes"},
	 * {@code "on"} or {@code "1"} into booleans: only {@code true} and {@code false} count
	 * here. In a servlet application, {@link ScratchRequestSizeFilter} has already refused
	 * every body but an object with a JSON boolean {@code dryRun} and a string
	 * {@code collectDelay}.
	 * @param dryRun {@code true} to only report what would be deleted, or {@code false}
	 * @param collectDelay how long a space stays orphaned before it is deleted: an ISO-8601
	 * or Spring Boot duration, where a bare number means days
	 * @return the report
	 */
	@WriteOperation
	public GcReportDescriptor collectGarbage(@Nullable String dryRun, @Nullable String collectDelay) {
		GcOptions options = this.collector.defaultOptions();
		if (dryRun != null) {
			options = options.withDryRun(CollectRequest.dryRun(dryRun));
		}
		if (collectDelay != null) {
			options = options.withCollectDelay(CollectRequest.collectDelay(collectDelay));
		}
		return GcReportDescriptor.of(this.collector.collect(options));
	}

	private ScratchSpaceManager manager() {
		return this.inventory.manager();
	}

	private SpacesDescriptor describe(Predicate<ScratchSpace> filter, boolean artifacts) {
		Listing listing = this.inventory.list(artifacts);
		List<ListedSpace> spaces = listing.spaces().stream().filter((listed) -> filter.test(listed.space())).toList();
		Instant sizesAsOf = listing.sizesAsOf();
		Long total = (sizesAsOf != null) ? spaces.stream()
			.map(ListedSpace::sizes)
			.filter(Objects::nonNull)
			.mapToLong(Sizes::bytes)
			.sum() : null;
		return new SpacesDescriptor(manager().depot().toString(), total,
				(sizesAsOf != null) ? sizesAsOf.toString() : null,
				spaces.stream().map((listed) -> SpaceDescriptor.of(listed.space(), listed.sizes())).toList(),
				listing.artifacts().stream().map(ArtifactDescriptor::of).toList(),
				artifacts ? listing.artifactsWarning() : null);
	}

	private static ScratchOwner owner(String owner) {
		if ("global".equals(owner)) {
			return ScratchOwner.GLOBAL;
		}
		if (!ScratchKeys.isCanonicalUuid(owner)) {
			throw new InvalidEndpointRequestException("Invalid owner '" + owner + "': expected a UUID or 'global'",
					"Invalid owner: expected a UUID or 'global'");
		}
		return ScratchOwner.of(UUID.fromString(owner));
	}

	/** Validates the key; builds the path only from validated parts. */
	private Path path(ScratchOwner owner, String key) {
		try {
			return manager().scratchPath(owner, key);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException(String.valueOf(ex.getMessage()),
					"Invalid key: " + ScratchKeys.KEY_RULE, ex);
		}
	}

	/**
	 * The spaces of a depot, or of one owner in it. Every field is present in the JSON.
	 *
	 * @param depot the depot
	 * @param totalBytes the sum of the known sizes of the listed spaces, or {@code null}
	 * before the first walk has completed
	 * @param sizesAsOf when the walk that measured the sizes began (ISO-8601), or
	 * {@code null} before the first walk has completed
	 * @param spaces the spaces, ordered by owner and key
	 * @param artifacts the installed artifacts as of {@code sizesAsOf}, ordered by tree hash;
	 * empty in the listing of one owner
	 * @param artifactsWarning why there are no artifacts (the first walk has not completed,
	 * or {@code artifacts/} is a link, a file or unreadable), or {@code null}: the spaces are
	 * listed all the same
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record SpacesDescriptor(String depot, @Nullable Long totalBytes, @Nullable String sizesAsOf,
			List<SpaceDescriptor> spaces, List<ArtifactDescriptor> artifacts,
			@Nullable String artifactsWarning) implements OperationResponseBody {

	}

	/**
	 * One installed artifact. Every field is present in the JSON; those that are unknown are
	 * {@code null}.
	 *
	 * @param treeHash its tree hash (git-tree-sha1)
	 * @param path the absolute path of its directory
	 * @param bytes the sum of the sizes of its regular files, or {@code null} if unknown
	 * @param lastAccess the newest recorded use by an {@code Artifacts.toml} that binds it
	 * (ISO-8601), if any
	 * @param status {@code BOUND}, {@code ORPHANED} or {@code UNBOUND}
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record ArtifactDescriptor(String treeHash, String path, @Nullable Long bytes, @Nullable String lastAccess,
			String status) {

		static ArtifactDescriptor of(ListedArtifact listed) {
			Artifacts.Installed artifact = listed.artifact();
			return new ArtifactDescriptor(artifact.treeHash(), artifact.path().toString(),
					(listed.sizes() != null) ? listed.sizes().bytes() : null,
					(artifact.lastAccess() != null) ? artifact.lastAccess().toString() : null, status(artifact));
		}

		/** Bound wins: the collector keeps it, and forgets that it orphaned it at its next run. */
		private static String status(Artifacts.Installed artifact) {
			if (!artifact.boundBy().isEmpty()) {
				return "BOUND";
			}
			return (artifact.orphanedSince() != null) ? "ORPHANED" : "UNBOUND";
		}

	}

	/**
	 * One space. Every field is present in the JSON; those that are unknown are
	 * {@code null}.
	 *
	 * @param owner the owner's UUID
	 * @param ownerName the owner's {@code groupId:artifactId}, if known
	 * @param key the key
	 * @param path the absolute path
	 * @param bytes the sum of the sizes of its regular files, or {@code null} if not measured
	 * yet
	 * @param files the number of its regular files, or {@code null} if not measured yet
	 * @param lastAccess the newest recorded access (ISO-8601), if any
	 * @param status {@code LIVE}, {@code ORPHANED} or {@code UNTRACKED}
	 * @param orphanedSince when garbage collection first found it orphaned (ISO-8601), if it
	 * did
	 * @param leased whether a live manager holds a lease on it
	 * @param parentProjects the project files recorded as using it
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record SpaceDescriptor(String owner, @Nullable String ownerName, String key, String path,
			@Nullable Long bytes, @Nullable Long files, @Nullable String lastAccess, String status,
			@Nullable String orphanedSince, boolean leased, List<String> parentProjects)
			implements OperationResponseBody {

		static SpaceDescriptor of(ScratchSpace space, @Nullable Sizes sizes) {
			return new SpaceDescriptor(space.owner().uuid().toString(), space.owner().coordinates().orElse(null),
					space.key(), space.path().toString(), (sizes != null) ? sizes.bytes() : null,
					(sizes != null) ? sizes.files() : null,
					space.lastAccess().map(Instant::toString).orElse(null), space.status().name(),
					space.orphanedSince().map(Instant::toString).orElse(null), space.leased(),
					space.parentProjects().stream().map(Path::toString).toList());
		}

	}

	/**
	 * The report of one garbage collection.
	 *
	 * @param deletedCount how many spaces were deleted or evicted (would have been, in a dry
	 * run)
	 * @param bytesFreed the bytes those spaces held
	 * @param dryRun whether the run only reported
	 * @param elapsedMillis how long the run took
	 * @param warnings what went wrong without stopping the run
	 * @param decisions one decision per space
	 */
	public record GcReportDescriptor(int deletedCount, long bytesFreed, boolean dryRun, long elapsedMillis,
			List<String> warnings, List<DecisionDescriptor> decisions) implements OperationResponseBody {

		static GcReportDescriptor of(GcReport report) {
			return new GcReportDescriptor(report.deletedCount(), report.bytesFreed(), report.dryRun(),
					report.elapsed().toMillis(), report.warnings(),
					report.decisions().stream().map(DecisionDescriptor::of).toList());
		}

	}

	/**
	 * What garbage collection decided for one space.
	 *
	 * @param path the space
	 * @param action {@code KEPT}, {@code ORPHANED}, {@code DELETED}, {@code EVICTED},
	 * {@code SKIPPED_LEASED} or {@code FAILED}
	 * @param reason the reason, in words
	 */
	public record DecisionDescriptor(String path, String action, String reason) {

		static DecisionDescriptor of(GcDecision decision) {
			return new DecisionDescriptor(decision.path().toString(), decision.action().name(), decision.reason());
		}

	}

}
