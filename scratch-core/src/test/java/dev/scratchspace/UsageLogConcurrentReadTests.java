package dev.scratchspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A log read with its spaces looked up on a second thread reads exactly as one read on one
 * thread: random logs, damaged in every way the reader knows, compared field by field.
 */
class UsageLogConcurrentReadTests {

	private static final String[] SPACES = { "/d/scratchspaces/u1/a", "/d/scratchspaces/u1/b", "/d/scratchspaces/u2/c",
			"/d/s/é/ü", "/d/s/q\"uote", "/d/s/back\\slash", "/d/s/tab\tx" };

	@TempDir
	Path dir;

	@Test
	void randomLogsReadTheSameOnOneThreadAndTwo() throws IOException {
		for (int seed = 0; seed < 200; seed++) {
			Random random = new Random(seed);
			byte[] log = randomLog(random);
			Path file = this.dir.resolve("scratch_usage.toml");
			Files.write(file, log);
			int capacity = (random.nextInt(4) == 0) ? 1024 << random.nextInt(4) : ByteLines.DEFAULT_CAPACITY;
			UsageLog one = read(file, capacity, false);
			UsageLog two = read(file, capacity, true);
			assertSame(one, two, "seed " + seed);
		}
	}

	@Test
	void aReadThatFailsMidwayEndsTheLookupThreadAndThrows() throws IOException {
		byte[] log = largeLog();
		for (int failAt = 1; failAt <= 3; failAt++) {
			int failing = failAt;
			ScriptedChannel channel = new ScriptedChannel(log, (read) -> {
				if (read == failing) {
					throw new IOException("disk gone");
				}
			});
			try (ByteLines lines = ByteLines.of(channel, 0)) {
				UsageLogReader reader = new UsageLogReader("scratch_usage.toml", lines, true);
				assertThatExceptionOfType(IOException.class).isThrownBy(reader::read).withMessage("disk gone");
			}
			assertThat(lookupThreads()).isEmpty();
		}
	}

	@Test
	void anInterruptDuringAConcurrentReadLosesNothingAndIsKept() throws IOException {
		byte[] log = largeLog();
		UsageLog expected;
		try (ByteLines lines = ByteLines.of(new ScriptedChannel(log, (read) -> {
		}), 0)) {
			expected = new UsageLogReader("scratch_usage.toml", lines, false).read();
		}
		for (int interruptAt = 1; interruptAt <= 3; interruptAt++) {
			int interrupting = interruptAt;
			ScriptedChannel channel = new ScriptedChannel(log, (read) -> {
				if (read == interrupting) {
					Thread.currentThread().interrupt();
				}
			});
			UsageLog read;
			try (ByteLines lines = ByteLines.of(channel, 0)) {
				read = new UsageLogReader("scratch_usage.toml", lines, true).read();
			}
			finally {
				assertThat(Thread.interrupted()).isTrue();
			}
			assertSame(expected, read, "interrupted at read " + interruptAt);
			assertThat(lookupThreads()).isEmpty();
		}
	}

	@Test
	void anInterruptDuringAConcurrentReadOfAFileFailsTheReadAndIsKept() throws IOException {
		Path file = this.dir.resolve("scratch_usage.toml");
		Files.write(file, largeLog());
		try (FileChannel real = FileChannel.open(file)) {
			// The interrupt comes while batches of the first megabyte are being looked up;
			// the channel then refuses to read, as a file channel does.
			ScriptedChannel channel = new ScriptedChannel(real, (read) -> {
				if (read == 2) {
					Thread.currentThread().interrupt();
				}
			});
			try (ByteLines lines = ByteLines.of(channel, 0)) {
				UsageLogReader reader = new UsageLogReader("scratch_usage.toml", lines, true);
				assertThatExceptionOfType(ClosedByInterruptException.class).isThrownBy(reader::read);
			}
			finally {
				assertThat(Thread.interrupted()).isTrue();
			}
		}
		assertThat(lookupThreads()).isEmpty();
	}

	/** About 3 MiB of entries, read in at least three reads of the default buffer. */
	private static byte[] largeLog() {
		StringBuilder log = new StringBuilder();
		for (int e = 0; log.length() < 3 * ByteLines.DEFAULT_CAPACITY; e++) {
			log.append("[[\"/d/scratchspaces/00000000-0000-0000-0000-000000000000/key-").append(e % 3000)
				.append("\"]]\ntime = 2024-01-01T00:00:").append(String.format("%02d", e % 60))
				.append("Z\nparent_projects = [\"/p/").append(e % 7).append(".toml\"]\n");
		}
		return log.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static List<Thread> lookupThreads() {
		return Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.getName().equals("scratch-usage-log-lookups") && thread.isAlive())
			.toList();
	}

	static UsageLog read(Path file, int capacity, boolean concurrent) throws IOException {
		try (ByteLines lines = ByteLines.open(file, capacity)) {
			return new UsageLogReader("scratch_usage.toml", lines, concurrent).read();
		}
	}

	static void assertSame(UsageLog one, UsageLog two, String what) {
		assertThat(two.warnings()).as(what).containsExactlyElementsOf(one.warnings());
		assertThat(two.entryCount()).as(what).isEqualTo(one.entryCount());
		assertThat(two.malformedCount()).as(what).isEqualTo(one.malformedCount());
		assertThat(flat(two.spaces())).as(what).containsExactlyElementsOf(flat(one.spaces()));
	}

	private static List<String> flat(Map<String, UsageLog.Usage> spaces) {
		List<String> out = new ArrayList<>();
		spaces.forEach((path, usage) -> out.add(path + " " + usage.newest() + " " + List.copyOf(usage.parentProjects())));
		return out;
	}

	static byte[] randomLog(Random random) {
		StringBuilder out = new StringBuilder();
		int entries = (random.nextInt(3) == 0) ? 120 + random.nextInt(20) : random.nextInt(700);
		String nl = random.nextBoolean() ? "\n" : "\r\n";
		int damageRate = 1 + random.nextInt(20);
		if (random.nextInt(10) == 0) {
			out.append("garbage before").append(nl);
		}
		for (int i = 0; i < entries; i++) {
			boolean damaged = random.nextInt(damageRate) == 0 || i == 127 || i == 128 || i == 255 || i == 256;
			entry(out, random, nl, damaged && random.nextInt(3) != 0, i);
		}
		byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
		if (random.nextInt(4) == 0 && bytes.length > 0) {
			bytes = java.util.Arrays.copyOf(bytes, bytes.length - 1 - random.nextInt(Math.min(bytes.length, 40)));
		}
		if (random.nextInt(6) == 0 && bytes.length > 10) {
			int at = random.nextInt(bytes.length);
			for (int k = 0; k < 1 + random.nextInt(8) && at + k < bytes.length; k++) {
				bytes[at + k] = 0;
			}
		}
		return bytes;
	}

	private static void entry(StringBuilder out, Random random, String nl, boolean damaged, int i) {
		String path = SPACES[random.nextInt(SPACES.length)];
		if (random.nextInt(5) == 0) {
			path = "/d/s/space" + random.nextInt(400);
		}
		String header = spelling(random, path);
		if (damaged && random.nextInt(4) == 0) {
			String[] bad = { "\"/d/s/a\\q\"", "\"/d/s/a\\\"", "\"/d/s/\\uZZ\"", "\"/d/s/\\ud800\"", "\"/d/s/\u0001\"",
					"\"/d/s/a", "'''x'''", "\"/d/\\U0011ffff\"" };
			header = bad[random.nextInt(bad.length)];
		}
		if (damaged && random.nextInt(10) == 0) {
			out.append("[table]").append(nl);
		}
		else if (damaged && random.nextInt(10) == 0) {
			out.append("\0\0\0");
		}
		out.append("[[").append(header).append("]]");
		if (damaged && random.nextInt(10) == 0) {
			out.append(" x");
		}
		out.append(nl);
		String time = String.format("time = 2024-%02d-%02dT%02d:%02d:%02d%s", 1 + random.nextInt(12), 1 + random.nextInt(28),
				random.nextInt(24), random.nextInt(60), random.nextInt(60),
				random.nextBoolean() ? "Z" : (random.nextBoolean() ? ".123456+02:00" : ".5"));
		StringBuilder parents = new StringBuilder("parent_projects = [");
		int count = random.nextInt(4);
		boolean many = path.endsWith("/a") && random.nextInt(3) == 0;
		if (many) {
			count = 50 + random.nextInt(50);
		}
		for (int k = 0; k < count; k++) {
			String project = many ? "/p/many" + random.nextInt(3000) + ".toml" : "/p/proj" + random.nextInt(12) + ".toml";
			parents.append(spelling(random, project));
			parents.append((k + 1 < count || random.nextBoolean()) ? ", " : "");
			if (random.nextInt(30) == 0) {
				parents.append(nl);
			}
		}
		parents.append("]");
		List<String> lines = new ArrayList<>(List.of(time, parents.toString()));
		if (random.nextBoolean()) {
			java.util.Collections.reverse(lines);
		}
		if (random.nextInt(10) == 0) {
			lines.add(random.nextInt(lines.size() + 1), "extra = " + (damaged ? "" : "1"));
		}
		if (random.nextInt(15) == 0) {
			lines.add(random.nextInt(lines.size() + 1), "# comment é");
		}
		if (damaged) {
			int kind = random.nextInt(8);
			switch (kind) {
				case 0 -> lines.remove(random.nextInt(lines.size()));
				case 1 -> lines.add("garbage !!");
				case 2 -> lines.add(time);
				case 3 -> lines.add("x".repeat(5000));
				case 4 -> lines.add("extra = [");
				case 5 -> lines.add(random.nextInt(lines.size() + 1), "time = yesterday");
				case 6 -> lines.add("parent_projects = [\"\\q\"]");
				default -> lines.add("\0\0[[" + spelling(random, path) + "]]");
			}
		}
		for (String line : lines) {
			out.append(line).append(nl);
		}
		if (random.nextInt(8) == 0) {
			out.append(nl);
		}
	}

	interface ReadHook {

		void beforeRead(int read) throws IOException;

	}

	/** A channel over bytes in memory that runs a hook before each positional read, counted from 1. */
	static final class ScriptedChannel extends FileChannel {

		private final byte[] bytes;

		private final @Nullable FileChannel real;

		private final ReadHook hook;

		private int reads;

		ScriptedChannel(byte[] bytes, ReadHook hook) {
			this.bytes = bytes;
			this.real = null;
			this.hook = hook;
		}

		ScriptedChannel(FileChannel real, ReadHook hook) {
			this.bytes = new byte[0];
			this.real = real;
			this.hook = hook;
		}

		@Override
		public int read(ByteBuffer dst, long position) throws IOException {
			this.hook.beforeRead(++this.reads);
			if (this.real != null) {
				return this.real.read(dst, position);
			}
			if (position >= this.bytes.length) {
				return -1;
			}
			int n = (int) Math.min(dst.remaining(), this.bytes.length - position);
			dst.put(this.bytes, (int) position, n);
			return n;
		}

		@Override
		public long size() throws IOException {
			return (this.real != null) ? this.real.size() : this.bytes.length;
		}

		@Override
		public int read(ByteBuffer dst) {
			throw new UnsupportedOperationException();
		}

		@Override
		public long read(ByteBuffer[] dsts, int offset, int length) {
			throw new UnsupportedOperationException();
		}

		@Override
		public int write(ByteBuffer src) {
			throw new UnsupportedOperationException();
		}

		@Override
		public long write(ByteBuffer[] srcs, int offset, int length) {
			throw new UnsupportedOperationException();
		}

		@Override
		public long position() {
			throw new UnsupportedOperationException();
		}

		@Override
		public FileChannel position(long newPosition) {
			throw new UnsupportedOperationException();
		}

		@Override
		public FileChannel truncate(long size) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void force(boolean metaData) {
		}

		@Override
		public long transferTo(long position, long count, WritableByteChannel target) {
			throw new UnsupportedOperationException();
		}

		@Override
		public long transferFrom(ReadableByteChannel src, long position, long count) {
			throw new UnsupportedOperationException();
		}

		@Override
		public int write(ByteBuffer src, long position) {
			throw new UnsupportedOperationException();
		}

		@Override
		public MappedByteBuffer map(MapMode mode, long position, long size) {
			throw new UnsupportedOperationException();
		}

		@Override
		public FileLock lock(long position, long size, boolean shared) {
			throw new UnsupportedOperationException();
		}

		@Override
		public FileLock tryLock(long position, long size, boolean shared) {
			throw new UnsupportedOperationException();
		}

		@Override
		protected void implCloseChannel() {
		}

	}

	private static String spelling(Random random, String path) {
		int kind = random.nextInt(4);
		if (kind == 1 && path.indexOf('\'') < 0 && path.indexOf('\t') < 0) {
			return "'" + path + "'";
		}
		if (kind == 2) {
			StringBuilder out = new StringBuilder("\"");
			for (char c : path.toCharArray()) {
				out.append((c == '/' && random.nextBoolean()) ? "\\u002f" : (c == '"') ? "\\\"" : (c == '\\') ? "\\\\"
						: (c == '\t') ? "\\t" : String.valueOf(c));
			}
			return out.append('"').toString();
		}
		return TomlText.quote(path);
	}

}
