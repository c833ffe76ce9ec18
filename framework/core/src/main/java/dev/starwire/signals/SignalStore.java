package dev.starwire.signals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.PatchSignals;
import dev.starwire.SignalsException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * <h2>What the mirror holds</h2>
 * A JSON object whose members never have the value {@code null} (in a merge patch {@code null} means
 * "delete"): setting a path to {@code null} removes it. Paths are member names joined with dots
 * ({@code "user.name"}); arrays are values and are replaced whole. The store's size is bounded
 * ({@link #DEFAULT_MAX_SIZE} characters of JSON unless given): a client merge that would exceed it is
 * rejected with a 413 {@link SignalsException}, a server change with {@link IllegalStateException}; either
 * way the store is unchanged.
 */
public final class SignalStore {
    /** The default bound on the store's size: about 100,000 characters of JSON. */
    public static final long DEFAULT_MAX_SIZE = 100_000;
    /** The deepest nesting accepted from a client, matching what {@link dev.starwire.Signals} parses. */
    public static final int MAX_DEPTH = 64;

    private static final Logger LOG = LoggerFactory.getLogger(SignalStore.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final long maxSize;
    private final ObjectNode state = NODES.objectNode();
    private long size = 2; // JsonWeight.of(state), kept up to date by commit()

    /** An empty store bounded to {@link #DEFAULT_MAX_SIZE}. */
    public SignalStore() {
        this(DEFAULT_MAX_SIZE);
    }

    /** An empty store bounded to {@code maxSize} characters of JSON (approximately). */
    public SignalStore(long maxSize) {
        if (maxSize < 2) {
            throw new IllegalArgumentException("maxSize must be at least 2, got " + maxSize);
        }
        this.maxSize = maxSize;
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
     * {@link Editor} it is given; if it throws, nothing is applied.
     */
    public void update(Consumer<Editor> changes) {
        Objects.requireNonNull(changes, "changes");
        lockForChange();
        try {
            Batch batch = new Batch(state.deepCopy());
            try {
                changes.accept(batch);
            } finally {
                batch.closed = true;
            }
            commit(JsonMergePatch.diffObjects(state, batch.working), true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets {@code value} at {@code path} only where the signals do not have it yet, and sends it with
     * {@code onlyIfMissing: true} so each browser does the same. The event is sent even when the mirror
     * already has every value, because a browser may not (a new tab).
     */
    public void setIfMissing(String path, Object value) {
        Objects.requireNonNull(value, "value");
        setIfMissing(wrap(Path.parse(path), tree(value)));
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
        lockForChange();
        try {
            ObjectNode working = state.deepCopy();
            JsonMergePatch.mergeMissingInto(working, patch);
            commit(JsonMergePatch.diffObjects(state, working), false);
            emit(PatchSignals.builder().signals(patch).onlyIfMissing(true).build());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Merges the signals a browser sent with a request into the mirror, without sending them back: that
     * browser already has them. Later changes are diffed against these values, so, for example, clearing an
     * input the user typed into is sent.
     *
     * @throws SignalsException 400 when nested deeper than {@link #MAX_DEPTH}, 413 when the store would
     *     exceed its size bound; the store is then unchanged
     */
    public void mergeFromClient(ObjectNode signals) {
        Objects.requireNonNull(signals, "signals");
        if (JsonWeight.deeperThan(signals, MAX_DEPTH)) {
            throw new SignalsException(400, "signals are nested deeper than " + MAX_DEPTH + " levels");
        }
        lockForChange();
        try {
            long after = size + JsonWeight.delta(state, signals);
            if (after > maxSize) {
                throw new SignalsException(413, "signals would exceed this session's limit of " + maxSize
                        + " characters of JSON");
            }
            JsonMergePatch.mergeInto(state, signals);
            size = after;
        } finally {
            lock.unlock();
        }
    }

    private void lockForChange() {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("the signal store cannot be changed from inside one of its"
                    + " listeners or update blocks; use the Editor passed to update(...)");
        }
        lock.lock();
    }

    /** Applies {@code patch} (minimal, computed against {@code state}) and sends it. Caller holds the lock. */
    private void commit(ObjectNode patch, boolean send) {
        if (patch.isEmpty()) {
            return;
        }
        long after = size + JsonWeight.delta(state, patch);
        if (after > maxSize) {
            throw new IllegalStateException("signals would exceed the store's limit of " + maxSize
                    + " characters of JSON");
        }
        JsonMergePatch.mergeInto(state, patch);
        size = after;
        if (send) {
            emit(PatchSignals.builder().signals(patch).build());
        }
    }

    private void emit(PatchSignals event) {
        for (Listener l : listeners) {
            l.deliver(event);
        }
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
        Path p = Path.parse(path);
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
        Path p = Path.parse(path);
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

    private static <T> T convert(Path path, JsonNode node, Class<T> type, T fallback) {
        Objects.requireNonNull(type, "type");
        if (node == null) {
            return fallback;
        }
        try {
            return MAPPER.treeToValue(node, type);
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
        JsonNode node = value instanceof JsonNode ? (JsonNode) value : MAPPER.valueToTree(value);
        return JsonMergePatch.withoutNulls(node == null ? NODES.nullNode() : node);
    }

    private static ObjectNode wrap(Path path, JsonNode leaf) {
        ObjectNode root = NODES.objectNode();
        ObjectNode at = root;
        for (int i = 0; i < path.names.length - 1; i++) {
            at = at.putObject(path.names[i]);
        }
        at.set(path.names[path.names.length - 1], leaf);
        return root;
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
            Path p = Path.parse(path);
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
            Path p = Path.parse(path);
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
            Path p = Path.parse(path);
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
            Path p = Path.parse(path);
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
            return patch instanceof JsonNode ? (JsonNode) patch : MAPPER.valueToTree(patch);
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

    /** A dotted signal path, e.g. {@code user.name}. */
    static final class Path {
        final String[] names;
        private final String text;

        private Path(String text, String[] names) {
            this.text = text;
            this.names = names;
        }

        static Path parse(String path) {
            Objects.requireNonNull(path, "path");
            String[] names = path.split("\\.", -1);
            for (String n : names) {
                if (n.isEmpty()) {
                    throw new IllegalArgumentException("a signal path is names joined by dots, got '" + path + "'");
                }
            }
            return new Path(path, names);
        }

        String last() {
            return names[names.length - 1];
        }

        JsonNode find(ObjectNode root) {
            JsonNode at = root;
            for (String n : names) {
                at = at.isObject() ? at.get(n) : null;
                if (at == null) {
                    return null;
                }
            }
            return at;
        }

        ObjectNode parentCreating(ObjectNode root) {
            ObjectNode at = root;
            for (int i = 0; i < names.length - 1; i++) {
                JsonNode next = at.get(names[i]);
                if (next == null || !next.isObject()) {
                    next = at.putObject(names[i]);
                }
                at = (ObjectNode) next;
            }
            return at;
        }

        void remove(ObjectNode root) {
            JsonNode at = root;
            for (int i = 0; i < names.length - 1; i++) {
                at = at.get(names[i]);
                if (at == null || !at.isObject()) {
                    return;
                }
            }
            ((ObjectNode) at).remove(last());
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
