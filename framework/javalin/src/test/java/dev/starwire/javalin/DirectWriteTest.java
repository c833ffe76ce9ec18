package dev.starwire.javalin;

import static dev.starwire.javalin.NumberedEvents.numberOf;
import static dev.starwire.javalin.NumberedEvents.numbered;
import static dev.starwire.javalin.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.hub.Hub;
import dev.starwire.hub.InMemoryBackend;
import dev.starwire.hub.QueueLimits;
import dev.starwire.hub.Topic;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Streams written straight to Jetty's HTTP/1.1 connection as chunks ({@link JettyConnections#chunkedConnection}),
 * through their hard cases on real sockets: a client whose socket fills up and later drains, one that stalls for
 * good, one reset without goodbye, a close with a last frame followed by another request on the same connection,
 * an abort while a write is pending, the server stopping while a write waits, and a stream that only receives
 * outliving the idle timeout.
 */
class DirectWriteTest {
    private static final String PAD = "p".repeat(2000);

    private static Starwire starwire(QueueLimits limits, Duration stallTimeout) {
        Hub hub = Hub.builder().backend(new InMemoryBackend(100_000, 256L << 20)).queueLimits(limits).build();
        return Starwire.create(cfg -> {
            cfg.hub = hub;
            cfg.keepAlive = Duration.ofSeconds(5);
            cfg.stallTimeout = stallTimeout;
            cfg.closeTimeout = Duration.ofSeconds(2);
            cfg.streamSendBuffer = 4096;
        });
    }

    /** Streams on {@code /s} subscribed to {@code topic}. */
    private static TestServer server(Starwire sw, Topic topic) {
        return server(sw, topic, new AtomicInteger());
    }

    /** Streams on {@code /s} subscribed to {@code topic}, counting in {@code closed} those that ended. */
    private static TestServer server(Starwire sw, Topic topic, AtomicInteger closed) {
        return new TestServer(sw, c -> c.routes.get("/s", sw.stream(s -> {
            s.onClose(closed::incrementAndGet);
            s.subscribe(topic);
        })));
    }

    /**
     * A client on {@code /s} with a 4 KiB receive buffer that reads nothing yet, once its stream is subscribed to
     * {@code topic} and written directly to the connection.
     */
    private static Socket silentDirectClient(TestServer server, Topic topic) throws Exception {
        long direct = JettyConnections.DIRECT_STREAMS.get();
        Socket socket = SseConnection.openSilently(server.port(), "/s", 4096, "Accept: text/event-stream");
        await("subscribed", () -> topic.subscriberCount() == 1);
        await("the stream is written directly", () -> JettyConnections.DIRECT_STREAMS.get() == direct + 1);
        return socket;
    }

    @Test
    void aSocketThatFillsUpAndDrainsAgainGetsEveryFrameOnceInOrder() throws Exception {
        Starwire sw = starwire(new QueueLimits(10_000, 64L << 20), Duration.ofSeconds(60));
        Topic topic = sw.topic("t");
        try (TestServer server = server(sw, topic)) {
            Socket socket = silentDirectClient(server, topic);

            // ~700 KB for a client that reads nothing, with ~16 KB of socket buffers: the socket fills up and most
            // frames wait. One frame is larger than a writer's staging buffer: a chunk of its own.
            int events = 300;
            for (int i = 0; i < events; i++) {
                topic.publish(numbered(i, i == 150 ? "b".repeat(100_000) : PAD));
            }
            await("the socket is full and frames wait", () -> sw.stats().queuedBytes() > 300_000);
            Thread.sleep(200); // a stuck stream stays stuck while its client reads nothing
            assertTrue(sw.stats().queuedBytes() > 300_000, "frames wait while the client reads nothing");

            try (SseConnection c = SseConnection.read(socket)) {
                assertEquals(200, c.status());
                assertEquals("chunked", c.header("Transfer-Encoding"));
                for (int i = 0; i < events; i++) {
                    SseConnection.Block b = c.nextEvent();
                    assertNotNull(b, "stream ended after " + i + " events");
                    assertEquals(i, numberOf(b), "event order");
                }
                topic.publish(numbered(events, "live"));
                assertEquals(events, numberOf(c.nextEvent()), "live events follow once the socket drained");
                await("nothing waits", () -> sw.stats().queuedBytes() == 0);
            }
            await("the stream ended", () -> sw.openStreams() == 0);
        }
    }

    @Test
    void theServerStopsWhileAStreamWaitsForAClientThatReadsNothing() throws Exception {
        Starwire sw = starwire(new QueueLimits(10_000, 64L << 20), Duration.ofSeconds(60));
        Topic topic = sw.topic("t");
        TestServer server = server(sw, topic);
        Socket socket = silentDirectClient(server, topic);
        for (int i = 0; i < 300; i++) {
            topic.publish(numbered(i, PAD));
        }
        await("the socket is full and a write waits", () -> sw.stats().queuedBytes() > 300_000);
        Thread stopping = new Thread(server::close, "stopping");
        stopping.start();
        stopping.join(Duration.ofSeconds(20).toMillis());
        assertFalse(stopping.isAlive(), "the server stopped (the waiting stream was dropped)");
        socket.close();
    }

    @Test
    void aClientGoneWithoutGoodbyeIsDroppedByTheNextPublishWhileOthersGetEveryEvent() throws Exception {
        // Keepalives every 25 s and no stall timeout to speak of: only a publish's write can notice the reset.
        Starwire sw = Starwire.create(cfg -> {
            cfg.keepAlive = Duration.ofSeconds(25);
            cfg.stallTimeout = Duration.ofSeconds(60);
        });
        Topic topic = sw.topic("t");
        AtomicInteger closed = new AtomicInteger();
        try (TestServer server = server(sw, topic, closed)) {
            Socket gone = SseConnection.openSilently(server.port(), "/s", 65536, "Accept: text/event-stream");
            try (SseConnection stays = SseConnection.get(server.port(), "/s", "Accept: text/event-stream")) {
                await("both subscribed", () -> topic.subscriberCount() == 2);
                gone.setSoLinger(true, 0);
                gone.close(); // a reset; the server learns of it when it next writes to that connection

                // Live events go to the sockets on the publishing thread; the failed write must still drop the
                // stream (from its writer thread), well before a keepalive would have found out.
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                int published = 0;
                while (closed.get() == 0 && System.nanoTime() < deadline) {
                    topic.publish(numbered(published++, "x"));
                    Thread.sleep(20);
                }
                assertEquals(1, closed.get(), "the gone client's stream was dropped by a publish");
                await("only the reading client is subscribed", () -> topic.subscriberCount() == 1);
                topic.publish(numbered(published++, "last"));
                for (int i = 0; i < published; i++) {
                    SseConnection.Block b = stays.nextEvent();
                    assertNotNull(b, "stream ended after " + i + " events");
                    assertEquals(i, numberOf(b), "event order for the client that stayed");
                }
            }
        }
    }

    @Test
    void aStreamThatOnlyReceivesLiveEventsIsNeverIdleForTheConnection() throws Exception {
        // Live events go to the socket past Jetty's end point: the stream must tell the connection it is active,
        // or Jetty's idle timeout (here 400 ms, keepalives every 30 s) ends a stream that is busy writing.
        Starwire sw = Starwire.create(cfg -> {
            cfg.idleTimeout = Duration.ofMillis(400);
            cfg.keepAlive = Duration.ofSeconds(30);
        });
        Topic topic = sw.topic("t");
        AtomicInteger closed = new AtomicInteger();
        try (TestServer server = server(sw, topic, closed)) {
            long direct = JettyConnections.DIRECT_STREAMS.get();
            try (SseConnection c = SseConnection.get(server.port(), "/s", "Accept: text/event-stream")) {
                await("subscribed", () -> topic.subscriberCount() == 1);
                await("the stream is written directly", () -> JettyConnections.DIRECT_STREAMS.get() == direct + 1);
                int events = 25; // 2.5 s: six idle timeouts
                for (int i = 0; i < events; i++) {
                    topic.publish(numbered(i, "x"));
                    assertEquals(i, numberOf(c.nextEvent()), "event " + i + " arrives on the open stream");
                    Thread.sleep(100);
                }
                assertEquals(0, closed.get(), "the stream stayed open");
                assertEquals(1, sw.openStreams());
            }
        }
    }

    @Test
    void aClientThatNeverReadsIsDroppedAfterTheStallTimeout() throws Exception {
        Starwire sw = starwire(new QueueLimits(10_000, 64L << 20), Duration.ofMillis(600));
        Topic topic = sw.topic("t");
        AtomicInteger closed = new AtomicInteger();
        try (TestServer server = server(sw, topic, closed)) {
            Socket socket = silentDirectClient(server, topic);
            for (int i = 0; i < 200; i++) {
                topic.publish(numbered(i, PAD)); // far below the outbox's limits: only the stall check drops it
            }
            await("the stalled stream was dropped", () -> closed.get() == 1 && sw.openStreams() == 0);
            assertEquals(0, topic.subscriberCount());
            assertEquals(0, sw.stats().evicted(), "dropped for the stall, not an overflow");
            assertDropped(socket);
        }
    }

    @Test
    void closingWritesTheLastFrameEndsTheBodyAndKeepsTheConnectionUsable() throws Exception {
        Starwire sw = starwire(QueueLimits.DEFAULT, Duration.ofSeconds(30));
        try (TestServer server = new TestServer(sw, c -> {
            c.routes.get("/once", sw.stream(s -> {
                for (int i = 0; i < 3; i++) {
                    s.send(numbered(i, "x"));
                }
                s.close();
            }));
            c.routes.get("/plain", ctx -> ctx.result("still here"));
        })) {
            long direct = JettyConnections.DIRECT_STREAMS.get();
            try (SseConnection c = SseConnection.get(server.port(), "/once")) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(i, numberOf(c.nextEvent()));
                }
                assertNull(c.next(), "the body ends with the terminating chunk");
                assertEquals(direct + 1, JettyConnections.DIRECT_STREAMS.get(), "the stream was written directly");
                SseConnection again = c.next("/plain");
                assertEquals(200, again.status());
                assertEquals("still here", again.bodyText());
            }
            await("the stream ended", () -> sw.openStreams() == 0);
        }
    }

    @Test
    void anOverflowWhileAWriteIsPendingResetsTheConnection() throws Exception {
        Starwire sw = starwire(new QueueLimits(64, 256 * 1024), Duration.ofSeconds(60));
        Topic topic = sw.topic("t");
        try (TestServer server = server(sw, topic)) {
            Socket stuck = silentDirectClient(server, topic);
            int published = 0;
            while (sw.stats().evicted() == 0) {
                assertTrue(published < 5_000, "never evicted");
                topic.publish(numbered(published++, PAD)).join();
            }
            await("the stream ended", () -> sw.openStreams() == 0 && topic.subscriberCount() == 0);
            assertDropped(stuck);

            // The server goes on: a new client gets live events.
            try (SseConnection c = SseConnection.get(server.port(), "/s")) {
                await("subscribed again", () -> topic.subscriberCount() == 1);
                topic.publish(numbered(published, "live"));
                assertEquals(published, numberOf(c.nextEvent()));
            }
        }
    }

    /** The server's close shows up as EOF or a reset once the client reads what the kernel still buffers. */
    private static void assertDropped(Socket socket) throws Exception {
        socket.setSoTimeout(20_000);
        byte[] buf = new byte[64 * 1024];
        try (socket) {
            while (socket.getInputStream().read(buf) != -1) {
                // drain
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection is still open", e);
        } catch (SocketException e) {
            // reset by the server: dropped
        }
    }
}
