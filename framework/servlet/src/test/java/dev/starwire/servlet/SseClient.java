package dev.starwire.javalin.session;

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

/** Reads a real SSE response event by event (exact bytes), on its own thread, with a generous timeout. */
final class SseClient implements AutoCloseable {
    static final String EOF = "<end of stream>";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final HttpResponse<InputStream> response;
    private final Thread reader;

    SseClient(HttpClient http, URI uri, String cookie) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Datastar-Request", "true").GET();
        if (cookie != null) {
            req.header("Cookie", cookie);
        }
        response = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    HttpResponse<InputStream> response() {
        return response;
    }

    /** The next whole event (ending with the blank line), or {@link #EOF} when the server ended the stream. */
    String next() throws InterruptedException {
        String e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no SSE event within " + WAIT);
        }
        return e;
    }

    private void read() {
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        int previous = -1;
        try (InputStream in = response.body()) {
            int b;
            while ((b = in.read()) != -1) {
                event.write(b);
                if (b == '\n' && previous == '\n') {
                    events.add(event.toString(StandardCharsets.UTF_8));
                    event.reset();
                    b = -1;
                }
                previous = b;
            }
        } catch (IOException e) {
            // connection closed: reported as the end of the stream
        }
        events.add(EOF);
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
