package dev.scratchspace.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

import org.jspecify.annotations.Nullable;

/**
 * Where the benchmarks put their depots. Large fixtures take long to generate, so when the
 * system property {@value #FIXTURES_PROPERTY} names a directory they are generated there once
 * and reused by every fork (the runner sets it); otherwise each trial generates its own in a
 * temporary directory and deletes it at the end.
 */
final class Fixtures {

	/** System property: a directory in which generated fixtures are kept and reused. */
	static final String FIXTURES_PROPERTY = "scratch.bench.fixtures";

	private static final String COMPLETE_MARKER = ".complete";

	private Fixtures() {
	}

	/** Writes a fixture's files into an empty directory. */
	@FunctionalInterface
	interface Generator {

		void generate(Path root) throws IOException;

	}

	/** A generated fixture; {@link #release()} deletes it unless it is kept for reuse. */
	record Fixture(Path root, boolean temporary) {

		void release() {
			if (this.temporary) {
				deleteTree(this.root);
			}
		}

	}

	/**
	 * A fixture that is generated once per name in the fixtures directory, or once per call
	 * in a temporary directory when none is set.
	 * @param name names the fixture and every parameter that shapes it
	 * @param generator writes the fixture
	 * @return the fixture
	 */
	static Fixture obtain(String name, Generator generator) {
		String shared = System.getProperty(FIXTURES_PROPERTY);
		try {
			if (shared == null || shared.isBlank()) {
				Path root = newTemporaryDirectory(name);
				generator.generate(root);
				return new Fixture(root, true);
			}
			Path root = Files.createDirectories(Path.of(shared)).toRealPath().resolve(name);
			if (!Files.exists(root.resolve(COMPLETE_MARKER))) {
				// A run that was interrupted while generating leaves a partial fixture.
				deleteTree(root);
				Files.createDirectories(root);
				generator.generate(root);
				Files.createFile(root.resolve(COMPLETE_MARKER));
			}
			return new Fixture(root, false);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not generate the benchmark fixture " + name, ex);
		}
	}

	/**
	 * A new empty directory under {@code java.io.tmpdir}, by its real path: the usage log
	 * stores absolute paths, which must match what a listing of the depot returns.
	 * @param prefix the start of the directory's name
	 * @return the directory
	 */
	static Path newTemporaryDirectory(String prefix) {
		try {
			return Files.createTempDirectory("scratch-bench-" + prefix + "-").toRealPath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a temporary directory for " + prefix, ex);
		}
	}

	/**
	 * Deletes a directory and everything in it, without following links; a missing one is
	 * fine.
	 * @param root the directory
	 */
	static void deleteTree(Path root) {
		try {
			Files.walkFileTree(root, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					Files.delete(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFileFailed(Path file, IOException ex) throws IOException {
					if (ex instanceof NoSuchFileException) {
						return FileVisitResult.CONTINUE;
					}
					throw ex;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException ex) throws IOException {
					if (ex != null) {
						throw ex;
					}
					Files.delete(dir);
					return FileVisitResult.CONTINUE;
				}

			});
		}
		catch (NoSuchFileException ex) {
			// Already gone.
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not delete the benchmark fixture " + root, ex);
		}
	}

}
