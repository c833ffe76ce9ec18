package dev.starwire.session.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.session.SessionUnavailableException;

/**
 * One session of a {@link SessionStorage}, as this instance holds it: the shared copy of its signals (the
 * replica's {@link SharedSignals}) plus its life cycle.
 *
 * <pre>{@code
 * StoredSession stored = storage.open(id).orElseThrow();
 * SignalStore store = SignalStore.shared(maxSize, ownership, stored.version(), stored.signals(), stored);
 * stored.onEnd(localSession::end);     // invalidated or evicted on any instance
 * }</pre>
 */
public interface StoredSession extends SharedSignals {

    /** The session's id. */
    String id();

    /** The stored version when this handle was opened. */
    long version();

    /** The signals at {@link #version()} (a copy the caller may keep). */
    ObjectNode signals();

    /**
     * Runs {@code callback} once when the session ends on any instance (invalidated, evicted to make room),
     * or at once if it already has. Not run for {@link #release()}.
     */
    void onEnd(Runnable callback);

    /** Keeps the session from expiring; asynchronous and best effort (a failure is logged by the storage). */
    void touch();

    /**
     * Ends the session on every instance and deletes it from the storage (e.g. on logout).
     *
     * @throws SessionUnavailableException when the storage cannot be reached; the session then still exists
     */
    void delete();

    /** This instance stops following the session (no more changes are delivered); it stays stored. */
    void release();
}
