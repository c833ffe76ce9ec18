package dev.starwire.signals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.PatchSignals;
import dev.starwire.Signals;
import dev.starwire.SignalsException;
import dev.starwire.internal.Json;
import dev.starwire.session.SessionEndedException;
import dev.starwire.session.spi.CatchUp;
import dev.starwire.session.spi.SharedSignals;
import dev.starwire.session.spi.SignalChange;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's mirror of one session's signals. Every change is sent to the listeners as a
 * {@code datastar-patch-signals} event carrying exactly the change (an RFC 7386 merge patch, deletions as
 * {@code null}); a change that changes nothing sends nothing.
 *
 * <pre>{@code
 * SignalStore store = new SignalStore();
 * SignalSubscription sub = store.onPatch(stream::send);     // e.g. one per open SSE stream (browser tab)
 * store.set("user.name", "Ana");                      // {"user":{"name":"Ana"}}
 * store.remove("user.email");                         // {"user":{"email":null}} (only if it existed)
 * store.update(s -> {                                 // one event with the minimal diff
 *     s.set("count", s.get("count", Integer.class, 0) + 1);
 *     s.set("messageText", "");
 * });
 * store.setIfMissing("theme", "dark");                // sent with onlyIfMissing true
 * store.mergeFromClient(requestSignals);              // what the browser sent: no event
 * int count = store.get("count", Integer.class, 0);
 * }</pre>
 *
 * <h2>Who may change what</h2>
 * A request's signals are merged by {@link #mergeFromClient} according to the store's
 * {@link SignalOwnership}: client-owned signals (all, by default) take the request's values; a server-owned
 * signal is changed only by server code, so a request carrying another value for it changes nothing, the
 * call returns its path (to log it), and the mirror's value is sent back to the browsers. Local signals
 * (a name starting with {@code _} at any level) belong to the browser: a request's are ignored, and server
 * code may not put one in the store ({@link IllegalArgumentException}); send it with a
 * {@link PatchSignals} event instead.
 *
 * <h2>Ordering and concurrency</h2>
 * Any thread may change the store at any time. Changes are applied one at a time, under the store's lock:
 * each change sees the result of every change applied before it, so no update is lost (a read-modify-write
 * inside {@link #update} is atomic). Changes made by one thread are applied in the order that thread made
 * them; changes from different threads in the order they obtain the lock. The event of a change is handed to
 * every listener, in registration order, <em>before</em> the next change is applied, so every listener
 * receives every event exactly once and in the order the changes were applied; applying a listener's events
 * in order to the state it subscribed to ({@link #onPatchWithState} delivers that state first) gives the
 * store's state, except for the signals {@link #mergeFromClient merged from a client}, which are not sent.
 *
 * <p>Because listeners run on the changing thread while the lock is held they must be quick and must not
 * block (hand the event to a stream's queue); a listener that throws is logged and the others still run.
 * Changing the store from inside a listener or from inside an {@link #update} block throws
 * {@link IllegalStateException}, since it would break that order; reading it there is fine.
 *
 * <h2>Shared stores (several instances)</h2>
 * A store made with {@link #shared} is one instance's replica of signals kept in a shared storage (a
 * session stored in Redis): reads are local; a change is computed against the replica's version and stored
 * only if nobody stored another change since (optimistic concurrency: on a conflict the replica catches up
 * and the change is computed again, so an {@link #update} block may run more than once and must only use its
 * {@link Editor}). The lock is never held while waiting for the storage. Changes stored by any instance
 * reach every replica in version order, and each replica sends them to its listeners as above: each change
 * once, in that order. A replica that fell too far behind (e.g. after a network partition) catches up with
 * one event carrying the difference. While the storage cannot be reached, changes throw
 * {@link dev.starwire.session.SessionUnavailableException}; once the session has ended they throw
 * {@link SessionEndedException}.
 *
 * <h2>What the mirror holds</h2>
 * A JSON object whose members never have the value {@code null} (in a merge patch {@code null} means
 * "delete"): setting a path to {@code null} removes it. Paths are member names joined with dots
 * ({@code "user.name"}); arrays are values and are replaced whole. The store's size is bounded
 * ({@link #DEFAULT_MAX_SIZE} characters of JSON unless given): a client merge that would exceed it is
 * rejected with a 413 {@link SignalsException}, a server change with {@link IllegalStateException}; either
 * way the store is unchanged.
 */
// Why ~700 lines in one class: the store's invariants (changes applied one at a time under one lock, every
// listener gets every event once and in order, a shared replica applies stored versions in order and catches up
// over gaps) hold across the local change pipeline and the shared-replica protocol, which read and write the same
// state, version and size under the same lock. Paths (SignalPath), ownership (SignalOwnership), the merge patch
// (JsonMergePatch) and sizes (JsonWeight) live in their own classes.
public final class SignalStore {
    /** The default bound on the store's size: about 100,000 characters of JSON. */
    public static final long DEFAULT_MAX_SIZE = 100_000;
    /** How often a shared store computes a change again after conflicts before it gives up. */
    static final int MAX_ATTEMPTS = 32;

    private static final Logger LOG = LoggerFactory.getLogger(SignalStore.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final long maxSize;
    private final SignalOwnership ownership;
    private final SharedSignals shared; // null: this store is the only copy
    private final ObjectNode state = NODES.objectNode();
    private long size = 2;              // JsonWeight.of(state), kept up to date by apply()
    private long version;               // changes applied; in a shared store, the stored version
    private volatile boolean ended;     // a shared store whose session no longer exists

    /** An empty store bounded to {@link #DEFAULT_MAX_SIZE}, every signal client-owned. */
    public SignalStore() {
        this(DEFAULT_MAX_SIZE);
    }

    /** An empty store bounded to {@code maxSize} characters of JSON (approximately), every signal client-owned. */
    public SignalStore(long maxSize) {
        this(maxSize, SignalOwnership.clientOwned());
    }

    /** An empty store bounded to {@code maxSize} characters of JSON, with the given signal ownership. */
    public SignalStore(long maxSize, SignalOwnership ownership) {
        this(maxSize, ownership, null);
    }

    private SignalStore(long maxSize, SignalOwnership ownership, SharedSignals shared) {
        if (maxSize < 2) {
            throw new IllegalArgumentException("maxSize must be at least 2, got " + maxSize);
        }
        this.maxSize = maxSize;
        this.ownership = Objects.requireNonNull(ownership, "ownership");
        this.shared = shared;
    }

    /**
     * A replica of signals kept in a shared storage, starting from {@code signals} at {@code version}
     * (see "Shared stores" above). Session registries make these; application code gets them from its
     * session.
     */
    public static SignalStore shared(long maxSize, SignalOwnership ownership, long version, ObjectNode signals,
                                     SharedSignals shared) {
        Objects.requireNonNull(shared, "shared");
        Objects.requireNonNull(signals, "signals");
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative, got " + version);
        }
        SignalStore store = new SignalStore(maxSize, ownership, shared);
        store.state.setAll((ObjectNode) JsonMergePatch.withoutNulls(signals));
        store.size = JsonWeight.of(store.state);
        store.version = version;
        shared.attach(new SharedSignals.Inbound() {
            @Override
            public void changed(SignalChange change) {
                store.receive(change);
            }

            @Override
            public void resync() {
                store.resync();
            }
        });
        return store;
    }

    /** Which signals a request may change. */
    public SignalOwnership ownership() {
        return ownership;
    }

    /** How many changes this store has applied; for a shared store, the stored version it reflects. */
    public long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- listeners

    /**
     * Delivers every event of a change applied after this call returns, in order, until the subscription
     * is closed.
     */
    public SignalSubscription onPatch(Consumer<PatchSignals> listener) {
        return subscribe(listener, false);
    }

    /**
     * As {@link #onPatch}, but first delivers the current state (when not empty) as one event, atomically
     * with the registration: no change falls between the state and the first change event.
     */
    public SignalSubscription onPatchWithState(Consumer<PatchSignals> listener) {
        return subscribe(listener, true);
    }

    /** How many listeners are subscribed. */
    public int listenerCount() {
        return listeners.size();
    }

    private SignalSubscription subscribe(Consumer<PatchSignals> consumer, boolean withState) {
        Objects.requireNonNull(consumer, "listener");
        Listener listener = new Listener(consumer);
        lock.lock();
        try {
            listeners.add(listener);
            if (withState && !state.isEmpty()) {
                listener.deliver(PatchSignals.builder().signals(state).build());
            }
        } finally {
            lock.unlock();
        }
        return () -> listeners.remove(listener);
    }

    // ---------------------------------------------------------------- changes

    /**
     * Sets the value at {@code path} (a record, map, list, string, number, boolean or Jackson tree);
     * {@code null} removes it. Objects along the path are created; a non-object in the way is replaced.
     * Sends only what differs from the current value.
     */
    public void set(String path, Object value) {
        update(s -> s.set(path, value));
    }

    /** Removes the value at {@code path}, sent as {@code null}; nothing is sent if there is none. */
    public void remove(String path) {
        update(s -> s.remove(path));
    }

    /**
     * Applies a merge patch written by the server (a Jackson object or anything that serialises to a JSON
     * object) and sends the part of it that changes something.
     */
    public void merge(Object patch) {
        update(s -> s.merge(patch));
    }

    /**
     * Applies several changes atomically and sends ONE event with the minimal diff between the state before
     * and after (nothing when they are equal). {@code changes} must not touch the store directly, only the
     * {@link Editor} it is given; if it throws, nothing is applied. In a shared store it runs again when
     * another instance changed the signals meanwhile.
     *
     * @throws IllegalArgumentException when the changes would put a local ({@code _}) signal in the store
     * @throws IllegalStateException    when they would make the store exceed its size bound
     */
    public void update(Consumer<Editor> changes) {
        Objects.requireNonNull(changes, "changes");
        change(() -> {
            Batch batch = new Batch(state.deepCopy());
            try {
                changes.accept(batch);
            } finally {
                batch.closed = true;
            }
            ObjectNode patch = JsonMergePatch.diffObjects(state, batch.working);
            return patch.isEmpty() ? null : serverChange(patch, patch, false, batch.working);
        }, false);
    }

    /**
     * Sets {@code value} at {@code path} only where the signals do not have it yet, and sends it with
     * {@code onlyIfMissing: true} so each browser does the same. The event is sent even when the mirror
     * already has every value, because a browser may not (a new tab).
     */
    public void setIfMissing(String path, Object value) {
        Objects.requireNonNull(value, "value");
        setIfMissing(SignalPath.parse(path).wrap(tree(value)));
    }

    /** As {@link #setIfMissing(String, Object)} for several values given as one object (nested allowed). */
    public void setIfMissing(Object defaults) {
        JsonNode tree = tree(Objects.requireNonNull(defaults, "defaults"));
        if (!tree.isObject()) {
            throw new IllegalArgumentException("defaults must be a JSON object, got " + tree.getNodeType());
        }
        ObjectNode patch = (ObjectNode) JsonMergePatch.withoutNulls(tree);
        if (patch.isEmpty()) {
            return;
        }
        change(() -> {
            ObjectNode working = state.deepCopy();
            JsonMergePatch.mergeMissingInto(working, patch);
            return serverChange(JsonMergePatch.diffObjects(state, working), patch, true, working);
        }, false);
    }

    /**
     * Merges the signals a browser sent with a request into the mirror, without sending them back: that
     * browser already has them. Later changes are diffed against these values, so, for example, clearing an
     * input the user typed into is sent. Local signals ({@code _}) are ignored. A value for a server-owned
     * signal ({@link #ownership()}) that differs from the mirror's is not merged: its path is returned and
     * the mirror's value is sent to the listeners, so the browser gets it back. A shared store also catches up
     * with the stored signals first, so the request is compared with the newest ones.
     *
     * @return the paths of the server-owned signals the request tried to change (empty when none), e.g. to
     *     log them
     * @throws SignalsException 400 when nested deeper than {@link Signals#MAX_DEPTH}, 413 when the store would
     *     exceed its size bound; the store is then unchanged
     */
    public List<String> mergeFromClient(ObjectNode signals) {
        Objects.requireNonNull(signals, "signals");
        if (JsonWeight.deeperThan(signals, Signals.MAX_DEPTH)) {
            throw new SignalsException(400, "signals are nested deeper than " + Signals.MAX_DEPTH + " levels");
        }
        AtomicReference<List<String>> refused = new AtomicReference<>(List.of()); // the last attempt's answer
        change(() -> {
            SignalOwnership.Split split = ownership.split(state, signals);
            refused.set(split.refusedPaths());
            ObjectNode working = state.deepCopy();
            JsonMergePatch.mergeInto(working, split.accepted);
            ObjectNode patch = JsonMergePatch.diffObjects(state, working);
            if (size + JsonWeight.delta(state, patch) > maxSize) {
                throw new SignalsException(413, "signals would exceed this session's limit of " + maxSize
                        + " characters of JSON");
            }
            if (patch.isEmpty() && split.restore.isEmpty()) {
                return null;
            }
            return new Plan(new SignalChange(version + 1, patch, split.restore.isEmpty() ? null : split.restore,
                    false), working);
        }, true);
        return refused.get();
    }

    /** Computes one change under the lock; {@code null} when there is nothing to store. */
    private interface Planner {
        Plan plan();
    }

    /** A change and the whole signals once it is applied. */
    private record Plan(SignalChange change, ObjectNode after) {
    }

    /**
     * Plans a change under the lock and applies it. A shared store stores it first, without the lock, and
     * plans again after a conflict; with {@code verify} it also makes sure that "nothing to store" was decided
     * on the newest stored version.
     */
    private void change(Planner planner, boolean verify) {
        for (int attempt = 1; ; attempt++) {
            Plan plan;
            lockForChange();
            try {
                if (ended) {
                    throw ended();
                }
                plan = planner.plan();
                if (shared == null) {
                    if (plan != null) {
                        apply(plan.change());
                    }
                    return;
                }
            } finally {
                lock.unlock();
            }
            if (plan == null ? !verify || !catchUp() : store(plan)) {
                return;
            }
            if (attempt >= MAX_ATTEMPTS) {
                throw new IllegalStateException("gave up after " + attempt + " attempts: other instances kept"
                        + " changing this session's signals at the same time");
            }
        }
    }

    /** A change written by server code: checked for local names and against the size bound. Lock held. */
    private Plan serverChange(ObjectNode patch, ObjectNode send, boolean onlyIfMissing, ObjectNode after) {
        String local = SignalOwnership.firstLocal(send, "");
        if (local == null) {
            local = SignalOwnership.firstLocal(patch, "");
        }
        if (local != null) {
            throw new IllegalArgumentException("signal '" + local + "' is local to the browser (its name starts"
                    + " with _): the store never holds it; send it in a PatchSignals event instead");
        }
        if (size + JsonWeight.delta(state, patch) > maxSize) {
            throw new IllegalStateException("signals would exceed the store's limit of " + maxSize
                    + " characters of JSON");
        }
        return new Plan(new SignalChange(version + 1, patch, send, onlyIfMissing), after);
    }

    private void lockForChange() {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("the signal store cannot be changed from inside one of its"
                    + " listeners or update blocks; use the Editor passed to update(...)");
        }
        lock.lock();
    }

    /** Applies the next version and sends its event. Caller holds the lock. */
    private void apply(SignalChange change) {
        if (!change.change().isEmpty()) {
            size += JsonWeight.delta(state, change.change());
            JsonMergePatch.mergeInto(state, change.change());
        }
        version = change.version();
        if (change.send() != null) {
            emit(PatchSignals.builder().signals(change.send()).onlyIfMissing(change.onlyIfMissing()).build());
        }
    }

    private void emit(PatchSignals event) {
        for (Listener l : listeners) {
            l.deliver(event);
        }
    }

    // ---------------------------------------------------------------- shared stores

    /** Stores a planned change (no lock held): {@code true} when stored and applied, {@code false} to plan again. */
    private boolean store(Plan plan) {
        switch (shared.commit(plan.change(), plan.after())) {
            case STORED:
                receive(plan.change());
                return true;
            case CONFLICT:
                catchUp();
                return false;
            default:
                ended = true;
                throw ended();
        }
    }

    /** A stored change: applied when it is the next version, skipped when already applied, a gap is caught up. */
    private void receive(SignalChange change) {
        lock.lock();
        try {
            if (change.version() <= version) {
                return;
            }
            if (change.version() == version + 1) {
                apply(change);
                return;
            }
        } finally {
            lock.unlock();
        }
        try {
            catchUp();
        } catch (RuntimeException e) {
            LOG.debug("a shared signal store could not catch up after a gap; it will on its next change", e);
        }
    }

    private void resync() {
        try {
            catchUp();
        } catch (RuntimeException e) {
            LOG.debug("a shared signal store could not catch up; it will on its next change", e);
        }
    }

    /**
     * Brings the replica up to the stored version (no lock held while asking).
     *
     * @return whether anything changed
     * @throws SessionEndedException when the session no longer exists
     */
    private boolean catchUp() {
        long from;
        lock.lock();
        try {
            from = version;
        } finally {
            lock.unlock();
        }
        CatchUp missing = shared.catchUp(from);
        if (missing.gone()) {
            ended = true;
            throw ended();
        }
        lock.lock();
        try {
            long before = version;
            if (missing.signals() != null) {
                if (missing.version() > version || missing.reset()) {
                    adopt(missing.version(), missing.signals());
                }
            } else {
                for (SignalChange c : missing.changes()) {
                    if (c.version() == version + 1) {
                        apply(c);
                    }
                }
            }
            return version != before;
        } finally {
            lock.unlock();
        }
    }

    /** Replaces the state with the stored one and sends the difference. Caller holds the lock. */
    private void adopt(long newVersion, ObjectNode signals) {
        ObjectNode now = (ObjectNode) JsonMergePatch.withoutNulls(signals);
        ObjectNode patch = JsonMergePatch.diffObjects(state, now);
        state.removeAll();
        state.setAll(now);
        size = JsonWeight.of(state);
        version = newVersion;
        if (!patch.isEmpty()) {
            emit(PatchSignals.builder().signals(patch).build());
        }
    }

    private static SessionEndedException ended() {
        return new SessionEndedException("this session has ended (it expired or was ended on some instance);"
                + " its signals can no longer change");
    }

    // ---------------------------------------------------------------- reads

    /** A copy of every signal. */
    public ObjectNode snapshot() {
        lock.lock();
        try {
            return state.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    /** A copy of the value at {@code path}, or {@code null} when there is none. */
    public JsonNode get(String path) {
        SignalPath p = SignalPath.parse(path);
        lock.lock();
        try {
            JsonNode node = p.find(state);
            return node == null ? null : node.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The value at {@code path} converted to {@code type}, or {@code null} when there is none.
     *
     * @throws IllegalArgumentException when the value cannot be read as {@code type}
     */
    public <T> T get(String path, Class<T> type) {
        return get(path, type, null);
    }

    /** The value at {@code path} converted to {@code type}, or {@code fallback} when there is none. */
    public <T> T get(String path, Class<T> type, T fallback) {
        SignalPath p = SignalPath.parse(path);
        lock.lock();
        try {
            return convert(p, p.find(state), type, fallback);
        } finally {
            lock.unlock();
        }
    }

    /** Approximate size of the signals in characters of JSON, as bounded by the constructor. */
    long size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SignalStore" + snapshot();
    }

    // ---------------------------------------------------------------- helpers

    private static <T> T convert(SignalPath path, JsonNode node, Class<T> type, T fallback) {
        Objects.requireNonNull(type, "type");
        if (node == null) {
            return fallback;
        }
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("signal '" + path + "' cannot be read as " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** {@code value} as a tree, never shared with the caller and without {@code null} members. */
    private static JsonNode tree(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        JsonNode node = value instanceof JsonNode ? (JsonNode) value : Json.MAPPER.valueToTree(value);
        return JsonMergePatch.withoutNulls(node == null ? NODES.nullNode() : node);
    }

    /**
     * Changes made inside {@link SignalStore#update}: they are applied together when the block returns and
     * sent as one event. Only valid during that block.
     *
     * <pre>{@code
     * store.update(s -> {
     *     s.set("count", s.get("count", Integer.class, 0) + 1);
     *     s.remove("error");
     * });
     * }</pre>
     */
    public interface Editor {
        /** Sets the value at {@code path}; {@code null} removes it. */
        Editor set(String path, Object value);

        /** Removes the value at {@code path}. */
        Editor remove(String path);

        /** Applies a merge patch (a JSON object). */
        Editor merge(Object patch);

        /** A copy of the value at {@code path} as changed so far in this block, or {@code null}. */
        JsonNode get(String path);

        /** The value at {@code path} as changed so far, converted to {@code type}, or {@code null}. */
        <T> T get(String path, Class<T> type);

        /** The value at {@code path} as changed so far, converted to {@code type}, or {@code fallback}. */
        <T> T get(String path, Class<T> type, T fallback);
    }

    private static final class Batch implements Editor {
        final ObjectNode working;
        boolean closed;

        Batch(ObjectNode working) {
            this.working = working;
        }

        @Override
        public Editor set(String path, Object value) {
            SignalPath p = SignalPath.parse(path);
            check();
            JsonNode tree = tree(value);
            if (tree.isNull()) {
                p.remove(working);
            } else {
                p.parentCreating(working).set(p.last(), tree);
            }
            return this;
        }

        @Override
        public Editor remove(String path) {
            SignalPath p = SignalPath.parse(path);
            check();
            p.remove(working);
            return this;
        }

        @Override
        public Editor merge(Object patch) {
            check();
            JsonNode tree = value(patch);
            if (!tree.isObject()) {
                throw new IllegalArgumentException("a merge patch must be a JSON object, got " + tree.getNodeType());
            }
            JsonMergePatch.mergeInto(working, (ObjectNode) tree);
            return this;
        }

        @Override
        public JsonNode get(String path) {
            SignalPath p = SignalPath.parse(path);
            check();
            JsonNode node = p.find(working);
            return node == null ? null : node.deepCopy();
        }

        @Override
        public <T> T get(String path, Class<T> type) {
            return get(path, type, null);
        }

        @Override
        public <T> T get(String path, Class<T> type, T fallback) {
            SignalPath p = SignalPath.parse(path);
            check();
            return convert(p, p.find(working), type, fallback);
        }

        private void check() {
            if (closed) {
                throw new IllegalStateException("this editor is only valid inside its update(...) block");
            }
        }

        private static JsonNode value(Object patch) {
            Objects.requireNonNull(patch, "patch");
            return patch instanceof JsonNode ? (JsonNode) patch : Json.MAPPER.valueToTree(patch);
        }
    }

    private static final class Listener {
        final Consumer<PatchSignals> consumer;

        Listener(Consumer<PatchSignals> consumer) {
            this.consumer = consumer;
        }

        void deliver(PatchSignals event) {
            try {
                consumer.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("a signal listener failed; the other listeners still receive the event", e);
            }
        }
    }
}
