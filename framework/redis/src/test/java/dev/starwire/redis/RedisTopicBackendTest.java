package dev.starwire.redis;

import static dev.starwire.redis.Collector.assertStrictlyIncreasing;
import static dev.starwire.redis.Collector.awaitCondition;
import static dev.starwire.redis.Collector.frame;
import static dev.starwire.redis.Collector.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.hub.spi.StoredEvent;
import dev.starwire.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link dev.starwire.hub.spi.TopicBackend} contract against a real redis-server shared by two "instances". */
class RedisTopicBackendTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static RedisServer redis;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.startOrNull();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void isolate() {
        RedisServer.assumeRunning(redis);
        prefix = "test:" + UUID.randomUUID() + ":";
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private RedisTopicBackend instance() {
        return instance(RedisTopicBackend.builder(redis.url()));
    }

    private RedisTopicBackend instance(RedisTopicBackend.Builder builder) {
        RedisTopicBackend backend = builder.keyPrefix(prefix).build();
        toClose.add(backend);
        return backend;
    }

    private static String join(CompletableFuture<String> append) throws Exception {
        return append.get(30, TimeUnit.SECONDS);
    }

    private static List<String> appendAll(RedisTopicBackend backend, String topic, List<String> texts) throws Exception {
        List<CompletableFuture<String>> appends = texts.stream().map(t -> backend.append(topic, frame(t))).toList();
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<String> append : appends) {
            ids.add(join(append));
        }
        return ids;
    }

    private static List<String> texts(String stem, int count) {
        return IntStream.range(0, count).mapToObj(i -> stem + "-" + i).toList();
    }

    @Test
    void appendCompletesWithIncreasingStreamIdsAndTheListenerGetsEveryFrameInOrder() throws Exception {
        RedisTopicBackend a = instance();
        Collector received = new Collector();
        toClose.add(a.listen("chat", received));

        List<String> ids = appendAll(a, "chat", texts("m", 50));

        assertTrue(ids.stream().allMatch(id -> id.matches("\\d+-\\d+")), "stream entry ids: " + ids);
        assertStrictlyIncreasing(a, ids);
        List<StoredEvent> events = received.awaitText("m-49", WAIT);
        assertEquals(ids, events.stream().map(StoredEvent::id).toList());
        assertEquals(texts("m", 50), received.texts());
        assertArrayEquals(frame("m-7"), events.get(7).frame(), "the frame comes back byte for byte");
    }

    @Test
    void twoInstancesSharingOneRedisDeliverEveryEventToBothExactlyOnceInTheSameOrder() throws Exception {
        RedisTopicBackend a = instance();
        RedisTopicBackend b = instance();
        Collector onA = new Collector();
        Collector onB = new Collector();
        toClose.add(a.listen("room", onA));
        toClose.add(b.listen("room", onB));

        ExecutorService publishers = Executors.newFixedThreadPool(2);
        try {
            Future<List<String>> fromA = publishers.submit(() -> appendAll(a, "room", texts("a", 100)));
            Future<List<String>> fromB = publishers.submit(() -> appendAll(b, "room", texts("b", 100)));
            List<String> acknowledged = new ArrayList<>(fromA.get(60, TimeUnit.SECONDS));
            acknowledged.addAll(fromB.get(60, TimeUnit.SECONDS));
            // Everything above is acknowledged; one more event after it marks the end of what can arrive.
            String end = join(b.append("room", frame("end")));
            acknowledged.add(end);

            for (Collector listener : List.of(onA, onB)) {
                List<String> ids = listener.awaitText("end", WAIT).stream().map(StoredEvent::id).toList();
                assertEquals(201, ids.size(), "each event exactly once");
                assertEquals(new HashSet<>(acknowledged), new HashSet<>(ids));
                assertStrictlyIncreasing(a, ids);
                // Each publisher's own events keep the order it appended them in.
                assertEquals(texts("a", 100), listener.texts().stream().filter(t -> t.startsWith("a-")).toList());
                assertEquals(texts("b", 100), listener.texts().stream().filter(t -> t.startsWith("b-")).toList());
            }
            assertEquals(onA.ids(), onB.ids(), "both instances see one order");
        } finally {
            publishers.shutdownNow();
        }
    }

    @Test
    void aListenerGetsOnlyEventsAppendedAfterItStarted() throws Exception {
        RedisTopicBackend a = instance();
        appendAll(a, "news", texts("before", 3));
        Collector received = new Collector();
        toClose.add(a.listen("news", received));

        appendAll(a, "news", List.of("after-0", "after-1"));

        received.awaitText("after-1", WAIT);
        assertEquals(List.of("after-0", "after-1"), received.texts());
    }

    @Test
    void oneReaderPerTopicServesEveryLocalListenerAndStopsWithTheLast() throws Exception {
        RedisTopicBackend a = instance();
        Collector first = new Collector();
        Collector second = new Collector();
        AutoCloseable firstHandle = a.listen("t", first);
        AutoCloseable secondHandle = a.listen("t", second);
        AutoCloseable otherTopic = a.listen("other", new Collector());
        assertEquals(2, a.readerCount(), "one reader per topic, not per listener");

        join(a.append("t", frame("both")));
        first.awaitText("both", WAIT);
        second.awaitText("both", WAIT);

        firstHandle.close();
        join(a.append("t", frame("second-only")));
        second.awaitText("second-only", WAIT);
        assertEquals(List.of("both"), first.texts(), "a closed listener receives nothing more");

        secondHandle.close();
        otherTopic.close();
        awaitCondition(() -> a.readerCount() == 0, WAIT, "readers to stop");
    }

    @Test
    void listenersStartingTogetherOnANewTopicShareOneReader() throws Exception {
        RedisTopicBackend a = instance();
        List<Collector> listeners = IntStream.range(0, 8).mapToObj(i -> new Collector()).toList();
        ExecutorService starters = Executors.newFixedThreadPool(listeners.size());
        try {
            List<Future<AutoCloseable>> handles = new ArrayList<>();
            for (Collector listener : listeners) {
                handles.add(starters.submit(() -> a.listen("fresh", listener)));
            }
            for (Future<AutoCloseable> handle : handles) {
                toClose.add(handle.get(30, TimeUnit.SECONDS));
            }
        } finally {
            starters.shutdownNow();
        }
        assertEquals(1, a.readerCount());

        join(a.append("fresh", frame("hello")));
        for (Collector listener : listeners) {
            assertEquals(List.of("hello"), listener.awaitText("hello", WAIT).stream().map(e -> text(e.frame())).toList());
        }
    }

    @Test
    void listenAfterCloseIsRefused() {
        RedisTopicBackend a = instance();
        a.close();
        assertThrows(IllegalStateException.class, () -> a.listen("chat", new Collector()));
    }

    @Test
    void aFailingListenerDoesNotStopDeliveryToItselfOrOthers() throws Exception {
        RedisTopicBackend a = instance();
        Collector failingOnFirst = new Collector() {
            @Override
            public synchronized void accept(StoredEvent event) {
                super.accept(event);
                if (text(event.frame()).equals("x-0")) {
                    throw new IllegalStateException("listener bug (expected in this test)");
                }
            }
        };
        Collector other = new Collector();
        toClose.add(a.listen("t", failingOnFirst));
        toClose.add(a.listen("t", other));

        appendAll(a, "t", texts("x", 3));

        failingOnFirst.awaitText("x-2", WAIT);
        other.awaitText("x-2", WAIT);
        assertEquals(texts("x", 3), failingOnFirst.texts());
        assertEquals(texts("x", 3), other.texts());
    }

    /** A page large enough for every replay of these tests. */
    private static final int PAGE = 100_000;

    @Test
    void replayReturnsExactlyTheEventsAfterTheGivenIdOnAnyInstance() throws Exception {
        RedisTopicBackend a = instance();
        RedisTopicBackend b = instance();
        List<String> ids = appendAll(a, "chat", texts("r", 20));

        List<StoredEvent> missed = b.replay("chat", ids.get(9), PAGE).orElseThrow();

        assertEquals(ids.subList(10, 20), missed.stream().map(StoredEvent::id).toList());
        assertEquals(texts("r", 20).subList(10, 20), missed.stream().map(e -> text(e.frame())).toList());
        assertEquals(Optional.of(List.of()), b.replay("chat", ids.get(19), PAGE), "up to date: nothing missed");
        assertEquals(19, b.replay("chat", ids.get(0), PAGE).orElseThrow().size());
    }

    @Test
    void replayIsEmptyWhenTheIdHasLeftTheWindowButExactForRecentIds() throws Exception {
        RedisTopicBackend a = instance(RedisTopicBackend.builder(redis.url()).replayWindow(10));
        List<String> ids = appendAll(a, "busy", texts("w", 1_000));

        assertEquals(Optional.empty(), a.replay("busy", ids.get(0), PAGE), "the first event was trimmed long ago");
        List<StoredEvent> recent = a.replay("busy", ids.get(994), PAGE).orElseThrow();
        assertEquals(ids.subList(995, 1_000), recent.stream().map(StoredEvent::id).toList());

        RedisClient client = RedisClient.create(redis.url());
        try {
            StatefulRedisConnection<String, String> raw = client.connect(); // closed by shutdown()
            long length = raw.sync().xlen(a.streamKey("busy"));
            // MAXLEN ~ trims whole radix-tree nodes (100 entries by default): at least 10, far fewer than 1,000.
            assertTrue(length >= 10 && length <= 200, "stream length " + length);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void replayIsEmptyForMalformedOrUnknownIds() throws Exception {
        RedisTopicBackend a = instance();
        List<String> ids = appendAll(a, "chat", texts("u", 5));
        String ms = ids.get(2).substring(0, ids.get(2).indexOf('-'));

        for (String bad : new String[] {null, "", "abc", "12", "12-", "-3", "1-2-3", "１２-0", " 1-0",
                "99999999999999999999999-0", ms + "-999999"}) {
            assertEquals(Optional.empty(), a.replay("chat", bad, PAGE), "replay after " + bad);
        }
        assertEquals(Optional.empty(), a.replay("no-such-topic", ids.get(2), PAGE));
    }

    @Test
    void keysArePrefixedSoAppsCanShareOneRedis() throws Exception {
        RedisTopicBackend a = instance();
        String id = join(a.append("chat", frame("k")));

        RedisClient client = RedisClient.create(redis.url());
        try {
            StatefulRedisConnection<String, String> raw = client.connect(); // closed by shutdown()
            assertEquals(prefix + "chat", a.streamKey("chat"));
            assertEquals(id, raw.sync().xrange(prefix + "chat", io.lettuce.core.Range.unbounded()).get(0).getId());
        } finally {
            client.shutdown();
        }
    }

    @Test
    void fromEnvironmentUsesRedisUrlOnlyWhenSet() {
        assertEquals(Optional.empty(), RedisTopicBackend.fromEnvironment(Map.of()));
        assertEquals(Optional.empty(), RedisTopicBackend.fromEnvironment(Map.of("REDIS_URL", "  ")));
        Optional<RedisTopicBackend> configured = RedisTopicBackend.fromEnvironment(Map.of("REDIS_URL", redis.url()));
        assertTrue(configured.isPresent());
        configured.get().close();
    }

    @Test
    void anUnreachableRedisFailsFastAtStartupWithItsAddress() throws Exception {
        int nothingThere = RedisServer.freePort();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RedisTopicBackend.fromUrl("redis://127.0.0.1:" + nothingThere));
        assertTrue(e.getMessage().contains("127.0.0.1:" + nothingThere), e.getMessage());
    }

    @Test
    void appendAfterCloseFailsInsteadOfDisappearing() {
        RedisTopicBackend a = instance();
        a.close();
        CompletableFuture<String> append = a.append("chat", frame("late"));
        assertTrue(append.isCompletedExceptionally());
        assertFalse(append.isCancelled());
    }
}
