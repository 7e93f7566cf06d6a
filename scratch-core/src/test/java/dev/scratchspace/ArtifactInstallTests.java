package dev.scratchspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
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

/**
 * {@link Artifacts#ensureInstalled} from downloads: real files, a real HTTP server on the
 * loopback interface, hostile tarballs, and racing processes.
 */
class ArtifactInstallTests {

	/** Small enough that a test never waits long; the code under test bounds every wait by them. */
	private static final ArtifactLimits TEST_LIMITS = new ArtifactLimits(Duration.ofSeconds(5), Duration.ofMillis(300),
			Duration.ofSeconds(30), 1 << 20, 64 * 1024, 100);

	@TempDir
	Path temp;

	private Path depot;

	private ScratchSpaceManager manager;

	private Artifacts artifacts;

	private HttpServer server;

	private final AtomicInteger served = new AtomicInteger();

	private final CountDownLatch release = new CountDownLatch(1);

	@BeforeEach
	void createManager() {
		this.depot = this.temp.resolve("depot");
		this.manager = ScratchSpaceManager.builder().depot(this.depot).build();
		this.artifacts = this.manager.artifacts().limits(TEST_LIMITS);
	}

	@AfterEach
	void close() throws IOException {
		this.release.countDown();
		if (this.server != null) {
			this.server.stop(0);
		}
		this.manager.close();
		DepotFiles.deleteRecursively(this.depot);
	}

	@Test
	void aFileDownloadIsVerifiedExtractedAndInstalledReadOnly() throws Exception {
		Published tool = publish();
		Path toml = bind(tool.hash(), tool.file().toUri(), tool.sha256());
		Path dir = this.artifacts.ensureInstalled(toml, "tool");
		assertThat(dir).isEqualTo(this.artifacts.root().resolve(tool.hash()));
		assertThat(this.artifacts.verify(tool.hash())).isTrue();
		assertThat(Files.readString(dir.resolve("share/data/part-2"))).isEqualTo("content 2\n\n");
		assertThat(Files.readSymbolicLink(dir.resolve("tool"))).isEqualTo(Path.of("bin/tool"));
		assertThat(Files.getPosixFilePermissions(dir.resolve("bin/tool"))).contains(PosixFilePermission.OWNER_EXECUTE)
			.doesNotContain(PosixFilePermission.OWNER_WRITE);
		assertThat(Files.getPosixFilePermissions(dir)).doesNotContain(PosixFilePermission.OWNER_WRITE);
		assertThat(Lease.scan(this.depot.resolve("leases"), false).leasedPaths()).contains(dir.toString());
		assertThat(Files.readString(this.depot.resolve("logs/artifact_usage.toml")))
			.startsWith("[[" + TomlText.quote(toml.toString()) + "]]\ntime = ");
		assertThat(stagingEntries()).isEmpty();
	}

	@Test
	void anHttpDownloadIsFetchedOnceAndNotAgainOnceInstalled() throws Exception {
		Published tool = publish();
		URI url = serve(Files.readAllBytes(tool.file()));
		Path toml = bind(tool.hash(), url, tool.sha256());
		Path dir = this.artifacts.ensureInstalled(toml, "tool");
		assertThat(this.artifacts.ensureInstalled(toml, "tool")).isEqualTo(dir);
		assertThat(this.served).hasValue(1);
		assertThat(this.artifacts.verify(tool.hash())).isTrue();
		assertThat(stagingEntries()).isEmpty();
	}

	@Test
	void aTamperedTarballIsRefusedNamingTheUrlAndBothHashes() throws Exception {
		Published tool = publish();
		byte[] bytes = Files.readAllBytes(tool.file());
		bytes[bytes.length / 2] ^= 1;
		Path tampered = Files.write(this.temp.resolve("tampered.tar.gz"), bytes);
		Path toml = bind(tool.hash(), tampered.toUri(), tool.sha256());
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> this.artifacts.ensureInstalled(toml, "tool"))
			.withMessageContaining("The artifact 'tool' (" + tool.hash() + ") of " + toml)
			.withMessageContaining(tampered.toUri().toString())
			.withMessageContaining("not the expected " + tool.sha256())
			.withMessageContaining("has sha256 " + ArtifactArchiveTests.sha256(bytes))
			.extracting(ArtifactException::reason)
			.isEqualTo(ArtifactException.Reason.HASH_MISMATCH);
		assertNothingInstalled();
	}

	@Test
	void aTarballWhoseTreeDoesNotMatchTheBoundHashIsRefused() throws Exception {
		Published tool = publish();
		String bound = "0123456789abcdef0123456789abcdef01234567";
		Path toml = bind(bound, tool.file().toUri(), tool.sha256());
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> this.artifacts.ensureInstalled(toml, "tool"))
			.withMessageContaining("the tarball's tree has the hash " + tool.hash() + ", not the bound git-tree-sha1 "
					+ bound)
			.extracting(ArtifactException::reason)
			.isEqualTo(ArtifactException.Reason.HASH_MISMATCH);
		assertNothingInstalled();
	}

	@Test
	void aPathWithDotDotIsRefusedAndNothingIsWrittenOutside() throws Exception {
		Path outside = this.temp.resolve("escaped");
		assertRefused(tar((out) -> file(out, "ok", "fine"), (out) -> file(out, "../../../../escaped", "owned")),
				"Refusing the tarball entry '../../../../escaped': its path has a '..' component");
		assertThat(outside).doesNotExist();
	}

	@Test
	void anAbsolutePathIsRefused() throws Exception {
		Path outside = this.temp.resolve("absolute");
		assertRefused(tar((out) -> file(out, outside.toString(), "owned")),
				"Refusing the tarball entry '" + outside + "': its path is absolute");
		assertThat(outside).doesNotExist();
	}

	@Test
	void aLinkOutOfTheArtifactIsRefused() throws Exception {
		assertRefused(tar((out) -> link(out, "etc", "/etc")),
				"Refusing the tarball entry 'etc': it is a link to the absolute path /etc, outside the artifact");
		assertRefused(tar((out) -> directory(out, "a/"), (out) -> link(out, "a/up", "../../x")),
				"Refusing the tarball entry 'a/up': it is a link to ../../x, outside the artifact");
	}

	@Test
	void aLaterEntryCannotBeWrittenThroughAnEarlierLink() throws Exception {
		Path victim = Files.createDirectory(this.temp.resolve("victim"));
		assertRefused(tar((out) -> directory(out, "sub/"), (out) -> link(out, "l", "sub"),
				(out) -> file(out, "l/planted", "through the link")),
				"Refusing the tarball entry 'l/planted': an earlier entry made l a link, and nothing is written through it");
		try (Stream<Path> entries = Files.list(victim)) {
			assertThat(entries).isEmpty();
		}
	}

	@Test
	void hardLinksFifosDevicesAndDuplicatesAreRefused() throws Exception {
		assertRefused(tar((out) -> special(out, "hard", TarConstants.LF_LINK, "/etc/passwd")),
				"Refusing the tarball entry 'hard': it is a hard link (to /etc/passwd), which an artifact cannot hold");
		assertRefused(tar((out) -> file(out, "a", "x"), (out) -> special(out, "inner", TarConstants.LF_LINK, "a")),
				"it is a hard link (to a)");
		assertRefused(tar((out) -> special(out, "fifo", TarConstants.LF_FIFO, "")),
				"Refusing the tarball entry 'fifo': it is a FIFO, which an artifact cannot hold");
		assertRefused(tar((out) -> special(out, "null", TarConstants.LF_CHR, "")), "it is a character device");
		assertRefused(tar((out) -> special(out, "disk", TarConstants.LF_BLK, "")), "it is a block device");
		assertRefused(tar((out) -> file(out, "twice", "one"), (out) -> file(out, "./twice", "two")),
				"Refusing the tarball entry './twice': it is a duplicate of an earlier entry");
	}

	@Test
	void aDecompressionBombPassesNoCap() throws Exception {
		// 1 MiB of zeros compresses to about a kilobyte; the test cap is 64 KiB.
		byte[] zeros = new byte[1 << 20];
		byte[] bomb = tar((out) -> file(out, "zeros", zeros));
		assertThat(bomb.length).isLessThan(4096);
		assertRefused(bomb, "its files would hold more than 65536 bytes");
		// A 2 MiB pax header, which no entry size accounts for: the cap on the decompressed stream.
		assertRefused(tar((out) -> {
			TarArchiveEntry entry = new TarArchiveEntry("padded", true);
			entry.addPaxHeader("comment", "a".repeat(2 << 20));
			out.putArchiveEntry(entry);
			out.closeArchiveEntry();
		}), "Refusing the tarball: it expands to more than");
		// Many empty entries: the entry cap (100 in this test).
		assertRefused(tar((out) -> {
			for (int i = 0; i < 150; i++) {
				file(out, "f" + i, "");
			}
		}), "the tarball has more than 100 entries");
	}

	@Test
	void anUnreachableUrlIsSkippedForTheNextOne() throws Exception {
		Published tool = publish();
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		URI unreachable = URI.create("http://127.0.0.1:" + closedPort + "/tool.tar.gz");
		Path toml = bind(tool.hash(), List.of(unreachable, tool.file().toUri()), tool.sha256());
		assertThat(this.artifacts.ensureInstalled(toml, "tool")).isEqualTo(this.artifacts.root().resolve(tool.hash()));
		assertThat(stagingEntries()).isEmpty();
	}

	@Test
	void whenEveryDownloadFailsEachIsListedWithItsReason() throws Exception {
		Published tool = publish();
		URI notFound = serve(null);
		URI missing = this.temp.resolve("missing.tar.gz").toUri();
		Path toml = bind(tool.hash(), List.of(notFound, missing), tool.sha256());
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> this.artifacts.ensureInstalled(toml, "tool"))
			.withMessage("The artifact 'tool' (" + tool.hash() + ") of " + toml
					+ " could not be installed from any of its 2 downloads: " + notFound
					+ ": the server answered HTTP 404; " + missing + ": the file " + Path.of(missing) + " does not exist")
			.extracting(ArtifactException::reason)
			.isEqualTo(ArtifactException.Reason.DOWNLOAD_FAILED);
		assertNothingInstalled();
	}

	@Test
	void aServerThatNeverAnswersHitsTheRequestTimeout() throws Exception {
		Published tool = publish();
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", (exchange) -> {
			try {
				this.release.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
		this.server.start();
		URI silent = URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/tool.tar.gz");
		Path toml = bind(tool.hash(), List.of(silent), tool.sha256());
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> this.artifacts.ensureInstalled(toml, "tool"))
			.withMessageEndingWith(silent + ": no response within 300 ms (the request timeout)");
		assertNothingInstalled();
	}

	@Test
	void fourProcessesInstallingAtOnceInstallOnce() throws Exception {
		Published tool = publish();
		URI url = serve(Files.readAllBytes(tool.file()));
		Path toml = bind(tool.hash(), url, tool.sha256());
		List<Process> children = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			children.add(ChildJvm.start(this.temp.resolve("work-" + i), "artifact-install", this.depot.toString(),
					toml.toString(), "tool"));
		}
		Path expected = this.artifacts.root().resolve(tool.hash());
		for (int i = 0; i < children.size(); i++) {
			Path work = this.temp.resolve("work-" + i);
			ChildJvm.awaitSuccess(children.get(i), work);
			try (Stream<Path> logs = Files.list(work)) {
				Path log = logs.filter((p) -> p.getFileName().toString().startsWith("child-")).findFirst().orElseThrow();
				assertThat(Files.readString(log)).contains("installed " + expected + "\n");
			}
		}
		assertThat(this.served.get()).isBetween(1, 4);
		try (Stream<Path> installed = Files.list(this.artifacts.root())) {
			assertThat(installed).containsExactly(expected);
		}
		assertThat(this.artifacts.verify(tool.hash())).isTrue();
		assertThat(stagingEntries()).isEmpty();
		assertThat(Files.readString(this.depot.resolve("logs/artifact_usage.toml")).lines()
			.filter((line) -> line.startsWith("[["))).hasSize(4);
	}

	/** A tarball made by {@link Artifacts#archive} from {@link ArtifactChild#fill}. */
	private record Published(String hash, Path file, String sha256) {
	}

	private Published publish() throws IOException {
		Path publisher = this.temp.resolve("publisher");
		try (ScratchSpaceManager other = ScratchSpaceManager.builder().depot(publisher).build()) {
			String hash = other.artifacts().create(ArtifactChild::fill);
			Path file = this.temp.resolve("tool.tar.gz");
			String sha256 = other.artifacts().archive(hash, file);
			return new Published(hash, file, sha256);
		}
		finally {
			DepotFiles.deleteRecursively(publisher);
		}
	}

	private Path bind(String hash, URI url, String sha256) {
		return bind(hash, List.of(url), sha256);
	}

	private Path bind(String hash, List<URI> urls, String sha256) {
		Path toml = this.temp.resolve("Artifacts.toml");
		this.artifacts.bind(toml, "tool", hash,
				urls.stream().map((url) -> new Artifacts.Download(url, sha256)).toList(), true);
		return toml;
	}

	/** Serves the bytes (or 404 for null) at /tool.tar.gz, counting requests. */
	private URI serve(byte[] body) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", (exchange) -> {
			this.served.incrementAndGet();
			if (body == null) {
				exchange.sendResponseHeaders(404, -1);
			}
			else {
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			}
			exchange.close();
		});
		this.server.start();
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/tool.tar.gz");
	}

	private void assertRefused(byte[] tarGz, String message) throws Exception {
		Path file = this.temp.resolve("hostile-" + System.nanoTime() + ".tar.gz");
		Files.write(file, tarGz);
		String hash = "0123456789abcdef0123456789abcdef01234567";
		Path toml = bind(hash, file.toUri(), ArtifactArchiveTests.sha256(tarGz));
		assertThatExceptionOfType(ArtifactException.class).isThrownBy(() -> this.artifacts.ensureInstalled(toml, "tool"))
			.withMessageContaining(file.toUri() + ": ")
			.withMessageContaining(message)
			.extracting(ArtifactException::reason)
			.isEqualTo(ArtifactException.Reason.UNSAFE_ARCHIVE);
		assertNothingInstalled();
	}

	private void assertNothingInstalled() throws IOException {
		if (Files.exists(this.artifacts.root())) {
			try (Stream<Path> installed = Files.list(this.artifacts.root())) {
				assertThat(installed).isEmpty();
			}
		}
		assertThat(stagingEntries()).isEmpty();
	}

	private List<String> stagingEntries() throws IOException {
		Path staging = this.depot.resolve("staging");
		if (!Files.exists(staging)) {
			return List.of();
		}
		try (Stream<Path> entries = Files.list(staging)) {
			return entries.map((entry) -> entry.getFileName().toString()).toList();
		}
	}

	@FunctionalInterface
	private interface EntryWriter {

		void write(TarArchiveOutputStream out) throws IOException;

	}

	private static byte[] tar(EntryWriter... writers) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (TarArchiveOutputStream out = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
			out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
			for (EntryWriter writer : writers) {
				writer.write(out);
			}
		}
		return bytes.toByteArray();
	}

	private static void file(TarArchiveOutputStream out, String name, String content) throws IOException {
		file(out, name, content.getBytes(StandardCharsets.UTF_8));
	}

	private static void file(TarArchiveOutputStream out, String name, byte[] content) throws IOException {
		TarArchiveEntry entry = new TarArchiveEntry(name, true);
		entry.setSize(content.length);
		out.putArchiveEntry(entry);
		out.write(content);
		out.closeArchiveEntry();
	}

	private static void directory(TarArchiveOutputStream out, String name) throws IOException {
		out.putArchiveEntry(new TarArchiveEntry(name, TarConstants.LF_DIR, true));
		out.closeArchiveEntry();
	}

	private static void link(TarArchiveOutputStream out, String name, String target) throws IOException {
		special(out, name, TarConstants.LF_SYMLINK, target);
	}

	private static void special(TarArchiveOutputStream out, String name, byte type, String target) throws IOException {
		TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
		if (!target.isEmpty()) {
			entry.setLinkName(target);
		}
		out.putArchiveEntry(entry);
		out.closeArchiveEntry();
	}

}
