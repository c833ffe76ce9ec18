package dev.starwire.hub;

import dev.starwire.DatastarEvent;
import dev.starwire.SseWriter;
import dev.starwire.hub.spi.Outbox;
import dev.starwire.hub.spi.Outbox.LiveWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The hub's {@link Outbox}: a queue of frames bounded by the hub's {@link QueueLimits}, counted in its
 * {@link HubStats}. Besides what adapters use, it offers the paged queueing a {@link Subscription} needs to
 * replay without holding more than one page per client. Every method is thread-safe; callbacks run outside
 * the lock.
 *
 * <p>The queue is a deque of segments, in offer order: a direct frame ({@code byte[]}: direct sends, replay
 * pages) or a {@link Run} of a topic's live frames, consecutive in the topic's {@link FrameRing}. A live event
 * that follows the run at the tail only counts one more in it (a primitive store), so the fan-out stores no
 * reference per subscriber and event; anything else appends a segment. {@link #poll()} reads a run's frames
 * from the ring. A run whose next frame the ring no longer keeps lagged beyond the limits: the outbox
 * overflows, as it would have when that frame was offered.
 *
 * <p>An outbox opened with a {@link LiveWriter} queues only what that writer refuses: a live event that finds
 * nothing queued (and its subscription not catching up) goes to the writer first, on the fan-out's thread.
 *
 * <p>The outbox's monitor also guards the delivery state of the subscriptions feeding it (see
 * {@link Subscription}), so a live event, a catch-up's end and a close are ordered with the queue.
 */
final class HubOutbox implements Outbox {
    /** A replay frame was queued; see {@link #offerPage}. */
    static final int QUEUED = 1;
    /** A replay frame did not fit the page budget and was not queued; the outbox stays open. */
    static final int NO_ROOM = 0;
    /** The outbox is closed; nothing more can be queued. */
    static final int CLOSED = -1;
    /** Frames taken before the delivered count and queued bytes are reported to the hub's counters. */
    private static final int REPORT_EVERY = 64;
    private static final VarHandle EVENTS;

    static {
        try {
            EVENTS = MethodHandles.lookup().findVarHandle(HubOutbox.class, "events", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final QueueLimits limits;
    private final Counters counters;
    private final Runnable readable;
    /** Writes a live event at once when nothing is queued; {@code null}: every event is queued. */
    private final LiveWriter live;
    private final Runnable overflowed;
    private final int maxEvents;
    private final long maxBytes;
    private ArrayDeque<Object> segments = new ArrayDeque<>(4); // byte[] or Run
    private Object last; // segments' tail: a live event checks its run against it without touching the deque
    private int events; // written under the lock; read without it by poll's empty check
    private long bytes;
    private int takenUnreported;
    private long takenBytesUnreported;
    private boolean closed;
    private boolean overflow;
    private Runnable whenEmpty;

    HubOutbox(QueueLimits limits, Counters counters, Runnable readable, LiveWriter live, Runnable overflowed) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.maxEvents = limits.maxEvents();
        this.maxBytes = limits.maxBytes();
        this.counters = counters;
        this.readable = Objects.requireNonNull(readable, "readable");
        this.live = live;
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
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (!fitsLocked(frame.length)) {
                overflowLocked();
                frame = null;
            } else {
                appendFrameLocked(frame);
                counters.queuedBytes.add(frame.length);
                if (events > 1) {
                    return true; // the writer is already due to drain
                }
            }
        }
        if (frame == null) {
            overflowed.run(); // outside the lock
            return false;
        }
        readable.run();
        return true;
    }

    /** The limits this outbox enforces. */
    QueueLimits limits() {
        return limits;
    }

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
            if (events > 0 && (events >= Math.min(pageEvents, maxEvents)
                    || bytes + frame.length > Math.min(pageBytes, maxBytes))) {
                return NO_ROOM;
            }
            appendFrameLocked(frame);
            counters.queuedBytes.add(frame.length);
            if (events > 1) {
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
            if (closed || events == 0) {
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
            overflowLocked();
        }
        overflowed.run();
    }

    /** The next frame to write, or {@code null} when there is none (or the outbox is closed). */
    @Override
    public byte[] poll() {
        if ((int) EVENTS.getOpaque(this) == 0) {
            return null; // an offer that makes it non-empty runs readable again: nothing is missed
        }
        byte[] frame;
        Runnable drained = null;
        synchronized (this) {
            if (events == 0) {
                return null;
            }
            frame = takeLocked();
            if (frame == null) {
                overflowLocked(); // a run fell out of its topic's ring: this client lagged beyond its limits
            } else {
                events--;
                bytes -= frame.length;
                takenUnreported++;
                takenBytesUnreported += frame.length;
                if (events == 0 || takenUnreported >= REPORT_EVERY) {
                    reportTakenLocked();
                }
                if (events == 0 && whenEmpty != null) {
                    drained = whenEmpty;
                    whenEmpty = null;
                }
            }
        }
        if (frame == null) {
            overflowed.run();
            return null;
        }
        if (drained != null) {
            drained.run(); // e.g. queue the next replay page; outside the lock, it offers to this outbox
        }
        return frame;
    }

    /** Whether a frame is waiting. */
    @Override
    public synchronized boolean isEmpty() {
        return events == 0;
    }

    /** Bytes waiting now. */
    @Override
    public synchronized long queuedBytes() {
        return bytes;
    }

    /** Frames waiting now. */
    @Override
    public synchronized int size() {
        return events;
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

    // ---- for Subscription, holding this outbox's monitor ----

    boolean isClosedLocked() {
        return closed;
    }

    int eventsLocked() {
        return events;
    }

    long queuedBytesLocked() {
        return bytes;
    }

    /** Adds live bytes just queued to the hub's count (the fan-out does so once per event for all outboxes). */
    void countQueued(long length) {
        counters.queuedBytes.add(length);
    }

    /** Whether one more frame of {@code length} bytes fits the limits (one frame always fits an empty outbox). */
    boolean fitsLocked(long length) {
        return events == 0 || (events < maxEvents && bytes + length <= maxBytes);
    }

    /**
     * Queues the live frames {@code first .. first + count - 1} of {@code owner}'s topic, {@code length} bytes in
     * all: counted in the run at the tail when they follow it, else in a new run.
     */
    void appendRunLocked(Subscription owner, long first, int count, long length) {
        Run r = owner.run;
        if (last == r && r != null && (r.count == 0 || r.first + r.count == first)) {
            if (r.count == 0) {
                r.first = first;
            }
            r.count += count;
        } else {
            dropEmptyTailLocked();
            if (r == null || r.queued) {
                r = new Run(owner);
                owner.run = r;
            }
            r.first = first;
            r.count = count;
            r.queued = true;
            segments.addLast(r);
            last = r;
        }
        events += count;
        bytes += length;
    }

    /**
     * Replaces the queued runs of {@code owner} by their frames, so what it queued stays readable however far
     * its topic moves on; {@code false} when a frame was no longer kept (then the caller overflows the outbox).
     */
    boolean detachRunsLocked(Subscription owner) {
        boolean any = false;
        for (Object o : segments) {
            if (o instanceof Run r && r.owner == owner) {
                any = true;
                break;
            }
        }
        if (!any) {
            return true;
        }
        ArrayDeque<Object> copy = new ArrayDeque<>(Math.max(4, events));
        for (Object o : segments) {
            if (o instanceof Run r && r.owner == owner) {
                for (int i = 0; i < r.count; i++) {
                    byte[] frame = r.owner.ring().frame(r.first + i);
                    if (frame == null) {
                        return false;
                    }
                    copy.addLast(frame);
                }
                r.count = 0;
                r.queued = false;
            } else {
                copy.addLast(o);
            }
        }
        segments = copy;
        last = copy.peekLast();
        return true;
    }

    /** Marks the outbox overflowed and closes it; the caller runs {@link #reportOverflow()} outside the lock. */
    void overflowLocked() {
        overflow = true;
        closeLocked();
        counters.evicted.increment();
    }

    /** Runs the overflow callback; outside the lock, after {@link #overflowLocked()}. */
    void reportOverflow() {
        overflowed.run();
    }

    /** Runs the readable callback; outside the lock, after the outbox went from empty to not empty. */
    void wakeWriter() {
        readable.run();
    }

    /** The adapter's writer of live events, or {@code null}; see {@link Outbox#open(Hub, Runnable, LiveWriter, Runnable)}. */
    LiveWriter live() {
        return live;
    }

    private void appendFrameLocked(byte[] frame) {
        dropEmptyTailLocked();
        segments.addLast(frame);
        last = frame;
        events++;
        bytes += frame.length;
    }

    /** A run drained to nothing stays at the tail to be reused; before another segment, it goes. */
    private void dropEmptyTailLocked() {
        if (last instanceof Run r && r.count == 0) {
            segments.pollLast();
            last = segments.peekLast();
            r.queued = false;
        }
    }

    /** The next frame (events > 0), or {@code null} when the run at the head fell out of its ring. */
    private byte[] takeLocked() {
        for (;;) {
            Object head = segments.peekFirst();
            if (head instanceof byte[] frame) {
                segments.pollFirst();
                if (frame == last) {
                    last = segments.peekLast();
                }
                return frame;
            }
            Run r = (Run) head;
            if (r.count == 0) { // an emptied run kept for reuse, with segments after it
                segments.pollFirst();
                r.queued = false;
                continue;
            }
            byte[] frame = r.owner.ring().frame(r.first);
            if (frame == null) {
                return null;
            }
            r.first++;
            r.count--;
            if (r.count == 0 && segments.size() > 1) {
                segments.pollFirst();
                r.queued = false;
            }
            return frame;
        }
    }

    private void reportTakenLocked() {
        if (takenUnreported > 0) {
            counters.delivered.add(takenUnreported);
            counters.queuedBytes.add(-takenBytesUnreported);
            takenUnreported = 0;
            takenBytesUnreported = 0;
        }
    }

    private void closeLocked() {
        if (!closed) {
            closed = true;
            reportTakenLocked();
            counters.queuedBytes.add(-bytes);
            bytes = 0;
            events = 0;
            for (Object o : segments) {
                if (o instanceof Run r) {
                    r.count = 0;
                    r.queued = false;
                }
            }
            segments.clear();
            last = null;
            whenEmpty = null;
        }
    }

    /** Consecutive live frames of one subscription's topic, read from the topic's ring. Guarded by the outbox. */
    static final class Run {
        final Subscription owner;
        long first;
        int count;
        boolean queued;

        Run(Subscription owner) {
            this.owner = owner;
        }
    }
}
