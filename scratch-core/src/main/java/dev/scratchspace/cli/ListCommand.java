package dev.scratchspace.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpace;
import dev.scratchspace.ScratchSpaceManager;

import org.jspecify.annotations.Nullable;

/** {@code list}: every space of the depot, as a table or as the actuator endpoint's JSON. */
final class ListCommand {

	private ListCommand() {
	}

	static int run(ScratchSpaceManager manager, boolean json, PrintStream out) {
		checkNotAFile(manager.depot());
		List<ScratchSpace> spaces = manager.spaces();
		long totalBytes = spaces.stream().mapToLong(ScratchSpace::sizeBytes).sum();
		if (json) {
			out.println(json(manager.depot(), totalBytes, spaces));
		}
		else {
			table(spaces, out);
			out.println(spaces.size() + ((spaces.size() == 1) ? " space, " : " spaces, ")
					+ Quantities.humanSize(totalBytes) + ", in depot " + manager.depot());
		}
		return ScratchCommandLine.OK;
	}

	/**
	 * A depot that is a file, or lies below one, holds no spaces, but listing it as an empty
	 * depot would hide a wrong path: it fails as {@code gc} and {@code clear} do, naming it.
	 */
	private static void checkNotAFile(Path depot) {
		for (Path path = depot; path != null; path = path.getParent()) {
			BasicFileAttributes attributes;
			try {
				attributes = Files.readAttributes(path, BasicFileAttributes.class);
			}
			catch (IOException ex) {
				continue;
			}
			if (!attributes.isDirectory()) {
				throw new UncheckedIOException("Cannot list the depot " + depot + ": " + path
						+ " exists but is not a directory", new NotDirectoryException(path.toString()));
			}
			return;
		}
	}

	private static void table(List<ScratchSpace> spaces, PrintStream out) {
		if (spaces.isEmpty()) {
			return;
		}
		Table table = new Table("OWNER", "KEY", "STATUS", "SIZE", "FILES", "LAST ACCESS", "LEASED").alignRight(3, 4);
		for (ScratchSpace space : spaces) {
			table.add(ownerName(space.owner()), space.key(), space.status().name(), Quantities.humanSize(space.sizeBytes()),
					Long.toString(space.fileCount()),
					space.lastAccess().map((time) -> time.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-"),
					space.leased() ? "yes" : "no");
		}
		table.print(out);
	}

	/** The owner as {@code clear} accepts it: coordinates when known, {@code global}, or the UUID. */
	static String ownerName(ScratchOwner owner) {
		if (owner.equals(ScratchOwner.GLOBAL)) {
			return "global";
		}
		return owner.coordinates().orElse(owner.uuid().toString());
	}

	static String json(Path depot, long totalBytes, List<ScratchSpace> spaces) {
		JsonWriter json = new JsonWriter().beginObject();
		json.name("depot").value(depot.toString());
		json.name("totalBytes").value(totalBytes);
		json.name("spaces").beginArray();
		for (ScratchSpace space : spaces) {
			json.beginObject();
			json.name("owner").value(space.owner().uuid().toString());
			json.name("ownerName").value(space.owner().coordinates().orElse(null));
			json.name("key").value(space.key());
			json.name("path").value(space.path().toString());
			json.name("bytes").value(space.sizeBytes());
			json.name("files").value(space.fileCount());
			json.name("lastAccess").value(instant(space.lastAccess()));
			json.name("status").value(space.status().name());
			json.name("orphanedSince").value(instant(space.orphanedSince()));
			json.name("leased").value(space.leased());
			json.name("parentProjects").beginArray();
			for (Path project : space.parentProjects()) {
				json.value(project.toString());
			}
			json.endArray();
			json.endObject();
		}
		return json.endArray().endObject().toString();
	}

	private static @Nullable String instant(Optional<Instant> instant) {
		return instant.map(Instant::toString).orElse(null);
	}

}
