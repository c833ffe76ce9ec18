package dev.starwire.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.PatchSignals;
import dev.starwire.SseWriter;
import dev.starwire.hub.spi.Outbox;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The fan-out through the topic's ring: runs in outboxes, their order with other frames, and their limits. */
class FanOutRunsTest {
    private static final Pattern KEY = Pattern.compile("\"k\":\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\nid: ([^\n]+)\n");

    private static PatchSignals event(String key) {
        return PatchSignals.ofJson("{\"k\":\"" + key + "\"}");
    }

    private static PatchSignals event(String key, int padding) {
        return PatchSignals.ofJson("{\"k\":\"" + key + "\",\"p\":\"" + "x".repeat(padding) + "\"}");
    }

    private static String key(byte[] frame) {
        Matcher m = KEY.matcher(new String(frame, StandardCharsets.UTF_8));
        assertTrue(m.find(), "a frame of the test");
        return m.group(1);
    }

    private static String id(byte[] frame) {
        Matcher m = ID.matcher(new String(frame, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : null;
    }

    private static List<String> drainKeys(Outbox out) {
        List<String> keys = new ArrayList<>();
        for (byte[] f; (f = out.poll()) != null; ) {
            keys.add(key(f));
        }
        return keys;
    }

    private static Outbox open(Hub hub) {
        return Outbox.open(hub, () -> { }, () -> { });
    }

    private static List<String> keys(String prefix, int from, int to) {
        List<String> keys = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            keys.add(prefix + i);
        }
        return keys;
    }

    @Test
    void aRunWhoseFramesTheRingDroppedEvictsItsSubscriberWhichCatchesUpByReplay() {
        int small = SseWriter.encode(event("a1")).length + 30; // with room for its id line
        Hub hub = Hub.builder().queueLimits(new QueueLimits(1000, 2L * small)).build();
        Topic topic = hub.topic("t");
        AtomicReference<Outbox> slow = new AtomicReference<>();
        AtomicBoolean armed = new AtomicBoolean();
        List<String> pollSeen = new ArrayList<>();
        // Joins first, so the fan-out reaches it first: its writer runs on the fan-out's thread and, once armed,
        // polls the slow outbox after the ring took the new frame and before the fan-out reaches the slow one.
        Outbox[] early = new Outbox[1];
        early[0] = Outbox.open(hub, () -> {
            while (early[0].poll() != null) {
                // drained at once
            }
            if (armed.get()) {
                byte[] f = slow.get().poll();
                pollSeen.add(f == null ? "nothing" : key(f));
            }
        }, () -> { });
        early[0].subscribe(topic);
        AtomicBoolean overflowed = new AtomicBoolean();
        slow.set(Outbox.open(hub, () -> { }, () -> overflowed.set(true)));
        slow.get().subscribe(topic);

        String read = topic.publish(event("a0")).join();
        assertEquals("a0", key(slow.get().poll()));
        topic.publish(event("a1")).join();
        topic.publish(event("a2")).join();
        assertEquals(2, slow.get().size(), "two small frames fit its byte limit");
        armed.set(true);
        topic.publish(event("a3", 4 * small)).join(); // alone beyond the limit: the ring keeps only it now

        assertEquals(List.of("nothing"), pollSeen, "a1 and a2 fell out of the ring before they were read");
        assertTrue(overflowed.get());
        assertTrue(slow.get().overflowed());
        assertTrue(slow.get().isClosed());
        assertEquals(1, hub.stats().evicted());
        assertEquals(0, hub.stats().queuedBytes(), "what it held is released");

        Outbox again = open(hub); // the client reconnects from what it read
        again.subscribe(topic, read, null);
        assertEquals(List.of("a1", "a2", "a3"), drainKeys(again));
        assertEquals(1, hub.stats().replayHits());
    }

    @Test
    void theRingLetsGoOfFramesOnceEveryOutboxHasReadThemButNotBefore() {
        Hub hub = Hub.inMemory();
        Topic topic = hub.topic("t");
        Outbox[] fast = new Outbox[1];
        fast[0] = Outbox.open(hub, () -> {
            while (fast[0].poll() != null) {
                // keeps up
            }
        }, () -> { });
        fast[0].subscribe(topic);
        Outbox slow = open(hub);
        slow.subscribe(topic);
        for (int i = 0; i < 100; i++) { // 2 KB each: well above what the ring keeps without asking
            topic.publish(event("b" + i, 2000)).join();
        }
        assertTrue(topic.ring().frame(0) != null, "the slow outbox still holds the first frame");
        assertEquals(keys("b", 0, 99), drainKeys(slow));
        for (int i = 100; i < 192; i++) {
            topic.publish(event("b" + i, 2000)).join();
            slow.poll();
        }
        assertNull(topic.ring().frame(190), "read by everyone: let go of at the next check");
        assertTrue(topic.ring().frame(191) != null, "the newest stays");
    }

    @Test
    void directFramesLiveRunsOfTwoTopicsAndReplayPagesComeOutInOfferOrder() {
        Hub hub = Hub.inMemory();
        Topic t = hub.topic("t");
        Topic u = hub.topic("u");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(t.publish(event("t" + i)).join());
        }
        Outbox out = open(hub);
        out.offer(event("d0"));
        Subscription fromT = out.subscribe(t, ids.get(0), null); // the replay queues page by page from t1
        assertEquals(Subscription.PAGE_EVENTS, out.size(), "d0 and one page's worth of the replay");
        t.publish(event("live1")).join(); // held back until the replay is done
        out.offer(event("d1"));
        out.subscribe(u);
        u.publish(event("u1")).join();
        t.publish(event("live2")).join();

        List<String> expected = new ArrayList<>(List.of("d0"));
        expected.addAll(keys("t", 1, 63));
        expected.addAll(List.of("d1", "u1"));
        expected.addAll(keys("t", 64, 99)); // the next pages, queued as the client read the first
        expected.addAll(List.of("live1", "live2"));
        List<byte[]> frames = new ArrayList<>();
        for (byte[] f; (f = out.poll()) != null; ) {
            frames.add(f);
        }
        assertEquals(expected, frames.stream().map(FanOutRunsTest::key).toList());
        for (byte[] f : frames.subList(1, 64)) {
            assertEquals(ids.get(Integer.parseInt(key(f).substring(1))), id(f), "replayed with its id");
        }

        u.publish(event("u2")).join();
        out.offer(event("d2"));
        t.publish(event("live3")).join();
        t.publish(event("live4")).join();
        u.publish(event("u3")).join();
        out.offer(event("d3"));
        t.publish(event("live5")).join();
        assertEquals(7, out.size());
        assertEquals(List.of("u2", "d2", "live3", "live4", "u3", "d3", "live5"), drainKeys(out));

        t.publish(event("live6")).join();
        t.publish(event("live7")).join();
        fromT.close(); // what it queued stays readable, however far the topic moves on
        for (int i = 0; i < 3000; i++) {
            t.publish(event("later" + i)).join();
        }
        u.publish(event("u4")).join();
        assertEquals(List.of("live6", "live7", "u4"), drainKeys(out));
        assertFalse(out.isClosed());
        assertEquals(0, hub.stats().queuedBytes());
    }

    @Test
    void joinsAndLeavesDuringAFanOutReachExactlyTheSubscribersOfEachEvent() {
        Hub hub = Hub.inMemory();
        Topic topic = hub.topic("t");
        List<Outbox> stay = new ArrayList<>();
        List<Subscription> leaving = new ArrayList<>();
        List<Outbox> leavingOut = new ArrayList<>();
        List<Outbox> joined = new ArrayList<>();
        int[] during = {-1};
        // Its writer runs on the fan-out's thread (it joined first, so it is reached first): during event 5
        // half of the others leave and 100 join (the slots grow while the fan-out walks them); during event 8
        // the newcomers leave again (the slots are compacted while the fan-out walks them).
        Outbox[] agitator = new Outbox[1];
        agitator[0] = Outbox.open(hub, () -> {
            for (byte[] f; (f = agitator[0].poll()) != null; ) {
                int n = Integer.parseInt(key(f).substring(1));
                if (n == 5) {
                    during[0] = n;
                    leaving.forEach(Subscription::close);
                    for (int i = 0; i < 100; i++) {
                        Outbox o = open(hub);
                        o.subscribe(topic);
                        joined.add(o);
                    }
                } else if (n == 8) {
                    for (Outbox o : joined.subList(0, 90)) {
                        o.close(); // its subscription ends when the fan-out reaches it
                    }
                }
            }
        }, () -> { });
        agitator[0].subscribe(topic);
        for (int i = 0; i < 40; i++) {
            Outbox o = open(hub);
            Subscription s = o.subscribe(topic);
            if (i % 2 == 0) {
                stay.add(o);
            } else {
                leaving.add(s);
                leavingOut.add(o);
            }
        }
        for (int i = 0; i < 12; i++) {
            topic.publish(event("e" + i)).join();
        }
        assertEquals(5, during[0]);
        for (Outbox o : stay) {
            assertEquals(keys("e", 0, 11), drainKeys(o));
        }
        for (Outbox o : leavingOut) {
            assertEquals(keys("e", 0, 4), drainKeys(o), "nothing after it left");
            assertFalse(o.isClosed(), "leaving a topic keeps the outbox");
        }
        for (Outbox o : joined.subList(0, 90)) {
            assertTrue(o.isClosed());
            assertNull(o.poll());
        }
        for (Outbox o : joined.subList(90, 100)) {
            List<String> got = drainKeys(o);
            if (got.size() == 7) {
                assertEquals("e5", got.remove(0), "the fan-out running at the join may reach it");
            }
            assertEquals(keys("e", 6, 11), got, "every event after the join, once");
        }
        assertEquals(1 + 20 + 10, topic.subscriberCount());
        assertEquals(1 + 20 + 10, hub.stats().subscribers());
    }

    @Test
    void concurrentPublishersJoinsAndLeavesLoseNothingAndKeepEachSubscribersOrder() throws Exception {
        Hub hub = Hub.inMemory();
        Topic topic = hub.topic("t");
        int publishers = 4;
        int each = 400;
        int readers = 20;
        List<Outbox> outs = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            Outbox o = open(hub);
            o.subscribe(topic);
            outs.add(o);
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean publishing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int publisher = p;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        topic.publish(event("p" + publisher + "-" + i)).join();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        List<List<byte[]>> got = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            got.add(Collections.synchronizedList(new ArrayList<>()));
        }
        for (int half = 0; half < 2; half++) {
            int from = half * readers / 2;
            threads.add(new Thread(() -> { // a writer thread draining its share of the outboxes as they fill
                try {
                    start.await();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    boolean done = false;
                    while (!done && System.nanoTime() < deadline) {
                        done = !publishing.get();
                        for (int r = from; r < from + readers / 2; r++) {
                            for (byte[] f; (f = outs.get(r).poll()) != null; ) {
                                got.get(r).add(f);
                            }
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.add(new Thread(() -> { // joins and leaves all along
            try {
                start.await();
                while (publishing.get()) {
                    List<Outbox> churn = new ArrayList<>();
                    List<Subscription> subs = new ArrayList<>();
                    for (int i = 0; i < 30; i++) {
                        Outbox o = open(hub);
                        subs.add(o.subscribe(topic));
                        churn.add(o);
                    }
                    for (int i = 0; i < 30; i++) { // a stream ends: both, in either order
                        if (i % 2 == 0) {
                            churn.get(i).close();
                            subs.get(i).close();
                        } else {
                            subs.get(i).close();
                            churn.get(i).close();
                        }
                    }
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }));
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads.subList(0, publishers)) {
            t.join(60_000);
        }
        publishing.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertEquals(List.of(), List.copyOf(failures));
        for (int r = 0; r < readers; r++) {
            List<byte[]> frames = got.get(r);
            assertEquals(publishers * each, frames.size(), "reader " + r + " got every event once");
            int[] next = new int[publishers];
            String previous = null;
            for (byte[] f : frames) {
                String[] k = key(f).substring(1).split("-");
                int publisher = Integer.parseInt(k[0]);
                assertEquals(next[publisher]++, Integer.parseInt(k[1]), "each publisher's order");
                String id = id(f);
                assertTrue(previous == null || hub.backend().compare(previous, id) < 0, "ids in order");
                previous = id;
            }
        }
        HubStats stats = hub.stats();
        assertEquals((long) readers * publishers * each, stats.delivered());
        assertEquals(0, stats.queuedBytes());
        assertEquals(0, stats.evicted());
        assertEquals(readers, topic.subscriberCount());
        assertEquals(readers, stats.subscribers());
    }
}
