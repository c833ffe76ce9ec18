package dev.starwire.javalin;

import static dev.starwire.javalin.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The session hook: a stream shows its session's store, actions change it. */
class SessionStreamTest {

    @Test
    void storeChangesFlowToTheSessionsStreams() throws Exception {
        Starwire sw = Starwire.create(cfg -> cfg.keepAlive = Duration.ofMillis(200));
        try (TestServer server = new TestServer(sw, c -> {
            c.routes.get("/counter/stream", sw.stream(stream -> stream.session()));
            c.routes.post("/counter/increment", sw.guarded(ctx -> sw.session(ctx).store()
                    .update(s -> s.set("count", s.get("count", Integer.class, 0) + 1))));
        })) {
            String cookie;
            try (SseConnection stream = SseConnection.get(server.port(), "/counter/stream")) {
                assertEquals(200, stream.status());
                String setCookie = stream.header("Set-Cookie");
                assertNotNull(setCookie, "a new session sets its cookie before the stream starts");
                cookie = setCookie.substring(0, setCookie.indexOf(';'));
                await("stream open", () -> sw.openStreams() == 1);
                for (int i = 1; i <= 2; i++) {
                    try (SseConnection post = SseConnection.request(server.port(), "POST", "/counter/increment",
                            "{}".getBytes(StandardCharsets.UTF_8), 0, "Datastar-Request: true",
                            "Cookie: " + cookie)) {
                        assertTrue(post.status() < 300, "status " + post.status());
                    }
                    SseConnection.Block patch = stream.nextEvent();
                    assertEquals("datastar-patch-signals", patch.type());
                    assertEquals("signals {\"count\":" + i + "}", patch.dataText());
                }
            }
            // a second tab of the same session starts from the current state
            try (SseConnection tab = SseConnection.get(server.port(), "/counter/stream", "Cookie: " + cookie)) {
                assertNull(tab.header("Set-Cookie"), "the known session is reused");
                assertEquals("signals {\"count\":2}", tab.nextEvent().dataText());
            }
        }
    }
}
