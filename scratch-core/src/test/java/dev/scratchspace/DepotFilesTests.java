package dev.scratchspace;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DepotFiles#sizeAndCount(Path)}, and for the path walks used where the file
 * system offers no {@link SecureDirectoryStream}.
 */
class DepotFilesTests {

	@TempDir
	Path temp;

	@Test
	void sumsTheSizesAndCountsTheRegularFilesOfANestedTree() throws IOException {
		Path space = this.temp.resolve("space");
		write(space.resolve("top.txt"), 10);
		write(space.resolve("empty.txt"), 0);
		write(space.resolve("a/one.bin"), 100);
		write(space.resolve("a/b/two.bin"), 1000);
		write(space.resolve("a/b/c/three.bin"), 4097);
		Files.createDirectories(space.resolve("a/empty-dir"));
		assertThat(DepotFiles.sizeAndCount(space)).containsExactly(10 + 100 + 1000 + 4097, 5);
	}

	@Test
	void aRegularFileAsThePathCountsAsItself() throws IOException {
		Path file = write(this.temp.resolve("file.bin"), 42);
		assertThat(DepotFiles.sizeAndCount(file)).containsExactly(42, 1);
	}

	@Test
	void linksToFilesAndDirectoriesAreNeitherFollowedNorCounted() throws IOException {
		Path outside = this.temp.resolve("outside");
		write(outside.resolve("precious.bin"), 5000);
		write(outside.resolve("deeper/more.bin"), 7000);
		Path space = this.temp.resolve("space");
		write(space.resolve("own.bin"), 3);
		write(space.resolve("sub/own.bin"), 4);
		Files.createSymbolicLink(space.resolve("to-outside"), outside);
		Files.createSymbolicLink(space.resolve("sub/to-file"), outside.resolve("precious.bin"));
		Files.createSymbolicLink(space.resolve("sub/to-own-file"), space.resolve("own.bin"));
		Files.createSymbolicLink(space.resolve("sub/to-parent"), space);
		Files.createSymbolicLink(space.resolve("dangling"), this.temp.resolve("missing"));
		assertThat(DepotFiles.sizeAndCount(space)).containsExactly(3 + 4, 2);
	}

	@Test
	void aLinkAsThePathCountsAsNothing() throws IOException {
		Path outside = this.temp.resolve("outside");
		Path file = write(outside.resolve("precious.bin"), 5000);
		Path toDirectory = Files.createSymbolicLink(this.temp.resolve("to-directory"), outside);
		Path toFile = Files.createSymbolicLink(this.temp.resolve("to-file"), file);
		Path dangling = Files.createSymbolicLink(this.temp.resolve("dangling"), this.temp.resolve("missing"));
		assertThat(DepotFiles.sizeAndCount(toDirectory)).containsExactly(0, 0);
		assertThat(DepotFiles.sizeAndCount(toFile)).containsExactly(0, 0);
		assertThat(DepotFiles.sizeAndCount(dangling)).containsExactly(0, 0);
	}

	@Test
	void aVanishedPathCountsAsNothing() throws IOException {
		Path space = this.temp.resolve("space");
		write(space.resolve("gone.bin"), 10);
		DepotFiles.deleteRecursively(space);
		assertThat(DepotFiles.sizeAndCount(space)).containsExactly(0, 0);
		assertThat(DepotFiles.sizeAndCount(this.temp.resolve("never/existed"))).containsExactly(0, 0);
	}

	@Test
	void aTreeDeeperThanTheOpenLevelsIsCountedInFull() throws IOException {
		Path space = this.temp.resolve("space");
		Path dir = space;
		int depth = 150;
		for (int level = 0; level < depth; level++) {
			write(dir.resolve("file.bin"), 2);
			Files.createSymbolicLink(dir.resolve("link"), space);
			dir = dir.resolve("d");
		}
		write(dir.resolve("bottom.bin"), 1000);
		assertThat(DepotFiles.sizeAndCount(space)).containsExactly(2L * depth + 1000, depth + 1);
	}

	@Test
	void walksByPathWhereTheFileSystemOffersNoSecureDirectoryStream() throws IOException {
		Path zip = this.temp.resolve("tree.zip");
		try (FileSystem zipFileSystem = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
			Path root = zipFileSystem.getPath("/space");
			write(root.resolve("top.txt"), 10);
			write(root.resolve("a/b/two.bin"), 1000);
			Files.createDirectories(root.resolve("a/empty-dir"));
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
				assertThat(entries).isNotInstanceOf(SecureDirectoryStream.class);
			}
			assertThat(DepotFiles.sizeAndCount(root)).containsExactly(1010, 2);
			assertThat(DepotFiles.sizeAndCount(root.resolve("missing"))).containsExactly(0, 0);
		}
	}

	@Test
	void deletesByPathWhereTheFileSystemOffersNoSecureDirectoryStream() throws IOException {
		Path zip = this.temp.resolve("tree.zip");
		try (FileSystem zipFileSystem = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
			Path root = zipFileSystem.getPath("/space");
			write(root.resolve("top.txt"), 10);
			write(root.resolve("a/b/two.bin"), 1000);
			Files.createDirectories(root.resolve("a/empty-dir"));
			DepotFiles.deleteRecursively(root);
			assertThat(root).doesNotExist();
			assertThat(zipFileSystem.getPath("/")).isEmptyDirectory();
		}
	}

	private static Path write(Path file, int size) throws IOException {
		Path parent = file.getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		return Files.write(file, new byte[size]);
	}

}
