package dev.scratchspace.boot.test;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A tiny application with one space, injected through a placeholder. It counts its
 * contexts, so that tests can tell a cached context from a new one.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class TestApplication {

	static final AtomicInteger contexts = new AtomicInteger();

	public static void main(String[] args) {
		SpringApplication.run(TestApplication.class, args);
	}

	@Bean
	Downloads downloads(@Value("$<scratch:downloads>") Path path) {
		contexts.incrementAndGet();
		return new Downloads(path);
	}

	record Downloads(Path path) {
	}

}
