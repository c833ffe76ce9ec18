package dev.starwire.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.servlet.session.Session;
import dev.starwire.servlet.session.Sessions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Server-owned signals over real HTTP: a POST carrying them changes nothing in the session's mirror, the
 * app hears of it, and the session's open stream gets the server's value back as its next patch.
 */
class ServerOwnedSignalsTest {
    private final List<List<String>> refusals = new CopyOnWriteArrayList<>();
    private final AtomicReference<Session> session = new AtomicReference<>();

    private TestServer start() {
        Sessions sessions = Sessions.builder().serverOwned("running", "user.role")
                .onRefused((request, paths) -> refusals.add(paths)).build();
        Starwire sw = Starwire.create(cfg -> {
            cfg.sessions = sessions;
            cfg.keepAlive = Duration.ofMillis(200);
        });
        return new TestServer(sw, c -> {
            c.events.serverStopped(sessions::close);
            c.routes.get("/stream", sw.stream(stream -> {
                session.set(stream.session());
                stream.session().store().update(s -> s.set("running", true).set("user.role", "reader"));
            }));
            // an action that changes nothing itself: only the request's signals are merged
            c.routes.post("/save", sw.guarded(ctx -> sw.session(ctx)));
            c.routes.post("/clear", sw.guarded(ctx -> sw.session(ctx).store().set("text", "")));
        });
    }

    private static int post(TestServer server, String path, String cookie, String body) throws Exception {
        try (SseConnection post = SseConnection.request(server.port(), "POST", path,
                body.getBytes(StandardCharsets.UTF_8), 0, "Datastar-Request: true", "Cookie: " + cookie,
                "Content-Type: application/json")) {
            return post.status();
        }
    }

    @Test
    void aPostCarryingServerOwnedSignalsLeavesTheMirrorAndTheNextPatchRestoresThem() throws Exception {
        try (TestServer server = start();
             SseConnection stream = SseConnection.get(server.port(), "/stream")) {
            String setCookie = stream.header("Set-Cookie");
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            assertEquals("signals {\"running\":true,\"user\":{\"role\":\"reader\"}}", stream.nextEvent().dataText());

            int status = post(server, "/save", cookie,
                    "{\"running\":false,\"user\":{\"role\":\"admin\",\"name\":\"Bo\"},\"text\":\"hi\",\"_open\":true}");
            assertEquals(200, status);
            // the stream's next patch gives the browser the server's values back
            assertEquals("signals {\"running\":true,\"user\":{\"role\":\"reader\"}}", stream.nextEvent().dataText());
            assertEquals(List.of(List.of("running", "user.role")), refusals, "the app heard of the attempt");

            var store = session.get().store();
            assertTrue(store.get("running", Boolean.class));
            assertEquals("reader", store.get("user.role", String.class));
            assertEquals("Bo", store.get("user.name", String.class), "a client-owned member of user merged");
            assertEquals("hi", store.get("text", String.class), "a client-owned signal merged");
            assertFalse(store.snapshot().has("_open"), "a local signal is never mirrored");

            // the mirror holds the client's text, so clearing it is a change that is sent
            assertEquals(200, post(server, "/clear", cookie, "{\"running\":true}"));
            assertEquals("signals {\"text\":\"\"}", stream.nextEvent().dataText());
            assertEquals(1, refusals.size(), "repeating the server's value is not an attempt");
        }
    }
}
