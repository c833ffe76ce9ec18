package dev.starwire.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.starwire.PatchSignals;
import dev.starwire.SseWriter;
import dev.starwire.hub.spi.Outbox;
import dev.starwire.hub.spi.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * An outbox fed by two topics' runs and direct frames behaves exactly like a plain bounded queue of frames: the
 * same frames in the same order, the same size, bytes and overflow, whatever mix of live events, direct frames,
 * polls, joins and leaves (a leave keeps what was queued while the topic moves on past its ring).
 */
class OutboxModelPropertiesTest {
    private static final Pattern KEY = Pattern.compile("\"k\":\"([^\"]+)\"");

    /** The reference: a queue of (key, length) with the limits' rule per offered frame. */
    private static final class Model {
        final int maxEvents;
        final long maxBytes;
        final ArrayDeque<String> keys = new ArrayDeque<>();
        final ArrayDeque<Integer> lengths = new ArrayDeque<>();
        long bytes;
        boolean closed;
        boolean overflowed;

        Model(int maxEvents, long maxBytes) {
            this.maxEvents = maxEvents;
            this.maxBytes = maxBytes;
        }

        void offer(String key, int length) {
            if (closed) {
                return;
            }
            if (!keys.isEmpty() && (keys.size() >= maxEvents || bytes + length > maxBytes)) {
                closed = true;
                overflowed = true;
                keys.clear();
                lengths.clear();
                bytes = 0;
                return;
            }
            keys.addLast(key);
            lengths.addLast(length);
            bytes += length;
        }

        String poll() {
            if (closed || keys.isEmpty()) {
                return null;
            }
            bytes -= lengths.pollFirst();
            return keys.pollFirst();
        }
    }

    @Provide
    Arbitrary<List<int[]>> actions() {
        return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 120))
                .as((op, arg) -> new int[] {op, arg}).list().ofMaxSize(150);
    }

    @Property(tries = 300)
    void behavesLikeABoundedQueueOfFrames(@ForAll @IntRange(min = 1, max = 6) int maxEvents,
                                          @ForAll @IntRange(min = 60, max = 400) int maxBytes,
                                          @ForAll("actions") List<int[]> actions) {
        try (Hub hub = Hub.builder().queueLimits(new QueueLimits(maxEvents, maxBytes)).build()) {
            Topic t = hub.topic("t");
            Topic u = hub.topic("u");
            Outbox out = Outbox.open(hub, () -> { }, () -> { });
            Model model = new Model(maxEvents, maxBytes);
            Subscription onT = out.subscribe(t);
            Subscription onU = null;
            long polled = 0;
            int n = 0;
            for (int[] action : actions) {
                int arg = action[1];
                switch (action[0]) {
                    case 0, 1 -> n = publish(t, onT, model, n, arg);
                    case 2 -> n = publish(u, onU, model, n, arg);
                    case 3 -> {
                        String key = "k" + n++;
                        byte[] frame = SseWriter.encode(event(key, arg));
                        out.offer(frame);
                        model.offer(key, frame.length);
                    }
                    case 4, 5, 9 -> {
                        byte[] frame = out.poll();
                        String expected = model.poll();
                        assertEquals(expected, frame == null ? null : key(frame));
                        polled += frame == null ? 0 : 1;
                    }
                    case 6 -> {
                        if (onT == null) {
                            onT = out.subscribe(t);
                        } else {
                            onT.close();
                            onT = null;
                        }
                    }
                    case 7 -> {
                        if (onU == null) {
                            onU = out.subscribe(u);
                        } else {
                            onU.close();
                            onU = null;
                        }
                    }
                    case 8 -> {
                        for (int i = 0; i <= arg % 40; i++) { // moves t past its ring
                            n = publish(t, onT, model, n, arg % 10);
                        }
                    }
                    default -> throw new IllegalStateException();
                }
                if (onT != null && onT.isClosed()) {
                    onT = null;
                }
                if (onU != null && onU.isClosed()) {
                    onU = null;
                }
                assertEquals(model.closed, out.isClosed());
                assertEquals(model.overflowed, out.overflowed());
                assertEquals(model.keys.size(), out.size());
                assertEquals(model.bytes, out.queuedBytes());
                if (model.closed) { // the client reconnects at once
                    out = Outbox.open(hub, () -> { }, () -> { });
                    model = new Model(maxEvents, maxBytes);
                    onT = out.subscribe(t);
                    onU = null;
                }
            }
            for (byte[] frame; (frame = out.poll()) != null; ) {
                assertEquals(model.poll(), key(frame));
                polled++;
            }
            assertNull(model.poll());
            assertEquals(0, hub.stats().queuedBytes());
            assertEquals(polled, hub.stats().delivered());
        }
    }

    /** Publishes one event to {@code topic}; the model gets it when {@code subscribed}. */
    private static int publish(Topic topic, Subscription subscribed, Model model, int n, int padding) {
        String key = "k" + n;
        String id = topic.publish(event(key, padding)).join();
        if (subscribed != null) {
            byte[] framed = Topic.withId(new StoredEvent(id,
                    SseWriter.encode(event(key, padding))));
            model.offer(key, framed.length);
        }
        return n + 1;
    }

    private static PatchSignals event(String key, int padding) {
        return PatchSignals.ofJson("{\"k\":\"" + key + "\",\"p\":\"" + "x".repeat(padding) + "\"}");
    }

    private static String key(byte[] frame) {
        Matcher m = KEY.matcher(new String(frame, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : "?";
    }
}
