package dev.scratchspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link UsageLogAppender}: its channel stays open between appends, and every
 * append still goes to the regular file the log's path names at that moment.
 */
class UsageLogAppenderTests {

	private static final Duration HANG_GUARD = Duration.ofSeconds(60);

	@TempDir
	Path dir;

	private Path log;

	private UsageLogAppender appender;

	@BeforeEach
	void setUp() throws IOException {
		this.log = this.dir.resolve("scratch_usage.toml");
		// An existing log: the appender keeps a channel on a file it did not create.
		Files.writeString(this.log, "a\n");
		this.appender = new UsageLogAppender(this.log);
	}

	@AfterEach
	void tearDown() throws IOException {
		this.appender.close();
	}

	@Test
	void appendsAfterWhatOthersAppendedMeanwhile() throws IOException {
		append("b\n");
		Files.writeString(this.log, "julia\n", StandardOpenOption.APPEND);
		append("c\n");
		assertThat(Files.readString(this.log)).isEqualTo("a\nb\njulia\nc\n");
	}

	@Test
	void startsOnAFreshLineAfterAnEntryTornSinceTheLastAppend() throws IOException {
		append("b\n");
		try (FileChannel other = FileChannel.open(this.log, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
			other.write(ByteBuffer.wrap("[[\"torn".getBytes(StandardCharsets.UTF_8)));
		}
		append("c\n");
		assertThat(Files.readString(this.log)).isEqualTo("a\nb\n[[\"torn\nc\n");
	}

	@Test
	void anEntryWithoutALineBreakMakesTheNextAppendReadTheLastByte() throws IOException {
		append("b\n");
		append("torn");
		append("c\n");
		assertThat(Files.readString(this.log)).isEqualTo("a\nb\ntorn\nc\n");
	}

	@Test
	void aLogRewrittenToTheSameSizeIsReadAgain() throws IOException {
		append("b\n");
		// A collection renames a new log over the old one: same size, another file, no line break at its end.
		Path rewritten = this.dir.resolve("scratch_usage.toml.tmp");
		Files.writeString(rewritten, "x\nyy");
		Files.move(rewritten, this.log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		append("c\n");
		assertThat(Files.readString(this.log)).isEqualTo("x\nyy\nc\n");
	}

	@Test
	void aLogRewrittenInPlaceAndTornAtTheSizeItHadStartsTheNextEntryOnAFreshLine() throws IOException {
		append("b\n");
		append("c\n");
		long size = Files.size(this.log);
		// Pkg.gc() of older Julia versions rewrites the log in place (open "w"), without the lock.
		// Stopped part-way (killed, disk full) exactly where the log had ended: the same file,
		// the same size, and its last line torn.
		try (FileChannel julia = FileChannel.open(this.log, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING)) {
			julia.write(ByteBuffer.wrap("[[\"/condensed\"]]\ntime = 2026-11-2".getBytes(StandardCharsets.UTF_8), 0,
					(int) size));
		}
		assertThat(Files.size(this.log)).isEqualTo(size);
		append("d\n");
		assertThat(Files.readString(this.log)).endsWith("\nd\n");
	}

	@Test
	void logRewrittenByARenameBetweenTwoAppendsGetsTheSecond() throws IOException {
		append("b\n");
		Path old = Files.createLink(this.dir.resolve("old"), this.log);
		Path rewritten = Files.writeString(this.dir.resolve("rewritten"), "condensed\n");
		Files.move(rewritten, this.log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		append("c\n");
		assertThat(Files.readString(this.log)).isEqualTo("condensed\nc\n");
		assertThat(Files.readString(old)).as("the replaced file").isEqualTo("a\nb\n");
	}

	@Test
	void logMovedAwayBetweenTwoAppendsIsNotWrittenAgain() throws IOException {
		append("b\n");
		Path moved = Files.move(this.log, this.dir.resolve("moved"));
		append("c\n");
		assertThat(Files.readString(moved)).isEqualTo("a\nb\n");
		assertThat(Files.readString(this.log)).isEqualTo("c\n");
		append("d\n");
		assertThat(Files.readString(this.log)).isEqualTo("c\nd\n");
		assertThat(Files.readString(moved)).isEqualTo("a\nb\n");
	}

	@Test
	void logDeletedBetweenTwoAppendsIsCreatedAgain() throws IOException {
		append("b\n");
		Files.delete(this.log);
		append("c\n");
		append("d\n");
		assertThat(Files.readString(this.log)).isEqualTo("c\nd\n");
	}

	@Test
	void linkSwappedInBetweenTwoAppendsIsRefusedAndItsTargetUntouched() throws IOException {
		append("b\n");
		Path target = Files.writeString(this.dir.resolve("target"), "not a log\n");
		Files.delete(this.log);
		Files.createSymbolicLink(this.log, target);
		assertThatExceptionOfType(RegularFiles.NotRegularFileException.class).isThrownBy(() -> append("c\n"));
		assertThat(Files.readString(target)).isEqualTo("not a log\n");
	}

	@Test
	void fifoSwappedInBetweenTwoAppendsIsRefusedWithoutBlocking() throws Exception {
		append("b\n");
		Files.delete(this.log);
		Process mkfifo = new ProcessBuilder("mkfifo", this.log.toString()).inheritIO().start();
		assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo").isTrue();
		assertTimeoutPreemptively(HANG_GUARD,
				() -> assertThatExceptionOfType(RegularFiles.NotRegularFileException.class)
					.isThrownBy(() -> append("c\n")));
		Files.delete(this.log);
		append("d\n");
		assertThat(Files.readString(this.log)).isEqualTo("d\n");
	}

	@Test
	void appendsAfterCloseStillReachTheLog() throws IOException {
		append("b\n");
		this.appender.close();
		append("c\n");
		Files.delete(this.log);
		append("d\n");
		assertThat(Files.readString(this.log)).isEqualTo("d\n");
	}

	private void append(String text) throws IOException {
		this.appender.append(text.getBytes(StandardCharsets.UTF_8));
	}

}
