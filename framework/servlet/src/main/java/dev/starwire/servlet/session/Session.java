package dev.starwire.servlet.session;

import dev.starwire.PatchSignals;
import dev.starwire.session.spi.StoredSession;
import dev.starwire.signals.SignalStore;
import dev.starwire.signals.SignalSubscription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser session: its {@link SignalStore} and the resources (open SSE streams) to close when it ends.
 * Obtained from {@link Sessions#of} or {@link Sessions#sync}; it ends when it has been idle too long, when
 * the registry is full and it is the least recently used, on {@link #invalidate()}, or when the registry
 * closes. With a shared {@link dev.starwire.session.spi.SessionStorage} (several instances), this object is this
 * instance's view of a session stored for all: its store is a replica, changes made on any instance reach
 * it, and {@link #invalidate()} ends the session everywhere.
 *
 * <pre>{@code
 * // what LiveStream.session() does for a stream
 * Session session = sessions.sync(request, response);         // before the response is committed
 * SignalSubscription link = session.connect(stream::send, stream::close);
 * stream.onClose(link::close);                                // the stream ended on its own
 * }</pre>
 */
public final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    final String id;
    private final SessionRegistry registry;
    private final SignalStore store;
    private final StoredSession stored; // null: the session lives only in this instance
    private final Set<AutoCloseable> resources = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean open = true; // guarded by resources
    long lastAccessMillis;       // guarded by the registry's lock
    long lastStoredTouchMillis;  // guarded by the registry's lock

    Session(SessionRegistry registry, String id, SignalStore store, StoredSession stored, long nowMillis) {
        this.registry = registry;
        this.id = id;
        this.store = store;
        this.stored = stored;
        this.lastAccessMillis = nowMillis;
        this.lastStoredTouchMillis = nowMillis;
    }

    /** This session's signals. */
    public SignalStore store() {
        return store;
    }

    /**
     * Connects one stream (one browser tab) to this session: {@code sink} receives the store's current
     * state (when not empty) and then every change, in order ({@link SignalStore#onPatchWithState});
     * {@code onEnd} runs once if the session ends first (expiry, eviction, invalidation), and should close
     * the stream. Close the returned subscription when the stream ends on its own: it stops the deliveries
     * and forgets {@code onEnd}. {@code sink} runs under the store's lock: it must not block (queue the
     * event), see {@link SignalStore}.
     *
     * <p>If the session has already ended, {@code onEnd} runs at once and the returned subscription does
     * nothing.
     */
    public SignalSubscription connect(Consumer<PatchSignals> sink, Runnable onEnd) {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(onEnd, "onEnd");
        AutoCloseable closer = onEnd::run;
        SignalSubscription deliveries = store.onPatchWithState(sink);
        if (!register(closer)) {
            deliveries.close();
            return () -> { };
        }
        return () -> {
            deliveries.close();
            unregister(closer);
        };
    }

    /**
     * Closes {@code resource} when this session ends (e.g. a stream that must not outlive it).
     *
     * @return {@code true} if registered; {@code false} if the session had already ended, in which case
     *     {@code resource} has just been closed
     */
    public boolean register(AutoCloseable resource) {
        synchronized (resources) {
            if (open) {
                resources.add(resource);
                return true;
            }
        }
        closeQuietly(resource);
        return false;
    }

    /** Forgets {@code resource} without closing it (call it when a stream ends on its own). */
    public void unregister(AutoCloseable resource) {
        synchronized (resources) {
            resources.remove(resource);
        }
    }

    /** Whether the session is still live. */
    public boolean isOpen() {
        synchronized (resources) {
            return open;
        }
    }

    /**
     * Marks the session as used now, as a request does. Call it from a long-lived stream (e.g. on each
     * keepalive) when an open tab should keep its session from expiring.
     */
    public void touch() {
        registry.touch(this);
    }

    /**
     * Ends the session now (e.g. on logout): it is forgotten and its resources are closed, on every instance
     * when sessions are shared.
     *
     * @throws dev.starwire.session.SessionUnavailableException when the shared storage cannot be reached;
     *     the session then goes on
     */
    public void invalidate() {
        registry.invalidate(this);
    }

    /** How many resources are registered (for tests and metrics). */
    int resourceCount() {
        synchronized (resources) {
            return resources.size();
        }
    }

    /** The stored session behind this one, or {@code null} when it lives only in this instance. */
    StoredSession stored() {
        return stored;
    }

    /**
     * Ends the session here: no more registrations, every registered resource is closed, and this instance
     * stops following the stored session (which other instances may still use). Idempotent.
     */
    void end() {
        List<AutoCloseable> toClose;
        synchronized (resources) {
            if (!open) {
                return;
            }
            open = false;
            toClose = new ArrayList<>(resources);
            resources.clear();
        }
        for (AutoCloseable r : toClose) {
            closeQuietly(r);
        }
        if (stored != null) {
            try {
                stored.release();
            } catch (RuntimeException e) {
                LOG.debug("releasing a stored session failed", e);
            }
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.debug("closing a session resource failed", e);
        }
    }

    @Override
    public String toString() {
        return "Session{open=" + isOpen() + ", resources=" + resourceCount() + "}";
    }
}
