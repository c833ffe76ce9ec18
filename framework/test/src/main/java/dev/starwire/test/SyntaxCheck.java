package dev.starwire.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;

/**
 * Finds attributes written in the pre-1.0 Datastar syntax, which the 1.0 client silently ignores:
 * {@code data-on-click}, {@code data-attr-disabled}, {@code data-bind-value}, dot modifiers such as
 * {@code data-on:click.prevent}, {@code data-on-load}, {@code data-store}.
 */
final class SyntaxCheck {
    /** Every 1.0 attribute plugin name (free and pro) that is written with hyphens itself. */
    private static final Set<String> PLUGINS = Set.of(
            "attr", "bind", "class", "computed", "effect", "ignore", "ignore-morph", "indicator", "init",
            "json-signals", "on", "on-intersect", "on-interval", "on-signal-patch", "on-signal-patch-filter",
            "preserve-attr", "ref", "show", "signals", "style", "text",
            "animate", "custom-validity", "on-raf", "on-resize", "persist", "query-string", "replace-url",
            "scroll-into-view", "view-transition");
    /** Plugins that take a key after a colon in 1.0 and took it after a hyphen before. */
    private static final List<String> KEYED = List.of(
            "attr", "bind", "class", "computed", "indicator", "signals", "style", "ref", "on");

    private SyntaxCheck() {
    }

    static List<String> problems(Element root) {
        List<String> found = new ArrayList<>();
        for (Element el : root.getAllElements()) {
            for (Attribute a : el.attributes()) {
                String problem = check(a.getKey());
                if (problem != null) {
                    found.add(problem + "\n    on " + TestPage.shorten(tagOf(el), 200));
                }
            }
        }
        return found;
    }

    private static String tagOf(Element el) {
        Element shallow = el.shallowClone();
        return shallow.outerHtml();
    }

    /** Why {@code name} is pre-1.0 syntax, or {@code null} when it is fine (or not a Datastar attribute). */
    static String check(String name) {
        if (!name.startsWith("data-")) {
            return null;
        }
        String rest = name.substring(5);
        int mods = rest.indexOf("__");
        String base = mods < 0 ? rest : rest.substring(0, mods);
        int colon = base.indexOf(':');
        if (colon >= 0) {
            String plugin = base.substring(0, colon);
            String key = base.substring(colon + 1);
            if ((plugin.equals("on") || plugin.startsWith("on-")) && key.contains(".")) {
                return "'" + name + "': modifiers follow '__' in 1.0 (write data-" + plugin + ":"
                        + key.substring(0, key.indexOf('.')) + "__" + key.substring(key.indexOf('.') + 1) + ")";
            }
            return null;
        }
        if (base.equals("store")) {
            return "'" + name + "': data-store is pre-1.0; write data-signals";
        }
        if (base.equals("model")) {
            return "'" + name + "': data-model is pre-1.0; write data-bind";
        }
        int dot = base.indexOf('.');
        String plain = dot < 0 ? base : base.substring(0, dot);
        if (PLUGINS.contains(plain)) {
            if (dot >= 0) {
                return "'" + name + "': modifiers follow '__' in 1.0 (write data-" + plain + "__"
                        + base.substring(dot + 1) + ")";
            }
            return null;
        }
        if (plain.equals("on-load")) {
            return "'" + name + "': data-on-load is pre-1.0; write data-init";
        }
        for (String p : KEYED) {
            if (plain.startsWith(p + "-")) {
                String key = plain.substring(p.length() + 1);
                String mod = (dot >= 0 ? "__" + base.substring(dot + 1) : "") + (mods >= 0 ? rest.substring(mods) : "");
                return "'" + name + "': hyphen syntax is pre-1.0 and ignored by the 1.0 client; write data-" + p
                        + ":" + key + mod;
            }
        }
        return null; // an ordinary data attribute such as data-id
    }
}
