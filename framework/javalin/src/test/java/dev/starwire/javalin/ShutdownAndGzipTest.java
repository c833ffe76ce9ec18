package dev.starwire.javalin;

import static dev.starwire.javalin.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.PatchSignals;
import dev.starwire.hub.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShutdownAndGzipTest {

    @Test
    void stoppingTheServerSendsARetryHintAndClosesEveryStream() throws Exception {
        Starwire sw = Starwire.create(cfg -> {
            cfg.keepAlive = Duration.ofSeconds(30);
            cfg.shutdownRetry = Duration.ofMillis(1500);
        });
        AtomicInteger closed = new AtomicInteger();
        TestServer server = new TestServer(sw, c -> c.routes.get("/s", sw.stream(s -> {
            s.onClose(closed::incrementAndGet);
            s.send(PatchSignals.ofJson("{\"open\":true}"));
        })));
        List<SseConnection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                SseConnection c = SseConnection.get(server.port(), "/s");
                assertNotNull(c.nextEvent());
                clients.add(c);
            }
            await("streams open", () -> sw.openStreams() == 3);
            server.close();
            for (SseConnection c : clients) {
                SseConnection.Block hint = c.next();
                assertNotNull(hint, "a retry hint before the end");
                assertNotNull(hint.retry());
                assertTrue(hint.retry() >= 1500 && hint.retry() <= 3000, "retry " + hint.retry());
                assertNull(c.next(), "then the stream ends");
            }
            assertEquals(3, closed.get());
            assertEquals(0, sw.openStreams());
        } finally {
            for (SseConnection c : clients) {
                c.close();
            }
        }
    }

    @Test
    void gzipIsNegotiatedAndFlushedPerEvent() throws Exception {
        Starwire sw = Starwire.create(cfg -> {
            cfg.gzip = true;
            cfg.keepAlive = Duration.ofSeconds(30);
        });
        Topic topic = sw.topic("z");
        Topic plain = sw.topic("plain");
        try (TestServer server = new TestServer(sw,
                c -> {
                    c.routes.get("/s/{t}", sw.stream(s -> s.subscribe(s.ctx().pathParam("t"), null)));
                    c.routes.get("/once", sw.stream(s -> {
                        s.send(PatchSignals.ofJson("{\"once\":true}"));
                        s.close();
                    }));
                })) {
            try (SseConnection c = SseConnection.get(server.port(), "/once", "Accept-Encoding: gzip")) {
                assertEquals("gzip", c.header("Content-Encoding"));
                assertEquals("signals {\"once\":true}", c.nextEvent().dataText());
                assertNull(c.next(), "a complete gzip stream (the trailer checks out), then the end");
            }
            try (SseConnection c = SseConnection.get(server.port(), "/s/z", "Accept-Encoding: gzip, br")) {
                assertEquals("gzip", c.header("Content-Encoding"));
                await("subscribed", () -> topic.subscriberCount() == 1);
                for (int n = 0; n < 3; n++) {
                    // each event must be readable before the next is published: flushed per event
                    topic.publish(PatchSignals.ofJson("{\"n\":" + n + "}"));
                    assertEquals("signals {\"n\":" + n + "}", c.nextEvent().dataText());
                }
            }
            try (SseConnection c = SseConnection.get(server.port(), "/s/plain", "Accept-Encoding: gzip;q=0")) {
                assertNull(c.header("Content-Encoding"));
                await("subscribed", () -> plain.subscriberCount() == 1);
                plain.publish(PatchSignals.ofJson("{\"n\":9}"));
                assertEquals("signals {\"n\":9}", c.nextEvent().dataText());
            }
        }
    }
}
