package dev.scratchspace.boot.actuate.endpoint;

import java.io.IOException;

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

/**
 * Refuses request bodies larger than a bound on the {@code scratch} endpoint's paths. Its
 * only body is {@code {"dryRun": …, "collectDelay": …}}: anything much larger is an attack
 * or a mistake, and must not reach a JSON parser, let alone start a garbage collection. A
 * declared length over the bound is answered with 400 at once; a body without a declared
 * length fails while it is read, which the endpoint also answers with 400.
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
			httpResponse.sendError(HttpServletResponse.SC_BAD_REQUEST,
					"Request body of " + declared + " bytes exceeds the limit of " + this.maxBytes + " bytes");
			return;
		}
		chain.doFilter((declared < 0) ? new Limited(http, this.maxBytes) : request, response);
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
