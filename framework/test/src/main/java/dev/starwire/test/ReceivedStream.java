package dev.starwire.test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.DatastarEvent;
import dev.starwire.DatastarProtocol;
import dev.starwire.ElementPatchMode;
import dev.starwire.Namespace;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One response the test kit receives, read in the background and applied to a page as the Datastar client
 * does with the answer to an action: an SSE stream event by event, or a one-shot {@code text/html},
 * {@code application/json} or {@code text/javascript} body. Only a {@code 200} answer is applied, as in the
 * 1.0.1 client. Closing it closes the connection.
 *
 * <pre>{@code
 * try (ReceivedStream clock = client.stream("/clock")) {
 *     client.awaitSignal("ticks", 3);
 *     ReceivedStream again = clock.reconnect();   // sends Last-Event-ID like the browser
 * }
 * }</pre>
 */
// Why ~350 lines in one class: one answer of the server as the client reads it, whether an event stream or a
// one-shot HTML, JSON or script body; both feed the same page and the same waits.
public final class ReceivedStream implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final int MAX_TEXT_BYTES = 4 * 1024 * 1024;

    private final DatastarClient client;
    private final TestPage page;
    private final String method;
    private final String path;
    private final HttpRequest request;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final List<ReceivedEvent> received = new ArrayList<>();
    private final Thread reader;
    private final boolean background;

    private volatile boolean closed;
    private volatile InputStream body;
    private volatile int status = -1;
    private volatile String contentType = "";
    private volatile String text = "";
    private volatile String lastEventId;
    private volatile AssertionError failure;

    ReceivedStream(DatastarClient client, TestPage page, String method, String path, HttpRequest request,
                String lastEventId, boolean background) {
        this.background = background;
        this.client = client;
        this.page = page;
        this.method = method;
        this.path = path;
        this.request = request;
        this.lastEventId = lastEventId;
        this.reader = new Thread(this::read, "starwire-test-stream-" + THREADS.incrementAndGet());
        reader.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    /** The method and path this stream was opened with, e.g. {@code GET /clock}. */
    public String target() {
        return method + " " + path;
    }

    /** The HTTP status, or -1 before the response headers arrived. */
    public int status() {
        return status;
    }

    /** The last event id the stream set, empty before any. */
    public Optional<String> lastEventId() {
        String id = lastEventId;
        return id == null || id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    /** Whether the response is still being read. */
    public boolean isOpen() {
        return ended.getCount() > 0;
    }

    /**
     * The events received so far, in order. Each is recorded as it is applied, so once a wait on the page
     * saw an event's effect, the event is in this list.
     */
    public List<ReceivedEvent> events() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /**
     * Waits until at least {@code count} events have been received and applied.
     *
     * @throws AssertionError after {@code timeout}, or at once when the stream failed
     */
    public ReceivedStream awaitEvents(int count, Duration timeout) {
        page.await(p -> events().size() >= count || failure != null, count + " event(s) on " + target(), timeout);
        AssertionError f = failure;
        if (f != null) {
            throw new AssertionError(target() + ": " + f.getMessage(), f);
        }
        return this;
    }

    /** The error that stopped this stream (a framing mistake, a patch the client could not apply), if any. */
    public Optional<AssertionError> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Opens the same request again with {@code Last-Event-ID} set to this stream's last event id, as the
     * browser does when it reconnects. This stream is closed first.
     */
    public ReceivedStream reconnect() {
        close();
        return client.openStream(method, path, lastEventId().orElse(null), true, null);
    }

    /**
     * Waits until the server ends the response.
     *
     * @throws AssertionError when it does not end within {@code timeout}, or when the stream failed
     */
    public ReceivedStream awaitEnd(Duration timeout) {
        try {
            if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the response to " + target() + " did not end within " + timeout.toMillis()
                        + " ms (use client.stream(...) for a long-lived stream)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + target());
        }
        AssertionError f = failure;
        if (f != null) {
            throw new AssertionError(target() + ": " + f.getMessage(), f);
        }
        return this;
    }

    /** Closes the connection (the server sees the client go away) and waits briefly for the reader to stop. */
    @Override
    public void close() {
        closed = true;
        InputStream b = body;
        if (b != null) {
            try {
                b.close();
            } catch (IOException ignored) {
                // closing is best effort: the connection is gone either way
            }
        }
        client.forget(this);
        try {
            ended.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reader.interrupt();
    }

    void awaitStarted(Duration timeout) {
        try {
            if (!started.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new AssertionError("no response to " + target() + " within " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while opening " + target());
        }
    }

    ActionResult result() {
        return new ActionResult(status, contentType, text, events());
    }

    private void read() {
        try {
            HttpResponse<InputStream> r = client.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
            body = r.body();
            status = r.statusCode();
            contentType = r.headers().firstValue("Content-Type").orElse("");
            if (closed) {
                body.close();
                return;
            }
            if (status != 200) {
                text = readText(body); // like the 1.0.1 client: only a 200 answer is applied (204 does nothing)
                return;
            }
            String mime = contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
            if (mime.equals(DatastarProtocol.EVENT_STREAM)) {
                started.countDown();
                readEvents(body);
                return;
            }
            text = readText(body);
            switch (mime) {
                case "text/html":
                    applyHtml(r, text);
                    break;
                case "application/json":
                    applyJson(r, text);
                    break;
                case "text/javascript":
                case "application/javascript":
                    applyScript(r, text);
                    break;
                default:
                    break; // anything else does nothing in the client
            }
        } catch (AssertionError e) {
            failure = e;
            if (background) { // a blocking action throws the error to its caller instead
                page.streamFailed(new AssertionError(target() + ": " + e.getMessage(), e));
            }
        } catch (IOException e) {
            if (!closed && status < 0) {
                failure = new AssertionError("cannot reach " + target() + ": " + e);
                if (background) {
                    page.streamFailed(failure);
                }
            }
            // after the headers, a dropped connection simply ends the stream, as in the browser
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            InputStream b = body;
            if (failure != null && b != null) {
                try {
                    b.close(); // a broken stream is dropped, as the browser drops it
                } catch (IOException ignored) {
                    // the connection is going away anyway
                }
            }
            started.countDown();
            ended.countDown();
            page.changed();
        }
    }

    private void readEvents(InputStream in) throws IOException {
        SseParser parser = new SseParser(in);
        String seen = parser.lastEventId();
        for (ReceivedEvent e = parser.next(); e != null && !closed; e = parser.next()) {
            if (!parser.lastEventId().equals(seen)) { // an id given by the stream replaces the one resumed from
                seen = parser.lastEventId();
                lastEventId = seen;
            }
            synchronized (page) { // recorded and applied in one step: a waiter on the page sees both or neither
                synchronized (received) {
                    received.add(e);
                }
                page.apply(e);
            }
        }
        if (!parser.lastEventId().equals(seen)) {
            lastEventId = parser.lastEventId();
        }
    }

    private void applyHtml(HttpResponse<?> r, String html) {
        ElementPatchMode mode = header(r, DatastarProtocol.MODE_HEADER, ElementPatchMode::fromWire, ElementPatchMode.OUTER);
        Optional<String> selector = r.headers().firstValue(DatastarProtocol.SELECTOR_HEADER);
        if (html.isBlank() && mode != ElementPatchMode.REMOVE) {
            throw new AssertionError("text/html response without elements (mode " + mode.wireName() + ")");
        }
        if (html.isBlank() && selector.isEmpty()) {
            throw new AssertionError("text/html remove response without datastar-selector");
        }
        boolean vt = r.headers().firstValue(DatastarProtocol.USE_VIEW_TRANSITION_HEADER).map("true"::equals).orElse(false);
        Namespace namespace = header(r, DatastarProtocol.NAMESPACE_HEADER, Namespace::fromWire, Namespace.HTML);
        page.apply(new ReceivedPatchElements(selector, mode, vt, Optional.empty(), namespace, html, Optional.empty(),
                DatastarEvent.DEFAULT_RETRY_MILLIS));
    }

    /** The value of header {@code name} read by {@code parse}, {@code absent} without the header. */
    private static <T> T header(HttpResponse<?> r, String name, java.util.function.Function<String, T> parse,
                                T absent) {
        Optional<String> value = r.headers().firstValue(name);
        if (value.isEmpty()) {
            return absent;
        }
        try {
            return parse.apply(value.get());
        } catch (IllegalArgumentException e) {
            throw new AssertionError("bad " + name + " header: " + e.getMessage());
        }
    }

    private void applyJson(HttpResponse<?> r, String json) {
        JsonNode tree;
        try {
            tree = JsonSupport.read(JsonSupport.STRICT, json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("application/json response is not valid JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new AssertionError("application/json response must be a JSON object (a merge patch), got: "
                    + TestPage.shorten(json, 200));
        }
        boolean onlyIfMissing = r.headers().firstValue(DatastarProtocol.ONLY_IF_MISSING_HEADER).map("true"::equals).orElse(false);
        page.apply(new ReceivedPatchSignals((ObjectNode) tree, json, onlyIfMissing, Optional.empty(),
                DatastarEvent.DEFAULT_RETRY_MILLIS));
    }

    private void applyScript(HttpResponse<?> r, String code) {
        Map<String, String> attrs = new LinkedHashMap<>();
        Optional<String> header = r.headers().firstValue(DatastarProtocol.SCRIPT_ATTRIBUTES_HEADER);
        if (header.isPresent()) {
            JsonNode tree;
            try {
                tree = JsonSupport.read(JsonSupport.STRICT, header.get());
            } catch (JsonProcessingException e) {
                throw new AssertionError("datastar-script-attributes is not valid JSON: " + e.getOriginalMessage());
            }
            if (tree == null || !tree.isObject()) {
                throw new AssertionError("datastar-script-attributes must be a JSON object");
            }
            for (Map.Entry<String, JsonNode> f : tree.properties()) {
                attrs.put(f.getKey(), f.getValue().isTextual() ? f.getValue().textValue() : f.getValue().toString());
            }
        }
        page.recordScript(new ReceivedScript(code, attrs));
    }

    private static String readText(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_TEXT_BYTES);
        in.close();
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
