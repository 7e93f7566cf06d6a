package dev.scratchspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ByteLines}.
 */
class ByteLinesTests {

	@TempDir
	Path dir;

	@Test
	void splitsAtLineFeedsAndDropsTheCarriageReturnBeforeThem() throws IOException {
		assertThat(lines("a\nb\r\n\r\nc\rd\n", 64)).containsExactly("a", "b", "", "c\rd");
	}

	@Test
	void lastLineWithoutALineBreakIsALineAndIsFlagged() throws IOException {
		try (ByteLines lines = open("a\nb", 64)) {
			assertThat(lines.next()).isTrue();
			assertThat(lines.lastLineUnterminated()).isFalse();
			assertThat(lines.next()).isTrue();
			assertThat(text(lines)).isEqualTo("b");
			assertThat(lines.lastLineUnterminated()).isTrue();
			assertThat(lines.next()).isFalse();
		}
	}

	@Test
	void emptyFileHasNoLines() throws IOException {
		assertThat(lines("", 64)).isEmpty();
	}

	@Test
	void linesSpanningRefillsArePutTogether() throws IOException {
		String content = "0123456789\nabcdefghijklmnop\nxyz\n".repeat(20);
		assertThat(lines(content, 32)).hasSize(60).containsSequence("0123456789", "abcdefghijklmnop", "xyz");
	}

	@Test
	void lineLongerThanTheBufferIsSkippedAndReported() throws IOException {
		try (ByteLines lines = open("short\n" + "x".repeat(100) + "\nafter\n" + "y".repeat(50), 16)) {
			assertThat(lines.next()).isTrue();
			assertThat(text(lines)).isEqualTo("short");
			assertThat(lines.next()).isTrue();
			assertThat(lines.tooLong()).isTrue();
			assertThat(lines.lineNumber()).isEqualTo(2);
			assertThat(lines.next()).isTrue();
			assertThat(lines.tooLong()).isFalse();
			assertThat(text(lines)).isEqualTo("after");
			assertThat(lines.lineNumber()).isEqualTo(3);
			assertThat(lines.next()).isTrue();
			assertThat(lines.tooLong()).isTrue();
			assertThat(lines.lastLineUnterminated()).isTrue();
			assertThat(lines.next()).isFalse();
		}
	}

	@Test
	void markKeepsTheBytesUpToTheCurrentLineAcrossRefills() throws IOException {
		try (ByteLines lines = open("head\nline one\nline two\nnext\nrest\n", 32)) {
			lines.next();
			lines.mark();
			lines.next();
			lines.next();
			lines.next();
			assertThat(text(lines)).isEqualTo("next");
			assertThat(new String(lines.marked(), StandardCharsets.UTF_8)).isEqualTo("line one\nline two\n");
		}
	}

	@Test
	void markReachesTheEndOfTheFileOnceThereAreNoMoreLines() throws IOException {
		try (ByteLines lines = open("head\nbody\ntail", 64)) {
			lines.next();
			lines.mark();
			while (lines.next()) {
				// read to the end
			}
			assertThat(new String(lines.marked(), StandardCharsets.UTF_8)).isEqualTo("body\ntail");
		}
	}

	@Test
	void markIsDroppedWhenItsBytesNoLongerFitInTheBuffer() throws IOException {
		try (ByteLines lines = open("head\n" + "0123456789\n".repeat(5) + "next\n", 32)) {
			lines.next();
			lines.mark();
			for (int i = 0; i < 6; i++) {
				lines.next();
			}
			assertThat(text(lines)).isEqualTo("next");
			assertThat(lines.marked()).isNull();
			lines.clearMark();
			lines.mark();
			assertThat(lines.marked()).isEmpty();
		}
	}

	@Test
	void withoutAMarkThereAreNoMarkedBytes() throws IOException {
		try (ByteLines lines = open("a\nb\n", 64)) {
			lines.next();
			assertThat(lines.marked()).isNull();
		}
	}

	private List<String> lines(String content, int capacity) throws IOException {
		List<String> result = new ArrayList<>();
		try (ByteLines lines = open(content, capacity)) {
			while (lines.next()) {
				result.add(text(lines));
			}
		}
		return result;
	}

	private ByteLines open(String content, int capacity) throws IOException {
		Path file = this.dir.resolve("lines.txt");
		Files.writeString(file, content);
		return ByteLines.open(file, capacity);
	}

	private static String text(ByteLines lines) {
		return new String(lines.buffer(), lines.start(), lines.end() - lines.start(), StandardCharsets.UTF_8);
	}

}
