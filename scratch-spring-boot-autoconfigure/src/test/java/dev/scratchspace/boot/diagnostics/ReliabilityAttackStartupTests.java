package dev.scratchspace.boot.diagnostics;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;

import dev.scratchspace.boot.autoconfigure.ScratchAutoConfiguration;
import dev.scratchspace.boot.diagnostics.FailureAnalysisRun.Result;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on the start of an application: each bad setting fails the start with an analysis
 * that names the setting actually at fault.
 */
class ReliabilityAttackStartupTests {

	@Test
	void relativeScratchDepotVariableIsRefusedNamingTheVariableAndItsValue() {
		String relative = "target/relative-depot-" + ProcessHandle.current().pid();
		Result result = FailureAnalysisRun.start(ServerApplication.class, Map.of("SCRATCH_DEPOT", relative),
				"--app.server.basedir=$<scratch:tomcat>");
		assertThat(result.description()).contains("SCRATCH_DEPOT").contains(relative);
		assertThat(result.action()).contains("SCRATCH_DEPOT");
		assertThat(Path.of(relative)).doesNotExist();
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(ScratchAutoConfiguration.class)
	@EnableConfigurationProperties(ServerProperties.class)
	static class ServerApplication {

	}

	@ConfigurationProperties("app.server")
	static class ServerProperties {

		private @Nullable File basedir;

		public @Nullable File getBasedir() {
			return this.basedir;
		}

		public void setBasedir(@Nullable File basedir) {
			this.basedir = basedir;
		}

	}

}
