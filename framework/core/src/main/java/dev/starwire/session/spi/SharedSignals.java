package dev.starwire.session.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.session.SessionUnavailableException;

/**
 * SPI: the shared, versioned copy of one signal store, kept where every instance reaches it (e.g. Redis).
 * A {@link dev.starwire.signals.SignalStore} made with {@code SignalStore.shared(...)} is a <em>replica</em>
 * of it: it reads locally, and stores each change with {@link #commit}, which succeeds only if no other
 * instance stored one since the version the change was computed from (optimistic concurrency: on a
 * conflict the replica catches up and computes the change again). Changes made elsewhere arrive through the
 * {@link Inbound} in version order. Application code does not call this interface; storages implement it.
 *
 * <pre>{@code
 * switch (shared.commit(new SignalChange(base + 1, patch, patch, false), after)) {
 *     case STORED -> apply(change);                    // and send it to this instance's tabs
 *     case CONFLICT -> apply(shared.catchUp(base));    // then compute the change again
 *     case GONE -> end();                              // the session expired or was ended
 * }
 * }</pre>
 *
 * <p>Contract: every method may throw {@link SessionUnavailableException} when the storage cannot be reached
 * (then nothing is known about a commit's outcome: it may have been stored, in which case the change also
 * arrives through the inbound). Implementations never hold a lock while they wait for the network.
 */
public interface SharedSignals {

    /** The outcome of a {@link #commit}. */
    enum Outcome {
        /** Stored as the change's version. */
        STORED,
        /** Another change was stored first: catch up and try again. */
        CONFLICT,
        /** The session no longer exists. */
        GONE
    }

    /**
     * Connects the replica; called once, by the store, before anything else. Changes stored by any instance
     * (this one included) after the replica's starting version go to {@code inbound}, in version order;
     * duplicates and gaps are allowed (the replica ignores what it has and catches up over gaps).
     */
    void attach(Inbound inbound);

    /**
     * Stores {@code change} if the stored version is still {@code change.version() - 1}.
     *
     * @param after the whole signals once the change is applied (read-only), for storages that keep the
     *              signals whole or member by member rather than replaying patches
     */
    Outcome commit(SignalChange change, ObjectNode after);

    /** What a replica at {@code version} is missing now; also keeps the session from expiring. */
    CatchUp catchUp(long version);

    /** How the storage reaches the replica. */
    interface Inbound {
        /** A change stored by some instance. */
        void changed(SignalChange change);

        /** The replica may have missed changes (e.g. after a network partition): catch up now. */
        void resync();
    }
}
