package dev.starwire.signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which signals a request may change. Every signal is <em>client-owned</em> (a request's value is merged
 * into the mirror: what the user typed) unless the app declares it <em>server-owned</em>: then only server
 * code changes it, and a request carrying another value for it changes nothing.
 *
 * <pre>{@code
 * SignalOwnership ownership = SignalOwnership.serverOwned("running", "user.role", "cart");
 * // "running": one signal; "user.role": one member of user (user.name stays client-owned);
 * // "cart": the whole object, every member below it
 * SignalStore store = new SignalStore(SignalStore.DEFAULT_MAX_SIZE, ownership);
 * }</pre>
 *
 * <p>A declared path owns its whole subtree. The paths are the ones the store and the page use
 * ({@code store.set("user.role", ...)}, {@code $user.role}), so a declaration reads like the code it
 * protects. Signals whose name (at any level) starts with {@code _} are the browser's local signals: they
 * are never sent to the server, and the store ignores them in a request, so they cannot be declared here.
 * Immutable and thread-safe.
 */
public final class SignalOwnership {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final SignalOwnership CLIENT_OWNED = new SignalOwnership(new Node(), List.of());

    private final Node root;
    private final List<String> paths;

    private SignalOwnership(Node root, List<String> paths) {
        this.root = root;
        this.paths = paths;
    }

    /** Every signal client-owned: each request's values are merged (the default). */
    public static SignalOwnership clientOwned() {
        return CLIENT_OWNED;
    }

    /**
     * The signals at {@code paths} (and everything below them) are server-owned; all others stay
     * client-owned.
     *
     * @throws IllegalArgumentException for an empty path segment or a local ({@code _}) name
     */
    public static SignalOwnership serverOwned(String... paths) {
        Objects.requireNonNull(paths, "paths");
        Node root = new Node();
        List<String> declared = new ArrayList<>();
        for (String path : paths) {
            SignalPath p = SignalPath.parse(path);
            Node at = root;
            for (String name : p.names) {
                if (isLocal(name)) {
                    throw new IllegalArgumentException("'" + path + "' names a local signal (a name starting"
                            + " with _): the browser never sends it, so it cannot be server-owned");
                }
                at = at.children.computeIfAbsent(name, n -> new Node());
            }
            at.owned = true;
            declared.add(path);
        }
        return declared.isEmpty() ? CLIENT_OWNED : new SignalOwnership(root, List.copyOf(declared));
    }

    /** Whether the signal at {@code path} is server-owned (declared, or below a declared path). */
    public boolean isServerOwned(String path) {
        Node at = root;
        for (String name : SignalPath.parse(path).names) {
            at = at.children.get(name);
            if (at == null) {
                return false;
            }
            if (at.owned) {
                return true;
            }
        }
        return false;
    }

    /** The declared server-owned paths, in declaration order. */
    public List<String> serverOwnedPaths() {
        return paths;
    }

    @Override
    public String toString() {
        return paths.isEmpty() ? "SignalOwnership[all client-owned]" : "SignalOwnership[server-owned " + paths + "]";
    }

    /** Whether {@code name} is a browser-local signal name, which Datastar never sends. */
    static boolean isLocal(String name) {
        return name.startsWith("_");
    }

    /** A copy of {@code value} without local members at any level of its objects. */
    static JsonNode withoutLocals(JsonNode value) {
        if (!value.isObject()) {
            return value.deepCopy();
        }
        ObjectNode copy = NODES.objectNode();
        for (Map.Entry<String, JsonNode> f : value.properties()) {
            if (!isLocal(f.getKey())) {
                copy.set(f.getKey(), withoutLocals(f.getValue()));
            }
        }
        return copy;
    }

    /** The first local name in {@code value}'s objects as a dotted path, or {@code null} when it has none. */
    static String firstLocal(JsonNode value, String prefix) {
        if (!value.isObject()) {
            return null;
        }
        for (Map.Entry<String, JsonNode> f : value.properties()) {
            String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            if (isLocal(f.getKey())) {
                return path;
            }
            String below = firstLocal(f.getValue(), path);
            if (below != null) {
                return below;
            }
        }
        return null;
    }

    /**
     * Splits what a request sent into what may be merged and what is refused, given the mirror now.
     * A request value is refused where it would change a server-owned signal the mirror holds; the
     * mirror's value for it is then put in {@link Split#restore} so the browser gets it back. A request value
     * for a server-owned signal the mirror does not hold is dropped silently (the server has not set it, so
     * there is nothing to restore; a page may declare a default for display). Local names are dropped.
     */
    Split split(ObjectNode mirror, ObjectNode request) {
        Split split = new Split();
        split(root, mirror, request, "", split.accepted, split.restore, split.refused);
        return split;
    }

    private static void split(Node node, JsonNode mirror, ObjectNode request, String prefix,
                              ObjectNode accepted, ObjectNode restore, List<String> refused) {
        for (Map.Entry<String, JsonNode> f : request.properties()) {
            String name = f.getKey();
            if (isLocal(name)) {
                continue;
            }
            JsonNode value = f.getValue();
            Node child = node.children.get(name);
            if (child == null) {
                accepted.set(name, withoutLocals(value)); // client-owned, whole subtree
                continue;
            }
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            JsonNode current = mirror != null && mirror.isObject() ? mirror.get(name) : null;
            if (child.owned || !value.isObject()) {
                // Server-owned; or a non-object that would replace an object holding server-owned signals.
                JsonNode clean = withoutLocals(value);
                if (current != null && !JsonMergePatch.same(JsonMergePatch.apply(current, clean), current)) {
                    refused.add(path);
                    restore.set(name, current.deepCopy());
                }
                continue;
            }
            // An object merged member by member into a partly server-owned object.
            ObjectNode acceptedBelow = NODES.objectNode();
            ObjectNode restoreBelow = NODES.objectNode();
            split(child, current, (ObjectNode) value, path, acceptedBelow, restoreBelow, refused);
            if (!acceptedBelow.isEmpty()) {
                accepted.set(name, acceptedBelow);
            }
            if (!restoreBelow.isEmpty()) {
                restore.set(name, restoreBelow);
            }
        }
    }

    /** The outcome of {@link #split}: a merge patch to apply, the refused paths, and what restores them. */
    static final class Split {
        final ObjectNode accepted = NODES.objectNode();
        final ObjectNode restore = NODES.objectNode();
        final List<String> refused = new ArrayList<>();

        List<String> refusedPaths() {
            return refused.isEmpty() ? List.of() : Collections.unmodifiableList(refused);
        }
    }

    /** One level of the declared paths: owned here, or the names below that hold owned paths. */
    private static final class Node {
        final Map<String, Node> children = new TreeMap<>();
        boolean owned;
    }
}
