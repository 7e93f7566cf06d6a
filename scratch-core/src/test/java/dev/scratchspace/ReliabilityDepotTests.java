package dev.scratchspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What the manager accepts as a depot, and what its sweeps of {@code staging/},
 * {@code leases/} and {@code logs/} may delete: a depot pointed at a directory that holds
 * someone else's files is refused before anything in it is touched, and a real depot keeps
 * every name that this project did not create.
 */
class ReliabilityDepotTests {

	private static final ScratchOwner OWNER = ScratchOwner.of("org.example", "depot");

	private static final String STALE_STAGING_SUFFIX = ".0123456789abcdef";

	@TempDir
	Path temp;

	/** A home directory: a few dot files and documents, and names that look like a depot's. */
	private Path homeLike() throws IOException {
		Path home = Files.createDirectories(this.temp.resolve("home"));
		Files.writeString(home.resolve(".bashrc"), "export PS1='$ '\n");
		Files.writeString(Files.createDirectories(home.resolve("Documents")).resolve("letter.txt"), "Dear");
		Files.writeString(Files.createDirectories(home.resolve("staging/holiday.photos")).resolve("beach.jpg"),
				"jpeg");
		Files.writeString(Files.createDirectories(home.resolve("logs")).resolve("notes.tmp-2024"), "notes");
		return home;
	}

	@Test
	void homeLikeDirectoryIsRefusedNamingThePathAndTheSettingAndStaysUntouched() throws Exception {
		Path home = homeLike();
		Map<String, String> before = DirectorySnapshot.of(home);
		assertThatIllegalStateException().isThrownBy(() -> ScratchSpaceManager.builder().depot(home).build())
			.withMessageContaining(home.toRealPath().toString())
			.withMessageContaining("depot(Path)")
			.withMessageContaining("Documents");
		assertThat(DirectorySnapshot.of(home)).isEqualTo(before);
	}

	@Test
	void homeLikeDirectoryFromTheVariableIsRefusedNamingTheVariable() throws Exception {
		Path home = homeLike();
		Map<String, String> before = DirectorySnapshot.of(home);
		assertThatIllegalStateException()
			.isThrownBy(() -> ScratchSpaceManager.builder()
				.environment(Map.of("SCRATCH_DEPOT", home.toString())::get)
				.build())
			.withMessageContaining(home.toRealPath().toString())
			.withMessageContaining("SCRATCH_DEPOT");
		assertThat(DirectorySnapshot.of(home)).isEqualTo(before);
	}

	@Test
	void rootIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> ScratchSpaceManager.builder().depot(Path.of("/")).build())
			.withMessageContaining("'/'")
			.withMessageContaining("depot(Path)");
	}

	@Test
	void foreignNamesInADepotSurviveADefaultCollectionAndStaleOnesOfTheProjectGo() throws Exception {
		Path depot = this.temp.resolve("depot");
		Path project = Files.writeString(this.temp.resolve("app.jar"), "jar");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			manager.getScratch(OWNER, "kept", OWNER.withProject(project));
			manager.getOrPopulate(OWNER, "populated", (staging) -> Files.writeString(staging.resolve("f"), "x"));
		}
		Path staging = depot.resolve("staging");
		Path logs = depot.resolve("logs");
		Path leases = depot.resolve("leases");
		// Someone else's files, under names the sweeps look at.
		Files.writeString(Files.createDirectories(staging.resolve("holiday.photos")).resolve("beach.jpg"), "jpeg");
		Files.writeString(Files.createDirectories(staging.resolve(OWNER.uuid() + ".kept.photos"))
			.resolve("a.jpg"), "jpeg");
		Files.writeString(Files.createDirectories(staging.resolve("NOT-A-UUID.key" + STALE_STAGING_SUFFIX))
			.resolve("a"), "keep");
		Files.writeString(logs.resolve("notes.tmp-2024"), "notes");
		Files.writeString(logs.resolve("scratch_usage.toml.tmp-backup"), "mine");
		Files.writeString(logs.resolve("scratch_usage.toml.damaged-20260101T000000Z"), "damaged");
		Files.writeString(leases.resolve("notes.lease"), "\"/nowhere\"\n");
		Files.writeString(leases.resolve("readme.txt"), "hello");
		// What this project leaves behind when a populator or a rewrite is killed.
		Path staleStaging = Files.createDirectories(staging.resolve(OWNER.uuid() + ".lost" + STALE_STAGING_SUFFIX));
		Files.writeString(staleStaging.resolve("half"), "x");
		Path staleTemporary = Files.writeString(logs.resolve("orphaned.toml.tmp-4242-1a2b3c"), "\"/x\" = 2026-");
		Map<String, String> foreign = DirectorySnapshot.of(depot);
		foreign.keySet().removeIf((name) -> !name.contains("photos") && !name.contains("notes")
				&& !name.contains("NOT-A-UUID") && !name.contains("backup") && !name.contains("damaged")
				&& !name.contains("readme"));

		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			GcReport report = manager.collectGarbage(GcOptions.defaults());
			assertThat(report.deletedCount()).isZero();
		}

		assertThat(DirectorySnapshot.of(depot)).containsAllEntriesOf(foreign);
		assertThat(staleStaging).doesNotExist();
		assertThat(staleTemporary).doesNotExist();
	}

	/**
	 * A user without a passwd entry gets {@code user.home=?}: the default depot would be
	 * {@code ?/.cache/jvm-scratch}, relative to whatever the working directory is.
	 */
	@Test
	void relativeUserHomeInAChildJvmIsRefusedNamingTheProperty() throws Exception {
		Path work = Files.createDirectories(this.temp.resolve("work"));
		List<String> command = new ArrayList<>(ChildJvm.command(List.of("-Duser.home=?"), "space"));
		command.set(command.indexOf(ScratchChild.class.getName()), DefaultDepotChild.class.getName());
		ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
		builder.environment().remove("SCRATCH_DEPOT");
		builder.environment().remove("XDG_CACHE_HOME");
		builder.environment().remove("SCRATCH_TRACK_ACCESS");
		Process child = builder.start();
		String output = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(output).doesNotContain("space=")
			.contains(IllegalStateException.class.getName())
			.contains("user.home")
			.contains("'?'");
		assertThat(child.exitValue()).isNotZero();
		assertThat(work.resolve("?")).doesNotExist();
	}

	@Test
	void twoChildJvmsUsingAnEmptyDepotForTheFirstTimeBothSucceed() throws Exception {
		Path depot = Files.createDirectories(this.temp.resolve("depot"));
		Path project = Files.writeString(this.temp.resolve("app.jar"), "jar");
		Path work = this.temp.resolve("work");
		Process one = ChildJvm.start(work, "track-many", depot.toString(), OWNER.uuid().toString(), project.toString(),
				"one-", "20");
		Process two = ChildJvm.start(work, "track-many", depot.toString(), OWNER.uuid().toString(), project.toString(),
				"two-", "20");
		ChildJvm.awaitSuccess(one, work);
		ChildJvm.awaitSuccess(two, work);
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			assertThat(manager.spaces()).hasSize(40);
		}
	}


	@Test
	void userHomeIsRefusedEvenWhenItHoldsOnlyADepotName() throws Exception {
		Path home = Files.createDirectories(this.temp.resolve("user"));
		Files.createDirectories(home.resolve("logs"));
		Map<String, String> before = DirectorySnapshot.of(home);
		assertThatIllegalStateException()
			.isThrownBy(() -> ScratchSpaceManager.builder()
				.systemProperties(Map.of("user.home", home.toString(), "os.name", "Linux")::get)
				.depot(home)
				.build())
			.withMessageContaining(home.toRealPath().toString())
			.withMessageContaining("home directory")
			.withMessageContaining("depot(Path)");
		assertThat(DirectorySnapshot.of(home)).isEqualTo(before);
	}

	@Test
	void missingEmptyProjectMadeAndJuliaDepotsAreAccepted() throws Exception {
		Path project = Files.writeString(this.temp.resolve("app.jar"), "jar");
		Path made = this.temp.resolve("made");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(made).build()) {
			manager.getScratch(OWNER, "k", OWNER.withProject(project));
			manager.getOrPopulate(OWNER, "p", (staging) -> Files.writeString(staging.resolve("f"), "x"));
			manager.collectGarbage(GcOptions.defaults());
		}
		Path julia = Files.createDirectories(this.temp.resolve("julia/scratchspaces"));
		Files.createDirectories(julia.resolveSibling("packages"));
		Files.writeString(julia.resolveSibling("juliaup.json"), "{}");
		Path juliaLog = Files.createDirectories(this.temp.resolve("julia-log/logs"));
		Files.writeString(juliaLog.resolve("scratch_usage.toml"), "");
		Files.writeString(juliaLog.resolveSibling("startup.jl"), "");
		Path juliaWithoutSpaces = Files.createDirectories(this.temp.resolve("julia-bare/registries"));
		Files.createDirectories(juliaWithoutSpaces.resolveSibling("compiled"));
		Path beingCreated = Files.createDirectories(this.temp.resolve("being-created/leases"));
		for (Path depot : List.of(this.temp.resolve("missing"), Files.createDirectories(this.temp.resolve("empty")), made,
				julia.getParent(), juliaLog.getParent(), juliaWithoutSpaces.getParent(), beingCreated.getParent())) {
			try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
				assertThat(manager.getScratch(OWNER, "k")).startsWith(depot.toRealPath().resolve("scratchspaces"))
					.isAbsolute();
			}
		}
	}

	@Test
	void relativeUserHomeIsRefusedNamingThePropertyAndItsValue() {
		for (String os : List.of("Linux", "Mac OS X", "Windows 11")) {
			assertThatIllegalStateException().isThrownBy(() -> ScratchSpaceManager.builder()
				.environment(Map.<String, String>of()::get)
				.systemProperties(Map.of("user.home", "?", "os.name", os)::get)
				.build())
				.withMessageContaining("user.home")
				.withMessageContaining("'?'")
				.withMessageContaining("SCRATCH_DEPOT");
		}
		assertThatIllegalStateException().isThrownBy(() -> ScratchSpaceManager.builder()
			.environment(Map.<String, String>of()::get)
			.systemProperties(Map.of("os.name", "Linux")::get)
			.build()).withMessageContaining("user.home").withMessageContaining("''");
	}

	@Test
	void relativeVariablesAreRefusedNamingTheVariableAndItsValue() {
		Map<String, String> properties = Map.of("user.home", this.temp.toString(), "os.name", "Windows 11");
		assertThatIllegalStateException().isThrownBy(() -> ScratchSpaceManager.builder()
			.environment(Map.of("SCRATCH_DEPOT", "depot/here")::get)
			.systemProperties(properties::get)
			.build()).withMessageContaining("SCRATCH_DEPOT").withMessageContaining("'depot/here'");
		assertThatIllegalStateException().isThrownBy(() -> ScratchSpaceManager.builder()
			.environment(Map.of("LOCALAPPDATA", "AppData")::get)
			.systemProperties(properties::get)
			.build()).withMessageContaining("LOCALAPPDATA").withMessageContaining("'AppData'");
	}

	@Test
	void defaultDepotIsRefusedNamingThePlatformDefault() throws Exception {
		Path cache = homeLike().resolve("Documents");
		Files.createDirectories(cache.resolve("jvm-scratch/photos"));
		assertThatIllegalStateException().isThrownBy(() -> ScratchSpaceManager.builder()
			.environment(Map.of("XDG_CACHE_HOME", cache.toString())::get)
			.systemProperties(Map.of("user.home", this.temp.toString(), "os.name", "Linux")::get)
			.build())
			.withMessageContaining(cache.toRealPath().resolve("jvm-scratch").toString())
			.withMessageContaining("platform default")
			.withMessageContaining("XDG_CACHE_HOME")
			.withMessageContaining("'photos'");
	}

	@Test
	void relativeBuilderDepotIsMadeAbsolute() {
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder()
			.depot(Path.of("target", "relative-depot-" + ProcessHandle.current().pid()))
			.build()) {
			assertThat(manager.depot()).isAbsolute();
			assertThat(manager.scratchPath(OWNER, "k")).isAbsolute();
		}
	}

	@Test
	void theSweepsKnowExactlyTheNamesThisProjectGives() {
		String uuid = OWNER.uuid().toString();
		assertThat(CollectionRun.stagingLockName(uuid + ".my.key" + STALE_STAGING_SUFFIX))
			.isEqualTo(uuid + ".my.key.lock");
		assertThat(CollectionRun.stagingLockName(uuid + ".k.0123456789ABCDEF")).isNull();
		assertThat(CollectionRun.stagingLockName(uuid.toUpperCase(java.util.Locale.ROOT) + ".k" + STALE_STAGING_SUFFIX))
			.isNull();
		assertThat(CollectionRun.stagingLockName(uuid + ".a b" + STALE_STAGING_SUFFIX)).isNull();
		assertThat(CollectionRun.stagingLockName(uuid + ".." + STALE_STAGING_SUFFIX)).isNull();
		assertThat(CollectionRun.stagingLockName("holiday.photos")).isNull();
		assertThat(CollectionRun.stagingLockName(uuid + ".k.lock")).isNull();
		// As DepotFiles.replaceAtomically names them.
		assertThat(CollectionRun.isTemporaryName("owners.toml.tmp-" + ProcessHandle.current().pid() + "-"
				+ Long.toHexString(Long.MIN_VALUE))).isTrue();
		assertThat(CollectionRun.isTemporaryName("scratch_usage.toml.tmp-1-0")).isTrue();
		assertThat(CollectionRun.isTemporaryName("notes.tmp-2024")).isFalse();
		assertThat(CollectionRun.isTemporaryName("scratch_usage.toml.tmp-backup")).isFalse();
		assertThat(CollectionRun.isTemporaryName("scratch_usage.toml.damaged-20260101T000000Z")).isFalse();
	}

}
