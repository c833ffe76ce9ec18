package dev.starwire.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Reads a real SSE response block by block (exact bytes: events, comments, bare retries), on its own thread,
 * with a generous timeout. A gzip-encoded response is decompressed.
 */
public final class SseClient implements AutoCloseable {
    public static final String EOF = "<end of stream>";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final BlockingQueue<String> blocks = new LinkedBlockingQueue<>();
    private final HttpResponse<InputStream> response;
    private final Thread reader;

    /** A GET with {@code Datastar-Request: true}, the cookie if not {@code null}, and {@code headers} (name, value...). */
    public SseClient(HttpClient http, URI uri, String cookie, String... headers) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Datastar-Request", "true").GET();
        if (cookie != null) {
            req.header("Cookie", cookie);
        }
        if (headers.length > 0) {
            req.headers(headers);
        }
        response = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    /** The response header {@code name}, or {@code null}. */
    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The next whole block (ending with the blank line), or {@link #EOF} when the server ended the stream. */
    public String next() throws InterruptedException {
        String e = blocks.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no SSE block within " + WAIT);
        }
        return e;
    }

    private void read() {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        int previous = -1;
        try (InputStream in = body()) {
            int b;
            while ((b = in.read()) != -1) {
                block.write(b);
                if (b == '\n' && previous == '\n') {
                    blocks.add(block.toString(StandardCharsets.UTF_8));
                    block.reset();
                    b = -1;
                }
                previous = b;
            }
        } catch (IOException e) {
            // connection closed: reported as the end of the stream
        }
        blocks.add(EOF);
    }

    private InputStream body() throws IOException {
        InputStream in = response.body();
        return "gzip".equals(header("Content-Encoding")) ? new GZIPInputStream(in, 64) : in;
    }

    @Override
    public void close() {
        reader.interrupt();
        try {
            response.body().close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
