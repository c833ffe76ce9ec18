package dev.starwire.servlet;

import static dev.starwire.servlet.ServletServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.DatastarResponse;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.hub.Hub;
import dev.starwire.hub.QueueLimits;
import dev.starwire.hub.Topic;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Long-lived streams on a plain servlet container (Jetty ee10, no Javalin), read byte for byte: a topic with
 * replay from {@code Last-Event-ID}, a session's store, keepalives, the retry hint of a shutdown, gzip, and a
 * client that stops reading, dropped with nothing but the Servlet API.
 */
class ServletStreamsTest {
    private static final Pattern ID = Pattern.compile("\nid: ([^\n]+)\n");

    /** A chat message. */
    public record Message(String text) {
    }

    /** The counter page's signals. */
    public record Counter(int count) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final AtomicInteger closed = new AtomicInteger();
    private final CompletableFuture<AsyncContext> held = new CompletableFuture<>();
    private StarwireServlets starwire;
    private Topic chat;
    private ServletServer server;

    @AfterEach
    void stop() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private void start(Consumer<StarwireSettings> settings) {
        starwire = StarwireServlets.create(settings);
        chat = starwire.topic("chat");
        server = new ServletServer(starwire, context -> {
            starwire.register(context, "/chat/stream", starwire.stream(s -> {
                s.onClose(closed::incrementAndGet);
                s.subscribe(chat, () -> s.send(PatchElements.inner("#messages", "<p>history</p>")));
            }));
            starwire.register(context, "/chat/send", starwire.post(Message.class, (req, res, m) -> {
                chat.publish(PatchElements.append("#messages", "<p>" + m.text() + "</p>"));
                return DatastarResponse.noContent();
            }));
            starwire.register(context, "/counter/stream", starwire.stream(s -> {
                s.signals(Counter.class); // a tampered count is a 400 before the session is touched
                s.session();
            }));
            starwire.register(context, "/counter/increment", starwire.post((req, res) -> {
                starwire.session(req, res).store().update(s -> s.set("count", s.get("count", Integer.class, 0) + 1));
                return DatastarResponse.noContent();
            }));
            starwire.register(context, "/once", starwire.stream(s -> {
                s.send(PatchSignals.ofJson("{\"once\":true}"));
                s.close();
            }));
            starwire.register(context, "/idle", starwire.stream(s -> s.onClose(closed::incrementAndGet)));
            starwire.register(context, "/held", heldStream(s -> s.onClose(closed::incrementAndGet)));
            starwire.register(context, "/held-once", heldStream(LiveStream::close));
        });
        cleanup.add(server);
    }

    /**
     * A stream whose response the test completes ({@link #held}), when it likes, as an adapter's web framework
     * would.
     */
    private HttpServlet heldStream(StreamHandler handler) {
        return ServletServer.servlet(starwire, (req, res) -> starwire.openStream(req, res, handler,
                () -> held.complete(req.getAsyncContext())));
    }

    private SseClient open(String path, String cookie, String... headers) throws Exception {
        SseClient c = new SseClient(http, URI.create(server.base() + path), cookie, headers);
        cleanup.add(c);
        return c;
    }

    private HttpResponse<String> post(String path, String cookie, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + path)).timeout(Duration.ofSeconds(30))
                .header("Datastar-Request", "true").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String appended(String id, String text) {
        return "event: datastar-patch-elements\nid: " + id + "\ndata: selector #messages\ndata: mode append\n"
                + "data: elements <p>" + text + "</p>\n\n";
    }

    private static String id(String block) {
        Matcher m = ID.matcher(block);
        assertTrue(m.find(), block);
        return m.group(1);
    }

    @Test
    void aStreamFollowsATopicAndAReconnectingClientGetsExactlyWhatItMissed() throws Exception {
        start(cfg -> { });
        SseClient tab = open("/chat/stream", null);
        assertEquals(200, tab.response().statusCode());
        assertEquals("text/event-stream;charset=utf-8", tab.header("Content-Type").replace(" ", "").toLowerCase());
        assertEquals("no-cache", tab.header("Cache-Control"));
        assertEquals("no", tab.header("X-Accel-Buffering"));
        assertEquals("event: datastar-patch-elements\ndata: selector #messages\ndata: mode inner\n"
                + "data: elements <p>history</p>\n\n", tab.next(), "the full state for a new client");

        List<String> ids = new ArrayList<>();
        for (String text : List.of("one", "two", "three")) {
            assertEquals(204, post("/chat/send", null, "{\"text\":\"" + text + "\"}").statusCode());
            String block = tab.next();
            ids.add(id(block));
            assertEquals(appended(ids.get(ids.size() - 1), text), block);
        }
        tab.close(); // the browser reconnects with the id of the last event it applied: "one"

        SseClient back = open("/chat/stream", null, "Last-Event-ID", ids.get(0));
        assertEquals(appended(ids.get(1), "two"), back.next(), "no history, no duplicate: what it missed");
        assertEquals(appended(ids.get(2), "three"), back.next());
        post("/chat/send", null, "{\"text\":\"four\"}");
        String live = back.next();
        assertEquals(appended(id(live), "four"), live, "then live events");
    }

    @Test
    void aStreamWithASessionGetsItsStoreThenEveryChange() throws Exception {
        start(cfg -> { });
        String signals = URLEncoder.encode("{\"count\":0}", StandardCharsets.UTF_8);
        SseClient tab = open("/counter/stream?datastar=" + signals, null);
        String cookie = tab.header("Set-Cookie").split(";")[0];
        assertTrue(cookie.startsWith("starwire_session="), cookie);
        assertEquals("event: datastar-patch-signals\ndata: signals {\"count\":0}\n\n", tab.next());

        assertEquals(204, post("/counter/increment", cookie, "{\"count\":0}").statusCode());
        assertEquals("event: datastar-patch-signals\ndata: signals {\"count\":1}\n\n", tab.next());
        assertEquals(1, starwire.sessions().size());
    }

    @Test
    void badSignalsOrACrossSiteRequestAnswerInsteadOfAStream() throws Exception {
        start(cfg -> { });
        String tampered = URLEncoder.encode("{\"count\":\"abc\"}", StandardCharsets.UTF_8);
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(
                URI.create(server.base() + "/counter/stream?datastar=" + tampered)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertEquals("signal 'count' must be an integer (int), got the string \"abc\"", bad.body());
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(server.base() + "/chat/stream"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, forged.statusCode());
        assertEquals(0, starwire.openStreams());
        assertEquals(0, starwire.sessions().size(), "no session for a refused request");
    }

    @Test
    void anIdleStreamGetsKeepaliveComments() throws Exception {
        start(cfg -> cfg.keepAlive = Duration.ofMillis(100));
        SseClient idle = open("/idle", null);
        assertEquals(":\n\n", idle.next());
        assertEquals(":\n\n", idle.next());
    }

    @Test
    void closingStarwireSendsEveryStreamARetryHintThenEndsIt() throws Exception {
        start(cfg -> {
            cfg.keepAlive = Duration.ofSeconds(30);
            cfg.shutdownRetry = Duration.ofMillis(1500);
        });
        List<SseClient> tabs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SseClient c = open("/idle", null);
            assertEquals(200, c.response().statusCode());
            tabs.add(c);
        }
        await("streams open", () -> starwire.openStreams() == 3);
        starwire.closeStreams();
        for (SseClient c : tabs) {
            String hint = c.next();
            assertTrue(hint.matches("retry: \\d+\n\n"), hint);
            long retry = Long.parseLong(hint.substring(7, hint.length() - 2));
            assertTrue(retry >= 1500 && retry <= 3000, "retry " + retry);
            assertEquals(SseClient.EOF, c.next(), "then the response ends");
        }
        assertEquals(3, closed.get());
        assertEquals(0, starwire.openStreams());
        HttpResponse<String> late = http.send(HttpRequest.newBuilder(URI.create(server.base() + "/idle")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, late.statusCode());
        assertEquals("the server is stopping", late.body());
    }

    @Test
    void closingTheStreamsReturnsOnlyOnceTheContainerHasCompletedEveryResponse() throws Exception {
        start(cfg -> {
            cfg.keepAlive = Duration.ofSeconds(30);
            cfg.closeTimeout = Duration.ofSeconds(10); // far beyond the hold below: only the completion ends the wait
        });
        SseClient c = open("/held", null);
        assertEquals(200, c.response().statusCode());
        await("the stream open", () -> starwire.openStreams() == 1);
        CountDownLatch closedAll = new CountDownLatch(1);
        Thread closing = new Thread(() -> {
            try {
                starwire.closeStreams();
                closedAll.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closing.start();
        AsyncContext response = held.get(10, TimeUnit.SECONDS); // the stream has ended and asks for completion
        assertTrue(c.next().startsWith("retry: "));
        // the container has not completed the response yet (its end is not written): a server that stopped now
        // would close a connection whose last write may be under way
        assertFalse(closedAll.await(1, TimeUnit.SECONDS), "closeStreams returned before the response completed");
        assertEquals(1, starwire.openStreams());
        response.complete();
        assertTrue(closedAll.await(10, TimeUnit.SECONDS), "closeStreams returns once the container completed it");
        assertEquals(SseClient.EOF, c.next());
        assertEquals(0, starwire.openStreams());
        assertEquals(1, closed.get());
        closing.join(10_000);
    }

    @ParameterizedTest(name = "keepalives and stall checks on: {0}")
    @ValueSource(booleans = {true, false})
    void anEndedStreamWhoseResponseTheContainerNeverReportsCompleteIsLetGoAfterTheCloseTimeout(boolean checksOn)
            throws Exception {
        start(cfg -> {
            // on: the sweep that lets go runs every 25 ms; off: it still runs, every half closeTimeout
            cfg.keepAlive = checksOn ? Duration.ofMillis(100) : Duration.ZERO;
            cfg.stallTimeout = checksOn ? cfg.stallTimeout : Duration.ZERO;
            cfg.closeTimeout = Duration.ofSeconds(1);
        });
        SseClient c = open("/held-once", null);
        assertEquals(200, c.response().statusCode());
        AsyncContext response = held.get(10, TimeUnit.SECONDS); // ended at once; the test leaves it uncompleted
        assertEquals(1, starwire.openStreams(), "waited for while the container may still be writing its end");
        await("the stream let go", () -> starwire.openStreams() == 0);
        response.complete();
        assertEquals(SseClient.EOF, c.next());
    }

    @Test
    void gzipIsNegotiatedAndFlushedPerEvent() throws Exception {
        start(cfg -> {
            cfg.gzip = true;
            cfg.keepAlive = Duration.ofSeconds(30);
        });
        SseClient once = open("/once", null, "Accept-Encoding", "gzip");
        assertEquals("gzip", once.header("Content-Encoding"));
        assertEquals("Accept-Encoding", once.header("Vary"));
        assertEquals("event: datastar-patch-signals\ndata: signals {\"once\":true}\n\n", once.next());
        assertEquals(SseClient.EOF, once.next(), "a complete gzip stream (its trailer checks out), then the end");

        SseClient live = open("/chat/stream", null, "Accept-Encoding", "gzip;q=1, br");
        assertEquals("gzip", live.header("Content-Encoding"));
        live.next(); // the history
        await("subscribed", () -> chat.subscriberCount() == 1);
        for (String text : List.of("a", "b", "c")) {
            post("/chat/send", null, "{\"text\":\"" + text + "\"}");
            String block = live.next(); // readable before the next is published: flushed per event
            assertEquals(appended(id(block), text), block);
        }
        SseClient plain = open("/once", null, "Accept-Encoding", "gzip;q=0");
        assertEquals(null, plain.header("Content-Encoding"));
        assertEquals("event: datastar-patch-signals\ndata: signals {\"once\":true}\n\n", plain.next());
    }

    @Test
    void aClosedStreamWhoseClientStopsReadingIsDroppedAfterTheCloseTimeout() throws Exception {
        AtomicReference<LiveStream> stream = new AtomicReference<>();
        starwire = StarwireServlets.create(cfg -> {
            cfg.hub = Hub.builder().queueLimits(new QueueLimits(100_000, 256L << 20)).build(); // never overflows
            cfg.stallTimeout = Duration.ofMinutes(5);                                      // nor stalls here
            cfg.closeTimeout = Duration.ofMillis(300);
            cfg.keepAlive = Duration.ofSeconds(30);
        });
        cleanup.add(starwire.hub()); // closed last: the app does not own a hub it was given
        server = new ServletServer(starwire, context -> starwire.register(context, "/big", starwire.stream(s -> {
            s.onClose(closed::incrementAndGet);
            stream.set(s);
        })));
        cleanup.add(server);
        try (Socket silent = new Socket()) {
            silent.setReceiveBufferSize(4096);
            silent.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            silent.getOutputStream().write("GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            await("the stream started", () -> stream.get() != null && starwire.openStreams() == 1);
            String big = "x".repeat(64 * 1024);
            for (int i = 0; i < 600; i++) { // about 38 MiB: far more than the kernel's buffers hold
                stream.get().send(PatchElements.append("#log", "<p>" + big + "</p>"));
            }
            await("the writer is blocked", () -> starwire.stats().queuedBytes() > 0);
            long closing = System.nanoTime();
            stream.get().close();
            await("the stream that could not flush was dropped", () -> starwire.openStreams() == 0);
            assertTrue(System.nanoTime() - closing < Duration.ofSeconds(20).toNanos());
            assertEquals(1, closed.get());
            assertEquals(0, starwire.stats().queuedBytes(), "its outbox was released");
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedWithTheServletApiAlone() throws Exception {
        start(cfg -> {
            cfg.stallTimeout = Duration.ofMillis(500);
            cfg.keepAlive = Duration.ofSeconds(30);
        });
        try (Socket silent = new Socket()) {
            silent.setReceiveBufferSize(4096);
            silent.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            silent.getOutputStream().write(("GET /chat/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            await("subscribed", () -> chat.subscriberCount() == 1);
            String big = "x".repeat(16 * 1024);
            for (int i = 0; i < 200 && chat.subscriberCount() > 0; i++) {
                chat.publish(PatchElements.append("#messages", "<p>" + big + "</p>")).join();
            }
            await("the stalled stream was dropped", () -> starwire.openStreams() == 0
                    && chat.subscriberCount() == 0 && starwire.stats().queuedBytes() == 0);
            assertEquals(1, closed.get(), "its onClose ran once");
            InputStream in = silent.getInputStream();
            assertTrue(in.read() >= 0, "the response had begun");
        }
    }
}
