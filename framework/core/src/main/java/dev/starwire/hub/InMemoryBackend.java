package dev.starwire.hub;

import dev.starwire.hub.spi.StoredEvent;
import dev.starwire.hub.spi.TopicBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link TopicBackend}: topics live in this process only. Each topic keeps a ring of its most
 * recent events, bounded by a number of events and a number of bytes, for {@code Last-Event-ID} replay.
 *
 * <pre>{@code
 * Hub hub = Hub.builder().backend(new InMemoryBackend(5_000, 16L << 20)).build();
 * }</pre>
 *
 * <p>Ids are decimal numbers, consecutive within a topic. A topic's first id is the time it was created in
 * microseconds, so ids keep increasing across restarts of the process and an id from before a restart reads
 * as older than the window (the client resynchronises) instead of being mistaken for a new event. Listeners
 * run on the publishing thread, under the topic's lock, so they see events exactly in id order; appending
 * never fails.
 */
public final class InMemoryBackend implements TopicBackend {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryBackend.class);

    /** The default ring: the last 1,000 events of a topic, at most 4 MiB. */
    public static final int DEFAULT_MAX_EVENTS = 1000;
    /** See {@link #DEFAULT_MAX_EVENTS}. */
    public static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024;

    private final int maxEvents;
    private final long maxBytes;
    private final ConcurrentHashMap<String, Ring> rings = new ConcurrentHashMap<>();

    /** A backend with the default ring of {@value #DEFAULT_MAX_EVENTS} events or 4 MiB per topic. */
    public InMemoryBackend() {
        this(DEFAULT_MAX_EVENTS, DEFAULT_MAX_BYTES);
    }

    /** A backend keeping, per topic, at most {@code maxEvents} events and {@code maxBytes} bytes for replay. */
    public InMemoryBackend(int maxEvents, long maxBytes) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("the replay ring needs room for at least one event");
        }
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    @Override
    public CompletableFuture<String> append(String topic, byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        return CompletableFuture.completedFuture(ring(topic).append(frame));
    }

    @Override
    public AutoCloseable listen(String topic, Consumer<StoredEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        Ring ring = ring(topic);
        ring.listeners.add(listener);
        return () -> ring.listeners.remove(listener);
    }

    @Override
    public Optional<List<StoredEvent>> replay(String topic, String lastEventId, int maxEvents) {
        checkPageSize(maxEvents);
        long last;
        try {
            last = Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException | NullPointerException e) {
            return Optional.empty(); // not one of ours: the client resynchronises
        }
        return ring(topic).after(last, maxEvents);
    }

    @Override
    public List<StoredEvent> recent(String topic, int maxEvents) {
        checkPageSize(maxEvents);
        return ring(topic).newest(maxEvents);
    }

    /** Answers from memory at once: replay pages are fetched inline. */
    @Override
    public boolean replayBlocks() {
        return false;
    }

    @Override
    public int compare(String a, String b) {
        return Long.compare(Long.parseLong(a), Long.parseLong(b));
    }

    @Override
    public void close() {
        rings.values().forEach(r -> r.listeners.clear());
    }

    private static void checkPageSize(int maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1: " + maxEvents);
        }
    }

    private Ring ring(String topic) {
        Objects.requireNonNull(topic, "topic");
        return rings.computeIfAbsent(topic, t -> new Ring(maxEvents, maxBytes));
    }

    /** One topic: a circular array of its newest events, ids consecutive from oldest to newest. */
    private static final class Ring {
        final List<Consumer<StoredEvent>> listeners = new CopyOnWriteArrayList<>();
        private final StoredEvent[] slots;
        private final long maxBytes;
        private int head; // index of the oldest event
        private int size;
        private long bytes;
        private long nextId = System.currentTimeMillis() * 1000;

        Ring(int maxEvents, long maxBytes) {
            this.slots = new StoredEvent[maxEvents];
            this.maxBytes = maxBytes;
        }

        synchronized String append(byte[] frame) {
            StoredEvent event = new StoredEvent(Long.toString(nextId++), frame);
            if (size == slots.length) {
                dropOldest();
            }
            slots[(head + size) % slots.length] = event;
            size++;
            bytes += frame.length;
            while (bytes > maxBytes && size > 1) {
                dropOldest(); // the newest event always stays, however big
            }
            for (Consumer<StoredEvent> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.error("a topic listener failed on event {}", event.id(), e);
                }
            }
            return event.id();
        }

        synchronized Optional<List<StoredEvent>> after(long last, int maxEvents) {
            long newest = nextId - 1;
            long oldest = nextId - size;
            if (last > newest || last < oldest - 1) {
                return Optional.empty(); // unknown, or events after it were already dropped
            }
            return Optional.of(range(last + 1, Math.min(newest, last + maxEvents)));
        }

        synchronized List<StoredEvent> newest(int maxEvents) {
            long newest = nextId - 1;
            return range(Math.max(nextId - size, newest - maxEvents + 1), newest);
        }

        /** The kept events with ids from {@code from} to {@code to}, both included. */
        private List<StoredEvent> range(long from, long to) {
            long oldest = nextId - size;
            List<StoredEvent> out = new ArrayList<>((int) Math.max(0, to - from + 1));
            for (long id = from; id <= to; id++) {
                out.add(slots[(int) ((head + (id - oldest)) % slots.length)]);
            }
            return out;
        }

        private void dropOldest() {
            bytes -= slots[head].frame().length;
            slots[head] = null;
            head = (head + 1) % slots.length;
            size--;
        }
    }
}
