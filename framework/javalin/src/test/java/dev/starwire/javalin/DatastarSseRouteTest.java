package dev.starwire.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.Component;
import dev.starwire.ElementPatchMode;
import dev.starwire.ExecuteScript;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Datastar#sse} over real HTTP: the headers, the exact bytes, and a flush after every event. */
class DatastarSseRouteTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();
    private static final CountDownLatch HEADERS_SEEN = new CountDownLatch(1);
    private static final CountDownLatch FIRST_EVENT_SEEN = new CountDownLatch(1);
    private static Javalin app;

    @BeforeAll
    static void start() {
        app = Javalin.create(config -> {
            Datastar.handleErrors(config);
            config.routes.get("/events", ctx -> {
                SseStream stream = Datastar.sse(ctx);
                stream.send(PatchSignals.of(Map.of("count", 1)))
                        .send(PatchElements.builder().selector("#chat").mode(ElementPatchMode.APPEND)
                                .elements("<p>Ana:\r\nhi\revent: fake</p>").eventId("m1").build())
                        .send(ExecuteScript.of("console.log('é')"));
            });
            config.routes.get("/failing", ctx -> {
                SseStream stream = Datastar.sse(ctx);
                stream.send(PatchSignals.ofJson("{\"a\":1}"));
                Component broken = out -> {
                    out.writeContent("<div id=\"half\">\n<p>");
                    throw new IllegalStateException("template bug");
                };
                try {
                    stream.send(PatchElements.of(broken));
                } catch (IllegalStateException expected) {
                    stream.send(PatchSignals.ofJson("{\"b\":2}"));
                }
            });
            config.routes.get("/stepwise", ctx -> {
                SseStream stream = Datastar.sse(ctx);
                if (!HEADERS_SEEN.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    return; // the test fails on its own side
                }
                stream.send(PatchSignals.ofJson("{\"step\":1}"));
                if (!FIRST_EVENT_SEEN.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    return;
                }
                stream.send(PatchSignals.ofJson("{\"step\":2}"));
            });
        }).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).timeout(WAIT)
                .header("Datastar-Request", "true").header("Accept", "text/event-stream");
    }

    @Test
    void streamsTheExactBytesWithSseHeaders() throws Exception {
        HttpResponse<byte[]> r = CLIENT.send(get("/events").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        String type = r.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("text/event-stream"), type);
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("event: datastar-patch-signals\n"
                + "data: signals {\"count\":1}\n"
                + "\n"
                + "event: datastar-patch-elements\n"
                + "id: m1\n"
                + "data: selector #chat\n"
                + "data: mode append\n"
                + "data: elements <p>Ana:\n"
                + "data: elements hi\n"
                + "data: elements event: fake</p>\n"
                + "\n"
                + "event: datastar-patch-elements\n"
                + "data: selector body\n"
                + "data: mode append\n"
                + "data: elements <script data-effect=\"el.remove()\">console.log('é')</script>\n"
                + "\n", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aComponentThatThrowsLeavesNoHalfEventOnTheWire() throws Exception {
        HttpResponse<String> r = CLIENT.send(get("/failing").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("event: datastar-patch-signals\ndata: signals {\"a\":1}\n\n"
                + "event: datastar-patch-signals\ndata: signals {\"b\":2}\n\n", r.body());
    }

    @Test
    void headersAndEveryEventReachTheClientWithoutWaitingForTheEnd() throws Exception {
        HttpResponse<InputStream> r = CLIENT.sendAsync(get("/stepwise").build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(200, r.statusCode()); // headers arrived although no event was sent yet
        HEADERS_SEEN.countDown();
        try (InputStream in = r.body()) {
            String first = "event: datastar-patch-signals\ndata: signals {\"step\":1}\n\n";
            assertEquals(first, readExactly(in, first.getBytes(StandardCharsets.UTF_8).length));
            FIRST_EVENT_SEEN.countDown(); // the second event is only sent after the first was read
            String second = "event: datastar-patch-signals\ndata: signals {\"step\":2}\n\n";
            assertEquals(second, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static String readExactly(InputStream in, int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[n];
        while (out.size() < n) {
            int read = in.read(buf, 0, n - out.size());
            if (read < 0) {
                break;
            }
            out.write(buf, 0, read);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
