package dev.starwire.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real HTTP client for the demo's tests: pages, Datastar actions and SSE streams read event by event. */
final class Http {
    static final Duration WAIT = Duration.ofSeconds(20);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private final String base;

    Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    /** A Datastar {@code @post}: the signals as the JSON body. */
    HttpResponse<String> post(String path, String signalsJson) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT)
                .header("Datastar-Request", "true")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(signalsJson)).build());
    }

    /** A Datastar {@code @get} that stays open: events are read in the background. */
    Stream open(String path, String signalsJson, String... headers) {
        String sep = path.contains("?") ? "&" : "?";
        URI uri = URI.create(base + path + sep + "datastar=" + URLEncoder.encode(signalsJson, StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Datastar-Request", "true")
                .header("Accept", "text/event-stream, text/html, application/json").GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new Stream(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** One SSE event as read off the wire: its type, id and data lines (without the {@code data: } prefix). */
    record Event(String type, String id, List<String> data) {
        /** The values of the data lines starting with {@code literal}, e.g. {@code "elements"}. */
        List<String> lines(String literal) {
            List<String> out = new ArrayList<>();
            for (String line : data) {
                if (line.equals(literal)) {
                    out.add("");
                } else if (line.startsWith(literal + " ")) {
                    out.add(line.substring(literal.length() + 1));
                }
            }
            return out;
        }

        String joined(String literal) {
            return String.join("\n", lines(literal));
        }
    }

    /** An open event stream; {@link #close()} hangs up like a closed tab. */
    static final class Stream implements AutoCloseable {
        private static final Event END = new Event("", null, List.of());
        final HttpResponse<InputStream> response;
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final Thread reader;

        Stream(HttpResponse<InputStream> response) {
            this.response = response;
            this.reader = new Thread(this::read, "test-sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String type = null;
                String id = null;
                List<String> data = new ArrayList<>();
                String line;
                // readLine splits on \n, \r\n and a lone \r: the same rule as the browser's SSE parser.
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (type != null || !data.isEmpty()) {
                            events.add(new Event(type == null ? "message" : type, id, List.copyOf(data)));
                        }
                        type = null;
                        id = null;
                        data = new ArrayList<>();
                    } else if (line.startsWith(":")) {
                        continue; // comment (heartbeat)
                    } else if (line.startsWith("event: ")) {
                        type = line.substring(7);
                    } else if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("data: ")) {
                        data.add(line.substring(6));
                    } else if (!line.startsWith("retry: ")) {
                        data.add("UNEXPECTED LINE " + line);
                    }
                }
            } catch (IOException closed) {
                // the test hung up
            } finally {
                events.add(END);
            }
        }

        /** The next event, waiting up to {@link #WAIT}; fails when none arrives or the stream ends. */
        Event next() {
            Event e = poll(WAIT);
            if (e == null) {
                throw new AssertionError("no event within " + WAIT);
            }
            return e;
        }

        /** The next event within {@code wait}, or null; fails when the stream has ended. */
        Event poll(Duration wait) {
            try {
                Event e = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
                if (e == END) {
                    events.add(END);
                    throw new AssertionError("the stream ended");
                }
                return e;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
