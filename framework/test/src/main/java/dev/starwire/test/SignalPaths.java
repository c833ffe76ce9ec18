package dev.starwire.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Dotted signal paths ({@code user.email}) over a signal tree, as the client names signals ({@code $user.email}),
 * and the client's kebab-to-camel key rule. Like {@link MergePatch} it is the kit's own model, not core's
 * signal store paths, so the two check each other ({@code ClientModelAgreesWithCorePropertiesTest}); it also reads
 * array items by index ({@code items.0}), as an expression in the page can.
 */
final class SignalPaths {
    private SignalPaths() {
    }

    /** The value at {@code path}, or {@code null} when any part is missing. */
    static JsonNode get(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : split(path)) {
            if (node == null) {
                return null;
            }
            if (node.isArray() && part.chars().allMatch(Character::isDigit)) {
                node = node.get(Integer.parseInt(part));
            } else {
                node = node.get(part);
            }
        }
        return node;
    }

    /** Sets {@code path} to {@code value}, creating (or replacing non-object values with) objects on the way. */
    static void set(ObjectNode root, String path, JsonNode value) {
        String[] parts = split(path);
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || !child.isObject()) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value);
    }

    /** Builds {@code {"a":{"b":value}}} for path {@code a.b}. */
    static ObjectNode nested(String path, JsonNode value) {
        ObjectNode root = JsonSupport.STRICT.createObjectNode();
        set(root, path, value);
        return root;
    }

    static String[] split(String path) {
        if (path == null || path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw new IllegalArgumentException("invalid signal path '" + path + "'");
        }
        return path.split("\\.");
    }

    /** {@code message-text} becomes {@code messageText}, per dotted part, as the client names signals. */
    static String camel(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        boolean upper = false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '-') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }
}
