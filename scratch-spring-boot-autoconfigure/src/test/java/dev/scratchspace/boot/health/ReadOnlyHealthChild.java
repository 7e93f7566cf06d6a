package dev.scratchspace.boot.health;

import java.nio.file.Path;

import dev.scratchspace.ScratchSpaceManager;
import dev.scratchspace.boot.actuate.ScratchInventory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.util.unit.DataSize;

/**
 * Runs in a child JVM whose depot is on a read-only mount: prints the health of the depot and
 * whether an existing space is still handed out, for {@link ScratchHealthIndicatorTests}.
 */
final class ReadOnlyHealthChild {

	private ReadOnlyHealthChild() {
	}

	public static void main(String[] args) {
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(Path.of(args[0])).build()) {
			System.out.println("space " + manager.getScratch(args[1]));
			ScratchInventory inventory = new ScratchInventory(manager);
			// Sizes come from the background snapshot: measure once, as the inventory's thread would.
			inventory.refresh();
			Health health = new ScratchHealthIndicator(inventory, DataSize.ofBytes(0)).health();
			System.out.println("status " + health.getStatus());
			health.getDetails().forEach((name, value) -> System.out.println("detail " + name + "=" + value));
		}
	}

}
