package dev.scratchspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.UUID;

/**
 * The program that {@link ChildJvm} starts: one command per process, on a depot given as
 * the first argument.
 */
public final class ScratchChild {

	private ScratchChild() {
	}

	public static void main(String[] args) throws Exception {
		String command = args[0];
		Path depot = Path.of(args[1]);
		switch (command) {
			// track <depot> <owner> <project> <key>...: one access per key
			case "track" -> {
				ScratchOwner owner = ScratchOwner.parse(args[2]).withProject(Path.of(args[3]));
				try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
					for (int i = 4; i < args.length; i++) {
						manager.getScratch(owner, args[i]);
					}
				}
			}
			// track-many <depot> <owner> <project> <prefix> <count>: keys <prefix>0..<count-1>
			case "track-many" -> {
				ScratchOwner owner = ScratchOwner.parse(args[2]).withProject(Path.of(args[3]));
				int count = Integer.parseInt(args[5]);
				try (ScratchSpaceManager manager = ScratchSpaceManager.builder()
					.depot(depot)
					.accessLogInterval(Duration.ZERO)
					.build()) {
					for (int i = 0; i < count; i++) {
						manager.getScratch(owner, args[4] + i);
					}
				}
			}
			// populate <depot> <owner> <key> <counter file>: counts populator runs in the file
			case "populate" -> {
				ScratchOwner owner = ScratchOwner.parse(args[2]);
				Path counter = Path.of(args[4]);
				try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
					Path space = manager.getOrPopulate(owner, args[3], (staging) -> {
						Files.writeString(counter, "run\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
						for (int i = 0; i < 20; i++) {
							Files.writeString(staging.resolve("part-" + i), "content " + i);
						}
						Thread.sleep(200);
					});
					try (var files = Files.list(space)) {
						System.out.println("files=" + files.count());
					}
				}
			}
			// lease <depot> <owner> <key> <ready file>: leases the space, writes the ready
			// file, then holds the lease until standard input closes
			case "lease" -> {
				ScratchOwner owner = ScratchOwner.parse(args[2]);
				try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
					manager.getScratch(owner, args[3]);
					Files.writeString(Path.of(args[4]), UUID.randomUUID().toString());
					while (System.in.read() != -1) {
						// hold the lease
					}
				}
			}
			default -> throw new IllegalArgumentException("unknown command " + command);
		}
	}

}
