package dev.starwire.hub;

import dev.starwire.DatastarEvent;
import dev.starwire.SseWriter;
import dev.starwire.hub.spi.Outbox;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The hub's {@link Outbox}: a queue of frames bounded by the hub's {@link QueueLimits}, counted in its
 * {@link HubStats}. Besides what adapters use, it offers the paged queueing a {@link Subscription} needs to
 * replay without holding more than one page per client. Every method is thread-safe; callbacks run outside
 * the lock.
 */
final class HubOutbox implements Outbox {
    private final QueueLimits limits;
    private final Counters counters;
    private final Runnable readable;
    private final Runnable overflowed;
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private long bytes;
    private boolean closed;
    private boolean overflow;
    private Runnable whenEmpty;

    HubOutbox(QueueLimits limits, Counters counters, Runnable readable, Runnable overflowed) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.counters = counters;
        this.readable = Objects.requireNonNull(readable, "readable");
        this.overflowed = Objects.requireNonNull(overflowed, "overflowed");
    }

    @Override
    public Subscription subscribe(Topic topic) {
        return subscribe(topic, null, null);
    }

    @Override
    public Subscription subscribe(Topic topic, String lastEventId, Runnable sendFullState) {
        return subscribe(topic, lastEventId, 0, sendFullState);
    }

    @Override
    public Subscription subscribe(Topic topic, String lastEventId, int recent, Runnable reset) {
        return Objects.requireNonNull(topic, "topic").subscribe(this, lastEventId, recent, reset);
    }

    /** Encodes and queues one event; {@code false} when the outbox is closed or just overflowed. */
    @Override
    public boolean offer(DatastarEvent event) {
        return offer(SseWriter.encode(event));
    }

    /**
     * Queues one complete SSE frame (shared, never modified); {@code false} when the outbox is closed or this
     * frame made it overflow.
     */
    @Override
    public boolean offer(byte[] frame) {
        boolean overflowedNow = false;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (!frames.isEmpty()
                    && (frames.size() >= limits.maxEvents() || bytes + frame.length > limits.maxBytes())) {
                overflow = true;
                overflowedNow = true;
                closeLocked();
                counters.evicted.increment();
            } else {
                frames.addLast(frame);
                bytes += frame.length;
                counters.queuedBytes.add(frame.length);
                if (frames.size() > 1) {
                    return true; // the writer is already due to drain
                }
            }
        }
        if (overflowedNow) {
            overflowed.run();
            return false;
        }
        readable.run();
        return true;
    }

    /** The limits this outbox enforces. */
    QueueLimits limits() {
        return limits;
    }

    /** A replay frame was queued; see {@link #offerPage}. */
    static final int QUEUED = 1;
    /** A replay frame did not fit the page budget and was not queued; the outbox stays open. */
    static final int NO_ROOM = 0;
    /** The outbox is closed; nothing more can be queued. */
    static final int CLOSED = -1;

    /**
     * Queues a frame of a replay page only if it fits both the limits and the page ({@code pageEvents},
     * {@code pageBytes}), or the outbox is empty (one frame always fits); unlike {@link #offer}, a frame that
     * does not fit leaves the outbox open, so the replay goes on once the client has read what is queued.
     *
     * @return {@link #QUEUED}, {@link #NO_ROOM} or {@link #CLOSED}
     */
    int offerPage(byte[] frame, int pageEvents, long pageBytes) {
        synchronized (this) {
            if (closed) {
                return CLOSED;
            }
            if (!frames.isEmpty() && (frames.size() >= Math.min(pageEvents, limits.maxEvents())
                    || bytes + frame.length > Math.min(pageBytes, limits.maxBytes()))) {
                return NO_ROOM;
            }
            frames.addLast(frame);
            bytes += frame.length;
            counters.queuedBytes.add(frame.length);
            if (frames.size() > 1) {
                return QUEUED;
            }
        }
        readable.run();
        return QUEUED;
    }

    /**
     * Runs {@code task} once, right after the outbox has been drained empty (on the thread that polled the
     * last frame), or returns {@code false} without keeping it when the outbox is empty already (the caller
     * goes on itself) or closed. One task at a time; it is dropped when the outbox closes.
     */
    boolean whenEmpty(Runnable task) {
        synchronized (this) {
            if (closed || frames.isEmpty()) {
                return false;
            }
            whenEmpty = task;
            return true;
        }
    }

    /** Closes the outbox as overflowed (counted, reported), e.g. when it fell behind while catching up. */
    void overflow() {
        synchronized (this) {
            if (closed) {
                return;
            }
            overflow = true;
            closeLocked();
            counters.evicted.increment();
        }
        overflowed.run();
    }

    /** The next frame to write, or {@code null} when there is none (or the outbox is closed). */
    @Override
    public byte[] poll() {
        byte[] frame;
        Runnable drained = null;
        synchronized (this) {
            frame = frames.pollFirst();
            if (frame != null) {
                bytes -= frame.length;
                counters.queuedBytes.add(-frame.length);
                counters.delivered.increment();
                if (frames.isEmpty() && whenEmpty != null) {
                    drained = whenEmpty;
                    whenEmpty = null;
                }
            }
        }
        if (drained != null) {
            drained.run(); // e.g. queue the next replay page; outside the lock, it offers to this outbox
        }
        return frame;
    }

    /** Whether a frame is waiting. */
    @Override
    public synchronized boolean isEmpty() {
        return frames.isEmpty();
    }

    /** Bytes waiting now. */
    @Override
    public synchronized long queuedBytes() {
        return bytes;
    }

    /** Frames waiting now. */
    @Override
    public synchronized int size() {
        return frames.size();
    }

    /** Whether the outbox was closed, by {@link #close()} or by an overflow. */
    @Override
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Whether the outbox closed because its client read too slowly. */
    @Override
    public synchronized boolean overflowed() {
        return overflow;
    }

    /** Closes the outbox and drops what it still held; later offers return {@code false}. Idempotent. */
    @Override
    public synchronized void close() {
        closeLocked();
    }

    private void closeLocked() {
        if (!closed) {
            closed = true;
            counters.queuedBytes.add(-bytes);
            bytes = 0;
            frames.clear();
            whenEmpty = null;
        }
    }
}
