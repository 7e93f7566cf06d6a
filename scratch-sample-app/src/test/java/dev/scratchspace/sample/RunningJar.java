package dev.scratchspace.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A Spring Boot executable jar running in a process of its own, as {@code java -jar} or
 * exploded with {@code JarLauncher}, on a port the server picks. Its output is collected, to be shown when something goes wrong.
 */
final class RunningJar implements AutoCloseable {

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private static final Pattern STARTED = Pattern.compile("Started \\w+ in ");

	private final Process process;

	private final List<String> output = new ArrayList<>();

	private final CompletableFuture<Integer> port = new CompletableFuture<>();

	private RunningJar(Process process) {
		this.process = process;
		Thread reader = new Thread(this::readOutput, "output of " + process.pid());
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts a jar with {@code --server.port=0} and waits until the application has started.
	 * @param jar the executable jar
	 * @param timeout how long the start may take
	 * @param arguments more application arguments
	 * @return the running application
	 * @throws AssertionError with the application's output if it does not start in time
	 */
	static RunningJar start(Path jar, Duration timeout, String... arguments) throws IOException {
		return start(List.of("-jar", jar.toString()), null, timeout, arguments);
	}

	/**
	 * Starts an exploded executable jar as Cloud Native Buildpacks do, from its root with
	 * {@code java -cp <root> org.springframework.boot.loader.launch.JarLauncher}, with
	 * {@code --server.port=0}, and waits until the application has started.
	 * @param root the directory the jar was extracted into
	 * @param timeout how long the start may take
	 * @param arguments more application arguments
	 * @return the running application
	 * @throws AssertionError with the application's output if it does not start in time
	 */
	static RunningJar startExploded(Path root, Duration timeout, String... arguments) throws IOException {
		return start(List.of("-cp", root.toString(), "org.springframework.boot.loader.launch.JarLauncher"), root,
				timeout, arguments);
	}

	private static RunningJar start(List<String> launch, @Nullable Path workingDirectory, Duration timeout,
			String... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of(javaCommand()));
		command.addAll(launch);
		command.add("--server.port=0");
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		if (workingDirectory != null) {
			builder.directory(workingDirectory.toFile());
		}
		// The test decides the depot and expects accesses to be recorded, whatever the shell says.
		builder.environment().remove("SCRATCH_DEPOT");
		builder.environment().remove("SCRATCH_TRACK_ACCESS");
		RunningJar running = new RunningJar(builder.start());
		try {
			running.port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return running;
		}
		catch (ExecutionException ex) {
			throw running.failedToStart(ex.getCause().getMessage(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw running.failedToStart("it did not start within " + timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw running.failedToStart("interrupted", ex);
		}
	}

	private AssertionError failedToStart(String reason, Throwable cause) {
		close();
		return new AssertionError("The application did not start: " + reason + "\n" + describeOutput(), cause);
	}

	private static String javaCommand() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private void readOutput() {
		Integer found = null;
		InputStreamReader input = new InputStreamReader(this.process.getInputStream(), Charset.defaultCharset());
		try (BufferedReader reader = new BufferedReader(input)) {
			for (String line; (line = reader.readLine()) != null;) {
				synchronized (this.output) {
					this.output.add(line);
				}
				Matcher port = PORT.matcher(line);
				if (port.find()) {
					found = Integer.valueOf(port.group(1));
				}
				if (found != null && STARTED.matcher(line).find()) {
					this.port.complete(found);
				}
			}
		}
		catch (IOException ex) {
			this.port.completeExceptionally(new UncheckedIOException(ex));
		}
		this.port.completeExceptionally(new IllegalStateException("The process ended before the application started"));
	}

	/** @return the port the server listens on */
	int port() {
		return this.port.join();
	}

	/** @return everything the process wrote so far, with a heading */
	String describeOutput() {
		synchronized (this.output) {
			return "--- output of the application ---\n" + String.join("\n", this.output);
		}
	}

	/** Stops the application gracefully, or forcibly when it takes too long. */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
