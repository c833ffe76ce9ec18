package dev.starwire.redis;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.session.spi.CatchUp;
import dev.starwire.session.spi.SignalChange;
import dev.starwire.session.spi.StoredSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * This instance's handle on one session stored by {@link RedisSessionStorage}. Changes read from this
 * instance's inbox are handed to the replica attached to it; those that arrive before it is attached wait.
 */
final class RedisStoredSession implements StoredSession {
    private final RedisSessionStorage storage;
    private final String id;
    private volatile long version;
    private volatile ObjectNode signals = JsonNodeFactory.instance.objectNode();

    private Inbound inbound;                              // guarded by this
    private List<SignalChange> early = new ArrayList<>(); // guarded by this; null once attached
    private List<Runnable> onEnd = new ArrayList<>();     // guarded by this; null once ended

    RedisStoredSession(RedisSessionStorage storage, String id) {
        this.storage = storage;
        this.id = id;
    }

    /** Sets the state read when the session was opened or created. */
    void opened(long version, ObjectNode signals) {
        this.version = version;
        this.signals = signals;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public ObjectNode signals() {
        return signals.deepCopy();
    }

    @Override
    public void attach(Inbound inbound) {
        Objects.requireNonNull(inbound, "inbound");
        List<SignalChange> waiting;
        synchronized (this) {
            if (this.inbound != null) {
                throw new IllegalStateException("a stored session serves one replica");
            }
            this.inbound = inbound;
            waiting = early;
            early = null;
        }
        waiting.forEach(inbound::changed); // in order; a replica skips what it already has
    }

    @Override
    public Outcome commit(SignalChange change, ObjectNode after) {
        return storage.commit(id, change, after);
    }

    @Override
    public CatchUp catchUp(long version) {
        return storage.catchUp(id, version);
    }

    @Override
    public void onEnd(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        synchronized (this) {
            if (onEnd != null) {
                onEnd.add(callback);
                return;
            }
        }
        callback.run();
    }

    @Override
    public void touch() {
        storage.touch(id);
    }

    @Override
    public void delete() {
        storage.delete(id);
    }

    @Override
    public void release() {
        storage.release(this);
    }

    /** A change read from the inbox. */
    void deliver(SignalChange change) {
        Inbound to;
        synchronized (this) {
            if (inbound == null) {
                early.add(change);
                return;
            }
            to = inbound;
        }
        to.changed(change);
    }

    /** The replica may have missed changes: let it catch up. */
    void resync() {
        Inbound to;
        synchronized (this) {
            to = inbound;
        }
        if (to != null) {
            to.resync();
        }
    }

    /** The session ended on some instance. */
    void ended() {
        List<Runnable> callbacks;
        synchronized (this) {
            callbacks = onEnd;
            onEnd = null;
        }
        if (callbacks != null) {
            callbacks.forEach(Runnable::run);
        }
    }

    @Override
    public String toString() {
        return "RedisStoredSession{version=" + version + "}";
    }
}
