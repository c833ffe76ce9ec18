package dev.starwire.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * RFC 7386 JSON Merge Patch on signal trees, with Datastar's {@code onlyIfMissing} variant, as the Datastar 1.0.1
 * client applies a {@code datastar-patch-signals} event.
 *
 * <p>This is deliberately not core's {@code JsonMergePatch}: it is the kit's independent model of the client,
 * written from the client's behaviour, so that the kit checks the server instead of repeating it.
 * {@code ClientModelAgreesWithCorePropertiesTest} makes the two agree on generated trees (the merge, the
 * {@code onlyIfMissing} rule, and a signal store's events replayed onto a page). One corner is modelled by neither:
 * an object patched onto an array, where the client keeps the array (setting the object's members as array
 * properties that JSON does not carry); here, as in RFC 7386, the object replaces it.
 */
final class MergePatch {
    private MergePatch() {
    }

    /**
     * Applies {@code patch} to {@code target} in place: values set, objects merge recursively, {@code null}
     * deletes. With {@code onlyIfMissing}, existing values are kept and only absent keys are added; as in the
     * Datastar 1.0.1 client, an object in the patch still replaces a value there that is not an object.
     */
    static void apply(ObjectNode target, ObjectNode patch, boolean onlyIfMissing) {
        for (Map.Entry<String, JsonNode> f : patch.properties()) {
            String key = f.getKey();
            JsonNode value = f.getValue();
            JsonNode existing = target.get(key);
            if (value.isNull()) {
                if (!onlyIfMissing) {
                    target.remove(key);
                }
            } else if (value.isObject()) {
                if (existing != null && existing.isObject()) {
                    apply((ObjectNode) existing, (ObjectNode) value, onlyIfMissing);
                } else {
                    // as the client: an object replaces a value that is not one, even with onlyIfMissing
                    ObjectNode fresh = target.objectNode();
                    apply(fresh, (ObjectNode) value, false); // nulls inside a new object just vanish
                    target.set(key, fresh);
                }
            } else if (existing == null || !onlyIfMissing) {
                target.set(key, value.deepCopy());
            }
        }
    }
}
