package dev.scratchspace.sample;

import java.io.IOException;
import java.util.List;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /datasets/{name}} serves a dataset, downloaded on first use; the header
 * {@code X-Dataset-Source} says {@code download} or {@code cache}. {@code GET /datasets}
 * lists what is downloaded, from the version-specific index. {@code POST
 * /datasets/index/export} publishes that index as an artifact.
 */
@RestController
@RequestMapping("/datasets")
class DatasetController {

	static final String SOURCE_HEADER = "X-Dataset-Source";

	private final DatasetDownloads downloads;

	private final DatasetIndex index;

	private final IndexExport export;

	DatasetController(DatasetDownloads downloads, DatasetIndex index, IndexExport export) {
		this.downloads = downloads;
		this.index = index;
		this.export = export;
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
	 * Exports the index as an artifact.
	 * @return the tree hash, the archive and its SHA-256, and the {@code Artifacts.toml}
	 * @throws ResponseStatusException 409 if the index is read-only, an artifact already
	 */
	@PostMapping("/index/export")
	IndexExport.Exported export() throws IOException {
		if (this.index.readOnly()) {
			throw new ResponseStatusException(HttpStatus.CONFLICT,
					"The dataset index is read-only (sample.index.directory): it is an artifact already");
		}
		return this.export.export();
	}

	/**
	 * The datasets in the index.
	 *
	 * @param downloads the space that holds them
	 * @param index the directory of the index: its version-specific space, or the read-only
	 * index given by {@code sample.index.directory}
	 * @param datasets the index's entries
	 */
	record Datasets(String downloads, String index, List<DatasetIndex.Entry> datasets) {
	}

}
