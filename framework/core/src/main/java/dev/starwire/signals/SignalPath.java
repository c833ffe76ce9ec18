package dev.starwire.signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A dotted signal path such as {@code user.name}, as the store's methods and {@link SignalOwnership} take it:
 * member names joined by dots, none empty; arrays are values, never walked into. Immutable.
 */
final class SignalPath {
    final String[] names;
    private final String text;

    private SignalPath(String text, String[] names) {
        this.text = text;
        this.names = names;
    }

    static SignalPath parse(String path) {
        Objects.requireNonNull(path, "path");
        String[] names = path.split("\\.", -1);
        for (String n : names) {
            if (n.isEmpty()) {
                throw new IllegalArgumentException("a signal path is names joined by dots, got '" + path + "'");
            }
        }
        return new SignalPath(path, names);
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

    /** {@code {"a":{"b":leaf}}} for the path {@code a.b}. */
    ObjectNode wrap(JsonNode leaf) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode at = root;
        for (int i = 0; i < names.length - 1; i++) {
            at = at.putObject(names[i]);
        }
        at.set(names[names.length - 1], leaf);
        return root;
    }
}
