package dev.scratchspace.boot.actuate.endpoint;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/**
 * Guards the request bodies of the {@code scratch} endpoint's paths. Its only body is
 * {@code {"dryRun": …, "collectDelay": …}}: anything much larger is an attack or a mistake,
 * and must not reach a JSON parser, let alone start a garbage collection. A declared length
 * over the bound is answered with 400 at once; a body without a declared length fails while
 * it is read, which the endpoint also answers with 400.
 *
 * <p>A {@code POST} body is also read here, strictly, before the endpoint runs: actuator
 * binds JSON fields to operation parameters leniently, so {@code {"dryrun": true}} or
 * {@code {"dryRun": "no"}} would start a real collection. Anything but an empty body or a
 * JSON object with only a boolean {@code dryRun} and a string {@code collectDelay} is
 * answered with 400 and a JSON body whose {@code message} names the field and the rule, in
 * the shape of Spring Boot's error responses, and nothing is collected. Only servlet
 * applications have this filter; the endpoint itself still refuses a {@code dryRun} other
 * than {@code true} or {@code false} and a bad {@code collectDelay}.
 */
public final class ScratchRequestSizeFilter implements Filter {

	private final long maxBytes;

	/**
	 * Creates a filter.
	 * @param maxBytes the largest body accepted
	 */
	public ScratchRequestSizeFilter(long maxBytes) {
		this.maxBytes = maxBytes;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse httpResponse)) {
			chain.doFilter(request, response);
			return;
		}
		long declared = http.getContentLengthLong();
		if (declared > this.maxBytes) {
			badRequest(http, httpResponse, tooLarge(declared + " bytes"));
			return;
		}
		if (!"POST".equals(http.getMethod())) {
			chain.doFilter((declared < 0) ? new Limited(http, this.maxBytes) : request, response);
			return;
		}
		byte[] body = http.getInputStream().readNBytes((int) Math.min(this.maxBytes + 1, Integer.MAX_VALUE - 8));
		if (body.length > this.maxBytes) {
			badRequest(http, httpResponse, tooLarge("more than " + this.maxBytes + " bytes"));
			return;
		}
		try {
			CollectRequest.parse(body);
		}
		catch (InvalidEndpointRequestException ex) {
			badRequest(http, httpResponse, ex.getReason());
			return;
		}
		chain.doFilter(new Replayed(http, body), response);
	}

	private String tooLarge(String size) {
		return "Request body of " + size + " exceeds the limit of " + this.maxBytes + " bytes";
	}

	/**
	 * Answers 400 with a body in the shape of Spring Boot's error responses. The message is
	 * always included: it names a field and a rule, never anything of the server.
	 */
	private static void badRequest(HttpServletRequest request, HttpServletResponse response, String message)
			throws IOException {
		response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
		response.setContentType("application/json");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		String body = "{\"timestamp\":" + json(Instant.now().toString()) + ",\"status\":400,"
				+ "\"error\":\"Bad Request\",\"message\":" + json(message) + ",\"path\":"
				+ json(request.getRequestURI()) + "}";
		response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
	}

	/** A JSON string literal of ASCII characters only, whatever the request held. */
	private static String json(String value) {
		StringBuilder json = new StringBuilder(value.length() + 2).append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20 || c > 0x7e) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		return json.append('"').toString();
	}

	/** A request whose body, already read, is read again from memory. */
	private static final class Replayed extends HttpServletRequestWrapper {

		private final byte[] body;

		Replayed(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

		/** The body has been checked to be UTF-8, whatever the request declares. */
		@Override
		public BufferedReader getReader() {
			return new BufferedReader(
					new InputStreamReader(new ByteArrayInputStream(this.body), StandardCharsets.UTF_8));
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					// Everything is in memory: all of it is available at once.
					try {
						listener.onDataAvailable();
						listener.onAllDataRead();
					}
					catch (IOException ex) {
						listener.onError(ex);
					}
				}

			};
		}

	}

	/** A request whose body stream fails once more than the bound has been read. */
	private static final class Limited extends HttpServletRequestWrapper {

		private final long maxBytes;

		Limited(HttpServletRequest request, long maxBytes) {
			super(request);
			this.maxBytes = maxBytes;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			ServletInputStream in = super.getInputStream();
			return new ServletInputStream() {

				private long read;

				@Override
				public int read() throws IOException {
					int b = in.read();
					if (b >= 0) {
						count(1);
					}
					return b;
				}

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					int n = in.read(buffer, offset, length);
					if (n > 0) {
						count(n);
					}
					return n;
				}

				private void count(int n) throws IOException {
					this.read += n;
					if (this.read > Limited.this.maxBytes) {
						throw new IOException("Request body exceeds the limit of " + Limited.this.maxBytes + " bytes");
					}
				}

				@Override
				public boolean isFinished() {
					return in.isFinished();
				}

				@Override
				public boolean isReady() {
					return in.isReady();
				}

				@Override
				public void setReadListener(ReadListener listener) {
					in.setReadListener(listener);
				}

			};
		}

	}

}
