package dev.starwire.redis;

import static dev.starwire.redis.Collector.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.javalin.Starwire;
import dev.starwire.servlet.session.Sessions;
import dev.starwire.testsupport.RedisServer;
import dev.starwire.testsupport.TcpProxy;
import io.javalin.Javalin;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions across two real Javalin instances on one real redis-server, over real HTTP: a tab's stream on
 * instance A gets every change made by actions on instance B once and in order; a Redis restart answers 503
 * while it is down and then works again on the same stream; idle sessions expire in Redis.
 */
class TwoInstanceSessionsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private RedisServer redis;
    private String prefix;

    /** One app instance: Javalin + Starwire plugin + sessions stored in the shared Redis. */
    private final class Instance implements AutoCloseable {
        final RedisSessionStorage storage;
        final Sessions sessions;
        final Starwire starwire;
        final Javalin app;

        Instance(Duration idle) {
            this(idle, Duration.ofSeconds(30));
        }

        Instance(Duration idle, Duration instanceTimeout) {
            this(RedisSessionStorage.builder(redis.url()).instanceTimeout(instanceTimeout)
                    .commandTimeout(Duration.ofSeconds(2)), idle);
        }

        Instance(RedisSessionStorage.Builder settings, Duration idle) {
            this(settings, Sessions.builder().idleTimeout(idle));
        }

        Instance(RedisSessionStorage.Builder settings, Sessions.Builder registry) {
            storage = settings.keyPrefix(prefix).maxReconnectDelay(Duration.ofMillis(500)).build();
            sessions = registry.storage(storage).serverOwned("running").build();
            starwire = Starwire.create(cfg -> {
                cfg.sessions = sessions;
                cfg.keepAlive = Duration.ofMillis(300);
            });
            app = Javalin.create(config -> {
                config.registerPlugin(starwire);
                config.routes.get("/stream", starwire.stream(stream -> stream.session()));
                config.routes.post("/count", starwire.guarded(ctx -> starwire.session(ctx).store()
                        .update(s -> s.set("count", s.get("count", Integer.class, 0) + 1))));
                config.routes.post("/pause", starwire.guarded(ctx -> starwire.session(ctx).store()
                        .set("running", false)));
                config.routes.post("/logout", starwire.guarded(ctx -> starwire.session(ctx).invalidate()));
            }).start("127.0.0.1", 0);
        }

        @Override
        public void close() {
            app.stop();
            sessions.close();
        }
    }

    /** A real SSE client reading one stream's signal patches on its own thread. */
    private final class Stream implements AutoCloseable {
        final String cookie;
        private final List<String> patches = new ArrayList<>();
        private final InputStream body;
        private volatile boolean ended;

        Stream(Instance instance, String cookie) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(instance, "/stream"))
                    .header("Accept", "text/event-stream");
            if (cookie != null) {
                request.header("Cookie", cookie);
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            this.cookie = response.headers().firstValue("Set-Cookie").map(c -> c.substring(0, c.indexOf(';')))
                    .orElse(cookie);
            body = response.body();
            Thread reader = new Thread(this::read, "sse-client");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("data: signals ")) {
                        add(line.substring("data: signals ".length()));
                    }
                }
            } catch (Exception closed) {
                // the stream ended
            } finally {
                ended = true;
            }
        }

        private synchronized void add(String patch) {
            patches.add(patch);
        }

        synchronized List<String> patches() {
            return List.copyOf(patches);
        }

        void await(String patch) {
            awaitCondition(() -> patches().contains(patch), WAIT, "patch " + patch + " (got " + patches() + ")");
        }

        @Override
        public void close() throws Exception {
            body.close();
        }
    }

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        toClose.add(redis);
        prefix = "sessions:" + UUID.randomUUID() + ":";
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private Instance instance(Duration idle) {
        Instance instance = new Instance(idle);
        toClose.add(instance);
        return instance;
    }

    private Stream stream(Instance instance, String cookie) throws Exception {
        Stream stream = new Stream(instance, cookie);
        toClose.add(stream);
        return stream;
    }

    private static URI uri(Instance instance, String path) {
        return URI.create("http://127.0.0.1:" + instance.app.port() + path);
    }

    private HttpResponse<String> post(Instance instance, String path, String cookie, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(instance, path))
                .header("Datastar-Request", "true").header("Content-Type", "application/json")
                .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Posts one count; whether it was stored (a refused one stores nothing). */
    private boolean works(Instance instance, String cookie) {
        try {
            return post(instance, "/count", cookie, "{}").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String> counts(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "{\"count\":" + i + "}").toList();
    }

    @Test
    void aStreamOnAGetsEveryChangeMadeByActionsOnBOnceAndInOrder() throws Exception {
        Instance a = instance(Duration.ofMinutes(5));
        Instance b = instance(Duration.ofMinutes(5));
        Stream onA = stream(a, null);
        awaitCondition(() -> a.starwire.openStreams() == 1, WAIT, "the stream on A");
        for (int i = 0; i < 20; i++) {
            assertEquals(200, post(b, "/count", onA.cookie, "{}").statusCode());
        }
        assertNull(post(b, "/count", onA.cookie, "{}").headers().firstValue("Set-Cookie").orElse(null),
                "B knows A's session: no new one is issued");
        onA.await("{\"count\":21}");
        assertEquals(counts(1, 21), onA.patches(), "each change once, in order");
    }

    @Test
    void actionsOnBothInstancesAtOnceLoseNoChangeAndTheStreamSeesOneOrder() throws Exception {
        Instance a = instance(Duration.ofMinutes(5));
        Instance b = instance(Duration.ofMinutes(5));
        Stream onA = stream(a, null);
        Stream onB = stream(b, onA.cookie); // a second tab of the same session, on the other instance
        awaitCondition(() -> a.starwire.openStreams() == 1 && b.starwire.openStreams() == 1, WAIT, "both tabs");
        ExecutorService clients = Executors.newFixedThreadPool(4);
        long t0 = System.nanoTime();
        try {
            List<Future<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Instance target = i % 2 == 0 ? a : b;
                posts.add(clients.submit(() -> post(target, "/count", onA.cookie, "{}").statusCode()));
            }
            for (Future<Integer> p : posts) {
                assertEquals(200, p.get());
            }
        } finally {
            clients.shutdownNow();
        }
        System.out.printf("100 concurrent actions on two instances: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        onA.await("{\"count\":100}");
        onB.await("{\"count\":100}");
        assertEquals(counts(1, 100), onA.patches(), "no lost update, every version once, in order");
        assertEquals(counts(1, 100), onB.patches());
    }

    @Test
    void aPostOnBCarryingAServerOwnedSignalChangesNothingAndAsStreamGetsItBack() throws Exception {
        Instance a = instance(Duration.ofMinutes(5));
        Instance b = instance(Duration.ofMinutes(5));
        Stream onA = stream(a, null);
        awaitCondition(() -> a.starwire.openStreams() == 1, WAIT, "the stream on A");
        assertEquals(200, post(b, "/pause", onA.cookie, "{}").statusCode());
        onA.await("{\"running\":false}");
        assertEquals(200, post(b, "/count", onA.cookie, "{\"running\":true}").statusCode());
        onA.await("{\"count\":1}");
        assertEquals(List.of("{\"running\":false}", "{\"running\":false}", "{\"count\":1}"), onA.patches(),
                "the restore, then the count: running stayed false");
    }

    @Test
    void whileRedisIsDownActionsAnswer503AndAfterItsRestartTheSameStreamGoesOn() throws Exception {
        Instance a = instance(Duration.ofMinutes(5));
        Instance b = instance(Duration.ofMinutes(5));
        Stream onA = stream(a, null);
        awaitCondition(() -> a.starwire.openStreams() == 1, WAIT, "the stream on A");
        assertEquals(200, post(b, "/count", onA.cookie, "{}").statusCode());
        onA.await("{\"count\":1}");

        redis.kill();
        long worst = 0;
        int refusedCount = 0;
        long downUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < downUntil) { // two seconds of actions on both instances while Redis is down
            long t0 = System.nanoTime();
            HttpResponse<String> refused = post(refusedCount % 2 == 0 ? b : a, "/count", onA.cookie, "{}");
            worst = Math.max(worst, System.nanoTime() - t0);
            refusedCount++;
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals(Sessions.UNAVAILABLE_MESSAGE, refused.body());
            assertEquals("2", refused.headers().firstValue("Retry-After").orElse(null));
            Thread.sleep(20);
        }
        assertTrue(a.starwire.openStreams() == 1, "the stream on A stays open while Redis is down");

        long down = System.nanoTime();
        redis.restart();
        awaitCondition(() -> works(b, onA.cookie), WAIT, "actions on B to work again after the restart");
        long recovered = System.nanoTime() - down;
        onA.await("{\"count\":2}");
        // each instance has its own connection, reconnecting on its own schedule
        awaitCondition(() -> works(a, onA.cookie), WAIT, "actions on A to work again after the restart");
        onA.await("{\"count\":3}");
        assertEquals(counts(1, 3), onA.patches(), "nothing lost, nothing twice: the refused actions stored nothing");
        System.out.printf("redis down 2 s: %d actions answered 503, the slowest in %d ms; actions work again %d ms"
                + " after redis-server restarted%n", refusedCount, worst / 1_000_000, recovered / 1_000_000);
    }

    @Test
    void aSilentNetworkCutAnswers503AfterTheCommandTimeoutAndTheStreamCatchesUpAfterwards() throws Exception {
        TcpProxy network = TcpProxy.to(redis.port());
        toClose.add(network);
        Instance a = new Instance(RedisSessionStorage.builder(network.url("redis")).commandTimeout(Duration.ofSeconds(1))
                .readerBlock(Duration.ofMillis(500)), Duration.ofMinutes(5));
        toClose.add(a);
        Instance b = instance(Duration.ofMinutes(5));
        Stream onA = stream(a, null);
        awaitCondition(() -> a.starwire.openStreams() == 1, WAIT, "the stream on A");
        assertEquals(200, post(b, "/count", onA.cookie, "{}").statusCode());
        onA.await("{\"count\":1}");

        network.pause(); // A's connections stay open, nothing answers
        long t0 = System.nanoTime();
        HttpResponse<String> refused = post(a, "/count", onA.cookie, "{}");
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, refused.statusCode(), refused.body());
        for (int i = 0; i < 5; i++) {
            assertEquals(200, post(b, "/count", onA.cookie, "{}").statusCode(), "B is not affected");
        }
        network.resume();
        onA.await("{\"count\":6}");
        assertEquals(counts(1, 6), onA.patches(), "what B changed meanwhile reaches A once, in order");
        System.out.printf("silent network cut: A answered 503 after %d ms (command timeout 1000 ms)%n", waited);
    }

    @Test
    void idleSessionsExpireInRedisAndTheirIdIsNeverAdoptedAgain() throws Exception {
        Instance a = instance(Duration.ofSeconds(1));
        Instance b = instance(Duration.ofSeconds(1));
        HttpResponse<String> first = post(a, "/count", "starwire_session=" + "0".repeat(32), "{}");
        String cookie = first.headers().firstValue("Set-Cookie").map(c -> c.substring(0, c.indexOf(';'))).orElseThrow();
        assertNotEquals("starwire_session=" + "0".repeat(32), cookie, "an unknown id is never adopted");
        String id = cookie.substring(cookie.indexOf('=') + 1);
        String key = a.storage.stateKey(id);
        try (RedisClient client = RedisClient.create(redis.url());
             StatefulRedisConnection<String, String> inspect = client.connect()) {
            assertEquals(1L, inspect.sync().exists(key));
            long ttl = inspect.sync().pttl(key);
            assertTrue(ttl > 0 && ttl <= 1000, "the idle timeout is the key's TTL: " + ttl);
            awaitCondition(() -> inspect.sync().exists(key, key + ":at", key + ":log") == 0, WAIT,
                    "the idle session's keys to expire");
        }
        HttpResponse<String> later = post(b, "/count", cookie, "{}");
        String again = later.headers().firstValue("Set-Cookie").orElse(null);
        assertNotNull(again, "an expired session is not served");
        assertTrue(!again.startsWith(cookie + ";"), "a new id: " + again);
    }

    @Test
    void anOpenStreamKeepsItsSessionAliveInRedis() throws Exception {
        Instance a = instance(Duration.ofSeconds(1));
        Stream onA = stream(a, null);
        awaitCondition(() -> a.starwire.openStreams() == 1, WAIT, "the stream on A");
        String key = a.storage.stateKey(onA.cookie.substring(onA.cookie.indexOf('=') + 1));
        try (RedisClient client = RedisClient.create(redis.url());
             StatefulRedisConnection<String, String> inspect = client.connect()) {
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) { // three idle timeouts: the stream's keepalives touch it
                assertEquals(1L, inspect.sync().exists(key), "the session of an open tab stays");
                Thread.sleep(100);
            }
        }
        Instance b = instance(Duration.ofSeconds(1));
        assertEquals(200, post(b, "/count", onA.cookie, "{}").statusCode());
        onA.await("{\"count\":1}");
    }

    @Test
    void whenRedisLosesItsDataTheSessionsStreamsEndAndTheNextRequestGetsANewSession() throws Exception {
        Instance a = new Instance(Duration.ofMinutes(5), Duration.ofSeconds(2));
        toClose.add(a);
        Stream onA = stream(a, null);
        awaitCondition(() -> a.starwire.openStreams() == 1, WAIT, "the stream on A");
        try (RedisClient client = RedisClient.create(redis.url());
             StatefulRedisConnection<String, String> admin = client.connect()) {
            admin.sync().flushall(); // e.g. a Redis restarted without persistence
        }
        // A's next heartbeat finds its own key gone, catches up its sessions, and learns they are gone.
        awaitCondition(() -> onA.ended, WAIT, "the stream of the lost session to end");
        HttpResponse<String> next = post(a, "/count", onA.cookie, "{}");
        assertEquals(200, next.statusCode());
        assertNotNull(next.headers().firstValue("Set-Cookie").orElse(null), "a new session");
    }

    @Test
    void aReplicaNoStreamUsesIsLetGoAfterAMinuteAndOpenedAgainByTheNextRequest() throws Exception {
        Instance a = instance(Duration.ofMinutes(5));
        MovableClock clock = new MovableClock();
        Instance b = new Instance(RedisSessionStorage.builder(redis.url()),
                Sessions.builder().idleTimeout(Duration.ofMinutes(5)).clock(clock).sweepInterval(Duration.ofMillis(50)));
        toClose.add(b);
        Stream onA = stream(a, null);
        awaitCondition(() -> a.starwire.openStreams() == 1, WAIT, "the stream on A");
        assertEquals(200, post(b, "/count", onA.cookie, "{}").statusCode());
        assertEquals(1, b.storage.heldCount(), "B follows the session it just served");
        clock.advance(Duration.ofSeconds(61));
        awaitCondition(() -> b.storage.heldCount() == 0, WAIT, "B to let the unused replica go");
        assertEquals(1, a.storage.heldCount(), "A keeps the replica its stream uses");
        assertEquals(200, post(b, "/count", onA.cookie, "{}").statusCode());
        onA.await("{\"count\":2}");
        assertEquals(counts(1, 2), onA.patches());
    }

    /** A clock the test moves forward. */
    private static final class MovableClock extends java.time.Clock {
        private volatile java.time.Instant now = java.time.Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void loggingOutOnBEndsTheSessionsStreamOnA() throws Exception {
        Instance a = instance(Duration.ofMinutes(5));
        Instance b = instance(Duration.ofMinutes(5));
        Stream onA = stream(a, null);
        awaitCondition(() -> a.starwire.openStreams() == 1, WAIT, "the stream on A");
        assertEquals(200, post(b, "/logout", onA.cookie, "{}").statusCode());
        awaitCondition(() -> onA.ended, WAIT, "the stream on A to end with its session");
        assertNotNull(post(a, "/count", onA.cookie, "{}").headers().firstValue("Set-Cookie").orElse(null),
                "the old id is gone on A too");
    }
}
