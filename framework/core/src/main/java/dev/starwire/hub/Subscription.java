package dev.starwire.hub;

import dev.starwire.hub.spi.Outbox;
import dev.starwire.hub.spi.StoredEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Outbox} (one client connection) listening to one topic. While it catches up after a reconnect (replay or the topic's newest
 * events), live events wait in a bounded side list and follow the replay without duplicates; after that they
 * go straight to the outbox.
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
    private List<Pending> pending; // non-null while catching up; guarded by this
    private long pendingBytes;     // guarded by this
    private boolean closed;        // guarded by this

    // The replay, run by one thread at a time (the subscriber's, then whoever drained the outbox).
    private final Object replayLock = new Object();
    private final ArrayDeque<StoredEvent> fetched = new ArrayDeque<>(); // fetched, not yet queued
    private String position;       // id of the last event queued by the replay; null before the first
    private boolean more;          // the backend may hold events after the fetched ones

    Subscription(Topic topic, HubOutbox outbox, boolean catchingUp) {
        this.topic = topic;
        this.outbox = outbox;
        this.pending = catchingUp ? new ArrayList<>() : null;
    }

    /** The topic listened to. */
    public Topic topic() {
        return topic;
    }

    /** Stops listening; the outbox itself stays open. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pending = null;
        }
        topic.remove(this);
    }

    /** Whether it stopped listening: closed, or its outbox is closed. */
    public boolean isClosed() {
        synchronized (this) {
            if (closed) {
                return true;
            }
        }
        return outbox.isClosed();
    }

    /** A live event; {@code false} when this subscription is finished and should be dropped. */
    boolean deliver(StoredEvent event, byte[] framed) {
        boolean fellBehind = false;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (pending != null) {
                QueueLimits limits = outbox.limits();
                fellBehind = pending.size() >= limits.maxEvents() || pendingBytes + framed.length > limits.maxBytes();
                if (!fellBehind) {
                    pending.add(new Pending(event.id(), framed));
                    pendingBytes += framed.length;
                    return true;
                }
            }
        }
        if (fellBehind) {
            LOG.debug("a subscriber of topic '{}' fell too far behind while catching up; evicting it", topic.name());
            outbox.overflow(); // reported outside the lock
            return false;
        }
        return outbox.offer(framed);
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
        synchronized (this) {
            if (pending == null) {
                return;
            }
            for (Pending p : pending) {
                if ((lastQueued == null || topic.backend().compare(p.id, lastQueued) > 0) && !outbox.offer(p.framed)) {
                    break; // overflowed: the outbox is closed
                }
            }
            pending = null;
            pendingBytes = 0;
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

    private record Pending(String id, byte[] framed) {
    }
}
