package dev.scratchspace.boot.actuate.endpoint;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.jspecify.annotations.Nullable;

/** Real HTTP requests to an application started on a local port, for the endpoint's tests. */
final class EndpointHttp {

	private final HttpClient http = HttpClient.newHttpClient();

	private final int port;

	EndpointHttp(int port) {
		this.port = port;
	}

	/** Sends a request; a body is sent as JSON. */
	HttpResponse<String> send(String method, String path, @Nullable String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
