package dev.scratchspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * Fetches a tarball into a new file of a staging directory, computing its SHA-256 as it is
 * written: {@code file} URIs by copying (so the tarball cannot change between its check and
 * its extraction), {@code http} and {@code https} with {@link HttpClient} (redirects followed,
 * except from {@code https} to {@code http}). Every wait is bounded by the
 * {@link ArtifactLimits}: the connection, the response headers, and the whole download; and
 * so is the size. A failure is an {@link IOException} whose message says what happened, for
 * the caller to list beside the URL.
 */
final class ArtifactDownloads {

	private ArtifactDownloads() {
	}

	/**
	 * Fetches a tarball.
	 * @param uri an {@code https}, {@code http} or {@code file} URI
	 * @param target the file to create
	 * @param limits the timeouts and the size cap
	 * @return the SHA-256 of the fetched bytes, 64 lower-case hexadecimal digits
	 * @throws IOException if it cannot be fetched whole, in time, within the size cap
	 */
	static String fetch(URI uri, Path target, ArtifactLimits limits) throws IOException {
		String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
		return switch (scheme) {
			case "file" -> copy(uri, target, limits);
			case "http", "https" -> get(uri, target, limits);
			default -> throw new IOException("the scheme " + scheme + " is not https, http or file");
		};
	}

	private static String copy(URI uri, Path target, ArtifactLimits limits) throws IOException {
		Path source;
		try {
			source = Path.of(uri);
		}
		catch (IllegalArgumentException ex) {
			throw new IOException("it does not name a local file (" + ex.getMessage() + ")", ex);
		}
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(source, BasicFileAttributes.class);
		}
		catch (NoSuchFileException ex) {
			throw new IOException("the file " + source + " does not exist", ex);
		}
		if (!attributes.isRegularFile()) {
			throw new IOException("the file " + source + " is not a regular file");
		}
		LimitedFile out = new LimitedFile(target, limits.maxDownloadBytes());
		try (out; InputStream in = Files.newInputStream(source)) {
			byte[] buffer = new byte[65536];
			int read;
			while ((read = in.read(buffer)) >= 0) {
				out.write(ByteBuffer.wrap(buffer, 0, read));
			}
		}
		return out.sha256();
	}

	private static String get(URI uri, Path target, ArtifactLimits limits) throws IOException {
		HttpClient client = HttpClient.newBuilder()
			.connectTimeout(limits.connectTimeout())
			.followRedirects(HttpClient.Redirect.NORMAL)
			.build();
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(limits.requestTimeout()).GET().build();
		LimitedFile out = new LimitedFile(target, limits.maxDownloadBytes());
		try (out) {
			CompletableFuture<HttpResponse<Long>> response = client.sendAsync(request,
					(info) -> (info.statusCode() / 100 == 2) ? new Subscriber(out) : HttpResponse.BodySubscribers.replacing(-1L));
			HttpResponse<Long> received = await(response, limits);
			if (received.statusCode() / 100 != 2) {
				throw new IOException("the server answered HTTP " + received.statusCode());
			}
		}
		return out.sha256();
	}

	private static <T> T await(CompletableFuture<T> response, ArtifactLimits limits) throws IOException {
		try {
			return response.get(limits.downloadTimeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			response.cancel(true);
			throw new IOException("the download did not finish within " + limits.downloadTimeout().toMillis()
					+ " ms (the download timeout)", ex);
		}
		catch (InterruptedException ex) {
			response.cancel(true);
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("interrupted while downloading");
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof HttpConnectTimeoutException) {
				throw new IOException("no connection within " + limits.connectTimeout().toMillis()
						+ " ms (the connect timeout)", cause);
			}
			if (cause instanceof HttpTimeoutException) {
				throw new IOException("no response within " + limits.requestTimeout().toMillis()
						+ " ms (the request timeout)", cause);
			}
			if (cause instanceof IOException io && io.getMessage() != null && !io.getMessage().isBlank()) {
				throw new IOException(io.getMessage(), io);
			}
			throw new IOException(cause.getClass().getSimpleName()
					+ ((cause.getMessage() != null) ? ": " + cause.getMessage() : ""), cause);
		}
	}

	static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/** A new file that refuses to grow past a size, and the SHA-256 of what was written. */
	private static final class LimitedFile implements AutoCloseable {

		private final FileChannel channel;

		private final long max;

		private final MessageDigest digest = ArtifactDownloads.sha256();

		private long written;

		LimitedFile(Path target, long max) throws IOException {
			this.channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
					LinkOption.NOFOLLOW_LINKS);
			this.max = max;
		}

		synchronized void write(ByteBuffer buffer) throws IOException {
			if (buffer.remaining() > this.max - this.written) {
				throw new IOException("it is larger than " + this.max + " bytes, the most a download may have");
			}
			this.written += buffer.remaining();
			this.digest.update(buffer.duplicate());
			while (buffer.hasRemaining()) {
				this.channel.write(buffer);
			}
		}

		synchronized String sha256() {
			return HexFormat.of().formatHex(this.digest.digest());
		}

		@Override
		public synchronized void close() throws IOException {
			this.channel.close();
		}

	}

	/** Writes a response body to a {@link LimitedFile} as it arrives, one buffer list at a time. */
	private static final class Subscriber implements HttpResponse.BodySubscriber<Long> {

		private final LimitedFile out;

		private final CompletableFuture<Long> result = new CompletableFuture<>();

		private Flow.@Nullable Subscription subscription;

		private long received;

		Subscriber(LimitedFile out) {
			this.out = out;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(1);
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			Flow.Subscription current = this.subscription;
			try {
				for (ByteBuffer buffer : buffers) {
					this.received += buffer.remaining();
					this.out.write(buffer);
				}
			}
			catch (IOException ex) {
				this.result.completeExceptionally(ex);
				if (current != null) {
					current.cancel();
				}
				return;
			}
			if (current != null) {
				current.request(1);
			}
		}

		@Override
		public void onError(Throwable failure) {
			this.result.completeExceptionally(failure);
		}

		@Override
		public void onComplete() {
			this.result.complete(this.received);
		}

		@Override
		public CompletionStage<Long> getBody() {
			return this.result;
		}

	}

}
