package dev.scratchspace.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;

/**
 * A real depot for command-line tests: spaces made through the core API with a real project
 * file, orphaned by deleting that file.
 */
final class CliDepot {

	static final ScratchOwner LIBRARY = ScratchOwner.of("org.example", "lib");

	/** When the spaces were used: long enough ago for any age limit a test sets. */
	static final Instant USED = Instant.parse("2026-01-02T03:04:05.678Z");

	final Path root;

	private final Path projects;

	CliDepot(Path temp) throws IOException {
		this.root = temp.resolve("depot");
		this.projects = Files.createDirectories(temp.resolve("projects"));
	}

	/** A project file that keeps spaces alive while it exists. */
	Path project(String name) throws IOException {
		return Files.writeString(this.projects.resolve(name), "project");
	}

	/** Makes a space used by {@code project}, holding one file of {@code bytes} bytes. */
	Path space(ScratchOwner owner, String key, Path project, int bytes) throws IOException {
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder()
			.depot(this.root)
			.clock(Clock.fixed(USED, ZoneOffset.UTC))
			.build()) {
			Path space = manager.getScratch(owner.withProject(project), key);
			Files.write(space.resolve("data.bin"), new byte[bytes]);
			return space;
		}
	}

}
