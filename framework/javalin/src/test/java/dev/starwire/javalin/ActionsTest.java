package dev.starwire.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.DatastarResponse;
import dev.starwire.PatchSignals;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Datastar actions: CSRF rules of mutating routes, signals into records, one-shot answers, signal errors. */
class ActionsTest {
    record Message(String text) {
    }

    private final List<String> received = new CopyOnWriteArrayList<>();
    private TestServer server;

    @BeforeEach
    void start() {
        Starwire sw = Starwire.create(cfg -> {
            cfg.allowedOrigins.add("https://app.example.com");
            cfg.maxSignalBytes = 1000;
        });
        server = new TestServer(sw, c -> {
            c.routes.post("/send", sw.post(Message.class, (ctx, m) -> {
                received.add(m.text());
                return DatastarResponse.of(PatchSignals.of(Map.of("text", "")));
            }));
            c.routes.delete("/quiet", sw.delete(Message.class, (ctx, m) -> {
                received.add("deleted " + m.text());
                return DatastarResponse.noContent();
            }));
            c.routes.put("/plain", sw.guarded(ctx -> ctx.result("plain ok")));
            c.routes.post("/stream", sw.stream(s -> {
                s.send(PatchSignals.of(Map.of("streamed", true)));
                s.close();
            }));
            c.routes.get("/search", sw.get(Message.class, (ctx, m) ->
                    DatastarResponse.of(PatchSignals.of(Map.of("found", m.text())))));
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SseConnection call(String method, String path, String json, String... headers) throws Exception {
        return SseConnection.request(server.port(), method, path,
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), 0, headers);
    }

    @Test
    void postReadsSignalsIntoARecordAndAnswersOneShot() throws Exception {
        try (SseConnection c = call("POST", "/send", "{\"text\":\"hi\",\"other\":1}", "Datastar-Request: true")) {
            assertEquals(200, c.status());
            assertTrue(c.header("Content-Type").startsWith("application/json"));
            assertEquals("{\"text\":\"\"}", c.bodyText());
        }
        assertEquals(List.of("hi"), received);
    }

    @Test
    void deleteReadsItsSignalsFromTheQueryAndNoContentIs204() throws Exception {
        try (SseConnection c = call("DELETE", "/quiet?datastar=%7B%22text%22%3A%22x%22%7D", null,
                "Datastar-Request: true")) {
            assertEquals(204, c.status());
        }
        assertEquals(List.of("deleted x"), received);
    }

    @Test
    void mutatingRouteWithoutDatastarHeaderIs403() throws Exception {
        try (SseConnection c = call("POST", "/send", "{\"text\":\"hi\"}")) {
            assertEquals(403, c.status());
            assertTrue(c.bodyText().contains("Datastar-Request"));
        }
        try (SseConnection c = call("PUT", "/plain", null)) {
            assertEquals(403, c.status());
        }
        try (SseConnection c = call("POST", "/stream", "{}", "Origin: https://evil.example")) {
            assertEquals(403, c.status(), "a stream on a POST route is checked too");
        }
        try (SseConnection c = call("POST", "/stream", "{}", "Datastar-Request: true")) {
            assertEquals(200, c.status());
            assertEquals("signals {\"streamed\":true}", c.nextEvent().dataText());
        }
        assertTrue(received.isEmpty());
    }

    @Test
    void foreignOriginIs403() throws Exception {
        for (String origin : List.of("https://evil.example", "http://127.0.0.1:1", "null", "http://127.0.0.1.evil")) {
            try (SseConnection c = call("POST", "/send", "{\"text\":\"hi\"}", "Datastar-Request: true",
                    "Origin: " + origin)) {
                assertEquals(403, c.status(), origin);
                assertTrue(c.bodyText().contains("cross-origin"), origin);
            }
        }
        assertTrue(received.isEmpty());
    }

    @Test
    void sameOriginAllowedOriginAndNoOriginPass() throws Exception {
        String same = "http://127.0.0.1:" + server.port();
        for (String origin : List.of(same, "HTTPS://app.example.com:443", "")) {
            String[] headers = origin.isEmpty() ? new String[] {"Datastar-Request: true"}
                    : new String[] {"Datastar-Request: true", "Origin: " + origin};
            try (SseConnection c = call("POST", "/send", "{\"text\":\"" + origin + "\"}", headers)) {
                assertEquals(200, c.status(), origin);
            }
        }
        try (SseConnection c = call("PUT", "/plain", null, "Datastar-Request: true", "Origin: " + same)) {
            assertEquals(200, c.status());
            assertEquals("plain ok", c.bodyText());
        }
        assertEquals(3, received.size());
    }

    @Test
    void getActionsNeedNoCsrfHeader() throws Exception {
        try (SseConnection c = call("GET", "/search?datastar=%7B%22text%22%3A%22q%22%7D", null)) {
            assertEquals(200, c.status());
            assertEquals("{\"found\":\"q\"}", c.bodyText());
        }
    }

    @Test
    void badSignalsAre400AndTooLargeAre413AsText() throws Exception {
        try (SseConnection c = call("POST", "/send", "{\"text\":", "Datastar-Request: true")) {
            assertEquals(400, c.status());
            assertTrue(c.header("Content-Type").startsWith("text/plain"));
            assertTrue(c.bodyText().startsWith("signals are not valid JSON"));
        }
        try (SseConnection c = call("POST", "/send", "{\"text\":[1]}", "Datastar-Request: true")) {
            assertEquals(400, c.status());
            assertTrue(c.bodyText().contains("text"));
        }
        try (SseConnection c = call("POST", "/send", "{\"text\":\"" + "x".repeat(2000) + "\"}",
                "Datastar-Request: true")) {
            assertEquals(413, c.status());
            assertTrue(c.bodyText().contains("larger than the limit"));
        }
        assertTrue(received.isEmpty());
    }
}
