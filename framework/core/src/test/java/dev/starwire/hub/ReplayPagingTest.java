package dev.starwire.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.hub.spi.BackendHealth;
import dev.starwire.hub.spi.Outbox;
import dev.starwire.hub.spi.StoredEvent;
import dev.starwire.hub.spi.TopicBackend;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Replay within bounds: paged, paced by the reader, counted against the outbox limits; health fails fast. */
class ReplayPagingTest {

    private static PatchSignals n(int i) {
        return PatchSignals.ofJson("{\"n\":" + i + "}");
    }

    private static PatchElements big(int i, int bytes) {
        return PatchElements.builder().selector("#m").elements("<p id=\"p" + i + "\">" + "x".repeat(bytes) + "</p>")
                .build();
    }

    private static List<String> drain(Outbox outbox) {
        List<String> frames = new ArrayList<>();
        for (byte[] f; (f = outbox.poll()) != null; ) {
            frames.add(new String(f, StandardCharsets.UTF_8));
        }
        return frames;
    }

    @Test
    void aReplayFarBehindQueuesOnePageAtATimeAsTheClientReads() {
        Hub hub = Hub.inMemory();
        Topic topic = hub.topic("t");
        String first = topic.publish(big(0, 2700)).join();
        for (int i = 1; i < 1000; i++) {
            topic.publish(big(i, 2700)).join();
        }
        Outbox o = Outbox.open(hub, () -> { }, () -> { });
        o.subscribe(topic, first, () -> { throw new AssertionError("the id is in the window"); });
        // Before: the whole replay (999 x 2.7 KB, 2.7 MB) waited in the outbox of a client that reads nothing.
        assertTrue(o.queuedBytes() <= Subscription.PAGE_BYTES + 3000, "queued " + o.queuedBytes());
        assertTrue(hub.stats().queuedBytes() <= Subscription.PAGE_BYTES + 3000);
        long peak = 0;
        List<String> got = new ArrayList<>();
        for (byte[] f; (f = o.poll()) != null; ) {
            got.add(new String(f, StandardCharsets.UTF_8));
            peak = Math.max(peak, o.queuedBytes());
        }
        assertEquals(999, got.size(), "every missed event, as the client read");
        for (int i = 0; i < got.size(); i++) {
            assertTrue(got.get(i).contains("id=\"p" + (i + 1) + "\""), "in order at " + i);
        }
        assertTrue(peak <= Subscription.PAGE_BYTES + 3000, "peak " + peak);
        topic.publish(n(1000)).join();
        assertEquals(1, drain(o).size(), "then live");
        assertEquals(0, hub.stats().evicted());
    }

    @Test
    void replayedFramesCountAgainstTheOutboxLimits() {
        Hub hub = Hub.builder().queueLimits(new QueueLimits(10, 1 << 20)).build();
        Topic topic = hub.topic("t");
        String first = topic.publish(n(0)).join();
        for (int i = 1; i < 100; i++) {
            topic.publish(n(i)).join();
        }
        Outbox o = Outbox.open(hub, () -> { }, () -> { });
        o.subscribe(topic, first, null);
        // Before: all 99 replayed frames were queued past a limit of 10.
        assertEquals(10, o.size());
        int read = 0;
        for (byte[] f; (f = o.poll()) != null; ) {
            assertTrue(new String(f, StandardCharsets.UTF_8).contains("{\"n\":" + (++read) + "}"));
            assertTrue(o.size() <= 10);
        }
        assertEquals(99, read, "the limit paces the replay, it does not evict the reader");
        assertFalse(o.isClosed());
    }

    @Test
    void liveEventsWhileAReaderDoesNotTakeItsReplayEvictIt() {
        Hub hub = Hub.builder().queueLimits(new QueueLimits(50, 1 << 20)).build();
        Topic topic = hub.topic("t");
        String first = topic.publish(n(0)).join();
        for (int i = 1; i < 500; i++) {
            topic.publish(n(i)).join();
        }
        AtomicInteger evicted = new AtomicInteger();
        Outbox stuck = Outbox.open(hub, () -> { }, evicted::incrementAndGet);
        stuck.subscribe(topic, first, null);
        for (int i = 0; i < 60 && evicted.get() == 0; i++) {
            topic.publish(n(500 + i)).join();
        }
        assertEquals(1, evicted.get(), "fell too far behind: dropped like a slow live subscriber");
        assertTrue(stuck.isClosed() && stuck.overflowed());
        assertEquals(0, topic.subscriberCount());
        assertEquals(0, hub.stats().queuedBytes());
    }

    @Test
    void liveEventsWaitingDuringACatchUpAreBoundedInBytesToo() {
        Hub hub = Hub.builder().queueLimits(new QueueLimits(10_000, 100_000)).build();
        Topic topic = hub.topic("t");
        String first = topic.publish(n(0)).join();
        for (int i = 1; i < 500; i++) {
            topic.publish(big(i, 2000)).join();
        }
        AtomicInteger evicted = new AtomicInteger();
        Outbox stuck = Outbox.open(hub, () -> { }, evicted::incrementAndGet);
        stuck.subscribe(topic, first, null);
        int published = 0;
        while (evicted.get() == 0 && published < 200) {
            topic.publish(big(1000 + published++, 2000)).join();
        }
        assertEquals(1, evicted.get());
        assertTrue(published <= 51, "about 100 kB of live events, not " + published + " events");
    }

    @Test
    void aTopicThatIsItsOwnStateGivesANewClientResetThenItsNewestEventsThenLive() {
        Hub hub = Hub.inMemory();
        Topic topic = hub.topic("t");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(topic.publish(n(i)).join());
        }
        Outbox o = Outbox.open(hub, () -> { }, () -> { });
        o.subscribe(topic, null, 3, () -> o.offer(PatchSignals.ofJson("{\"reset\":true}")));
        topic.publish(n(5)).join();
        List<String> got = drain(o);
        assertEquals(5, got.size(), got.toString());
        assertTrue(got.get(0).contains("reset"));
        for (int i = 1; i <= 3; i++) {
            assertTrue(got.get(i).contains("id: " + ids.get(i + 1) + "\n") && got.get(i).contains("{\"n\":" + (i + 1) + "}"),
                    got.get(i));
        }
        assertTrue(got.get(4).contains("{\"n\":5}"));
        // A client back inside the window gets only what it missed, no reset.
        Outbox back = Outbox.open(hub, () -> { }, () -> { });
        back.subscribe(topic, ids.get(3), 3, () -> back.offer(PatchSignals.ofJson("{\"reset\":true}")));
        List<String> missed = drain(back);
        assertEquals(2, missed.size(), missed.toString());
        assertFalse(missed.get(0).contains("reset"));
    }

    @Test
    void newestEventsAndLiveOnesOverlappingThemArriveOnceEach() throws Exception {
        for (int round = 0; round < 30; round++) {
            Hub hub = Hub.inMemory();
            Topic topic = hub.topic("t");
            for (int i = 0; i < 20; i++) {
                topic.publish(n(i)).join();
            }
            Thread publisher = new Thread(() -> {
                for (int i = 20; i < 120; i++) {
                    topic.publish(n(i)).join();
                }
            });
            Outbox o = Outbox.open(hub, () -> { }, () -> { });
            publisher.start();
            o.subscribe(topic, null, 10, null);
            publisher.join();
            List<String> got = drain(o);
            int firstN = Integer.parseInt(got.get(0).replaceAll("(?s).*\\{\"n\":(\\d+)}.*", "$1"));
            for (int i = 0; i < got.size(); i++) {
                assertTrue(got.get(i).contains("{\"n\":" + (firstN + i) + "}"), "round " + round + " at " + i);
            }
            assertEquals(119, firstN + got.size() - 1, "ends with the last one");
        }
    }

    @Test
    void aBlockingBackendFetchesTheNextPagesOffTheReadersThread() throws Exception {
        InMemoryBackend real = new InMemoryBackend();
        Set<String> pagedOn = ConcurrentHashMap.newKeySet();
        TopicBackend remote = new DelegatingBackend(real) {
            @Override
            public Optional<List<StoredEvent>> replay(String topic, String lastEventId, int maxEvents) {
                pagedOn.add(Thread.currentThread().getName());
                return real.replay(topic, lastEventId, maxEvents);
            }

            @Override
            public boolean replayBlocks() {
                return true;
            }
        };
        Hub hub = Hub.builder().backend(remote).build();
        Topic topic = hub.topic("t");
        String first = topic.publish(n(0)).join();
        for (int i = 1; i <= 300; i++) {
            topic.publish(n(i)).join();
        }
        Outbox o = Outbox.open(hub, () -> { }, () -> { });
        o.subscribe(topic, first, null);
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (got.size() < 300 && System.nanoTime() < deadline) {
            byte[] f = o.poll();
            if (f == null) {
                Thread.sleep(1);
            } else {
                got.add(new String(f, StandardCharsets.UTF_8));
            }
        }
        assertEquals(300, got.size());
        assertTrue(got.get(299).contains("{\"n\":300}"));
        assertTrue(pagedOn.contains(Thread.currentThread().getName()), "the first page on the subscriber's thread");
        assertTrue(pagedOn.stream().anyMatch(t -> t.startsWith("starwire-replay-")), pagedOn.toString());
        hub.close();
    }

    @Test
    void whileTheBackendIsDownPublishFailsAtOnceWithoutTryingToStore() {
        AtomicBoolean up = new AtomicBoolean(true);
        AtomicInteger appends = new AtomicInteger();
        InMemoryBackend real = new InMemoryBackend();
        TopicBackend flaky = new DelegatingBackend(real) {
            @Override
            public CompletableFuture<String> append(String topic, byte[] frame) {
                appends.incrementAndGet();
                return real.append(topic, frame);
            }

            @Override
            public BackendHealth health() {
                return up.get() ? BackendHealth.up() : BackendHealth.down("store unreachable", Instant.now());
            }
        };
        Hub hub = Hub.builder().backend(flaky).build();
        Topic topic = hub.topic("t");
        Outbox o = Outbox.open(hub, () -> { }, () -> { });
        o.subscribe(topic);
        up.set(false);
        assertFalse(topic.health().isUp());
        CompletableFuture<String> f = topic.publish(n(1));
        assertTrue(f.isDone(), "answered at once");
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertTrue(e.getCause() instanceof TopicUnavailableException, e.toString());
        assertTrue(e.getCause().getMessage().contains("store unreachable"), e.getCause().getMessage());
        assertEquals(0, appends.get());
        assertTrue(drain(o).isEmpty());
        up.set(true);
        topic.publish(n(2)).join();
        assertEquals(1, drain(o).size());
    }

    @Test
    void aReplayThatCannotBeReadNowFailsTheSubscribeAndLeavesNoSubscriber() {
        TopicBackend down = new DelegatingBackend(new InMemoryBackend()) {
            @Override
            public Optional<List<StoredEvent>> replay(String topic, String lastEventId, int maxEvents) {
                throw new TopicUnavailableException("down");
            }

            @Override
            public List<StoredEvent> recent(String topic, int maxEvents) {
                throw new TopicUnavailableException("down");
            }
        };
        Hub hub = Hub.builder().backend(down).build();
        Topic topic = hub.topic("t");
        Outbox o = Outbox.open(hub, () -> { }, () -> { });
        assertThrows(TopicUnavailableException.class, () -> o.subscribe(topic, "123", null));
        assertThrows(TopicUnavailableException.class, () -> o.subscribe(topic, null, 10, null));
        assertEquals(0, topic.subscriberCount());
        assertEquals(0, hub.stats().subscribers());
    }
}
