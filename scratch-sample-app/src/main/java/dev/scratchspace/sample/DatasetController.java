package dev.scratchspace.sample;

import java.io.IOException;
import java.util.List;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /datasets/{name}} serves a dataset, downloaded on first use; the header
 * {@code X-Dataset-Source} says {@code download} or {@code cache}. {@code GET /datasets}
 * lists what is downloaded, from the version-specific index.
 */
@RestController
@RequestMapping("/datasets")
class DatasetController {

	static final String SOURCE_HEADER = "X-Dataset-Source";

	private final DatasetDownloads downloads;

	private final DatasetIndex index;

	DatasetController(DatasetDownloads downloads, DatasetIndex index) {
		this.downloads = downloads;
		this.index = index;
	}

	@GetMapping("/{name}")
	ResponseEntity<Resource> dataset(@PathVariable String name) throws IOException, InterruptedException {
		DatasetDownloads.Dataset dataset = this.downloads.get(name);
		return ResponseEntity.ok()
			.header(SOURCE_HEADER, dataset.cached() ? "cache" : "download")
			.contentType(MediaTypeFactory.getMediaType(name).orElse(MediaType.APPLICATION_OCTET_STREAM))
			.body(new FileSystemResource(dataset.path()));
	}

	@GetMapping
	Datasets datasets() throws IOException {
		List<DatasetIndex.Entry> entries = this.index.entries();
		return new Datasets(this.downloads.directory().toString(), this.index.space().toString(), entries);
	}

	/**
	 * The downloaded datasets.
	 *
	 * @param downloads the space that holds them
	 * @param index the space of the version-specific index
	 * @param datasets the index entries
	 */
	record Datasets(String downloads, String index, List<DatasetIndex.Entry> datasets) {
	}

}
