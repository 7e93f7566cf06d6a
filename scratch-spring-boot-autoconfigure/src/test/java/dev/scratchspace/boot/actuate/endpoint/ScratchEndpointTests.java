package dev.scratchspace.boot.actuate.endpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.scratchspace.GcOptions;
import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchGarbageCollector;
import dev.scratchspace.boot.actuate.ScratchInventory;
import dev.scratchspace.boot.actuate.endpoint.ScratchEndpoint.GcReportDescriptor;
import dev.scratchspace.boot.actuate.endpoint.ScratchEndpoint.SpaceDescriptor;
import dev.scratchspace.boot.actuate.endpoint.ScratchEndpoint.SpacesDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link ScratchEndpoint}.
 */
class ScratchEndpointTests {

	private static final ScratchOwner LIBRARY = ScratchOwner.of("com.example", "lib");

	@TempDir
	Path temp;

	private ScratchSpaceManager manager;

	private ScratchInventory inventory;

	private ScratchEndpoint endpoint;

	private Path pom;

	@BeforeEach
	void createEndpoint() throws Exception {
		this.pom = Files.writeString(this.temp.resolve("pom.xml"), "<project/>");
		this.manager = ScratchSpaceManager.builder().depot(depot()).build();
		this.inventory = new ScratchInventory(this.manager);
		this.endpoint = new ScratchEndpoint(this.inventory,
				new ScratchGarbageCollector(this.manager, GcOptions.defaults(), List.of()));
	}

	@AfterEach
	void closeManager() {
		this.manager.close();
	}

	private Path depot() {
		return this.temp.resolve("depot");
	}

	@Test
	void listsEverySpaceWithItsDetails() throws Exception {
		Path models = this.manager.getScratch(LIBRARY, "models", LIBRARY.withProject(this.pom));
		Files.writeString(models.resolve("weights"), "123456");
		this.manager.getScratch(ScratchOwner.GLOBAL, "shared");
		Instant asOf = this.inventory.refresh().asOf();
		SpacesDescriptor spaces = this.endpoint.spaces();
		assertThat(spaces.depot()).isEqualTo(depot().toString());
		assertThat(spaces.totalBytes()).isEqualTo(6);
		assertThat(spaces.sizesAsOf()).isEqualTo(asOf.toString());
		assertThat(spaces.spaces()).extracting(SpaceDescriptor::key).containsExactlyInAnyOrder("models", "shared");
		SpaceDescriptor listed = spaces.spaces()
			.stream()
			.filter((space) -> space.key().equals("models"))
			.findFirst()
			.orElseThrow();
		SpaceDescriptor space = this.endpoint.space(LIBRARY.uuid().toString(), "models");
		assertThat(space).isEqualTo(new SpaceDescriptor(LIBRARY.uuid().toString(), "com.example:lib", "models",
				models.toString(), 6L, 1L, space.lastAccess(), "LIVE", null, true, List.of(this.pom.toString())));
		assertThat(listed).isEqualTo(space);
		assertThat(space.lastAccess()).isNotNull();
	}

	@Test
	void listingShowsSizesAsOfTheLastWalkAndUnknownSizesAsNull() throws Exception {
		Path models = this.manager.getScratch(LIBRARY, "models");
		Files.writeString(models.resolve("weights"), "123456");
		SpacesDescriptor beforeWalk = this.endpoint.spaces();
		assertThat(beforeWalk.totalBytes()).isNull();
		assertThat(beforeWalk.sizesAsOf()).isNull();
		assertThat(beforeWalk.spaces()).singleElement().satisfies((space) -> {
			assertThat(space.bytes()).isNull();
			assertThat(space.files()).isNull();
		});
		this.inventory.refresh();
		Files.writeString(models.resolve("more"), "78");
		this.manager.getScratch(ScratchOwner.GLOBAL, "newer");
		SpacesDescriptor afterWalk = this.endpoint.spaces();
		assertThat(afterWalk.totalBytes()).isEqualTo(6);
		assertThat(afterWalk.spaces()).extracting(SpaceDescriptor::key, SpaceDescriptor::bytes)
			.containsExactlyInAnyOrder(tuple("newer", null), tuple("models", 6L));
		// One space asked for by name is measured there and then.
		assertThat(this.endpoint.space(LIBRARY.uuid().toString(), "models").bytes()).isEqualTo(8);
	}

	@Test
	void listsTheSpacesOfOneOwner() {
		this.manager.getScratch(LIBRARY, "models");
		this.manager.getScratch(ScratchOwner.GLOBAL, "shared");
		assertThat(this.endpoint.ownerSpaces("global").spaces()).extracting(SpaceDescriptor::key)
			.containsExactly("shared");
		assertThat(this.endpoint.ownerSpaces(UUID.randomUUID().toString()).spaces()).isEmpty();
	}

	@Test
	void missingSpaceIsNull() {
		assertThat(this.endpoint.space("global", "missing")).isNull();
	}

	@Test
	void deletesOneSpaceOrAllSpacesOfAnOwner() {
		Path models = this.manager.getScratch(LIBRARY, "models");
		Path data = this.manager.getScratch(LIBRARY, "data");
		Path shared = this.manager.getScratch(ScratchOwner.GLOBAL, "shared");
		this.endpoint.deleteSpace(LIBRARY.uuid().toString(), "models");
		assertThat(models).doesNotExist();
		assertThat(this.endpoint.space(LIBRARY.uuid().toString(), "models")).isNull();
		this.endpoint.deleteOwner(LIBRARY.uuid().toString());
		assertThat(data).doesNotExist();
		assertThat(shared).isDirectory();
	}

	@Test
	void collectsGarbageWithTheRequestsOptions() throws Exception {
		Path orphan = untrackedSpace("old");
		GcReportDescriptor dryRun = this.endpoint.collectGarbage("true", "PT0S");
		assertThat(dryRun.dryRun()).isTrue();
		assertThat(dryRun.deletedCount()).isOne();
		assertThat(dryRun.decisions()).singleElement()
			.satisfies((decision) -> assertThat(decision.path()).isEqualTo(orphan.toString()));
		assertThat(orphan).isDirectory();
		GcReportDescriptor withDefaults = this.endpoint.collectGarbage(null, null);
		assertThat(withDefaults.deletedCount()).isZero();
		assertThat(withDefaults.decisions()).singleElement()
			.satisfies((decision) -> assertThat(decision.action()).isEqualTo("ORPHANED"));
		GcReportDescriptor collected = this.endpoint.collectGarbage(null, "0");
		assertThat(collected.deletedCount()).isOne();
		assertThat(collected.bytesFreed()).isEqualTo(4);
		assertThat(orphan).doesNotExist();
	}

	@ParameterizedTest
	@ValueSource(strings = { "PT-1S", "-1d", "-1", "soon", "", " 7d", "7 days", "36501d", "P36501D" })
	void collectDelayThatIsNegativeTooLongOrNoDurationIsABadRequestAndCollectsNothing(String delay)
			throws Exception {
		Path orphan = untrackedSpace("kept");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.collectGarbage("false", delay))
			.withMessageContaining("\"collectDelay\" must be a string holding an ISO-8601 or Spring Boot duration");
		assertThat(orphan).isDirectory();
	}

	@ParameterizedTest
	@ValueSource(strings = { "yes", "no", "on", "off", "1", "0", "TRUE", "False", "", " true" })
	void dryRunOtherThanTrueOrFalseIsABadRequestAndCollectsNothing(String dryRun) throws Exception {
		Path orphan = untrackedSpace("kept");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.collectGarbage(dryRun, "PT0S"))
			.withMessageContaining("\"dryRun\" must be a JSON boolean");
		assertThat(orphan).isDirectory();
	}

	@ParameterizedTest
	@ValueSource(strings = { "not-a-uuid", "com.example:lib", "GLOBAL", "..", "" })
	void ownerThatIsNotAUuidOrGlobalIsABadRequestAndTouchesNothing(String owner) {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.deleteOwner(owner))
			.withMessageContaining("expected a UUID or 'global'");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.ownerSpaces(owner));
		assertThat(depot()).doesNotExist();
	}

	@ParameterizedTest
	@ValueSource(strings = { "..", ".", "a/b", "../global", "a b", "" })
	void invalidKeyIsABadRequestAndTouchesNothing(String key) {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.deleteSpace("global", key))
			.withMessageContaining("Invalid scratch space key");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.space("global", key));
		assertThat(depot()).doesNotExist();
	}

	private Path untrackedSpace(String key) throws Exception {
		Path space = depot().resolve("scratchspaces").resolve(UUID.randomUUID().toString()).resolve(key);
		Files.createDirectories(space);
		Files.writeString(space.resolve("file"), "1234");
		return space;
	}

}
