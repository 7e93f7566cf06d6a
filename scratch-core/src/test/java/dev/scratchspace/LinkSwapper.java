package dev.scratchspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An attacker for delete races: until stopped, moves the directories {@code d0} to
 * {@code d<n-1>} of a tree out to a stash and puts a link to an outside directory in the
 * place of each, then moves them back. A delete that follows a link loses the outside
 * directory's files.
 */
final class LinkSwapper extends Thread {

	private final Supplier<Path> tree;

	private final Path stash;

	private final Path outside;

	private final int directories;

	private final AtomicBoolean stopped = new AtomicBoolean();

	private final AtomicInteger cycles = new AtomicInteger();

	private int swaps;

	/**
	 * @param tree where the tree is now, asked once per cycle (a collector may rename it)
	 * @param stash where its directories wait while links stand in their place
	 * @param outside what the links lead to
	 * @param directories how many directories {@code d<i>} the tree has
	 */
	LinkSwapper(Supplier<Path> tree, Path stash, Path outside, int directories) {
		super("link swapper");
		this.tree = tree;
		this.stash = stash;
		this.outside = outside;
		this.directories = directories;
		setDaemon(true);
	}

	@Override
	public void run() {
		while (!this.stopped.get()) {
			Path dir = this.tree.get();
			for (int d = 0; d < this.directories; d++) {
				try {
					Files.move(dir.resolve("d" + d), this.stash.resolve("d" + d));
					Files.createSymbolicLink(dir.resolve("d" + d), this.outside);
					this.swaps++;
				}
				catch (IOException ex) {
					// Deleted meanwhile, or the tree is gone: go on.
				}
			}
			for (int d = 0; d < this.directories; d++) {
				try {
					Path link = dir.resolve("d" + d);
					if (Files.isSymbolicLink(link)) {
						Files.delete(link);
					}
					Files.move(this.stash.resolve("d" + d), link);
				}
				catch (IOException ex) {
					// Deleted meanwhile, or the tree is gone: go on.
				}
			}
			this.cycles.incrementAndGet();
		}
	}

	void awaitFirstCycle() {
		while (this.cycles.get() == 0) {
			Thread.onSpinWait();
		}
	}

	/** Stops and waits for the thread. @return how many links it put in place */
	int finish() throws InterruptedException {
		this.stopped.set(true);
		join();
		return this.swaps;
	}

}
