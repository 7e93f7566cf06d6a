package dev.scratchspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Hostile tarballs and {@code Artifacts.toml} files, and careless calls, against
 * {@link Artifacts#ensureInstalled}, {@link Artifacts#bind} and {@link Artifacts#archive}: each
 * fails with the documented exception, or installs what {@code tar} would, and leaves no
 * staging behind.
 */
class ArtifactHostileInstallTests {

	private static final ArtifactLimits LIMITS = new ArtifactLimits(Duration.ofSeconds(5), Duration.ofSeconds(5),
			Duration.ofSeconds(30), 1 << 20, 64 * 1024, 100);

	@TempDir
	Path temp;

	private Path depot;

	private ScratchSpaceManager manager;

	private Artifacts artifacts;

	@BeforeEach
	void createManager() {
		this.depot = this.temp.resolve("depot");
		this.manager = ScratchSpaceManager.builder().depot(this.depot).build();
		this.artifacts = this.manager.artifacts().limits(LIMITS);
	}

	@AfterEach
	void close() throws IOException {
		this.manager.close();
		DepotFiles.deleteRecursively(this.depot);
	}

	@Test
	void directoriesAnEntryImpliesCountTowardTheEntryCap() throws IOException {
		// One entry, 150 directories deep: the tarball holds 1 entry, the tree 151.
		String deep = "d/".repeat(150) + "file";
		Path expected = this.temp.resolve("expected");
		Files.createDirectories(expected.resolve("d/".repeat(150)));
		Files.writeString(expected.resolve(deep), "x");
		Path tarball = tarGz(this.temp.resolve("deep.tar.gz"), (tar) -> file(tar, deep, "x", 0644));
		Path toml = bindFile(TreeHash.of(expected), tarball);
		assertThatExceptionOfType(ArtifactException.class)
			.isThrownBy(() -> this.artifacts.ensureInstalled(toml, "a"))
			.withMessageContaining("100");
		assertNothingInstalled();
	}

	@Test
	void aTarballOfSeveralGzipMembersInstallsAsTarExtractsIt() throws IOException {
		Path expected = this.temp.resolve("expected");
		Files.createDirectories(expected.resolve("dir"));
		Files.writeString(expected.resolve("dir/first"), "first");
		Files.writeString(expected.resolve("second"), "second");
		ByteArrayOutputStream plain = new ByteArrayOutputStream();
		try (TarArchiveOutputStream tar = new TarArchiveOutputStream(plain, StandardCharsets.UTF_8.name())) {
			directory(tar, "dir/");
			file(tar, "dir/first", "first", 0644);
			file(tar, "second", "second", 0644);
			tar.finish();
		}
		byte[] bytes = plain.toByteArray();
		// As bgzip or `cat a.gz b.gz` write it: the tar stream split across two gzip members.
		Path tarball = this.temp.resolve("members.tar.gz");
		try (OutputStream out = Files.newOutputStream(tarball)) {
			out.write(gzip(bytes, 0, 1024));
			out.write(gzip(bytes, 1024, bytes.length - 1024));
		}
		Path toml = bindFile(TreeHash.of(expected), tarball);
		Path dir = this.artifacts.ensureInstalled(toml, "a");
		assertThat(Files.readString(dir.resolve("second"))).isEqualTo("second");
	}

	@Test
	void zerosAfterTheGzipStreamAreIgnoredAsGzipIgnoresThem() throws IOException {
		Path expected = this.temp.resolve("expected");
		Files.createDirectories(expected);
		Files.writeString(expected.resolve("file"), "x");
		Path tarball = tarGz(this.temp.resolve("padded.tar.gz"), (tar) -> file(tar, "file", "x", 0644));
		// As a tape-sized block pads it.
		Files.write(tarball, new byte[10240 - (int) (Files.size(tarball) % 10240)], StandardOpenOption.APPEND);
		Path toml = bindFile(TreeHash.of(expected), tarball);
		assertThat(Files.readString(this.artifacts.ensureInstalled(toml, "a").resolve("file"))).isEqualTo("x");
	}

	@Test
	void archivingToARootOrADirectoryFailsNamingItAndLeavesItAlone() throws IOException {
		String hash = this.artifacts.create((dir) -> Files.writeString(dir.resolve("file"), "x"));
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> this.artifacts.archive(hash, Path.of("/")))
			.withMessageContaining(" to /: ");
		Path directory = Files.createDirectory(this.temp.resolve("out.tar.gz"));
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> this.artifacts.archive(hash, directory))
			.withMessageContaining(directory.toString());
		assertThat(directory).isEmptyDirectory();
		try (Stream<Path> beside = Files.list(this.temp)) {
			assertThat(beside).noneMatch((path) -> path.getFileName().toString().contains(".tmp-"));
		}
	}

	@Test
	void archivingIntoAnArtifactIsRefusedAndLeavesItIntact() throws IOException {
		String hash = this.artifacts.create((dir) -> {
			Files.createDirectory(dir.resolve("sub"));
			Files.writeString(dir.resolve("sub/file"), "x");
		});
		Path dir = this.artifacts.path(hash).orElseThrow();
		// Read-only stops most users, not root (or a container running as root).
		for (Path target : List.of(dir.resolve("self.tar.gz"), dir.resolve("sub/self.tar.gz"),
				this.temp.resolve("link-to-artifact"))) {
			if (target.startsWith(this.temp.resolve("link-to-artifact"))) {
				Files.createSymbolicLink(target, dir);
				target = target.resolve("self.tar.gz");
			}
			Path into = target;
			assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> this.artifacts.archive(hash, into))
				.withMessageContaining(into.toString());
		}
		assertThat(this.artifacts.verify(hash)).isTrue();
		try (Stream<Path> all = Files.walk(dir)) {
			assertThat(all.filter((path) -> path.getFileName().toString().contains("self.tar.gz"))).isEmpty();
		}
	}

	@Test
	void aClosedManagerCreatesAndExportsNothingUnleased() throws IOException {
		ScratchOwner owner = ScratchOwner.of("dev.example", "closed");
		Files.writeString(this.manager.getScratch(owner, "space").resolve("file"), "x");
		this.manager.close();
		AtomicBoolean populated = new AtomicBoolean();
		assertThatIllegalStateException().isThrownBy(() -> this.artifacts.create((dir) -> {
			populated.set(true);
			Files.writeString(dir.resolve("file"), "x");
		})).withMessageContaining("closed");
		assertThatIllegalStateException().isThrownBy(() -> this.artifacts.exportScratch(owner, "space"))
			.withMessageContaining("closed");
		assertThat(populated).isFalse();
		assertNothingInstalled();
	}

	@Test
	void aHugePaxHeaderIsRefusedWithoutReadingItIntoMemory() throws Exception {
		// 160 MiB of path in one pax record, some 160 KB gzipped; a child with a 128 MiB heap
		// and the default limits, whose cap on the whole stream is far above it.
		long value = 160L << 20;
		String prefix = " path=";
		long body = prefix.length() + value + 1;
		long length = body + Long.toString(body + 10).length();
		Path tarball = tarGz(this.temp.resolve("pax.tar.gz"), (tar) -> {
			TarArchiveEntry pax = new TarArchiveEntry("PaxHeaders/file", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
			pax.setSize(length);
			tar.putArchiveEntry(pax);
			tar.write((length + prefix).getBytes(StandardCharsets.US_ASCII));
			byte[] chunk = new byte[1 << 20];
			Arrays.fill(chunk, (byte) 'a');
			for (long left = value; left > 0; left -= chunk.length) {
				tar.write(chunk, 0, (int) Math.min(left, chunk.length));
			}
			tar.write('\n');
			tar.closeArchiveEntry();
			file(tar, "file", "x", 0644);
		});
		Path toml = bindFile("0".repeat(40), tarball);
		Path work = this.temp.resolve("child");
		Process process = ChildJvm.start(work, "artifact-install", this.temp.resolve("other-depot").toString(),
				toml.toString(), "a");
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
		String output;
		try (Stream<Path> logs = Files.list(work)) {
			output = Files.readString(logs.findFirst().orElseThrow());
		}
		assertThat(output).doesNotContain("OutOfMemoryError").contains("Refusing the tarball");
	}

	@Test
	void anArtifactsTomlInAJarThatLiesAboutItsSizeIsReadOnlyUpToTheCap() throws IOException {
		// The entry with a 20 MiB string; the jar's headers say the file has 100 bytes.
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			zip.putNextEntry(new ZipEntry("Artifacts.toml"));
			zip.write(("[x]\ngit-tree-sha1 = \"" + "1".repeat(40) + "\"\npad = \"").getBytes(StandardCharsets.US_ASCII));
			byte[] chunk = new byte[1 << 20];
			Arrays.fill(chunk, (byte) 'a');
			for (int i = 0; i < 20; i++) {
				zip.write(chunk);
			}
			zip.write("\"\n".getBytes(StandardCharsets.US_ASCII));
			zip.closeEntry();
		}
		ByteBuffer jar = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
		int patched = 0;
		for (int i = 0; i + 4 <= jar.limit(); i++) {
			if (jar.getInt(i) == 0x02014b50) {
				jar.putInt(i + 24, 100); // the central directory's uncompressed size
				patched++;
			}
			else if (jar.getInt(i) == 0x08074b50 && i + 16 <= jar.limit()) {
				jar.putInt(i + 12, 100); // the data descriptor's
			}
		}
		assertThat(patched).isEqualTo(1);
		Path file = Files.write(this.temp.resolve("lying.jar"), jar.array());
		try (FileSystem zip = FileSystems.newFileSystem(file)) {
			Path toml = zip.getPath("Artifacts.toml");
			assertThat(Files.size(toml)).isEqualTo(100);
			assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> this.artifacts.ensureInstalled(toml, "x"))
				.withMessageContaining("more than " + ArtifactsToml.MAX_BYTES + " bytes");
		}
	}

	@Test
	void aNonAsciiNameInstallsInAJvmWhoseDefaultCharsetIsNotUtf8() throws Exception {
		String name = "caf\u00e9-\u4e2d\u6587";
		Path expected = this.temp.resolve("expected");
		Files.createDirectories(expected);
		Files.writeString(expected.resolve(name), "x");
		String hash = TreeHash.of(expected);
		// As archive writes it (and GNU tar in a UTF-8 locale): UTF-8 bytes in the ustar header, no pax.
		Path tarball = this.temp.resolve("unicode.tar.gz");
		Path source = this.artifacts.path(this.artifacts.create((dir) -> Files.writeString(dir.resolve(name), "x")))
			.orElseThrow();
		assertThat(TreeHash.of(source)).isEqualTo(hash);
		this.artifacts.archive(hash, tarball);
		Path toml = bindFile(hash, tarball);
		Path other = this.temp.resolve("other-depot");
		Path work = this.temp.resolve("child");
		Files.createDirectories(work);
		ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(List.of("-Dfile.encoding=ISO-8859-1"),
				"artifact-install", other.toString(), toml.toString(), "a"))
			.directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(work.resolve("child-install.log").toFile());
		builder.environment().remove("SCRATCH_DEPOT");
		Process process = builder.start();
		ChildJvm.awaitSuccess(process, work);
		assertThat(Files.readString(other.resolve("artifacts").resolve(hash).resolve(name))).isEqualTo("x");
	}

	private void assertNothingInstalled() throws IOException {
		if (Files.isDirectory(this.artifacts.root())) {
			try (Stream<Path> installed = Files.list(this.artifacts.root())) {
				assertThat(installed).isEmpty();
			}
		}
		Path staging = this.depot.resolve("staging");
		if (Files.isDirectory(staging)) {
			try (Stream<Path> left = Files.list(staging)) {
				assertThat(left).isEmpty();
			}
		}
	}

	private Path bindFile(String hash, Path... tarballs) throws IOException {
		List<Artifacts.Download> downloads = new ArrayList<>();
		for (Path tarball : tarballs) {
			downloads.add(new Artifacts.Download(tarball.toUri(), sha256(Files.readAllBytes(tarball))));
		}
		Path toml = this.temp.resolve("Artifacts.toml");
		Files.deleteIfExists(toml);
		this.artifacts.bind(toml, "a", hash, downloads, false);
		return toml;
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] gzip(byte[] bytes, int offset, int length) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out)) {
			gzip.write(bytes, offset, length);
		}
		return out.toByteArray();
	}

	private static Path tarGz(Path target, TarWriter writer) throws IOException {
		try (OutputStream file = Files.newOutputStream(target);
				GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file);
				TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, StandardCharsets.UTF_8.name())) {
			tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
			writer.write(tar);
			tar.finish();
		}
		return target;
	}

	private static void file(TarArchiveOutputStream tar, String name, String content, int mode) throws IOException {
		byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
		TarArchiveEntry entry = new TarArchiveEntry(name);
		entry.setMode(0100000 | mode);
		entry.setSize(bytes.length);
		tar.putArchiveEntry(entry);
		tar.write(bytes);
		tar.closeArchiveEntry();
	}

	private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
		tar.putArchiveEntry(new TarArchiveEntry(name, TarConstants.LF_DIR));
		tar.closeArchiveEntry();
	}

	@FunctionalInterface
	private interface TarWriter {

		void write(TarArchiveOutputStream tar) throws IOException;

	}

}
