package dev.starwire.javalin;

import static dev.starwire.javalin.NumberedEvents.numberOf;
import static dev.starwire.javalin.NumberedEvents.numbered;
import static dev.starwire.javalin.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.PatchSignals;
import dev.starwire.hub.Hub;
import dev.starwire.hub.InMemoryBackend;
import dev.starwire.hub.QueueLimits;
import dev.starwire.hub.Topic;
import java.lang.ref.WeakReference;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Fan-out through real connections: everyone gets everything once, in order; slow clients cost nothing. */
class FanOutTest {

    /** Reads {@code count} topic events, checks they are {@code from, from+1, ...} with rising ids; the last id. */
    private static String readInOrder(SseConnection c, int from, int count) throws Exception {
        long lastId = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            SseConnection.Block b = c.nextEvent();
            assertNotNull(b, "stream ended after " + i + " events");
            assertEquals(from + i, numberOf(b), "event order");
            long id = Long.parseLong(b.id());
            assertTrue(id > lastId, "ids increase");
            lastId = id;
        }
        return Long.toString(lastId);
    }

    @Test
    void twoHundredSubscribersGetFiveHundredEventsExactlyOnceInOrder() throws Exception {
        int subscribers = 200;
        int events = 500;
        Starwire sw = Starwire.create(cfg -> cfg.keepAlive = Duration.ofSeconds(5));
        Topic topic = sw.topic("fan");
        ExecutorService readers = Executors.newFixedThreadPool(subscribers);
        try (TestServer server = new TestServer(sw, c -> c.routes.get("/s", sw.stream(s -> s.subscribe(topic))))) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                done.add(readers.submit(() -> {
                    try (SseConnection c = SseConnection.get(server.port(), "/s")) {
                        assertEquals(200, c.status());
                        readInOrder(c, 0, events);
                    }
                    return null;
                }));
            }
            await("all subscribed", () -> topic.subscriberCount() == subscribers);
            for (int n = 0; n < events; n++) {
                topic.publish(numbered(n, "x"));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            assertEquals(events, sw.stats().published());
            assertEquals(0, sw.stats().evicted());
            assertEquals((long) subscribers * events, sw.stats().delivered());
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void clientThatStopsReadingIsEvictedWithoutSlowingOthersAndCatchesUpByReplay() throws Exception {
        Hub hub = Hub.builder()
                .backend(new InMemoryBackend(100_000, 256L << 20))
                .queueLimits(new QueueLimits(64, 256 * 1024))
                .build();
        Starwire sw = Starwire.create(cfg -> {
            cfg.hub = hub;
            cfg.keepAlive = Duration.ofSeconds(5);
            cfg.closeTimeout = Duration.ofSeconds(1);
        });
        Topic topic = sw.topic("slow");
        String padding = "p".repeat(4000);
        int readers = 8;
        int batch = 16;
        AtomicInteger[] received = new AtomicInteger[readers];
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        try (TestServer server = new TestServer(sw, c -> c.routes.get("/s", sw.stream(s -> s.subscribe(topic))))) {
            String before = topic.publish(numbered(-1, "start")).join(); // the stuck client's resume point
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            for (int r = 0; r < readers; r++) {
                AtomicInteger count = received[r] = new AtomicInteger();
                pool.submit(() -> {
                    try (SseConnection c = SseConnection.get(server.port(), "/s")) {
                        for (SseConnection.Block b; (b = c.nextEvent()) != null; ) {
                            assertEquals(count.get(), numberOf(b));
                            count.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                });
            }
            await("readers subscribed", () -> topic.subscriberCount() == readers);
            Socket stuck = SseConnection.openSilently(server.port(), "/s", 2048);
            await("stuck client subscribed", () -> topic.subscriberCount() == readers + 1);

            // Publish in batches; after each, every reading client must have it all (the stuck one must not
            // hold anyone up). Stop once the stuck client was dropped, which its kernel buffers delay.
            int published = 0;
            while (sw.stats().evicted() == 0) {
                assertTrue(published < 6000, "the stuck client was never evicted");
                for (int i = 0; i < batch; i++) {
                    topic.publish(numbered(published++, padding));
                }
                int target = published;
                await("readers have " + target, () -> allAt(received, target) || !failures.isEmpty());
                assertTrue(failures.isEmpty(), () -> "reader failed: " + failures.peek());
            }
            for (int i = 0; i < batch; i++) {
                topic.publish(numbered(published++, padding));
            }
            int total = published;
            await("readers have all", () -> allAt(received, total));
            await("stuck client dropped", () -> topic.subscriberCount() == readers);
            assertEquals(1, sw.stats().evicted());
            assertConnectionDropped(stuck);

            try (SseConnection again = SseConnection.get(server.port(), "/s", "Last-Event-ID: " + before)) {
                readInOrder(again, 0, total); // exactly the events after its last one: a complete copy
                String live = topic.publish(numbered(total, "live")).join();
                SseConnection.Block next = again.nextEvent();
                assertEquals(total, numberOf(next));
                assertEquals(live, next.id());
            }
            assertTrue(failures.isEmpty(), () -> "reader failed: " + failures.peek());
            assertEquals(1, sw.stats().evicted(), "no reading client was evicted");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads what the kernel buffered until the server's close shows up: EOF or a reset, not a timeout. */
    private static void assertConnectionDropped(Socket socket) throws Exception {
        socket.setSoTimeout(30_000);
        byte[] buf = new byte[64 * 1024];
        try (socket) {
            while (socket.getInputStream().read(buf) != -1) {
                // drain
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the evicted client's connection is still open", e);
        } catch (java.net.SocketException e) {
            // reset by the server: dropped
        }
    }

    private static boolean allAt(AtomicInteger[] received, int target) {
        for (AtomicInteger r : received) {
            if (r.get() < target) {
                return false;
            }
        }
        return true;
    }

    @Test
    void reconnectWithLastEventIdGetsExactlyTheMissedEventsThenLiveOnes() throws Exception {
        Starwire sw = Starwire.create(cfg -> cfg.keepAlive = Duration.ofMillis(200));
        Topic topic = sw.topic("replay");
        AtomicInteger fullStates = new AtomicInteger();
        try (TestServer server = new TestServer(sw, c -> c.routes.get("/s", sw.stream(s ->
                s.subscribe(topic, () -> {
                    fullStates.incrementAndGet();
                    s.send(PatchSignals.ofJson("{\"full\":true}"));
                }))))) {
            String lastSeen;
            try (SseConnection c = SseConnection.get(server.port(), "/s")) {
                assertEquals("signals {\"full\":true}", c.nextEvent().dataText(), "a new client gets full state");
                for (int n = 0; n < 10; n++) {
                    topic.publish(numbered(n, "a"));
                }
                lastSeen = readInOrder(c, 0, 7); // saw events 0..6, then goes away
            }
            await("the client left", () -> topic.subscriberCount() == 0);
            for (int n = 10; n < 20; n++) {
                topic.publish(numbered(n, "b"));
            }
            try (SseConnection c = SseConnection.get(server.port(), "/s", "Last-Event-ID: " + lastSeen)) {
                readInOrder(c, 7, 13); // exactly k+1 .. n
                topic.publish(numbered(20, "live"));
                assertEquals(20, numberOf(c.nextEvent()), "then live events: no duplicate, no gap");
            }
            assertEquals(1, fullStates.get(), "a client that can resume gets no full state");
        }
    }

    @Test
    void idOlderThanTheWindowGetsFullStateThenLiveEvents() throws Exception {
        Starwire sw = Starwire.create(cfg -> {
            cfg.hub = Hub.builder().backend(new InMemoryBackend(5, 1 << 20)).build();
            cfg.keepAlive = Duration.ofMillis(200);
        });
        Topic topic = sw.topic("small");
        try (TestServer server = new TestServer(sw, c -> c.routes.get("/s", sw.stream(s ->
                s.subscribe(topic, () -> s.send(PatchSignals.ofJson("{\"full\":true}"))))))) {
            String first = topic.publish(numbered(0, "a")).join();
            for (int n = 1; n < 10; n++) {
                topic.publish(numbered(n, "a"));
            }
            try (SseConnection c = SseConnection.get(server.port(), "/s", "Last-Event-ID: " + first)) {
                assertEquals("signals {\"full\":true}", c.nextEvent().dataText());
                topic.publish(numbered(10, "live"));
                assertEquals(10, numberOf(c.nextEvent()));
            }
            try (SseConnection c = SseConnection.get(server.port(), "/s", "Last-Event-ID: not-an-id")) {
                assertEquals("signals {\"full\":true}", c.nextEvent().dataText(), "an unknown id resyncs too");
            }
        }
    }

    @Test
    void twoThousandConnectDisconnectCyclesLeaveNothingBehind() throws Exception {
        Starwire sw = Starwire.create(cfg -> cfg.keepAlive = Duration.ofMillis(100));
        Topic topic = sw.topic("churn");
        ConcurrentLinkedQueue<WeakReference<LiveStream>> refs = new ConcurrentLinkedQueue<>();
        AtomicInteger closed = new AtomicInteger();
        int cycles = 2000;
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (TestServer server = new TestServer(sw, c -> c.routes.get("/s", sw.stream(s -> {
            refs.add(new WeakReference<>(s));
            s.onClose(closed::incrementAndGet);
            s.subscribe(topic, () -> s.send(PatchSignals.ofJson("{\"hello\":true}")));
        })))) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < cycles / threads; i++) {
                        try (SseConnection c = SseConnection.get(server.port(), "/s")) {
                            assertEquals(200, c.status());
                            assertNotNull(c.nextEvent());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            await("every stream closed", () -> closed.get() == cycles);
            await("nothing open", () -> sw.openStreams() == 0 && topic.subscriberCount() == 0
                    && sw.stats().subscribers() == 0 && sw.stats().queuedBytes() == 0);
            // (the shared timer's tasks are counted by starwire-servlet's StreamChurnTest)
            assertEquals(cycles, refs.size());
            await("streams garbage-collected", () -> {
                System.gc();
                refs.removeIf(r -> r.get() == null);
                return refs.isEmpty();
            });
        } finally {
            pool.shutdownNow();
        }
    }
}
