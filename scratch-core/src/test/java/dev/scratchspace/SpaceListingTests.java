package dev.scratchspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listing reads an owner directory's link count instead of each space's type only where
 * the count shows that every entry is a directory, and lists exactly what reading each
 * type lists.
 */
class SpaceListingTests {

	private static final String FIRST = "0a6e3b5c-1f2d-4e8a-9b7c-3d4e5f6a7b8c";

	private static final String SECOND = "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b";

	/** Keys whose String order differs from a case-blind or path order. */
	private static final List<String> KEYS = List.of("b", "B", "a.b", "a-b", "a", "a_b", "Z", "10", "9");

	@TempDir
	Path temp;

	private Path depot;

	private Path spaces;

	@BeforeEach
	void createSpacesDirectory() throws IOException {
		this.depot = Files.createDirectories(this.temp.resolve("depot")).toRealPath();
		this.spaces = Files.createDirectories(this.depot.resolve("scratchspaces"));
		// Neither is an owner directory: never listed, never counted.
		Files.createDirectories(this.spaces.resolve("not-a-uuid/key"));
		Files.writeString(this.spaces.resolve("0b6e3b5c-1f2d-4e8a-9b7c-3d4e5f6a7b8c"), "a file");
	}

	@Test
	void ownerDirectoriesOfDirectoriesOnlyAreListedByTheirLinkCount() throws IOException {
		assumeLinkCountsSubdirectories();
		Path first = spaces(FIRST);
		Path second = spaces(SECOND);

		List<Path> byLinkCount = new ArrayList<>();
		List<SpaceListing.Entry> entries = listed(byLinkCount);

		assertThat(byLinkCount).containsExactly(first, second);
		assertThat(entries).isEqualTo(readEachType()).hasSize(2 * KEYS.size());
		assertThat(entries).extracting(SpaceListing.Entry::path).isSorted();
		assertThat(entries).noneMatch(SpaceListing.Entry::symbolicLink);
		assertThat(entries.get(0).key()).isEqualTo("10");
	}

	@Test
	void regularFileAmongTheSpacesIsReadTypeByTypeAndLeftOut() throws IOException {
		assumeLinkCountsSubdirectories();
		Path first = spaces(FIRST);
		Path second = spaces(SECOND);
		Path file = Files.writeString(first.resolve("file"), "someone else's");

		List<Path> byLinkCount = new ArrayList<>();
		List<SpaceListing.Entry> entries = listed(byLinkCount);

		assertThat(byLinkCount).containsExactly(second);
		assertThat(entries).isEqualTo(readEachType()).hasSize(2 * KEYS.size());
		assertThat(entries).extracting(SpaceListing.Entry::path).doesNotContain(file);
	}

	@Test
	void linkToADirectoryAmongTheSpacesIsReadTypeByTypeAndListedAsALink() throws IOException {
		assumeLinkCountsSubdirectories();
		Path first = spaces(FIRST);
		Path second = spaces(SECOND);
		Path outside = Files.createDirectories(this.temp.resolve("outside"));
		Path link = Files.createSymbolicLink(second.resolve("link"), outside);

		List<Path> byLinkCount = new ArrayList<>();
		List<SpaceListing.Entry> entries = listed(byLinkCount);

		assertThat(byLinkCount).containsExactly(first);
		assertThat(entries).isEqualTo(readEachType()).hasSize(2 * KEYS.size() + 1);
		assertThat(entries).filteredOn(SpaceListing.Entry::symbolicLink)
			.singleElement()
			.isEqualTo(new SpaceListing.Entry(UUID.fromString(SECOND), "link", link, true));
	}

	@Test
	void danglingLinkAmongTheSpacesIsReadTypeByTypeAndListedAsALink() throws IOException {
		assumeLinkCountsSubdirectories();
		Path first = spaces(FIRST);
		Path dangling = Files.createSymbolicLink(first.resolve("dangling"), this.temp.resolve("nothing"));

		List<Path> byLinkCount = new ArrayList<>();
		List<SpaceListing.Entry> entries = listed(byLinkCount);

		assertThat(byLinkCount).isEmpty();
		assertThat(entries).isEqualTo(readEachType()).hasSize(KEYS.size() + 1);
		assertThat(entries).filteredOn(SpaceListing.Entry::symbolicLink)
			.extracting(SpaceListing.Entry::path)
			.containsExactly(dangling);
	}

	/** An owner directory with a space directory for each of {@link #KEYS}. */
	private Path spaces(String owner) throws IOException {
		Path ownerDir = Files.createDirectories(this.spaces.resolve(owner));
		for (String key : KEYS) {
			Files.createDirectories(ownerDir.resolve(key));
		}
		return ownerDir;
	}

	private List<SpaceListing.Entry> listed(List<Path> byLinkCount) {
		List<String> warnings = new ArrayList<>();
		List<SpaceListing.Entry> entries = SpaceListing.list(this.depot, this.spaces, warnings, true,
				byLinkCount::add, (ownerDir) -> {
				});
		assertThat(warnings).isEmpty();
		return entries;
	}

	/** The reference: the listing that reads the type of every space. */
	private List<SpaceListing.Entry> readEachType() {
		List<String> warnings = new ArrayList<>();
		List<SpaceListing.Entry> entries = SpaceListing.list(this.depot, this.spaces, warnings, false, (ownerDir) -> {
			throw new AssertionError("Read the link count of " + ownerDir);
		}, (ownerDir) -> {
		});
		assertThat(warnings).isEmpty();
		return entries;
	}

	/**
	 * Skips where the temporary directory's file system does not count subdirectories in a
	 * directory's link count (btrfs, say): there the listing always reads each type.
	 */
	private void assumeLinkCountsSubdirectories() throws IOException {
		Path probe = Files.createDirectories(this.temp.resolve("probe/sub"));
		Object links = Files.getAttribute(probe.getParent(), "unix:nlink", LinkOption.NOFOLLOW_LINKS);
		Assumptions.assumeTrue(Integer.valueOf(3).equals(links),
				"the file system of " + this.temp + " does not count subdirectories in a link count");
	}

}
