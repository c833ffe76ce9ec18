package dev.starwire.signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;

/**
 * RFC 7386 JSON Merge Patch: compute the patch between two trees and apply a patch to a tree. This is the
 * format of a {@code datastar-patch-signals} event.
 *
 * <pre>{@code
 * JsonNode before = mapper.readTree("{\"user\":{\"name\":\"Ana\",\"email\":\"a@x\"},\"n\":1}");
 * JsonNode after  = mapper.readTree("{\"user\":{\"name\":\"Bo\"},\"n\":1}");
 * JsonNode patch  = JsonMergePatch.diff(before, after);    // {"user":{"name":"Bo","email":null}}
 * JsonMergePatch.apply(before, patch).equals(after);       // true
 * }</pre>
 *
 * <p>Rules of the format: a member with a value sets it, a nested object patches recursively, a member
 * whose value is {@code null} deletes it, and anything that is not an object (arrays included) replaces the
 * target whole. Consequently a merge patch cannot <em>store</em> a {@code null} inside an object: for
 * {@link #diff} to round-trip, {@code after} must not contain object members whose value is {@code null}
 * (nulls inside arrays are fine). Numbers compare by value, so {@code 1}, {@code 1L} and {@code 1.0} are the
 * same number. Neither method modifies its arguments.
 */
public final class JsonMergePatch {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonMergePatch() {
    }

    /**
     * The minimal merge patch that turns {@code before} into {@code after}: unchanged members are left
     * out, changed nested objects are diffed recursively, removed members become {@code null}, arrays and
     * scalars that changed are sent whole. When both are objects the result is an object, empty when
     * nothing changed; otherwise it is a copy of {@code after}.
     *
     * <pre>{@code
     * JsonMergePatch.diff(obj("{\"a\":1,\"b\":2}"), obj("{\"a\":1,\"c\":3}"));  // {"b":null,"c":3}
     * }</pre>
     */
    public static JsonNode diff(JsonNode before, JsonNode after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        if (before.isObject() && after.isObject()) {
            return diffObjects((ObjectNode) before, (ObjectNode) after);
        }
        return after.deepCopy();
    }

    /**
     * {@code target} with {@code patch} applied, as a new tree. A non-object patch replaces the target; an
     * object patch applied to a non-object target starts from an empty object.
     *
     * <pre>{@code
     * JsonMergePatch.apply(obj("{\"a\":1,\"b\":{\"c\":2}}"), obj("{\"b\":{\"c\":null},\"d\":[1]}"));
     * // {"a":1,"b":{},"d":[1]}
     * }</pre>
     */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(patch, "patch");
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target.isObject() ? ((ObjectNode) target).deepCopy() : NODES.objectNode();
        mergeInto(result, (ObjectNode) patch);
        return result;
    }

    static ObjectNode diffObjects(ObjectNode before, ObjectNode after) {
        ObjectNode patch = NODES.objectNode();
        for (Map.Entry<String, JsonNode> f : before.properties()) {
            if (!after.has(f.getKey())) {
                patch.putNull(f.getKey());
            }
        }
        for (Map.Entry<String, JsonNode> f : after.properties()) {
            JsonNode old = before.get(f.getKey());
            JsonNode now = f.getValue();
            if (old == null) {
                patch.set(f.getKey(), now.deepCopy());
            } else if (old.isObject() && now.isObject()) {
                ObjectNode nested = diffObjects((ObjectNode) old, (ObjectNode) now);
                if (!nested.isEmpty()) {
                    patch.set(f.getKey(), nested);
                }
            } else if (!same(old, now)) {
                patch.set(f.getKey(), now.deepCopy());
            }
        }
        return patch;
    }

    /** Applies {@code patch} to {@code target} in place (values from the patch are copied, never shared). */
    static void mergeInto(ObjectNode target, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> f : patch.properties()) {
            JsonNode value = f.getValue();
            if (value.isNull()) {
                target.remove(f.getKey());
            } else if (value.isObject()) {
                JsonNode existing = target.get(f.getKey());
                ObjectNode child;
                if (existing != null && existing.isObject()) {
                    child = (ObjectNode) existing;
                } else {
                    child = NODES.objectNode();
                    target.set(f.getKey(), child);
                }
                mergeInto(child, (ObjectNode) value);
            } else {
                target.set(f.getKey(), value.deepCopy());
            }
        }
    }

    /**
     * Applies {@code patch} to {@code target} in place with Datastar's {@code onlyIfMissing} rule, as the 1.0.1
     * client applies it: nested objects are descended into, a value is set only where the target has no member
     * of that name, {@code null} deletes nothing, and an object replaces a member that is a string, number or
     * boolean (the client turns it into an object first; it keeps an array).
     *
     * @return whether the target changed
     */
    static boolean mergeMissingInto(ObjectNode target, ObjectNode patch) {
        boolean changed = false;
        for (Map.Entry<String, JsonNode> f : patch.properties()) {
            JsonNode value = f.getValue();
            JsonNode existing = target.get(f.getKey());
            if (value.isNull()) {
                continue;
            }
            if (existing == null) {
                target.set(f.getKey(), withoutNulls(value));
                changed = true;
            } else if (value.isObject() && existing.isObject()) {
                changed |= mergeMissingInto((ObjectNode) existing, (ObjectNode) value);
            } else if (value.isObject() && !existing.isArray()) {
                target.set(f.getKey(), withoutNulls(value)); // every member of the new object is missing
                changed = true;
            }
        }
        return changed;
    }

    /** A copy of {@code value} whose objects have no {@code null} members (a merge patch cannot store them). */
    static JsonNode withoutNulls(JsonNode value) {
        if (!value.isObject()) {
            return value.deepCopy();
        }
        ObjectNode copy = NODES.objectNode();
        for (Map.Entry<String, JsonNode> f : value.properties()) {
            if (!f.getValue().isNull()) {
                copy.set(f.getKey(), withoutNulls(f.getValue()));
            }
        }
        return copy;
    }

    /** JSON equality where numbers compare by value ({@code 1 == 1.0}), as the browser sees them. */
    static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            if (a.getClass() == b.getClass() || !finite(a) || !finite(b)) {
                return a.equals(b);
            }
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.getNodeType() != b.getNodeType()) {
            return false;
        }
        if (a.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> f : a.properties()) {
                JsonNode other = b.get(f.getKey());
                if (other == null || !same(f.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean finite(JsonNode number) {
        return !(number.isDouble() || number.isFloat()) || Double.isFinite(number.doubleValue());
    }
}
