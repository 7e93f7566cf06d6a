package dev.scratchspace;

/**
 * A child JVM that builds a manager with every default, as an application without settings
 * does, and prints the default owner's space: for runs with system properties of their own.
 */
public final class DefaultDepotChild {

	private DefaultDepotChild() {
	}

	/**
	 * Prints {@code space=<path>} of the default owner's space.
	 * @param args the key
	 */
	public static void main(String[] args) {
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().build()) {
			System.out.println("space=" + manager.getScratch(args[0]));
		}
	}

}
