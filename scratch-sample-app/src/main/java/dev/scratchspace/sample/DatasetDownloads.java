package dev.scratchspace.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.scratchspace.ScratchSpaceManager;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/**
 * Downloads a dataset on first use into the application's {@code downloaded_files} space and
 * serves it from there afterwards. The space is the only cache: nothing is kept in memory,
 * and a space deleted by a cleanup simply means the next request downloads again.
 */
@Service
class DatasetDownloads {

	private static final Log logger = LogFactory.getLog(DatasetDownloads.class);

	/** A plain file name: no path is ever built from anything else. */
	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NORMAL)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private final Path directory;

	private final ScratchSpaceManager scratch;

	private final URI baseUrl;

	/**
	 * The placeholder gives the path of the application's space {@code downloaded_files},
	 * created, recorded in the usage log and leased for as long as the application runs.
	 */
	DatasetDownloads(@Value("$<scratch:downloaded_files>") Path directory, ScratchSpaceManager scratch,
			DatasetProperties properties) {
		this.directory = directory;
		this.scratch = scratch;
		this.baseUrl = properties.baseUrl();
	}

	/** @return the space that holds the downloads */
	Path directory() {
		return this.directory;
	}

	/**
	 * Returns a dataset, downloading it first if the space does not have it.
	 * @param name the file name of the dataset
	 * @return the dataset, and whether it came from the space
	 * @throws ResponseStatusException 400 for a name that is not a plain file name, 404 when
	 * the host has no such dataset, 502 when the host cannot be reached
	 */
	Dataset get(String name) throws IOException, InterruptedException {
		if (!NAME.matcher(name).matches()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Invalid dataset name '" + name + "'");
		}
		Path file = this.directory.resolve(name);
		if (Files.isRegularFile(file)) {
			return new Dataset(file, true);
		}
		download(name, file);
		return new Dataset(file, false);
	}

	private void download(String name, Path file) throws IOException, InterruptedException {
		URI uri = this.baseUrl.resolve(name);
		logger.info("Downloading " + uri + " to " + file);
		// A placeholder is resolved once, at startup. If the space was deleted since (through
		// the actuator, say), getScratch creates it again, owner-only, and records the access.
		this.scratch.getScratch("downloaded_files");
		// Download next to the file and move it into place: a reader never sees half a file,
		// and a failed download leaves nothing behind (hidden .part files are not datasets).
		Path partial = Files.createTempFile(this.directory, "." + name + ".", ".part");
		try {
			HttpResponse<Path> response = send(uri, partial);
			if (response.statusCode() == 404) {
				throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No dataset '" + name + "' at " + uri);
			}
			if (response.statusCode() != 200) {
				throw new ResponseStatusException(HttpStatus.BAD_GATEWAY,
						"Downloading " + uri + " failed with status " + response.statusCode());
			}
			Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(partial);
		}
	}

	private HttpResponse<Path> send(URI uri, Path target) throws InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1)).build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofFile(target));
		}
		catch (IOException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "Cannot download " + uri + ": " + ex, ex);
		}
	}

	/**
	 * The datasets in the space, by name. The space may be gone (deleted by a cleanup): then
	 * there are none.
	 * @return the names, sorted
	 */
	List<String> names() throws IOException {
		if (!Files.isDirectory(this.directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.filter(Files::isRegularFile)
				.map((file) -> file.getFileName().toString())
				.filter((name) -> NAME.matcher(name).matches())
				.sorted()
				.toList();
		}
	}

	/**
	 * A dataset in the space.
	 *
	 * @param path the file
	 * @param cached whether it was there already, or has just been downloaded
	 */
	record Dataset(Path path, boolean cached) {
	}

}
