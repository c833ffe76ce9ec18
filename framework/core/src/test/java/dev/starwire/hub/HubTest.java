package dev.starwire.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.SseWriter;
import dev.starwire.hub.spi.Outbox;
import dev.starwire.hub.spi.StoredEvent;
import dev.starwire.hub.spi.TopicBackend;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HubTest {

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    private static List<String> drain(Outbox outbox) {
        List<String> frames = new ArrayList<>();
        for (byte[] f; (f = outbox.poll()) != null; ) {
            frames.add(text(f));
        }
        return frames;
    }

    private static PatchSignals n(int i) {
        return PatchSignals.ofJson("{\"n\":" + i + "}");
    }

    @Test
    void publishEncodesOnceAndInsertsTheIdAfterTheEventLine() {
        Hub hub = Hub.inMemory();
        Topic topic = hub.topic("t");
        Outbox out = Outbox.open(hub, () -> { }, () -> { });
        out.subscribe(topic);
        String id = topic.publish(PatchElements.builder().selector("#a").elements("<p>x</p>").retryMillis(3000)
                .build()).join();
        assertEquals("event: datastar-patch-elements\nid: " + id + "\nretry: 3000\ndata: selector #a\n"
                + "data: elements <p>x</p>\n\n", text(out.poll()));
        assertNull(out.poll());
    }

    @Test
    void everySubscriberGetsTheSameBytesInOrder() {
        Hub hub = Hub.inMemory();
        Topic topic = hub.topic("t");
        List<Outbox> outs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Outbox o = Outbox.open(hub, () -> { }, () -> { });
            o.subscribe(topic);
            outs.add(o);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(topic.publish(n(i)).join());
        }
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(hub.backend().compare(ids.get(i - 1), ids.get(i)) < 0, "ids increase");
        }
        byte[] first = outs.get(0).poll();
        assertTrue(first == outs.get(1).poll(), "one shared frame, not a copy per subscriber");
        for (Outbox o : outs.subList(2, outs.size())) {
            assertArrayEquals(first, o.poll());
        }
        for (Outbox o : outs) {
            List<String> rest = drain(o);
            assertEquals(19, rest.size());
            assertTrue(rest.get(18).contains("id: " + ids.get(19) + "\n"));
        }
        HubStats s = hub.stats();
        assertEquals(5, s.subscribers());
        assertEquals(20, s.published());
        assertEquals(100, s.delivered());
        assertEquals(0, s.queuedBytes());
    }

    @Test
    void publishedEventMustNotCarryItsOwnId() {
        Topic topic = Hub.inMemory().topic("t");
        assertThrows(IllegalArgumentException.class,
                () -> topic.publish(PatchSignals.builder().json("{}").eventId("mine").build()));
    }

    @Test
    void overflowClosesTheOutboxCountsItAndDropsItsSubscription() {
        Hub hub = Hub.builder().queueLimits(new QueueLimits(3, 1 << 20)).build();
        Topic topic = hub.topic("t");
        AtomicInteger overflows = new AtomicInteger();
        AtomicInteger wakes = new AtomicInteger();
        Outbox slow = Outbox.open(hub, wakes::incrementAndGet, overflows::incrementAndGet);
        Outbox fast = Outbox.open(hub, () -> { }, () -> { });
        slow.subscribe(topic);
        fast.subscribe(topic);
        for (int i = 0; i < 5; i++) {
            topic.publish(n(i)).join();
            assertEquals(1, drain(fast).size());
        }
        assertEquals(1, wakes.get(), "woken once: it never drained");
        assertEquals(1, overflows.get());
        assertTrue(slow.isClosed() && slow.overflowed());
        assertNull(slow.poll(), "an overflowed outbox drops what it held");
        assertEquals(1, topic.subscriberCount());
        HubStats s = hub.stats();
        assertEquals(1, s.evicted());
        assertEquals(0, s.queuedBytes());
        assertEquals(1, s.subscribers());
    }

    @Test
    void byteLimitCountsAndOneBigEventStillFitsAnEmptyQueue() {
        Hub hub = Hub.builder().queueLimits(new QueueLimits(100, 50)).build();
        Outbox o = Outbox.open(hub, () -> { }, () -> { });
        byte[] big = SseWriter.encode(PatchSignals.ofJson("{\"text\":\"" + "x".repeat(200) + "\"}"));
        assertTrue(o.offer(big), "alone it fits, however big");
        assertEquals(big.length, hub.stats().queuedBytes());
        assertFalse(o.offer(big));
        assertTrue(o.overflowed());
    }

    @Test
    void replayGivesExactlyTheMissedEventsThenLiveOnes() {
        Hub hub = Hub.inMemory();
        Topic topic = hub.topic("t");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(topic.publish(n(i)).join());
        }
        Outbox o = Outbox.open(hub, () -> { }, () -> { });
        AtomicInteger fullState = new AtomicInteger();
        o.subscribe(topic, ids.get(6), fullState::incrementAndGet);
        topic.publish(n(10)).join();
        List<String> got = drain(o);
        assertEquals(4, got.size());
        assertTrue(got.get(0).contains("id: " + ids.get(7) + "\n") && got.get(0).contains("{\"n\":7}"));
        assertTrue(got.get(2).contains("{\"n\":9}"));
        assertTrue(got.get(3).contains("{\"n\":10}"));
        assertEquals(0, fullState.get());
        Outbox upToDate = Outbox.open(hub, () -> { }, () -> { });
        upToDate.subscribe(topic, topic.publish(n(11)).join(), fullState::incrementAndGet);
        assertTrue(drain(upToDate).isEmpty(), "nothing missed, nothing sent");
        assertEquals(0, fullState.get());
    }

    @Test
    void unknownOrTooOldIdAndNewClientsGetFullState() {
        Hub hub = Hub.builder().backend(new InMemoryBackend(3, 1 << 20)).build();
        Topic topic = hub.topic("t");
        String first = topic.publish(n(0)).join();
        for (int i = 1; i < 5; i++) {
            topic.publish(n(i)).join();
        }
        for (String lastId : new String[] {first, "garbage", "99999999999999999", null}) {
            Outbox o = Outbox.open(hub, () -> { }, () -> { });
            o.subscribe(topic, lastId, () -> o.offer(PatchSignals.ofJson("{\"full\":1}")));
            assertEquals(List.of("event: datastar-patch-signals\ndata: signals {\"full\":1}\n\n"), drain(o),
                    "last id " + lastId);
        }
    }

    @Test
    void ringIsBoundedByCountAndBytes() {
        InMemoryBackend backend = new InMemoryBackend(4, 100);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(backend.append("t", new byte[10]).join());
        }
        assertEquals(3, backend.replay("t", ids.get(2), 100).orElseThrow().size(), "the last 4 stay");
        assertTrue(backend.replay("t", ids.get(0), 100).isEmpty(), "event 2 was dropped: too old");
        backend.append("t", new byte[95]).join();
        assertEquals(1, backend.replay("t", ids.get(5), 100).orElseThrow().size(), "only the big one is left");
        assertTrue(backend.replay("t", ids.get(4), 100).isEmpty(), "the byte limit dropped the older events");
    }

    /**
     * Subscribing while events are being published: the replay and the live events that overlap it are
     * merged without a duplicate or a gap, for many interleavings.
     */
    @Test
    void catchUpDuringConcurrentPublishingHasNoDuplicateAndNoGap() throws Exception {
        for (int round = 0; round < 50; round++) {
            Hub hub = Hub.inMemory();
            Topic topic = hub.topic("t");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(topic.publish(n(i)).join());
            }
            CountDownLatch go = new CountDownLatch(1);
            Thread publisher = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 20; i < 200; i++) {
                    topic.publish(n(i)).join();
                }
            });
            publisher.start();
            Outbox o = Outbox.open(hub, () -> { }, () -> { });
            go.countDown();
            o.subscribe(topic, ids.get(4), () -> { throw new AssertionError("no full state expected"); });
            publisher.join();
            List<String> got = drain(o);
            for (int i = 0; i < got.size(); i++) {
                assertTrue(got.get(i).contains("{\"n\":" + (5 + i) + "}"), "round " + round + " at " + i
                        + ": " + got.get(i));
            }
            assertEquals(195, got.size());
        }
    }

    @Test
    void failedStoreFailsThePublishAndReachesNobody() {
        TopicBackend failing = new DelegatingBackend(new InMemoryBackend()) {
            @Override
            public CompletableFuture<String> append(String topic, byte[] frame) {
                return CompletableFuture.failedFuture(new IllegalStateException("store down"));
            }
        };
        Hub hub = Hub.builder().backend(failing).build();
        Topic topic = hub.topic("t");
        Outbox o = Outbox.open(hub, () -> { }, () -> { });
        o.subscribe(topic);
        CompletableFuture<String> f = topic.publish(n(1));
        assertTrue(f.isCompletedExceptionally());
        assertNull(o.poll());
        assertEquals(0, hub.stats().published());
    }

    @Test
    void closedSubscriptionStopsDelivery() {
        Hub hub = Hub.inMemory();
        Topic topic = hub.topic("t");
        Outbox o = Outbox.open(hub, () -> { }, () -> { });
        Subscription s = o.subscribe(topic);
        topic.publish(n(1)).join();
        s.close();
        topic.publish(n(2)).join();
        assertEquals(1, drain(o).size());
        assertEquals(0, topic.subscriberCount());
        assertEquals(0, hub.stats().subscribers());
    }

    /** A backend whose replay is slow: while it runs, more live events arrive than an outbox may hold. */
    @Test
    void fallingBehindWhileCatchingUpIsAnOverflow() {
        InMemoryBackend real = new InMemoryBackend();
        TopicBackend slowReplay = new DelegatingBackend(real) {
            @Override
            public Optional<List<StoredEvent>> replay(String topic, String lastEventId, int maxEvents) {
                for (int i = 0; i < 5; i++) {
                    real.append(topic, SseWriter.encode(n(100 + i)));
                }
                return real.replay(topic, lastEventId, maxEvents);
            }
        };
        Hub hub = Hub.builder().backend(slowReplay).queueLimits(new QueueLimits(3, 1 << 20)).build();
        Topic topic = hub.topic("t");
        String id = topic.publish(n(0)).join();
        AtomicInteger overflows = new AtomicInteger();
        Outbox o = Outbox.open(hub, () -> { }, overflows::incrementAndGet);
        o.subscribe(topic, id, null);
        assertEquals(1, overflows.get());
        assertTrue(o.overflowed());
        assertEquals(1, hub.stats().evicted());
        assertEquals(0, topic.subscriberCount(), "the fallen-behind subscription is gone");
    }
}
