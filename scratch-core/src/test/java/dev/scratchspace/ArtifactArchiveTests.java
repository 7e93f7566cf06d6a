package dev.scratchspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link Artifacts#archive}: the same tree gives the same bytes, whoever built it when, and the
 * system {@code tar} extracts it to the same tree hash.
 */
class ArtifactArchiveTests {

	private static final long MTIME = 1_700_000_000_000L;

	@TempDir
	Path temp;

	@Test
	void twoProcessesWithDifferentUmasksAndTimesWriteTheSameBytes() throws Exception {
		Path first = this.temp.resolve("first.tar.gz");
		Path second = this.temp.resolve("second.tar.gz");
		String[] a = archiveInChild("022", this.temp.resolve("depot-a"), first, MTIME);
		String[] b = archiveInChild("077", this.temp.resolve("depot-b"), second, MTIME + 1000);
		assertThat(a[1]).isEqualTo(b[1]);
		byte[] bytes = Files.readAllBytes(first);
		assertThat(Files.readAllBytes(second)).isEqualTo(bytes);
		assertThat(a[2]).isEqualTo(b[2]).isEqualTo(sha256(bytes));
		// gzip header: no flags (no file name), no modification time, OS "unknown".
		assertThat(bytes[3]).isZero();
		assertThat(new byte[] { bytes[4], bytes[5], bytes[6], bytes[7] }).containsOnly(0);
		assertThat(bytes[9] & 0xff).isEqualTo(255);
		assertThat(this.temp.resolve("depot-a/staging")).isEmptyDirectory();

		List<TarArchiveEntry> entries = entries(first);
		List<String> names = entries.stream().map(TarArchiveEntry::getName).toList();
		assertThat(names).startsWith("a-rather-long-directory-name-for-a-tar-header/").contains("caf\u00e9 \u00fcber.txt",
				"empty/", "empty/inner/", "tool", "dangling");
		assertThat(names.indexOf("bin/")).isLessThan(names.indexOf("bin/tool"));
		for (TarArchiveEntry entry : entries) {
			assertThat(entry.getLastModifiedDate().getTime()).as(entry.getName()).isZero();
			assertThat(entry.getLongUserId()).isZero();
			assertThat(entry.getLongGroupId()).isZero();
			assertThat(entry.getUserName()).isEmpty();
			assertThat(entry.getGroupName()).isEmpty();
			int expected = entry.isDirectory() ? 040755 : entry.isSymbolicLink() ? 0120777
					: entry.getName().equals("bin/tool") ? 0100755 : 0100644;
			assertThat(entry.getMode()).as(entry.getName()).isEqualTo(expected);
		}
		assertThat(entries.stream().filter(TarArchiveEntry::isSymbolicLink).map(TarArchiveEntry::getLinkName))
			.containsExactlyInAnyOrder("bin/tool", "no/such/target");

		Path extracted = Files.createDirectory(this.temp.resolve("extracted"));
		Process tar = new ProcessBuilder("tar", "-xzf", first.toString(), "-C", extracted.toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(tar.waitFor()).as(output).isZero();
		assertThat(TreeHash.of(extracted)).isEqualTo(a[1]);
	}

	@Test
	void anArchiveReplacesTheFileAndLeavesNoTemporaryFile() throws Exception {
		Path depot = this.temp.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			Artifacts artifacts = manager.artifacts();
			String hash = artifacts.create(ArtifactChild::fill);
			Path out = Files.createDirectory(this.temp.resolve("out"));
			Path archive = Files.writeString(out.resolve("tool.tar.gz"), "old content");
			String sha = artifacts.archive(hash, archive);
			assertThat(sha).isEqualTo(sha256(Files.readAllBytes(archive))).matches("[0-9a-f]{64}");
			try (Stream<Path> files = Files.list(out)) {
				assertThat(files).containsExactly(archive);
			}
			assertThat(artifacts.archive(hash, archive)).isEqualTo(sha);
			assertThat(Lease.scan(depot.resolve("leases"), false).leasedPaths())
				.contains(artifacts.root().resolve(hash).toString());
		}
		finally {
			DepotFiles.deleteRecursively(depot);
		}
	}

	@Test
	void anArtifactThatIsNotInstalledCannotBeArchived() throws Exception {
		Path depot = this.temp.resolve("depot");
		try (ScratchSpaceManager manager = ScratchSpaceManager.builder().depot(depot).build()) {
			String hash = "0123456789abcdef0123456789abcdef01234567";
			Path archive = this.temp.resolve("x.tar.gz");
			assertThatExceptionOfType(ArtifactException.class)
				.isThrownBy(() -> manager.artifacts().archive(hash, archive))
				.withMessage("Cannot archive the artifact " + hash + ": it is not installed in "
						+ manager.artifacts().root());
			assertThat(archive).doesNotExist();
		}
	}

	/** Runs {@code artifact-archive} in a child JVM under a umask: {@code archived <hash> <sha256>}. */
	private String[] archiveInChild(String umask, Path depot, Path archive, long mtime) throws Exception {
		Path work = Files.createDirectories(this.temp.resolve("work-" + umask));
		List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
		command.addAll(ChildJvm.command("artifact-archive", depot.toString(), archive.toString(), Long.toString(mtime)));
		Path log = work.resolve("child.log");
		Process child = new ProcessBuilder(command).directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
		String output = Files.readString(log);
		assertThat(child.exitValue()).as(output).isZero();
		String line = output.lines().filter((l) -> l.startsWith("archived ")).findFirst().orElseThrow();
		return line.split(" ");
	}

	private static List<TarArchiveEntry> entries(Path archive) throws IOException {
		List<TarArchiveEntry> entries = new ArrayList<>();
		try (InputStream in = Files.newInputStream(archive);
				TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
			TarArchiveEntry entry;
			while ((entry = tar.getNextEntry()) != null) {
				entries.add(entry);
			}
		}
		return entries;
	}

	static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
