package dev.starwire.javalin;

import static dev.starwire.javalin.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.PatchSignals;
import dev.starwire.hub.Topic;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamTest {

    @Test
    void streamHasSseHeadersAndDeliversDirectAndPublishedEvents() throws Exception {
        Starwire sw = Starwire.create(cfg -> cfg.keepAlive = Duration.ofMillis(200));
        Topic topic = sw.topic("t");
        try (TestServer server = new TestServer(sw, c -> c.routes.get("/s", sw.stream(s -> {
            s.send(PatchSignals.ofJson("{\"hello\":1}"));
            s.subscribe(topic);
        }))); SseConnection c = SseConnection.get(server.port(), "/s")) {
            assertEquals(200, c.status());
            assertTrue(c.header("Content-Type").startsWith("text/event-stream"), c.header("Content-Type"));
            assertEquals("no-cache", c.header("Cache-Control"));
            SseConnection.Block first = c.nextEvent();
            assertEquals("datastar-patch-signals", first.type());
            assertNull(first.id());
            assertEquals("signals {\"hello\":1}", first.dataText());
            String id = topic.publish(PatchSignals.ofJson("{\"n\":2}")).join();
            SseConnection.Block second = c.nextEvent();
            assertEquals(id, second.id());
            assertEquals("signals {\"n\":2}", second.dataText());
            assertEquals(1, sw.stats().subscribers());
        }
        assertEquals(0, topic.subscriberCount());
    }

    @Test
    void idleStreamGetsKeepalivesAndDisconnectRunsOnClose() throws Exception {
        Starwire sw = Starwire.create(cfg -> cfg.keepAlive = Duration.ofMillis(100));
        AtomicInteger closed = new AtomicInteger();
        try (TestServer server = new TestServer(sw,
                c -> c.routes.get("/s", sw.stream(s -> s.onClose(closed::incrementAndGet))))) {
            try (SseConnection c = SseConnection.get(server.port(), "/s")) {
                SseConnection.Block b = c.next();
                assertNotNull(b);
                assertTrue(b.comment(), "expected a keepalive comment, got " + b);
                assertTrue(c.next().comment());
                assertEquals(1, sw.openStreams());
            }
            await("onClose after the client left", () -> closed.get() == 1 && sw.openStreams() == 0);
        }
    }

    @Test
    void timerTaskFailureClosesOnlyThatStream() throws Exception {
        Starwire sw = Starwire.create(cfg -> cfg.keepAlive = Duration.ofMillis(200));
        AtomicInteger ticks = new AtomicInteger();
        try (TestServer server = new TestServer(sw, c -> {
            c.routes.get("/bad", sw.stream(s -> s.every(Duration.ofMillis(20), () -> {
                throw new IllegalStateException("secret internal detail");
            })));
            c.routes.get("/good", sw.stream(s -> s.every(Duration.ofMillis(20),
                    () -> s.send(PatchSignals.ofJson("{\"tick\":" + ticks.incrementAndGet() + "}")))));
        }); SseConnection good = SseConnection.get(server.port(), "/good");
             SseConnection bad = SseConnection.get(server.port(), "/bad")) {
            assertEquals(200, bad.status());
            for (SseConnection.Block b; (b = bad.next()) != null; ) {
                assertFalse(b.dataText().contains("secret"), "nothing of the error reaches the client");
            }
            // the failing stream ended; the other keeps ticking
            int seen = ticks.get();
            for (int i = 0; i < 3; i++) {
                assertEquals("datastar-patch-signals", good.nextEvent().type());
            }
            await("more ticks", () -> ticks.get() > seen);
            assertEquals(1, sw.openStreams());
        }
    }

    @Test
    void handlerFailureBeforeTheStreamOpensIsAPlainError() throws Exception {
        Starwire sw = Starwire.create();
        try (TestServer server = new TestServer(sw, c -> c.routes.get("/s", sw.stream(s -> {
            s.subscribe("t", null);
            throw new IllegalStateException("secret internal detail");
        }))); SseConnection c = SseConnection.get(server.port(), "/s")) {
            assertEquals(500, c.status());
            assertFalse(c.bodyText().contains("secret"));
            assertEquals(0, sw.stats().subscribers(), "the abandoned stream left its topic");
            assertEquals(0, sw.openStreams());
        }
    }

    @Test
    void streamReadsSignalsAndAnswersBadOnes400() throws Exception {
        record Query(String q) {
        }
        Starwire sw = Starwire.create();
        try (TestServer server = new TestServer(sw, c -> c.routes.get("/s", sw.stream(s -> {
            Query query = s.signals(Query.class);
            s.send(PatchSignals.of(java.util.Map.of("echo", query.q())));
            s.close();
        })))) {
            try (SseConnection c = SseConnection.get(server.port(), "/s?datastar=%7B%22q%22%3A%22hi%22%7D")) {
                assertEquals(200, c.status());
                assertEquals("signals {\"echo\":\"hi\"}", c.nextEvent().dataText());
                assertNull(c.next(), "close() ends the stream after what was queued");
            }
            try (SseConnection c = SseConnection.get(server.port(), "/s?datastar=%7Bnope")) {
                assertEquals(400, c.status());
                assertTrue(c.bodyText().startsWith("signals are not valid JSON"));
            }
        }
    }

    @Test
    void patchWithoutSelectorOrIdsIsRefusedInTests() throws Exception {
        Starwire sw = Starwire.create();
        try (TestServer server = new TestServer(sw, c -> c.routes.get("/s", sw.stream(s ->
                s.send(dev.starwire.PatchElements.of("<p>no id</p>"))))) ;
             SseConnection c = SseConnection.get(server.port(), "/s")) {
            assertEquals(500, c.status(), "the id rule is checked in dev mode and tests");
        }
    }

    @Test
    void secondTopicOnOneStreamIsRefused() throws Exception {
        Starwire sw = Starwire.create();
        try (TestServer server = new TestServer(sw, c -> c.routes.get("/s", sw.stream(s -> {
            s.subscribe("a", null);
            s.subscribe("b", null);
        }))); SseConnection c = SseConnection.get(server.port(), "/s")) {
            assertEquals(500, c.status());
            assertEquals(0, sw.stats().subscribers());
        }
    }
}
