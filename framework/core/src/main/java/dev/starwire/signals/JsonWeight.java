package dev.starwire.signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The approximate size of a JSON tree in characters of compact JSON (separators are estimated). Used to
 * bound a store's memory without serialising it, and computed for a patch before it is applied so that a
 * rejected patch leaves the store unchanged.
 */
final class JsonWeight {
    private static final int MEMBER_OVERHEAD = 4; // two quotes, colon, comma

    private JsonWeight() {
    }

    static long of(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT: {
                long w = 2;
                for (Map.Entry<String, JsonNode> f : node.properties()) {
                    w += member(f.getKey()) + of(f.getValue());
                }
                return w;
            }
            case ARRAY: {
                long w = 2;
                for (JsonNode item : node) {
                    w += 1 + of(item);
                }
                return w;
            }
            case STRING:
                return 2L + node.textValue().length();
            case NUMBER:
                return node.asText().length();
            case BOOLEAN:
                return node.booleanValue() ? 4 : 5;
            default:
                return 4;
        }
    }

    /** How much {@link JsonMergePatch#mergeInto} of {@code patch} would change the weight of {@code target}. */
    static long delta(JsonNode target, ObjectNode patch) {
        long d = 0;
        for (Map.Entry<String, JsonNode> f : patch.properties()) {
            JsonNode existing = target == null ? null : target.get(f.getKey());
            JsonNode value = f.getValue();
            if (value.isNull()) {
                if (existing != null) {
                    d -= member(f.getKey()) + of(existing);
                }
            } else if (value.isObject()) {
                if (existing != null && existing.isObject()) {
                    d += delta(existing, (ObjectNode) value);
                } else {
                    d += (existing == null ? member(f.getKey()) : -of(existing)) + 2 + delta(null, (ObjectNode) value);
                }
            } else {
                d += existing == null ? member(f.getKey()) + of(value) : of(value) - of(existing);
            }
        }
        return d;
    }

    /**
     * Whether {@code node} nests deeper than {@code limit} levels (a scalar has depth 0, {@code {}} and
     * {@code {"a":1}} depth 1). Descends at most {@code limit + 1} levels, so hostile trees cannot exhaust the
     * stack.
     */
    static boolean deeperThan(JsonNode node, int limit) {
        if (!node.isContainerNode()) {
            return false;
        }
        if (limit < 1) {
            return true;
        }
        for (JsonNode child : node) {
            if (deeperThan(child, limit - 1)) {
                return true;
            }
        }
        return false;
    }

    private static long member(String name) {
        return name.length() + MEMBER_OVERHEAD;
    }
}
