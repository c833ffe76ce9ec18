package dev.starwire.redis;

import static dev.starwire.redis.Collector.assertStrictlyIncreasing;
import static dev.starwire.redis.Collector.awaitCondition;
import static dev.starwire.redis.Collector.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.hub.TopicUnavailableException;
import dev.starwire.hub.spi.StoredEvent;
import dev.starwire.testsupport.RedisServer;
import dev.starwire.testsupport.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redis crashes and network cuts: readers resume where they stopped, failed appends are reported, nothing acknowledged is lost. */
class RedisFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private RedisServer redis;
    private String prefix;

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
        toClose.add(redis);
        prefix = "test:" + UUID.randomUUID() + ":";
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private RedisTopicBackend instance(String url) {
        return instance(RedisTopicBackend.builder(url));
    }

    private RedisTopicBackend instance(RedisTopicBackend.Builder builder) {
        RedisTopicBackend backend = builder.keyPrefix(prefix).maxReconnectDelay(Duration.ofSeconds(1)).build();
        toClose.add(backend);
        return backend;
    }

    /** Publishes p-0, p-1, ... one at a time until stopped, recording which appends were confirmed and which failed. */
    private static final class Publisher implements Runnable {
        final RedisTopicBackend backend;
        final Map<String, String> confirmed = new ConcurrentHashMap<>(); // text -> id
        final List<String> confirmedInOrder = java.util.Collections.synchronizedList(new ArrayList<>());
        final Set<String> failed = ConcurrentHashMap.newKeySet();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread = new Thread(this, "test-publisher");

        Publisher(RedisTopicBackend backend) {
            this.backend = backend;
        }

        @Override
        public void run() {
            for (int i = 0; running.get(); i++) {
                String text = "p-" + i;
                try {
                    String id = backend.append("chat", frame(text)).get(30, TimeUnit.SECONDS);
                    confirmed.put(text, id);
                    confirmedInOrder.add(id);
                } catch (ExecutionException e) {
                    failed.add(text);
                    pace(); // Redis is down: do not spin
                } catch (Exception e) {
                    failed.add(text);
                    return;
                }
            }
        }

        private static void pace() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean replays(RedisTopicBackend backend, String after) {
        try {
            return backend.replay("chat", after, 100_000).isPresent();
        } catch (TopicUnavailableException notYet) {
            return false;
        }
    }

    @Test
    void afterRedisIsKilledAndRestartedReadersResumeAndNothingAcknowledgedIsLost() throws Exception {
        RedisTopicBackend a = instance(redis.url());
        // The append in flight at the crash waits until Redis tells whether it was stored.
        RedisTopicBackend b = instance(RedisTopicBackend.builder(redis.url()).settleTimeout(WAIT));
        Collector onA = new Collector();
        Collector onB = new Collector();
        toClose.add(a.listen("chat", onA));
        toClose.add(b.listen("chat", onB));
        Publisher publisher = new Publisher(b);
        publisher.thread.start();

        awaitCondition(() -> publisher.confirmed.size() >= 30, WAIT, "30 confirmed appends before the crash");
        // Both readers are live (mid-XREAD) when Redis dies, not still connecting.
        awaitCondition(() -> onA.events().size() >= 10 && onB.events().size() >= 10, WAIT, "both readers to deliver");
        redis.kill();
        awaitCondition(() -> !publisher.failed.isEmpty() || !b.health().isUp(), WAIT, "the outage to be noticed");
        ExecutionException reported = assertThrows(ExecutionException.class,
                () -> a.append("chat", frame("while-down")).get(30, TimeUnit.SECONDS));
        assertTrue(reported.getCause() instanceof TopicUnavailableException, reported.toString());

        redis.restart();
        int beforeRestart = publisher.confirmed.size();
        awaitCondition(() -> publisher.confirmed.size() >= beforeRestart + 30, WAIT, "30 confirmed appends after the restart");
        publisher.running.set(false);
        publisher.thread.join(60_000);
        String end = b.append("chat", frame("end")).get(30, TimeUnit.SECONDS);

        List<String> confirmedIds = new ArrayList<>(publisher.confirmedInOrder);
        confirmedIds.add(end);
        for (Collector instance : List.of(onA, onB)) {
            List<StoredEvent> received = instance.awaitText("end", WAIT);
            List<String> ids = received.stream().map(StoredEvent::id).toList();
            assertStrictlyIncreasing(a, ids); // also: no duplicates
            // Exactly the confirmed events, in the order they were confirmed: an append in flight when Redis
            // died was confirmed once Redis told it had been stored, or failed and was not stored.
            assertEquals(confirmedIds, ids, "delivered: exactly the confirmed events");
        }
        assertEquals(onA.ids(), onB.ids(), "both instances see the same sequence");
        assertEquals(0, b.unsettledAppends());

        // Acknowledged entries survived the crash (append-only file): replay still has all of them.
        // Instance a's command connection may still be reconnecting (replay then answers empty: unavailable).
        awaitCondition(() -> replays(a, confirmedIds.get(0)), WAIT, "a replay on instance a");
        List<String> replayed = a.replay("chat", confirmedIds.get(0), 100_000).orElseThrow().stream().map(StoredEvent::id).toList();
        assertTrue(replayed.containsAll(confirmedIds.subList(1, confirmedIds.size())), "history kept across the restart");
    }

    @Test
    void anInstanceCutOffFromRedisGetsWhatWasAppendedMeanwhileExactlyOnceAfterReconnecting() throws Exception {
        TcpProxy network = TcpProxy.to(redis.port());
        toClose.add(network);
        RedisTopicBackend a = instance(network.url("redis"));
        RedisTopicBackend b = instance(redis.url());
        Collector onA = new Collector();
        toClose.add(a.listen("chat", onA));
        b.append("chat", frame("before")).get(30, TimeUnit.SECONDS);
        onA.awaitText("before", WAIT);

        network.refuse();
        ExecutionException reported = assertThrows(ExecutionException.class,
                () -> a.append("chat", frame("from-a-while-cut")).get(30, TimeUnit.SECONDS));
        assertTrue(reported.getCause() instanceof RuntimeException, reported.toString());
        List<String> during = IntStream.range(0, 20).mapToObj(i -> "during-" + i).toList();
        for (String text : during) {
            b.append("chat", frame(text)).get(30, TimeUnit.SECONDS);
        }
        network.listen();
        b.append("chat", frame("after")).get(30, TimeUnit.SECONDS);

        onA.awaitText("after", WAIT);
        List<String> expected = new ArrayList<>(List.of("before"));
        expected.addAll(during);
        expected.add("after");
        assertEquals(expected, onA.texts(), "events appended while cut off arrive once, in order, after reconnecting");
        assertFalse(onA.texts().contains("from-a-while-cut"), "the failed append was not stored");

        // The publishing connection reconnects by itself too.
        awaitCondition(() -> a.append("chat", frame("a-back")).handle((id, e) -> e == null).join(), WAIT,
                "appends through the restored network to succeed");
        onA.awaitText("a-back", WAIT);
    }

    @Test
    void aSilentNetworkCutIsDetectedByTimeoutsAndTheReaderCatchesUpAfterwards() throws Exception {
        TcpProxy network = TcpProxy.to(redis.port());
        toClose.add(network);
        // Short timeouts keep the test quick; the mechanism is the same with the defaults (2 s block + 5 s).
        RedisTopicBackend a = instance(RedisTopicBackend.builder(network.url("redis"))
                .commandTimeout(Duration.ofSeconds(1)).readerBlock(Duration.ofMillis(500)));
        RedisTopicBackend b = instance(redis.url());
        Collector onA = new Collector();
        toClose.add(a.listen("chat", onA));
        b.append("chat", frame("before")).get(30, TimeUnit.SECONDS);
        onA.awaitText("before", WAIT);

        network.pause();
        ExecutionException timedOut = assertThrows(ExecutionException.class,
                () -> a.append("chat", frame("from-a-while-paused")).get(30, TimeUnit.SECONDS));
        assertTrue(timedOut.getCause() instanceof TopicUnavailableException, timedOut.toString());
        assertFalse(a.health().isUp(), "the timeout opened the circuit");
        long refusedAt = System.nanoTime();
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> a.append("chat", frame("refused-at-once")).get(30, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof TopicUnavailableException, refused.toString());
        assertTrue(System.nanoTime() - refusedAt < TimeUnit.MILLISECONDS.toNanos(500),
                "while the circuit is open an append fails without waiting for Redis");
        long readAt = System.nanoTime();
        assertThrows(TopicUnavailableException.class, () -> a.replay("chat", onA.ids().get(0), 10));
        assertThrows(TopicUnavailableException.class, () -> a.recent("chat", 10));
        assertTrue(System.nanoTime() - readAt < TimeUnit.MILLISECONDS.toNanos(500),
                "reads fail at once too, rather than passing for an id outside the window");
        List<String> during = IntStream.range(0, 20).mapToObj(i -> "during-" + i).toList();
        for (String text : during) {
            b.append("chat", frame(text)).get(30, TimeUnit.SECONDS);
        }
        // Nothing was closed: only the reader's XREAD timeout can notice that Redis stopped answering.
        awaitCondition(() -> a.readerFailures("chat") >= 1, WAIT, "the reader to give up on the silent connection");
        network.resume();
        b.append("chat", frame("after")).get(30, TimeUnit.SECONDS);

        onA.awaitText("after", WAIT);
        List<String> expected = new ArrayList<>(List.of("before"));
        expected.addAll(during);
        expected.add("after");
        // The timed-out append was held in the network and reached Redis once the network was back; the
        // backend had recorded it as of unknown outcome and cancelled it: it is not in the stream, and instance
        // a, whose readers wait for the cancellation, never delivered it.
        awaitCondition(() -> a.health().isUp() && a.unsettledAppends() == 0, WAIT, "the circuit to close");
        assertEquals(expected, onA.texts());
        assertStrictlyIncreasing(a, onA.ids());
        List<String> stored = b.replay("chat", onA.ids().get(0), 100_000).orElseThrow().stream()
                .map(e -> Collector.text(e.frame())).toList();
        assertEquals(expected.subList(1, expected.size()), stored, "a failed append is never kept");
    }
}
