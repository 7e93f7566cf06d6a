package dev.scratchspace;

import java.nio.file.Path;

/**
 * Fills a fresh staging directory with the content of a space. Used by
 * {@link ScratchSpaceManager#getOrPopulate(ScratchOwner, String, Populator)}, which moves the
 * staging directory into place atomically once this method returns normally.
 */
@FunctionalInterface
public interface Populator {

	/**
	 * Writes the space's content into {@code stagingDir}.
	 * @param stagingDir an empty, owner-only directory inside the depot
	 * @throws Exception any failure; the staging directory is then removed and no space is
	 * left behind
	 */
	void populate(Path stagingDir) throws Exception;

}
