package dev.starwire.hub;

import java.util.ArrayList;
import java.util.List;

/**
 * One outbox listening to one topic. While it catches up after a reconnect (replay or resync), live events
 * wait in a side list and follow the replay without duplicates; after that they go straight to the outbox.
 *
 * <pre>{@code
 * Subscription s = topic.subscribe(outbox, lastEventId, () -> outbox.offer(fullState()));
 * ...
 * s.close();
 * }</pre>
 */
public final class Subscription implements AutoCloseable {
    private final Topic topic;
    private final Outbox outbox;
    private List<Pending> pending; // non-null while catching up; guarded by this
    private boolean closed;        // guarded by this

    Subscription(Topic topic, Outbox outbox, boolean catchingUp) {
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
        boolean fellBehind;
        synchronized (this) {
            if (closed) {
                return false;
            }
            fellBehind = pending != null && pending.size() >= topic.hub().queueLimits().maxEvents();
            if (pending != null && !fellBehind) {
                pending.add(new Pending(event.id(), framed));
                return true;
            }
        }
        if (fellBehind) {
            outbox.overflow(); // fell too far behind while catching up; reported outside the lock
            return false;
        }
        return outbox.offer(framed);
    }

    /** Ends the catch-up: queues the live events that came meanwhile and are newer than {@code lastQueued}. */
    void goLive(String lastQueued) {
        synchronized (this) {
            if (pending == null) {
                return;
            }
            for (Pending p : pending) {
                if (lastQueued == null || topic.backend().compare(p.id, lastQueued) > 0) {
                    outbox.offerReplay(p.framed);
                }
            }
            pending = null;
        }
    }

    Outbox outbox() {
        return outbox;
    }

    private record Pending(String id, byte[] framed) {
    }
}
