package dev.scratchspace.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;

import org.jspecify.annotations.Nullable;

/**
 * {@code clear OWNER [KEY]}: deletes one space, or every space of one owner, and names what
 * it removed. Leases do not stop it (an explicit delete is the operator's decision), and
 * nothing outside that space or that owner's directory is touched. Removing what is not
 * there succeeds, so a cron job can repeat it.
 */
final class ClearCommand {

	private ClearCommand() {
	}

	static ScratchOwner owner(String text) {
		try {
			return ScratchOwner.parse(text);
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException(ex.getMessage());
		}
	}

	static Path space(ScratchSpaceManager manager, ScratchOwner owner, String key) {
		try {
			return manager.scratchPath(owner, key);
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException(ex.getMessage());
		}
	}

	static int run(ScratchSpaceManager manager, ScratchOwner owner, @Nullable String key, PrintStream out) {
		String shown = ListCommand.ownerName(owner);
		String uuid = owner.uuid().toString();
		String name = shown.equals(uuid) ? uuid : shown + " (" + uuid + ")";
		if (key != null) {
			Path space = space(manager, owner, key);
			boolean exists = Files.exists(space, LinkOption.NOFOLLOW_LINKS);
			// Even when nothing is there: the delete still fails on a file in the depot's way.
			manager.deleteScratch(owner, key);
			out.println(exists ? "Removed " + space
					: "No space " + key + " of owner " + name + " at " + space + "; nothing removed");
			return ScratchCommandLine.OK;
		}
		List<Path> removed = entries(manager.scratchDir(owner.uuid().toString()));
		manager.clearScratchSpaces(owner);
		removed.forEach((path) -> out.println("Removed " + path));
		out.println("Removed " + removed.size() + ((removed.size() == 1) ? " space" : " spaces") + " of owner "
				+ name);
		return ScratchCommandLine.OK;
	}

	/** What the owner's directory holds, sorted; the delete that follows removes all of it. */
	private static List<Path> entries(Path ownerDirectory) {
		List<Path> entries = new ArrayList<>();
		if (Files.isSymbolicLink(ownerDirectory)) {
			return entries;
		}
		try (DirectoryStream<Path> children = Files.newDirectoryStream(ownerDirectory)) {
			children.forEach(entries::add);
		}
		catch (NoSuchFileException | NotDirectoryException ex) {
			// Nothing listed; the delete reports a file in the way.
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list " + ownerDirectory + ": " + ex.getMessage(), ex);
		}
		entries.sort(null);
		return entries;
	}

}
