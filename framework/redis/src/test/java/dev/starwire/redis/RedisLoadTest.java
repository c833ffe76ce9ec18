package dev.starwire.redis;

import static dev.starwire.redis.Collector.assertStrictlyIncreasing;
import static dev.starwire.redis.Collector.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.starwire.hub.spi.StoredEvent;
import dev.starwire.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 3 publishers x 1,000 messages through one Redis to 100 listeners on 2 instances: all delivered, in one order. */
class RedisLoadTest {

    private static final int PUBLISHERS = 3;
    private static final int MESSAGES = 1_000;
    private static final int LISTENERS_PER_INSTANCE = 50;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private RedisServer redis;

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
        toClose.add(redis);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void everyListenerOnBothInstancesReceivesAllMessagesInOneOrder() throws Exception {
        String prefix = "load:" + UUID.randomUUID() + ":";
        List<RedisTopicBackend> instances = new ArrayList<>();
        List<Collector> listeners = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
            RedisTopicBackend instance = RedisTopicBackend.builder(redis.url()).keyPrefix(prefix).build();
            toClose.add(instance);
            instances.add(instance);
            for (int l = 0; l < LISTENERS_PER_INSTANCE; l++) {
                Collector listener = new Collector();
                listeners.add(listener);
                toClose.add(instance.listen("room", listener));
            }
            assertEquals(1, instance.readerCount(), "one reader per topic per instance");
        }

        ExecutorService publishers = Executors.newFixedThreadPool(PUBLISHERS);
        try {
            List<Future<List<String>>> published = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                RedisTopicBackend via = instances.get(p % 2);
                int publisher = p;
                published.add(publishers.submit(() -> publish(via, publisher)));
            }
            List<String> confirmed = new ArrayList<>();
            for (Future<List<String>> f : published) {
                confirmed.addAll(f.get(120, TimeUnit.SECONDS));
            }
            assertEquals(PUBLISHERS * MESSAGES, confirmed.size());
            instances.get(1).append("room", frame("end")).get(30, TimeUnit.SECONDS);

            List<String> firstOrder = null;
            for (Collector listener : listeners) {
                List<String> ids = listener.awaitText("end", Duration.ofSeconds(120)).stream()
                        .map(StoredEvent::id).toList();
                assertEquals(PUBLISHERS * MESSAGES + 1, ids.size(), "every message exactly once");
                assertStrictlyIncreasing(instances.get(0), ids);
                List<String> texts = listener.texts();
                for (int p = 0; p < PUBLISHERS; p++) {
                    String stem = "p" + p + "-";
                    assertEquals(texts(p), texts.stream().filter(t -> t.startsWith(stem)).toList(),
                            "publisher " + p + "'s messages in the order it sent them");
                }
                if (firstOrder == null) {
                    firstOrder = ids;
                } else {
                    assertEquals(firstOrder, ids, "all listeners see the same order");
                }
            }
        } finally {
            publishers.shutdownNow();
        }
    }

    private static List<String> texts(int publisher) {
        return IntStream.range(0, MESSAGES).mapToObj(i -> "p" + publisher + "-" + i).toList();
    }

    /** Appends without waiting for each reply (pipelined), at most 100 in flight; returns the confirmed ids. */
    private static List<String> publish(RedisTopicBackend via, int publisher) throws Exception {
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<String>> inFlight = new ArrayList<>();
        for (String text : texts(publisher)) {
            inFlight.add(via.append("room", frame(text)));
            if (inFlight.size() == 100) {
                for (CompletableFuture<String> f : inFlight) {
                    ids.add(f.get(30, TimeUnit.SECONDS));
                }
                inFlight.clear();
            }
        }
        for (CompletableFuture<String> f : inFlight) {
            ids.add(f.get(30, TimeUnit.SECONDS));
        }
        return ids;
    }
}
