package dev.starwire.servlet.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.servlet.ServletServer;
import dev.starwire.servlet.StarwireServlets;
import dev.starwire.session.SessionUnavailableException;
import dev.starwire.session.spi.CatchUp;
import dev.starwire.session.spi.SessionStorage;
import dev.starwire.session.spi.SignalChange;
import dev.starwire.session.spi.StoredSession;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry on a shared storage, with an in-process storage the test controls: concurrent requests of
 * one stored session open it once, the storage learns the idle timeout, and an unreachable storage is a
 * 503 with a message, never a stack trace.
 */
class StoredSessionsTest {
    private static final String ID = "0123456789abcdef0123456789abcdef";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Storage storage = new Storage();
    private Sessions sessions;
    private ServletServer app;

    /** Sessions kept in a map; {@link #open} waits on {@link #release} and counts its calls. */
    private static final class Storage implements SessionStorage {
        final Map<String, ObjectNode> stored = new ConcurrentHashMap<>();
        final AtomicInteger opens = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        volatile Duration idle;
        volatile boolean down;

        @Override
        public void start(Duration idleTimeout) {
            idle = idleTimeout;
        }

        @Override
        public Optional<StoredSession> create(String id) {
            check();
            stored.put(id, JsonNodeFactory.instance.objectNode());
            return Optional.of(new Handle(id, stored.get(id)));
        }

        @Override
        public Optional<StoredSession> open(String id) {
            opens.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            check();
            ObjectNode signals = stored.get(id);
            return signals == null ? Optional.empty() : Optional.of(new Handle(id, signals));
        }

        @Override
        public void close() {
        }

        void check() {
            if (down) {
                throw new SessionUnavailableException("storage down", new RuntimeException("refused"));
            }
        }

        /** A handle that never changes: enough for lookups. */
        private final class Handle implements StoredSession {
            private final String id;
            private final ObjectNode signals;

            Handle(String id, ObjectNode signals) {
                this.id = id;
                this.signals = signals;
            }

            @Override
            public String id() {
                return id;
            }

            @Override
            public long version() {
                return 0;
            }

            @Override
            public ObjectNode signals() {
                return signals.deepCopy();
            }

            @Override
            public void attach(Inbound inbound) {
            }

            @Override
            public Outcome commit(SignalChange change, ObjectNode after) {
                check();
                return Outcome.STORED;
            }

            @Override
            public CatchUp catchUp(long version) {
                check();
                return CatchUp.changes(version, List.of());
            }

            @Override
            public void onEnd(Runnable callback) {
            }

            @Override
            public void touch() {
            }

            @Override
            public void delete() {
                stored.remove(id);
            }

            @Override
            public void release() {
            }
        }
    }

    private void start() {
        sessions = Sessions.builder().storage(storage).idleTimeout(Duration.ofMinutes(7)).build();
        StarwireServlets starwire = StarwireServlets.create(cfg -> cfg.sessions = sessions);
        app = new ServletServer(starwire, context -> {
            starwire.register(context, "/state", ServletServer.servlet(starwire, (req, res) -> text(res,
                    sessions.find(req).map(s -> s.store().snapshot().toString()).orElse("none"))));
            starwire.register(context, "/set", ServletServer.servlet(starwire,
                    (req, res) -> starwire.session(req, res).store().set("n", 1)));
        });
    }

    private static void text(HttpServletResponse res, String body) throws IOException {
        res.setContentType("text/plain; charset=utf-8");
        res.getWriter().write(body);
    }

    @AfterEach
    void stop() throws Exception {
        storage.release.countDown();
        if (app != null) {
            app.close();
        }
        if (sessions != null) {
            sessions.close();
        }
    }

    private CompletableFuture<HttpResponse<String>> get(String path, String cookie) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStorageLearnsTheIdleTimeout() {
        start();
        assertEquals(Duration.ofMinutes(7), storage.idle);
    }

    @Test
    void concurrentRequestsOfOneStoredSessionOpenItOnce() throws Exception {
        storage.stored.put(ID, (ObjectNode) JsonNodeFactory.instance.objectNode().put("n", 5));
        start();
        List<CompletableFuture<HttpResponse<String>>> requests = List.of(
                get("/state", "starwire_session=" + ID), get("/state", "starwire_session=" + ID),
                get("/state", "starwire_session=" + ID));
        // The race for real: one request is inside the storage's open, the other two are parked on its opening.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((storage.opens.get() == 0 || waitingOnAnotherOpening() < 2) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(2, waitingOnAnotherOpening(), "two requests wait for the one opening the session");
        storage.release.countDown();
        for (CompletableFuture<HttpResponse<String>> r : requests) {
            assertEquals("{\"n\":5}", r.get(10, TimeUnit.SECONDS).body());
        }
        assertEquals(1, storage.opens.get(), "one round trip to the storage for all three");
    }

    /** Server threads parked in {@code join()} on the opening another request started. */
    private static long waitingOnAnotherOpening() {
        return Thread.getAllStackTraces().values().stream()
                .filter(frames -> Arrays.stream(frames).anyMatch(f -> f.getMethodName().equals("openStored"))
                        && Arrays.stream(frames).anyMatch(f -> f.getMethodName().equals("join")
                                && f.getClassName().equals(CompletableFuture.class.getName())))
                .count();
    }

    @Test
    void anUnreachableStorageIsA503WithAMessage() throws Exception {
        storage.release.countDown();
        start();
        storage.down = true;
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.port() + "/set")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Cookie", "starwire_session=" + ID).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, refused.statusCode());
        assertEquals(Sessions.UNAVAILABLE_MESSAGE, refused.body());
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertEquals("2", refused.headers().firstValue("Retry-After").orElse(null));
    }
}
