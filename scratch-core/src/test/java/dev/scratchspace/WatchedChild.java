package dev.scratchspace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A {@link ScratchChild} whose standard output the test reads line by line, so that it can
 * wait for the child's progress and kill it at a chosen point, and whose standard input the
 * test writes to. Standard error goes to {@code stderr.log} in the work directory.
 */
final class WatchedChild implements AutoCloseable {

	static final Duration DEADLINE = Duration.ofSeconds(120);

	private final String name;

	private final Path workDir;

	private final Process process;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final List<String> lines = new ArrayList<>();

	private final List<WatchedChild> related = new java.util.concurrent.CopyOnWriteArrayList<>();

	private boolean ended;

	private WatchedChild(String name, Path workDir, Process process) {
		this.name = name;
		this.workDir = workDir;
		this.process = process;
		Thread reader = new Thread(this::readOutput, "output of " + name);
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts a child.
	 * @param workDir its working directory, holding its {@code stderr.log}
	 * @param prefix a command that runs the JVM (such as {@code unshare ...}), or empty
	 * @param jvmOptions options for the child JVM, or empty
	 * @param args the {@link ScratchChild} command and its arguments
	 * @return the running child
	 */
	static WatchedChild start(Path workDir, List<String> prefix, List<String> jvmOptions, String... args)
			throws IOException {
		return startWithClassPath(workDir, prefix, jvmOptions, System.getProperty("java.class.path"), args);
	}

	static WatchedChild startWithClassPath(Path workDir, List<String> prefix, List<String> jvmOptions, String classPath,
			String... args) throws IOException {
		Files.createDirectories(workDir);
		List<String> command = new ArrayList<>(prefix);
		command.addAll(ChildJvm.commandWithClassPath(jvmOptions, classPath, args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
			.redirectError(workDir.resolve("stderr.log").toFile());
		builder.environment().remove("SCRATCH_DEPOT");
		builder.environment().remove("SCRATCH_TRACK_ACCESS");
		return new WatchedChild(args[0] + " in " + workDir.getFileName(), workDir, builder.start());
	}

	static WatchedChild start(Path workDir, String... args) throws IOException {
		return start(workDir, List.of(), List.of(), args);
	}

	private void readOutput() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				add(line);
			}
		}
		catch (IOException ex) {
			// The child was killed: its output simply ends.
		}
		finally {
			this.lock.lock();
			try {
				this.ended = true;
				this.changed.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	private void add(String line) {
		this.lock.lock();
		try {
			this.lines.add(line);
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Adds another child's output to this one's failure messages. */
	void relatedTo(WatchedChild other) {
		this.related.add(other);
	}

	/** @return every line printed so far */
	List<String> lines() {
		this.lock.lock();
		try {
			return List.copyOf(this.lines);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return how many printed lines match */
	long count(Predicate<String> predicate) {
		return lines().stream().filter(predicate).count();
	}

	/**
	 * Waits until the child has printed a line that matches, and fails with its output when
	 * it ends or the deadline passes first.
	 * @param predicate what the line must satisfy
	 * @return the first matching line
	 */
	String awaitLine(Predicate<String> predicate) throws InterruptedException {
		return awaitLines(predicate, 1).get(0);
	}

	/** Waits until at least {@code count} printed lines match; returns them all. */
	List<String> awaitLines(Predicate<String> predicate, long count) throws InterruptedException {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		this.lock.lock();
		try {
			while (true) {
				List<String> matching = this.lines.stream().filter(predicate).toList();
				if (matching.size() >= count) {
					return matching;
				}
				long left = deadline - System.nanoTime();
				if (this.ended || left <= 0) {
					throw new AssertionError(this.name + " ended or timed out before printing " + count
							+ " expected lines" + describeWithRelated());
				}
				this.changed.awaitNanos(left);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Writes one line to the child's standard input. */
	void send(String line) throws IOException {
		OutputStream in = this.process.getOutputStream();
		in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
		in.flush();
	}

	/** Closes the child's standard input, its signal to finish. */
	void closeInput() throws IOException {
		this.process.getOutputStream().close();
	}

	/** Kills the child with SIGKILL and waits until it is gone. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		if (!this.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
			throw new AssertionError(this.name + " survived SIGKILL");
		}
	}

	/** Waits for the child to exit with 0, failing with its output otherwise. */
	void awaitSuccess() throws InterruptedException {
		if (!this.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			throw new AssertionError(this.name + " did not finish in time" + describeWithRelated());
		}
		if (this.process.exitValue() != 0) {
			throw new AssertionError(this.name + " exited with " + this.process.exitValue() + describeWithRelated());
		}
	}

	long pid() {
		return this.process.pid();
	}

	private String describeWithRelated() {
		StringBuilder out = new StringBuilder(describe());
		this.related.forEach((other) -> out.append(other.describe()));
		return out.toString();
	}

	String describe() {
		StringBuilder out = new StringBuilder("\n--- output of ").append(this.name).append('\n');
		List<String> printed = lines();
		int from = Math.max(0, printed.size() - 40);
		if (from > 0) {
			out.append("(").append(from).append(" earlier lines)\n");
		}
		printed.subList(from, printed.size()).forEach((line) -> out.append(line).append('\n'));
		try {
			out.append("--- stderr\n").append(Files.readString(this.workDir.resolve("stderr.log")));
		}
		catch (IOException ex) {
			out.append("(no stderr: ").append(ex).append(")");
		}
		return out.toString();
	}

	/** Kills the child if it still runs, so that no test leaves a process behind. */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
