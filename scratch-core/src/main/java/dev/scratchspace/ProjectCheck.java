package dev.scratchspace;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Whether project files exist, asking the file system once per file. */
final class ProjectCheck {

	private final Map<String, Boolean> exists = new HashMap<>();

	boolean exists(String project) {
		return this.exists.computeIfAbsent(project, ProjectCheck::check);
	}

	boolean anyExists(Iterable<String> projects) {
		for (String project : projects) {
			if (exists(project)) {
				return true;
			}
		}
		return false;
	}

	List<Path> paths(Iterable<String> projects) {
		List<Path> paths = new ArrayList<>();
		for (String project : projects) {
			try {
				paths.add(Path.of(project));
			}
			catch (InvalidPathException ex) {
				// Not a path on this platform: it cannot keep anything alive either.
			}
		}
		return paths;
	}

	private static boolean check(String project) {
		try {
			Path path = Path.of(project);
			return path.isAbsolute() && DepotFiles.existsFollowingLinks(path);
		}
		catch (InvalidPathException ex) {
			return false;
		}
	}

}
