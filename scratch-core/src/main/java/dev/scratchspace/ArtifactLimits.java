package dev.scratchspace;

import java.time.Duration;

/**
 * The bounds of an install from a download: how long it may wait, and how much a tarball may
 * hold. Every wait and every size is bounded, so that a server that never answers or a small
 * tarball that expands without end (a decompression bomb) fails the download instead of
 * hanging the caller or filling the disk. Internal: the defaults serve every real artifact
 * (Julia's largest, toolchains and GPU libraries, are a few GB); tests make them small.
 *
 * @param connectTimeout the longest wait for a TCP connection (default 10 s)
 * @param requestTimeout the longest wait for the response headers of an {@code http(s)}
 * request (default 60 s)
 * @param downloadTimeout the longest a whole download, body included, may take (default 30
 * min)
 * @param maxDownloadBytes the largest tarball (default 8 GiB)
 * @param maxExtractedBytes the most bytes all files of a tarball may hold together, and,
 * with {@link #maxEntries}, what bounds the decompressed stream (default 16 GiB)
 * @param maxEntries the most entries a tarball may hold, each directory that an entry's path
 * implies and no entry names counted as one (default 1,000,000)
 */
record ArtifactLimits(Duration connectTimeout, Duration requestTimeout, Duration downloadTimeout,
		long maxDownloadBytes, long maxExtractedBytes, long maxEntries) {

	static final ArtifactLimits DEFAULTS = new ArtifactLimits(Duration.ofSeconds(10), Duration.ofSeconds(60),
			Duration.ofMinutes(30), 8L << 30, 16L << 30, 1_000_000);

	/** Tar headers, pax records and padding allowed per entry beyond the files' bytes. */
	static final long HEADER_ALLOWANCE_PER_ENTRY = 8192;

	/**
	 * The most bytes the headers of one entry may take: its pax records and GNU long names,
	 * which the tar reader holds in memory whole, so that a small tarball cannot exhaust the
	 * heap with one enormous header. A path or link target is at most a few KB; pax records
	 * of extended attributes may add some more.
	 */
	static final long MAX_HEADER_BYTES_PER_ENTRY = 1 << 20;

	/** The most bytes the decompressed tar stream may have. */
	long maxTarBytes() {
		long headers = (this.maxEntries + 2) * HEADER_ALLOWANCE_PER_ENTRY;
		return (Long.MAX_VALUE - headers > this.maxExtractedBytes) ? this.maxExtractedBytes + headers : Long.MAX_VALUE;
	}

}
