package dev.scratchspace;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DepotLocatorTests {

	@Test
	void scratchDepotVariableWins() {
		Path depot = DepotLocator.defaultDepot(Map.of("SCRATCH_DEPOT", "/srv/depot", "XDG_CACHE_HOME", "/c")::get,
				"Linux", "/home/u");
		assertThat(depot).isEqualTo(Path.of("/srv/depot"));
	}

	@Test
	void builderDepotWinsOverTheVariable() {
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder()
			.environment(Map.of("SCRATCH_DEPOT", "/srv/depot")::get)
			.depot(Path.of("/opt/explicit"))
			.build()) {
			assertThat(manager.depot()).isEqualTo(Path.of("/opt/explicit"));
		}
	}

	@Test
	void variableIsUsedByTheBuilder() {
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder()
			.environment(Map.of("SCRATCH_DEPOT", "/srv/depot")::get)
			.build()) {
			assertThat(manager.depot()).isEqualTo(Path.of("/srv/depot"));
		}
	}

	@Test
	void linuxUsesXdgCacheHome() {
		assertThat(DepotLocator.defaultDepot(Map.of("XDG_CACHE_HOME", "/x/cache")::get, "Linux", "/home/u"))
			.isEqualTo(Path.of("/x/cache/jvm-scratch"));
	}

	@Test
	void linuxFallsBackToDotCacheWhenXdgIsUnsetOrRelative() {
		assertThat(DepotLocator.defaultDepot(Map.<String, String>of()::get, "Linux", "/home/u"))
			.isEqualTo(Path.of("/home/u/.cache/jvm-scratch"));
		assertThat(DepotLocator.defaultDepot(Map.of("XDG_CACHE_HOME", "relative")::get, "FreeBSD", "/home/u"))
			.isEqualTo(Path.of("/home/u/.cache/jvm-scratch"));
	}

	@Test
	void macOsUsesLibraryCaches() {
		assertThat(DepotLocator.defaultDepot(Map.<String, String>of()::get, "Mac OS X", "/Users/u"))
			.isEqualTo(Path.of("/Users/u/Library/Caches/jvm-scratch"));
	}

	@Test
	void windowsUsesLocalAppData() {
		assertThat(DepotLocator.userCacheDirectory(Map.of("LOCALAPPDATA", "/w/AppData/Local")::get, "Windows 11",
				"/w")).isEqualTo(Path.of("/w/AppData/Local"));
		assertThat(DepotLocator.userCacheDirectory(Map.<String, String>of()::get, "Windows 11", "/w"))
			.isEqualTo(Path.of("/w/AppData/Local"));
	}

}
