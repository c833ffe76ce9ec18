package dev.starwire.hub;

import dev.starwire.hub.spi.Outbox;
import dev.starwire.hub.spi.Outbox.LiveWriter;
import dev.starwire.hub.spi.StoredEvent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Outbox} (one client connection) listening to one topic. While it catches up after a reconnect (replay or the topic's newest
 * events), live events are held back as a bounded range of the topic's ring and follow the replay without
 * duplicates; after that they go straight to the outbox, as runs of the ring (see {@link HubOutbox}).
 *
 * <pre>{@code
 * Subscription s = stream.subscribe(topic, () -> stream.send(fullState()));   // a server adapter's stream
 * ...
 * s.close();
 * }</pre>
 *
 * <p>A replay is paged: at most {@value #PAGE_EVENTS} events are fetched from the backend at a time, and at
 * most {@value #PAGE_EVENTS} events or {@value #PAGE_BYTES} bytes of it wait in the outbox; the next page is
 * queued once the client has read the previous one. A client that stops reading therefore pins one page, not the whole replay window, and live
 * events that arrive meanwhile count against the outbox's {@link QueueLimits}: when they would exceed them,
 * the subscriber is evicted like any slow subscriber and catches up again when it reconnects.
 */
public final class Subscription implements AutoCloseable {
    /** Most events fetched from the backend for one replay page. */
    public static final int PAGE_EVENTS = 64;
    /** Most bytes of a replay waiting in the outbox at once (one event always fits an empty outbox). */
    public static final long PAGE_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

    private final Topic topic;
    private final HubOutbox outbox;
    // Delivery state, guarded by the outbox's monitor (one lock orders live events, the catch-up's end, a close
    // and the outbox's queue).
    private boolean catchingUp;    // live events are held back as a range of the topic's ring
    private long pendingFirst;     // the first held back, when pendingCount > 0
    private int pendingCount;
    private long pendingBytes;
    private boolean closed;
    HubOutbox.Run run;             // this subscription's newest run in the outbox
    int slot = -1;                 // in the topic's Subscribers; guarded by them

    // The replay, run by one thread at a time (the subscriber's, then whoever drained the outbox).
    private final Object replayLock = new Object();
    private final ArrayDeque<StoredEvent> fetched = new ArrayDeque<>(); // fetched, not yet queued
    private String position;       // id of the last event queued by the replay; null before the first
    private boolean more;          // the backend may hold events after the fetched ones

    Subscription(Topic topic, HubOutbox outbox, boolean catchingUp) {
        this.topic = topic;
        this.outbox = outbox;
        this.catchingUp = catchingUp;
        this.run = new HubOutbox.Run(this); // allocated beside it: the fan-out touches both
    }

    /** The topic listened to. */
    public Topic topic() {
        return topic;
    }

    /** Stops listening; the outbox itself stays open, with what this subscription queued. Idempotent. */
    @Override
    public void close() {
        boolean lost;
        synchronized (outbox) {
            if (closed) {
                return;
            }
            closed = true;
            catchingUp = false;
            pendingCount = 0;
            lost = !outbox.isClosedLocked() && !outbox.detachRunsLocked(this);
            if (lost) {
                outbox.overflowLocked();
            }
        }
        if (lost) {
            outbox.reportOverflow();
        }
        topic.remove(this);
    }

    /** Whether it stopped listening: closed, or its outbox is closed. */
    public boolean isClosed() {
        synchronized (outbox) {
            return closed || outbox.isClosedLocked();
        }
    }

    /** At most how many of the ring's newest frames this subscription holds (see {@code Topic.oldestHeld}). */
    long held() {
        synchronized (outbox) {
            if (closed || outbox.isClosedLocked()) {
                return 0;
            }
            return catchingUp ? pendingCount : outbox.eventsLocked();
        }
    }

    /** What {@link #deliver} did with a live event. */
    static final int QUEUED = 1;
    /** See {@link #QUEUED}: written to the connection at once by the outbox's live writer. */
    static final int WRITTEN = 2;
    /** See {@link #QUEUED}: held back while catching up. */
    static final int HELD = 0;
    /** See {@link #QUEUED}: this subscription is finished and should be dropped. */
    static final int FINISHED = -1;

    /**
     * The live frame {@code seq} of the topic's ring: written at once by the outbox's live writer when nothing is
     * queued before it ({@link #WRITTEN}, not yet counted as delivered: the fan-out adds them up), else queued
     * ({@link #QUEUED}, not yet counted in the hub's queued bytes: likewise), held back while catching up, or
     * {@link #FINISHED}.
     */
    int deliver(long seq, byte[] frame) {
        LiveWriter live = outbox.live();
        if (live != null) {
            boolean first;
            synchronized (outbox) {
                if (closed || outbox.isClosedLocked()) {
                    return FINISHED;
                }
                first = !catchingUp && outbox.eventsLocked() == 0;
            }
            // Outside the lock (the writer takes its own, then this one to poll). Nothing of this topic can come
            // in between: its fan-out is sequential, and the next event is delivered after this call returns.
            if (first && live.write(frame)) {
                return WRITTEN;
            }
        }
        int length = frame.length;
        boolean wake;
        synchronized (outbox) {
            if (closed || outbox.isClosedLocked()) {
                return FINISHED;
            }
            if (catchingUp) {
                QueueLimits limits = outbox.limits();
                boolean follows = pendingCount == 0 || pendingFirst + pendingCount == seq;
                if (follows && pendingCount < limits.maxEvents() && pendingBytes + length <= limits.maxBytes()) {
                    if (pendingCount == 0) {
                        pendingFirst = seq;
                    }
                    pendingCount++;
                    pendingBytes += length;
                    return HELD;
                }
                LOG.debug("a subscriber of topic '{}' fell too far behind while catching up; evicting it", topic.name());
                outbox.overflowLocked();
                wake = false;
            } else if (outbox.fitsLocked(length)) {
                outbox.appendRunLocked(this, seq, 1, length);
                if (outbox.eventsLocked() > 1) {
                    return QUEUED; // the writer is already due to drain
                }
                wake = true;
            } else {
                outbox.overflowLocked();
                wake = false;
            }
        }
        if (!wake) {
            outbox.reportOverflow(); // reported outside the lock
            return FINISHED;
        }
        outbox.wakeWriter();
        return QUEUED;
    }

    /**
     * Starts the catch-up with the events of a first page, queued after {@code from} (null: nothing queued
     * yet); more pages are fetched when {@code more}. Live events follow when the last page is queued.
     */
    void replay(String from, List<StoredEvent> firstPage, boolean more) {
        synchronized (replayLock) {
            this.position = from;
            this.fetched.addAll(firstPage);
            this.more = more;
        }
        pump();
    }

    /** Ends the catch-up: queues the live events that came meanwhile and are newer than {@code lastQueued}. */
    void goLive(String lastQueued) {
        boolean wake = false;
        boolean lost = false;
        synchronized (outbox) {
            if (!catchingUp) {
                return;
            }
            catchingUp = false;
            FrameRing ring = ring();
            long first = pendingFirst;
            long end = pendingFirst + pendingCount;
            pendingCount = 0;
            pendingBytes = 0;
            if (closed || outbox.isClosedLocked()) {
                return;
            }
            if (lastQueued != null) {
                while (first < end) {
                    String id = ring.id(first);
                    if (id == null) {
                        break; // no longer kept: lost below
                    }
                    if (topic.backend().compare(id, lastQueued) > 0) {
                        break;
                    }
                    first++; // the replay queued it already
                }
            }
            // As if offered one by one: each must fit what is queued before it.
            int wasQueued = outbox.eventsLocked();
            int events = wasQueued;
            long bytes = outbox.queuedBytesLocked();
            long added = 0;
            QueueLimits limits = outbox.limits();
            for (long seq = first; seq < end && !lost; seq++) {
                byte[] frame = ring.frame(seq);
                lost = frame == null
                        || events > 0 && (events >= limits.maxEvents() || bytes + frame.length > limits.maxBytes());
                if (!lost) {
                    events++;
                    bytes += frame.length;
                    added += frame.length;
                }
            }
            if (lost) {
                LOG.debug("a subscriber of topic '{}' fell too far behind while catching up; evicting it", topic.name());
                outbox.overflowLocked();
            } else if (first < end) {
                outbox.appendRunLocked(this, first, (int) (end - first), added);
                outbox.countQueued(added);
                wake = wasQueued == 0;
            }
        }
        if (lost) {
            outbox.reportOverflow();
        } else if (wake) {
            outbox.wakeWriter();
        }
    }

    /** Queues replayed events while they fit the page budget; fetches pages as needed; goes live at the end. */
    private void pump() {
        synchronized (replayLock) {
            while (!isClosed()) {
                StoredEvent next = fetched.peekFirst();
                if (next == null) {
                    if (!more) {
                        goLive(position);
                        return;
                    }
                    if (!fetchPage()) {
                        return;
                    }
                    continue;
                }
                int result = outbox.offerPage(Topic.withId(next), PAGE_EVENTS, PAGE_BYTES);
                if (result == HubOutbox.CLOSED) {
                    break;
                }
                if (result == HubOutbox.NO_ROOM) {
                    if (outbox.whenEmpty(this::pumpSoon)) {
                        return; // goes on once the client has read what is queued
                    }
                    continue; // drained meanwhile
                }
                fetched.pollFirst();
                position = next.id();
            }
            fetched.clear();
        }
    }

    /** Fetches the page after {@link #position}; on failure evicts the subscriber, which reconnects. */
    private boolean fetchPage() {
        Optional<List<StoredEvent>> page;
        try {
            page = topic.backend().replay(topic.name(), position, PAGE_EVENTS);
        } catch (RuntimeException e) {
            LOG.info("replay of topic '{}' after {} could not go on ({}); the subscriber reconnects to resume",
                    topic.name(), position, e.toString());
            outbox.overflow();
            return false;
        }
        if (page.isEmpty()) {
            LOG.info("replay of topic '{}' fell out of the replay window at {}; the subscriber reconnects and"
                    + " resynchronises", topic.name(), position);
            outbox.overflow();
            return false;
        }
        fetched.addAll(page.get());
        more = page.get().size() == PAGE_EVENTS;
        return true;
    }

    /** The next page, from the thread that drained the outbox, or from the hub's pager when it may block. */
    private void pumpSoon() {
        if (!topic.backend().replayBlocks()) {
            pump();
            return;
        }
        try {
            topic.hub().pager().execute(this::pump);
        } catch (RejectedExecutionException closing) {
            close();
        }
    }

    HubOutbox outbox() {
        return outbox;
    }

    FrameRing ring() {
        return topic.ring();
    }
}
