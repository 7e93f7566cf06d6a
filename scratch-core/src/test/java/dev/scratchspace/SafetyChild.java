package dev.scratchspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The commands of {@link ScratchChild} for the deletion-safety suite: collectors and writers
 * that report every decision and every lost marker on standard output.
 */
final class SafetyChild {

	private SafetyChild() {
	}

	static void run(String command, Path depot, String[] args) throws Exception {
		switch (command) {
			// collect <depot>: one collection without delay, then every decision
			case "collect" -> collect(depot);
			// collect-loop <depot>: collections without delay until standard input closes
			case "collect-loop" -> collectLoop(depot);
			// marker-writer <depot> <writer> <operations> <owners> <keys> <projects dir> <projects> <reopen every>
			case "marker-writer" -> markerWriter(depot, args);
			default -> throw new IllegalArgumentException("unknown command " + command);
		}
	}

	private static void collect(Path depot) {
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			System.out.println("collecting");
			GcReport report = manager.collectGarbage(GcOptions.defaults().withCollectDelay(Duration.ZERO));
			print(report);
			System.out.println("done deleted=" + report.deletedCount());
		}
	}

	private static void collectLoop(Path depot) {
		AtomicBoolean stop = ScratchChild.stopWhenInputEnds();
		long deleted = 0;
		long runs = 0;
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			System.out.println("started");
			while (!stop.get()) {
				GcReport report = manager.collectGarbage(GcOptions.defaults().withCollectDelay(Duration.ZERO));
				for (String warning : report.warnings()) {
					System.out.println("warning " + MessageText.printable(warning));
				}
				deleted += report.deletedCount();
				runs++;
				System.out.println("gc " + runs + " deleted=" + report.deletedCount());
			}
		}
		System.out.println("stopped runs=" + runs + " deleted=" + deleted);
	}

	private static void print(GcReport report) {
		for (String warning : report.warnings()) {
			System.out.println("warning " + MessageText.printable(warning));
		}
		for (GcDecision decision : report.decisions()) {
			System.out.println("decision " + decision.action() + " " + decision.path() + " "
					+ MessageText.printable(decision.reason()));
		}
	}

	/**
	 * Gets spaces at random and writes a marker into each, re-opening its manager every few
	 * calls. Before each manager closes, every marker written while it was open must still be
	 * there: its space was leased the whole time.
	 */
	private static void markerWriter(Path depot, String[] args) throws IOException {
		int writer = Integer.parseInt(args[2]);
		int operations = Integer.parseInt(args[3]);
		int owners = Integer.parseInt(args[4]);
		int keys = Integer.parseInt(args[5]);
		Path projects = Path.of(args[6]);
		int projectCount = Integer.parseInt(args[7]);
		int reopenEvery = Integer.parseInt(args[8]);
		SplittableRandom random = new SplittableRandom(writer * 7919L);
		System.out.println("started");
		int done = 0;
		int lost = 0;
		while (done < operations) {
			List<Path> markers = new ArrayList<>();
			try (ScratchSpaceManager manager = ScratchSpaceManager.builder()
				.depot(depot)
				.accessLogInterval(Duration.ZERO)
				.build()) {
				for (int i = 0; i < reopenEvery && done < operations; i++, done++) {
					int ownerNumber = random.nextInt(owners);
					int key = random.nextInt(keys);
					// One project per space, so deleting that project orphans the space.
					Path project = projects.resolve("project-" + (ownerNumber * keys + key) % projectCount + ".jar");
					ScratchOwner owner = ScratchOwner.of("org.example", "owner-" + ownerNumber).withProject(project);
					Path space = manager.getScratch(owner, "key-" + key);
					Path marker = space.resolve("marker-" + writer + "-" + done);
					try {
						Files.writeString(marker, "m");
						markers.add(marker);
					}
					catch (NoSuchFileException ex) {
						System.out.println("lost before writing " + marker);
						lost++;
					}
				}
				for (Path marker : markers) {
					if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
						System.out.println("lost " + marker);
						lost++;
					}
				}
			}
		}
		System.out.println("done operations=" + done + " lost=" + lost);
	}

}
