package dev.starwire.test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;

/**
 * The signals of a {@link TestPage}, as the client keeps them: patched by {@code datastar-patch-signals} events
 * ({@link MergePatch}), added by {@code data-signals} attributes of the page and of inserted elements, set by
 * the user ({@code data-bind}), and sent with each request without local ({@code _}) signals and empty
 * objects. Not thread-safe: the page guards it with its own lock.
 */
final class PageSignals {
    private final ObjectNode tree = JsonSupport.STRICT.createObjectNode();

    /** The live tree (the page hands out copies). */
    ObjectNode tree() {
        return tree;
    }

    /** Applies a {@code datastar-patch-signals} event. */
    void apply(ReceivedPatchSignals event) {
        MergePatch.apply(tree, event.signals(), event.onlyIfMissing());
    }

    /** The value at a dotted path, or {@code null}. */
    JsonNode get(String path) {
        return SignalPaths.get(tree, path);
    }

    /** Sets a dotted path, as typing into a {@code data-bind} field does. */
    void set(String path, JsonNode value) {
        SignalPaths.set(tree, path, value);
    }

    /**
     * The signals a Datastar request carries: all of them except local ones (a name starting with {@code _}),
     * and, as the client lists signals leaf by leaf, without empty objects.
     */
    ObjectNode forRequest() {
        ObjectNode copy = tree.deepCopy();
        dropLocalAndEmpty(copy);
        return copy;
    }

    /** Reads the {@code data-signals} attributes of {@code root} and every element below it. */
    void readAttributes(Element root) {
        for (Element el : root.getAllElements()) {
            attributes(el).forEach((name, value) -> readAttribute(el, name, value));
        }
    }

    /** The {@code data-signals}, {@code data-signals:*} and {@code data-signals__*} attributes of {@code el}. */
    static Map<String, String> attributes(Element el) {
        Map<String, String> found = new LinkedHashMap<>();
        for (Attribute a : el.attributes()) {
            String name = a.getKey();
            if (name.equals("data-signals") || name.startsWith("data-signals:") || name.startsWith("data-signals__")) {
                found.put(name, a.getValue());
            }
        }
        return found;
    }

    /**
     * Merges one {@code data-signals} attribute: {@code data-signals="{...}"} or {@code data-signals:a-b="..."}
     * (the key in camel case), with {@code __ifmissing} as {@code onlyIfMissing}.
     *
     * @throws AssertionError when the value is not a JSON-like literal the kit can read
     */
    void readAttribute(Element el, String name, String value) {
        int mods = name.indexOf("__");
        String base = mods < 0 ? name : name.substring(0, mods);
        boolean ifMissing = mods >= 0 && name.substring(mods).contains("__ifmissing");
        JsonNode parsed;
        try {
            parsed = JsonSupport.read(JsonSupport.LENIENT, value);
        } catch (JsonProcessingException e) {
            throw new AssertionError("cannot read " + name + "=\"" + value + "\" on "
                    + Text.shorten(el.shallowClone().outerHtml(), 200)
                    + ": the test kit reads JSON-like literals, it does not evaluate JavaScript");
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw new AssertionError("empty " + name + " on " + Text.shorten(el.shallowClone().outerHtml(), 200));
        }
        ObjectNode patch;
        if (base.equals("data-signals")) {
            if (!parsed.isObject()) {
                throw new AssertionError(name + " must hold an object, got " + value);
            }
            patch = (ObjectNode) parsed;
        } else {
            String key = base.substring("data-signals:".length());
            StringBuilder path = new StringBuilder();
            for (String part : SignalPaths.split(key)) {
                path.append(path.length() == 0 ? "" : ".").append(SignalPaths.camel(part));
            }
            patch = SignalPaths.nested(path.toString(), parsed);
        }
        MergePatch.apply(tree, patch, ifMissing);
    }

    @Override
    public String toString() {
        return JsonSupport.write(tree);
    }

    private static void dropLocalAndEmpty(ObjectNode node) {
        List<String> dropped = new ArrayList<>();
        node.properties().forEach(f -> {
            if (f.getKey().startsWith("_")) {
                dropped.add(f.getKey());
            } else if (f.getValue().isObject()) {
                dropLocalAndEmpty((ObjectNode) f.getValue());
                if (f.getValue().isEmpty()) {
                    dropped.add(f.getKey());
                }
            }
        });
        node.remove(dropped);
    }
}
