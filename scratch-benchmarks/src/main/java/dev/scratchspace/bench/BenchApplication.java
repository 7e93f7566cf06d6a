package dev.scratchspace.bench;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The smallest Spring Boot application: auto-configuration on, no component scan, no web
 * server. Whatever the starter adds to its start is what the starter costs.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class BenchApplication {

}
