package dev.starwire.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.PatchSignals;
import dev.starwire.hub.spi.Outbox;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Topic events written at once by an adapter's {@link Outbox.LiveWriter} instead of queued. */
class LiveWriterTest {
    private final Hub hub = Hub.inMemory();
    private final Topic topic = hub.topic("t");
    private final Connection c = new Connection();

    /** A connection: what was written, in order, and whether it takes bytes now. */
    private static final class Connection implements Outbox.LiveWriter {
        final List<String> written = new ArrayList<>();
        final AtomicBoolean takes = new AtomicBoolean(true);
        final AtomicInteger offered = new AtomicInteger();

        @Override
        public boolean write(byte[] frame) {
            offered.incrementAndGet();
            if (!takes.get()) {
                return false;
            }
            written.add(value(frame));
            return true;
        }

        /** What a writer thread does: write everything queued. */
        void drain(Outbox outbox) {
            for (byte[] f; (f = outbox.poll()) != null; ) {
                written.add(value(f));
            }
        }
    }

    private static PatchSignals n(int i) {
        return PatchSignals.ofJson("{\"n\":" + i + "}");
    }

    /** The {@code n} of a frame {@code ...data: signals {"n":7}...}, or its whole text for any other frame. */
    private static String value(byte[] frame) {
        String text = new String(frame, StandardCharsets.UTF_8);
        int at = text.indexOf("{\"n\":");
        return at < 0 ? text : text.substring(at + 5, text.indexOf('}', at));
    }

    @Test
    void eventsGoStraightToTheConnectionWhileNothingIsQueued() {
        AtomicInteger readable = new AtomicInteger();
        Outbox out = Outbox.open(hub, readable::incrementAndGet, c, () -> { });
        out.subscribe(topic);
        for (int i = 1; i <= 5; i++) {
            topic.publish(n(i)).join();
        }
        assertEquals(List.of("1", "2", "3", "4", "5"), c.written);
        assertTrue(out.isEmpty());
        assertEquals(0, readable.get(), "nothing was queued, so no writer was woken");
        assertEquals(5, hub.stats().delivered());
        assertEquals(0, hub.stats().queuedBytes());
    }

    @Test
    void whatTheConnectionRefusesIsQueuedAndLaterEventsWaitBehindIt() {
        AtomicInteger readable = new AtomicInteger();
        Outbox out = Outbox.open(hub, readable::incrementAndGet, c, () -> { });
        out.subscribe(topic);
        topic.publish(n(1)).join();
        c.takes.set(false); // e.g. a write is pending
        topic.publish(n(2)).join();
        c.takes.set(true);  // the socket drained, but event 2 is still queued: 3 must not overtake it
        topic.publish(n(3)).join();
        assertEquals(2, c.offered.get(), "event 3 is not offered while event 2 waits in the queue");
        assertEquals(1, readable.get(), "the writer was woken once, when the queue became non-empty");
        c.drain(out);
        topic.publish(n(4)).join(); // the queue is empty again: straight to the connection
        assertEquals(List.of("1", "2", "3", "4"), c.written);
        assertEquals(4, hub.stats().delivered());
        assertEquals(0, hub.stats().queuedBytes());
    }

    @Test
    void aDirectSendQueuedFirstKeepsItsPlace() {
        Outbox out = Outbox.open(hub, () -> { }, c, () -> { });
        out.subscribe(topic);
        out.offer(n(100)); // a direct send waits for the writer thread
        topic.publish(n(1)).join();
        assertEquals(List.of(), c.written);
        c.drain(out);
        assertEquals(List.of("100", "1"), c.written);
    }

    @Test
    void aSubscriberCatchingUpGetsItsReplayFirstThenTheHeldEventsThenLiveOnes() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ids.add(topic.publish(n(i)).join());
        }
        Outbox out = Outbox.open(hub, () -> { }, c, () -> { });
        out.subscribe(topic, ids.get(0), () -> { throw new AssertionError("no full state expected"); });
        topic.publish(n(4)).join(); // while 2 and 3 wait in the outbox: queued behind them
        c.drain(out);
        topic.publish(n(5)).join(); // caught up, queue empty: straight to the connection
        assertEquals(List.of("2", "3", "4", "5"), c.written);
        assertNull(out.poll());
    }

    @Test
    void aClosedOutboxGetsNothing() {
        Outbox out = Outbox.open(hub, () -> { }, c, () -> { });
        out.subscribe(topic);
        out.close();
        topic.publish(n(1)).join();
        assertEquals(0, c.offered.get());
        assertEquals(0, hub.stats().subscribers());
    }
}
