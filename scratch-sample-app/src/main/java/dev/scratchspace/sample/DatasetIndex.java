package dev.scratchspace.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.scratchspace.ScratchOwner;
import dev.scratchspace.ScratchSpaceManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/**
 * An index of the downloaded datasets (size, rows, columns), derived from the downloads and
 * kept in a space of its own.
 *
 * <p>The space's key carries the application's major and minor version,
 * {@code data_for_version-0.1} for 0.1.x: the next version may write its index differently,
 * and each version reads only its own. The index can always be made again, so it is built
 * with {@link ScratchSpaceManager#getOrPopulate getOrPopulate}: whenever the space is missing
 * or empty (deleted through the actuator, collected, or dropped here because it no longer
 * matches the downloads), the next read fills it again, once, even with requests racing.
 *
 * <p>{@link #export()} freezes the space into an immutable artifact, which another
 * installation can serve as it is: with {@code sample.index.directory} set (to
 * {@code $<artifact:index>}, say), the index is read from that directory and never built.
 */
@Component
class DatasetIndex {

	private static final Log logger = LogFactory.getLog(DatasetIndex.class);

	private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+)(?:[.-].*)?");

	private static final String FILE = "index.tsv";

	private final ScratchSpaceManager scratch;

	// The artifact that contains the application: the owner of its placeholders' spaces too,
	// unless scratch.owner names another.
	private final ScratchOwner owner = ScratchOwner.forClass(SampleApplication.class);

	private final String key;

	private final DatasetDownloads downloads;

	private final @Nullable Path frozen;

	DatasetIndex(ScratchSpaceManager scratch, BuildProperties build, DatasetDownloads downloads,
			IndexProperties properties) {
		this.scratch = scratch;
		this.key = versionKey(build.getVersion());
		this.downloads = downloads;
		this.frozen = (properties.directory() != null) ? checkReadOnly(properties.directory()) : null;
		if (this.frozen != null) {
			logger.info("Serving the read-only dataset index " + this.frozen);
		}
	}

	/**
	 * Checks a read-only index at startup, so that a wrong {@code sample.index.directory}
	 * stops the application instead of failing every request.
	 * @param directory the directory
	 * @return the directory
	 * @throws IllegalStateException naming the property and the path if the directory holds
	 * no index file
	 */
	static Path checkReadOnly(Path directory) {
		if (!Files.isRegularFile(directory.resolve(FILE))) {
			throw new IllegalStateException("sample.index.directory is '" + directory + "', which holds no " + FILE
					+ ": give the directory of an exported index, such as $<artifact:index>");
		}
		return directory;
	}

	/**
	 * The key of the space for a version of the application.
	 * @param version the version, such as {@code 0.1.0-SNAPSHOT}
	 * @return the key, such as {@code data_for_version-0.1}
	 */
	static String versionKey(@Nullable String version) {
		Matcher matcher = MAJOR_MINOR.matcher((version != null) ? version : "");
		if (!matcher.matches()) {
			throw new IllegalArgumentException("Expected a version 'major.minor[.patch][-qualifier]', but was '"
					+ version + "'");
		}
		return "data_for_version-" + matcher.group(1) + "." + matcher.group(2);
	}

	/**
	 * The directory of the index.
	 * @return the read-only index given by {@code sample.index.directory}, else the space of
	 * the index, which may be missing or empty until the next read
	 */
	Path space() {
		return (this.frozen != null) ? this.frozen : this.scratch.scratchPath(this.owner, this.key);
	}

	/** @return whether the index is read from {@code sample.index.directory}, never built */
	boolean readOnly() {
		return this.frozen != null;
	}

	/**
	 * The index, built again first if its space is missing or empty, or if it does not list
	 * exactly the datasets that are downloaded. A read-only index is read as it is.
	 * @return one entry per dataset, by name
	 */
	synchronized List<Entry> entries() throws IOException {
		if (this.frozen != null) {
			return parse(this.frozen.resolve(FILE));
		}
		List<String> downloaded = this.downloads.names();
		List<Entry> entries = read();
		if (entries == null || !entries.stream().map(Entry::name).toList().equals(downloaded)) {
			// Outdated: empty the space, and getOrPopulate builds it again.
			this.scratch.deleteScratch(this.owner, this.key);
			entries = read();
		}
		return (entries != null) ? entries : List.of();
	}

	/** @return the entries, or {@code null} if the space vanished before they could be read */
	private @Nullable List<Entry> read() throws IOException {
		Path space = this.scratch.getOrPopulate(this.owner, this.key, this::build);
		try {
			return parse(space.resolve(FILE));
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	private static List<Entry> parse(Path file) throws IOException {
		return Files.readAllLines(file).stream().map(Entry::parse).toList();
	}

	/**
	 * Freezes the index, brought up to date first, into an artifact: a read-only,
	 * content-addressed copy of its space under the depot's {@code artifacts/}. The same
	 * index always gives the same tree hash. The index is not rebuilt while it is copied.
	 * @return the artifact's tree hash
	 * @throws IllegalStateException if the index is read-only: it is an artifact already
	 */
	synchronized String export() throws IOException {
		if (this.frozen != null) {
			throw new IllegalStateException("The dataset index is read from " + this.frozen
					+ " (sample.index.directory) and is not built here: there is nothing to export");
		}
		entries();
		return this.scratch.artifacts().exportScratch(this.owner, this.key);
	}

	/** Fills an empty staging directory, which getOrPopulate then moves into place. */
	private void build(Path staging) throws IOException {
		List<String> names = this.downloads.names();
		logger.info("Building the dataset index " + space() + " from " + names.size() + " datasets");
		List<String> lines = new ArrayList<>();
		for (String name : names) {
			lines.add(Entry.of(name, this.downloads.directory().resolve(name)).format());
		}
		Files.write(staging.resolve(FILE), lines);
	}

	/**
	 * What the index knows about one dataset.
	 *
	 * @param name the file name
	 * @param bytes its size
	 * @param rows its lines, after the header
	 * @param columns the fields of its header line (comma-separated, as in a CSV file)
	 */
	record Entry(String name, long bytes, long rows, List<String> columns) {

		static Entry of(String name, Path file) throws IOException {
			try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
				String header = reader.readLine();
				long rows = reader.lines().count();
				List<String> columns = (header != null) ? Arrays.asList(header.split(",", -1)) : List.of();
				return new Entry(name, Files.size(file), rows, columns);
			}
		}

		String format() {
			return this.name + "\t" + this.bytes + "\t" + this.rows + "\t" + String.join(",", this.columns);
		}

		static Entry parse(String line) {
			String[] fields = line.split("\t", -1);
			List<String> columns = fields[3].isEmpty() ? List.of() : Arrays.asList(fields[3].split(",", -1));
			return new Entry(fields[0], Long.parseLong(fields[1]), Long.parseLong(fields[2]), columns);
		}

	}

}
