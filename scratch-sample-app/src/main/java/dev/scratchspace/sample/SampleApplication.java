package dev.scratchspace.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A small dataset service that keeps its downloads in managed scratch spaces.
 *
 * <p>Nothing here configures the scratch spaces: the starter registers the
 * {@link dev.scratchspace.ScratchSpaceManager} bean, the {@code $<scratch:…>} placeholders,
 * the {@code scratch} actuator endpoint and health, and background garbage collection. The
 * application is the default owner of its spaces: run from the executable jar, that is
 * {@code dev.scratchspace:scratch-sample-app}, and its accesses are recorded with the jar as
 * the project file.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
