package dev.starwire.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.Component;
import dev.starwire.DatastarResponse;
import dev.starwire.ExecuteScript;
import dev.starwire.Namespace;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one answer type over real HTTP: zero, one and several events, errors, and what a handler must not do. */
class DatastarResponseRouteTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();
    private static TestServer server;
    /** An answer larger than the response's 32 KiB buffer and Javalin's threshold for compressing. */
    private static final String BIG = IntStream.range(0, 6000).mapToObj(i -> "<li>item " + i + "</li>")
            .collect(Collectors.joining());

    record Item(String name) {
    }

    @BeforeAll
    static void start() {
        Starwire sw = Starwire.create();
        server = new TestServer(sw, config -> {
            config.routes.post("/html", sw.post(ctx -> DatastarResponse.of(PatchElements.builder()
                    .elements("<li>é</li>").selector("#list").mode(dev.starwire.ElementPatchMode.APPEND)
                    .useViewTransition(true).build())));
            config.routes.post("/svg", sw.post(ctx -> DatastarResponse.of(PatchElements.builder()
                    .elements("<circle id=\"dot\" r=\"4\"/>").namespace(Namespace.SVG).build())));
            config.routes.post("/json", sw.post(Item.class, (ctx, item) -> DatastarResponse.of(
                    PatchSignals.builder().signals(Map.of("echo", item.name())).onlyIfMissing(true).build())));
            config.routes.post("/script", sw.post(ctx -> DatastarResponse.of(ExecuteScript.redirect("/next"))));
            config.routes.post("/two", sw.post(Item.class, (ctx, item) -> DatastarResponse.of(
                    PatchSignals.of(Map.of("name", "")),
                    PatchElements.append("#list", "<li>" + item.name() + "\r\nevent: fake</li>"))));
            config.routes.post("/big", sw.post(ctx -> DatastarResponse.of(PatchElements.inner("#list", BIG))));
            config.routes.post("/nothing", sw.post(ctx -> DatastarResponse.noContent()));
            config.routes.post("/conflict", sw.post(ctx -> DatastarResponse.error(409, "already sent")));
            config.routes.post("/null", sw.post(ctx -> null));
            config.routes.post("/broken", sw.post(ctx -> DatastarResponse.of(PatchSignals.of(Map.of("a", 1)),
                    PatchElements.of((Component) out -> {
                        out.writeContent("<div id=\"half\">");
                        throw new IllegalStateException("template bug");
                    }))));
            // a plain Javalin handler answers the same way
            config.routes.get("/plain", ctx -> Datastar.respond(ctx, DatastarResponse.of(
                    PatchSignals.of(Map.of("a", 1)), PatchSignals.of(Map.of("b", 2)))));
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(WAIT).header("Datastar-Request", "true").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void oneElementPatchIsHtmlWithItsOptionsInHeaders() throws Exception {
        HttpResponse<String> r = post("/html", "{}");
        assertEquals(200, r.statusCode());
        assertEquals("text/html;charset=utf-8", header(r, "Content-Type").replace("; ", ";"));
        assertEquals("no-cache", header(r, "Cache-Control"));
        assertEquals("#list", header(r, "datastar-selector"));
        assertEquals("append", header(r, "datastar-mode"));
        assertEquals("true", header(r, "datastar-use-view-transition"));
        assertNull(header(r, "datastar-namespace"));
        assertEquals("<li>é</li>", r.body());
    }

    @Test
    void anAnswerGoesOutWholeWithItsLengthOrCompressedWhenTheClientAccepts() throws Exception {
        HttpResponse<String> small = post("/html", "{}");
        assertEquals(String.valueOf("<li>é</li>".getBytes(StandardCharsets.UTF_8).length),
                header(small, "Content-Length"));

        HttpResponse<String> plain = post("/big", "{}");
        assertEquals(200, plain.statusCode());
        assertNull(header(plain, "Content-Encoding"));
        assertEquals(BIG, plain.body());

        HttpResponse<byte[]> zipped = CLIENT.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/big")).timeout(WAIT)
                .header("Datastar-Request", "true").header("Content-Type", "application/json")
                .header("Accept-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", header(zipped, "Content-Encoding"));
        assertTrue(zipped.body().length < BIG.length() / 4, "compressed: " + zipped.body().length + " bytes");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertEquals(BIG, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anAnswerWhoseClientLeftEndsWithoutAnError() throws Exception {
        // Larger than what the sockets' buffers take: the server is still writing when the client resets.
        String huge = "x".repeat(32 << 20);
        AtomicReference<Exception> error = new AtomicReference<>();
        CountDownLatch handled = new CountDownLatch(1);
        Starwire sw = Starwire.create();
        try (TestServer left = new TestServer(sw, config -> {
            config.routes.post("/huge", sw.post(ctx -> DatastarResponse.of(PatchElements.inner("#x", huge))));
            config.routes.exception(Exception.class, (e, ctx) -> error.set(e));
            config.routes.after("/huge", ctx -> handled.countDown());
        })) {
            try (Socket client = new Socket("127.0.0.1", left.port())) {
                client.getOutputStream().write(("POST /huge HTTP/1.1\r\nHost: 127.0.0.1\r\nDatastar-Request: true\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                        .getBytes(StandardCharsets.US_ASCII));
                assertTrue(client.getInputStream().read() >= 0, "the answer started");
                client.setSoLinger(true, 0); // gone with a reset, the rest unread
            }
            assertTrue(handled.await(30, TimeUnit.SECONDS), "the action finished");
            assertNull(error.get(), "a client that left is nobody to answer, not an error");
        }
    }

    @Test
    void anSvgPatchGoesOutOneShotWithItsNamespaceHeader() throws Exception {
        HttpResponse<String> r = post("/svg", "{}");
        assertEquals(200, r.statusCode());
        assertEquals("svg", header(r, "datastar-namespace"));
        assertEquals("<circle id=\"dot\" r=\"4\"/>", r.body());
    }

    @Test
    void oneSignalsPatchIsJson() throws Exception {
        HttpResponse<String> r = post("/json", "{\"name\":\"Zoë\"}");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", header(r, "Content-Type"));
        assertEquals("true", header(r, "datastar-only-if-missing"));
        assertEquals("{\"echo\":\"Zoë\"}", r.body());
    }

    @Test
    void oneScriptIsJavaScript() throws Exception {
        HttpResponse<String> r = post("/script", "{}");
        assertEquals("text/javascript;charset=utf-8", header(r, "Content-Type").replace("; ", ";"));
        assertEquals("{\"data-effect\":\"el.remove()\"}", header(r, "datastar-script-attributes"));
        assertEquals("setTimeout(() => window.location.assign(\"/next\"))", r.body());
    }

    @Test
    void severalEventsAreOneShortStreamEndedAfterTheLast() throws Exception {
        HttpResponse<String> r = post("/two", "{\"name\":\"Ana\"}");
        assertEquals(200, r.statusCode());
        assertTrue(header(r, "Content-Type").startsWith("text/event-stream"), header(r, "Content-Type"));
        assertEquals("no-cache", header(r, "Cache-Control"));
        assertEquals("event: datastar-patch-signals\n"
                + "data: signals {\"name\":\"\"}\n"
                + "\n"
                + "event: datastar-patch-elements\n"
                + "data: selector #list\n"
                + "data: mode append\n"
                + "data: elements <li>Ana\n"
                + "data: elements event: fake</li>\n"
                + "\n", r.body());
        HttpResponse<String> plain = CLIENT.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/plain")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("event: datastar-patch-signals\ndata: signals {\"a\":1}\n\n"
                + "event: datastar-patch-signals\ndata: signals {\"b\":2}\n\n", plain.body());
    }

    @Test
    void noEventsIs204AndAnErrorIsItsStatusAsText() throws Exception {
        HttpResponse<String> none = post("/nothing", "{}");
        assertEquals(204, none.statusCode());
        assertEquals("", none.body());
        HttpResponse<String> conflict = post("/conflict", "{}");
        assertEquals(409, conflict.statusCode());
        assertTrue(header(conflict, "Content-Type").startsWith("text/plain"));
        assertEquals("already sent", conflict.body());
    }

    @Test
    void aComponentThatThrowsSendsNoHalfAnswer() throws Exception {
        HttpResponse<String> r = post("/broken", "{}");
        assertEquals(500, r.statusCode());
        assertFalse(r.body().contains("half") || r.body().contains("signals"), r.body());
        assertFalse(r.body().contains("template bug"), r.body());
    }

    @Test
    void returningNullIsAServerBugNotASilentAnswer() throws Exception {
        HttpResponse<String> r = post("/null", "{}");
        assertEquals(500, r.statusCode());
        assertFalse(r.body().contains("noContent"), "no details to the client: " + r.body());
    }
}
