package dev.scratchspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directory that holds one manager's spaces: {@code <depot>/scratchspaces}, tagged as a
 * cache directory, or the untagged directory of a view. Creates spaces in it, refusing links
 * and files in the way.
 */
final class SpacesDirectory {

	static final String CACHEDIR_TAG = "CACHEDIR.TAG";

	static final String CACHEDIR_TAG_CONTENT = "Signature: 8a477f597d28d172789f06886806bc55\n"
			+ "# This file is a cache directory tag created by scratch spaces for the JVM.\n"
			+ "# For information about cache directory tags, see https://bford.info/cachedir/\n";

	private final Path root;

	private final Path depotRoot;

	private final boolean tagged;

	private final ManagerState state;

	/** Owner directories whose every level this manager checked. */
	private final Set<Path> checkedParents;

	private SpacesDirectory(Path root, boolean tagged, ManagerState state, Set<Path> checkedParents) {
		this.root = root;
		this.depotRoot = state.layout().root();
		this.tagged = tagged;
		this.state = state;
		this.checkedParents = checkedParents;
	}

	/** The depot's own {@code scratchspaces/}, tagged as a cache directory. */
	static SpacesDirectory ofDepot(ManagerState state) {
		return new SpacesDirectory(state.layout().spaces(), true, state, ConcurrentHashMap.newKeySet());
	}

	/**
	 * A view's directory, untagged. It shares the checked owner directories with the
	 * manager: a view of {@code <depot>/scratchspaces} checks nothing twice.
	 */
	SpacesDirectory view(Path root) {
		return new SpacesDirectory(root, false, this.state, this.checkedParents);
	}

	Path root() {
		return this.root;
	}

	/**
	 * The directory below which a link must not stand on the way to a space: the depot for
	 * its own spaces directory (and views inside the depot), else this directory.
	 */
	Path linkCheckRoot() {
		return this.root.startsWith(this.depotRoot) ? this.depotRoot : this.root;
	}

	/**
	 * Creates a space and its parents if missing; refuses links and files in the way. The
	 * common case costs one stat: a real directory, not a link, whose ancestors this manager
	 * checked before.
	 */
	void ensureSpace(ManagerState.Space space) {
		if (space.verified && Files.isDirectory(space.path, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		ensureDirectory(space.path);
		space.verified = true;
	}

	/**
	 * Creates a directory below this one, checking every level; below a parent this manager
	 * checked before, only the directory itself is checked.
	 */
	void ensureDirectory(Path space) {
		Path parent = space.getParent();
		if (parent != null && this.checkedParents.contains(parent)) {
			try {
				DepotFiles.createOne(space, "scratch space");
				this.state.changed();
				return;
			}
			catch (UncheckedIOException ex) {
				if (!(ex.getCause() instanceof NoSuchFileException)) {
					throw ex;
				}
				// The parent went away (cleared, or collected when empty): check every level again.
				this.checkedParents.remove(parent);
			}
		}
		if (this.root.startsWith(this.depotRoot)) {
			DepotFiles.createDirectories(this.depotRoot, this.root, "scratch directory");
		}
		else {
			DepotFiles.createRoot(this.root, "scratch directory");
		}
		if (this.tagged) {
			writeCacheDirTag(this.root);
		}
		for (int attempt = 1;; attempt++) {
			try {
				DepotFiles.createDirectories(this.root, space, "scratch space");
				break;
			}
			catch (UncheckedIOException ex) {
				// A collector removes owner directories it finds empty: one may go between its
				// creation and the space's. Once the space is in it, it is not empty any more.
				if (attempt >= 3 || !(ex.getCause() instanceof NoSuchFileException)) {
					throw ex;
				}
			}
		}
		if (parent != null) {
			this.checkedParents.add(parent);
		}
		this.state.changed();
	}

	private static void writeCacheDirTag(Path spacesRoot) {
		Path tag = spacesRoot.resolve(CACHEDIR_TAG);
		if (Files.exists(tag, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try {
			Files.writeString(tag, CACHEDIR_TAG_CONTENT, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE);
		}
		catch (FileAlreadyExistsException ex) {
			// Written by another manager meanwhile.
		}
		catch (IOException ex) {
			throw DepotFiles.failure("write", tag, ex);
		}
	}

	@Override
	public String toString() {
		return this.root.toString();
	}

}
