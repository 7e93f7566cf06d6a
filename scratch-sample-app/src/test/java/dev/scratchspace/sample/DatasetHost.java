package dev.scratchspace.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for the dataset host on the loopback interface: serves fixed files under
 * {@code /data/} and counts the requests for each, so that a test can tell a download from a
 * read of the space.
 */
final class DatasetHost implements AutoCloseable {

	private final HttpServer server;

	private final Map<String, byte[]> files;

	private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

	private DatasetHost(HttpServer server, Map<String, byte[]> files) {
		this.server = server;
		this.files = Map.copyOf(files);
	}

	/**
	 * Starts a host on a free port of 127.0.0.1.
	 * @param files the content of each file, by name
	 * @return the running host
	 */
	static DatasetHost start(Map<String, byte[]> files) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		DatasetHost host = new DatasetHost(server, files);
		server.createContext("/data/", host::handle);
		server.start();
		return host;
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String name = exchange.getRequestURI().getPath().substring("/data/".length());
			this.requests.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet();
			byte[] content = this.files.get(name);
			if (content == null) {
				exchange.sendResponseHeaders(404, -1);
				return;
			}
			exchange.sendResponseHeaders(200, content.length);
			try (OutputStream body = exchange.getResponseBody()) {
				body.write(content);
			}
		}
	}

	/** @return the base URL to give to {@code sample.datasets.base-url} */
	URI baseUrl() {
		InetSocketAddress address = this.server.getAddress();
		return URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/data/");
	}

	/**
	 * How often a file was asked for.
	 * @param name the file name
	 * @return the number of requests so far
	 */
	int requests(String name) {
		AtomicInteger count = this.requests.get(name);
		return (count != null) ? count.get() : 0;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
