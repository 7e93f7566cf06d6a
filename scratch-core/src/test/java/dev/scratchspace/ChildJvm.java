package dev.scratchspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link ScratchChild} in a separate JVM with this JVM's class path, so that tests
 * exercise real cross-process locking.
 */
final class ChildJvm {

	private ChildJvm() {
	}

	static Process start(Path workDir, Map<String, String> environment, String... args) throws IOException {
		List<String> command = command(args);
		Files.createDirectories(workDir);
		ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(workDir.resolve("child-" + System.nanoTime() + ".log").toFile());
		builder.environment().remove("SCRATCH_DEPOT");
		builder.environment().remove("SCRATCH_TRACK_ACCESS");
		builder.environment().putAll(environment);
		return builder.start();
	}

	static Process start(Path workDir, String... args) throws IOException {
		return start(workDir, Map.of(), args);
	}

	/** The command line that runs {@link ScratchChild} with this JVM's class path. */
	static List<String> command(String... args) {
		return command(List.of(), args);
	}

	/** The same, with JVM options that override the defaults (the last {@code -Xmx} wins). */
	static List<String> command(List<String> jvmOptions, String... args) {
		return commandWithClassPath(jvmOptions, System.getProperty("java.class.path"), args);
	}

	/** The same, with another class path (one that another user may read, for example). */
	static List<String> commandWithClassPath(List<String> jvmOptions, String classPath, String... args) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xshare:auto");
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-Xmx128m");
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(classPath);
		command.add(ScratchChild.class.getName());
		command.addAll(List.of(args));
		return command;
	}

	/** Waits for the process and fails with its output if it did not exit with 0. */
	static void awaitSuccess(Process process, Path workDir) throws Exception {
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("child JVM did not finish within 120 s" + output(workDir));
		}
		if (process.exitValue() != 0) {
			throw new AssertionError("child JVM exited with " + process.exitValue() + output(workDir));
		}
	}

	private static String output(Path workDir) throws IOException {
		StringBuilder out = new StringBuilder();
		try (var logs = Files.list(workDir)) {
			for (Path log : logs.filter((p) -> p.getFileName().toString().startsWith("child-")).toList()) {
				out.append("\n--- ").append(log.getFileName()).append('\n').append(Files.readString(log));
			}
		}
		return out.toString();
	}

}
