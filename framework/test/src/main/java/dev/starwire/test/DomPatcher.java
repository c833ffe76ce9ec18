package dev.starwire.test;

import dev.starwire.ElementPatchMode;
import dev.starwire.Namespace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.Parser;
import org.jsoup.select.Elements;
import org.jsoup.select.Selector;

/**
 * Applies {@code datastar-patch-elements} events to a {@link TestPage}'s jsoup document the way the Datastar
 * 1.0.1 client patches the DOM: targets by selector (only the first match receives the elements) or by the id of
 * each top-level element, the eight modes, {@code <html>}/{@code <head>}/{@code <body>} patching the page's own,
 * morphing as attribute-and-children replacement, {@code data-ignore-morph}, parsing fragments as the client
 * does (templates, SVG, MathML). Inserted scripts are recorded and inserted {@code data-signals} read. Not
 * thread-safe: the page guards it with its own lock.
 */
final class DomPatcher {
    /** SVG content can hold a {@code <title>}; it must not count when looking for document-level tags. */
    private static final Pattern SVG_BLOCK = Pattern.compile("(?is)<svg\\b.*?</svg>");
    private static final String IGNORE_MORPH = "data-ignore-morph";

    private final Document doc;
    private final PageSignals signals;
    private final List<ReceivedScript> scripts;

    DomPatcher(Document doc, PageSignals signals, List<ReceivedScript> scripts) {
        this.doc = doc;
        this.signals = signals;
        this.scripts = scripts;
    }

    /**
     * Applies one event to the document.
     *
     * @throws AssertionError when the client could not apply it (missing target, element without id, ...)
     */
    void apply(ReceivedPatchElements p) {
        List<Node> fragment = parseFragment(p.elements(), p.namespace());
        List<Node> inserted = new ArrayList<>();
        if (p.selector().isPresent()) {
            String sel = p.selector().get();
            Elements targets;
            try {
                targets = doc.select(sel);
            } catch (Selector.SelectorParseException e) {
                throw patchFailure(p, "invalid selector '" + sel + "': " + e.getMessage());
            }
            if (targets.isEmpty()) {
                throw patchFailure(p, "no element matches selector '" + sel + "' (mode " + p.mode().wireName()
                        + ")");
            }
            for (int i = 0; i < targets.size(); i++) {
                // as the 1.0.1 client: its parsed fragment moves into the first match, so every later match
                // gets an empty copy (outer and replace remove it, inner empties it, the others add nothing);
                // remove takes every match
                List<Node> nodes = i == 0 ? fragment : List.of();
                patch(targets.get(i), nodes, p.mode(), inserted);
            }
        } else {
            for (Node n : fragment) {
                if (n instanceof Comment || (n instanceof TextNode && ((TextNode) n).isBlank())) {
                    continue;
                }
                if (!(n instanceof Element)) {
                    throw patchFailure(p, "top-level text '" + Text.shorten(n.outerHtml(), 80)
                            + "' without a selector: the client can only place elements that have an id");
                }
                Element el = (Element) n;
                Element documentLevel = documentLevelTarget(el);
                if (documentLevel != null) {
                    patch(documentLevel, List.of(el), p.mode(), inserted);
                    continue;
                }
                String id = el.id();
                if (id.isEmpty()) {
                    throw patchFailure(p, "element " + Text.shorten(el.outerHtml(), 200) + " has no id and the event"
                            + " has no selector: the client cannot tell where it goes");
                }
                Element target = doc.getElementById(id);
                if (target == null) {
                    throw patchFailure(p, "no element with id '" + id + "' on the page (mode " + p.mode().wireName()
                            + ", no selector)");
                }
                patch(target, List.of(el), p.mode(), inserted);
            }
        }
        for (Node n : inserted) {
            if (n instanceof Element && n.parent() != null) {
                afterInsert((Element) n);
            }
        }
    }

    private void patch(Element target, List<Node> nodes, ElementPatchMode mode, List<Node> inserted) {
        if ((mode == ElementPatchMode.OUTER || mode == ElementPatchMode.INNER) && insideIgnoreMorph(target)) {
            return; // the client does not morph inside a data-ignore-morph element
        }
        switch (mode) {
            case OUTER: {
                Element only = singleElement(nodes);
                if (only != null && target.hasAttr(IGNORE_MORPH) && only.hasAttr(IGNORE_MORPH)) {
                    return; // kept only when the old and the new element both carry it, as in the client
                }
                if (only != null && only.normalName().equals(target.normalName())) {
                    // the client morphs: the element stays, its attributes and children become the new ones
                    Map<String, String> signalsBefore = PageSignals.attributes(target);
                    target.clearAttributes();
                    for (Attribute a : only.attributes()) {
                        target.attr(a.getKey(), a.getValue());
                    }
                    Map<String, Element> kept = ignoredById(target);
                    target.empty();
                    List<Node> children = new ArrayList<>(only.childNodes());
                    target.appendChildren(children);
                    inserted.addAll(children);
                    restoreIgnored(target, kept);
                    // like the client, re-read data-signals on the kept element only when its value changed
                    PageSignals.attributes(target).forEach((name, value) -> {
                        if (!value.equals(signalsBefore.get(name))) {
                            signals.readAttribute(target, name, value);
                        }
                    });
                } else {
                    insertBefore(target, nodes, inserted);
                    target.remove();
                }
                return;
            }
            case INNER:
                // the target's own data-ignore-morph does not stop an inner morph (only both sides of a pair do)
                Map<String, Element> kept = ignoredById(target);
                target.empty();
                target.appendChildren(nodes);
                inserted.addAll(nodes);
                restoreIgnored(target, kept);
                return;
            case REPLACE:
                insertBefore(target, nodes, inserted);
                target.remove();
                return;
            case PREPEND:
                target.prependChildren(nodes);
                inserted.addAll(nodes);
                return;
            case APPEND:
                target.appendChildren(nodes);
                inserted.addAll(nodes);
                return;
            case BEFORE:
                insertBefore(target, nodes, inserted);
                return;
            case AFTER: {
                Node anchor = target;
                for (Node n : nodes) {
                    anchor.after(n);
                    anchor = n;
                    inserted.add(n);
                }
                return;
            }
            case REMOVE:
                target.remove();
                return;
            default:
                throw new IllegalStateException("unknown mode " + mode);
        }
    }

    /** Whether an ancestor of {@code target} carries {@code data-ignore-morph}. */
    private static boolean insideIgnoreMorph(Element target) {
        for (Element a = target.parent(); a != null; a = a.parent()) {
            if (a.hasAttr(IGNORE_MORPH)) {
                return true;
            }
        }
        return false;
    }

    /** Descendants with {@code data-ignore-morph} and an id: a morph keeps them when the new one has it too. */
    private static Map<String, Element> ignoredById(Element target) {
        Map<String, Element> kept = new LinkedHashMap<>();
        for (Element e : target.select("[data-ignore-morph][id]")) {
            if (e != target) {
                kept.putIfAbsent(e.id(), e);
            }
        }
        return kept;
    }

    private static void restoreIgnored(Element target, Map<String, Element> kept) {
        for (Map.Entry<String, Element> k : kept.entrySet()) {
            for (Element fresh : target.getElementsByAttributeValue("id", k.getKey())) {
                if (fresh != target) {
                    if (fresh.hasAttr(IGNORE_MORPH)) {
                        fresh.replaceWith(k.getValue());
                    }
                    break;
                }
            }
        }
    }

    private static void insertBefore(Element target, List<Node> nodes, List<Node> inserted) {
        for (Node n : nodes) {
            target.before(n);
            inserted.add(n);
        }
    }

    private static Element singleElement(List<Node> nodes) {
        Element only = null;
        for (Node n : nodes) {
            if (n instanceof Element) {
                if (only != null) {
                    return null;
                }
                only = (Element) n;
            } else if (!(n instanceof TextNode && ((TextNode) n).isBlank()) && !(n instanceof Comment)) {
                return null;
            }
        }
        return only;
    }

    /** {@code <html>}, {@code <head>} and {@code <body>} patch the page's own, as in the client. */
    private Element documentLevelTarget(Element el) {
        switch (el.normalName()) {
            case "html":
                return doc.selectFirst("html");
            case "head":
                return doc.head();
            case "body":
                return doc.body();
            default:
                return null;
        }
    }

    /**
     * Parses like the client: a whole document when the HTML closes html, head or body (SVG content aside);
     * otherwise in a template (so table rows survive), or inside svg / math for foreign content.
     */
    private static List<Node> parseFragment(String html, Namespace ns) {
        String withoutSvg = SVG_BLOCK.matcher(html).replaceAll("");
        boolean hasHtml = withoutSvg.contains("</html>");
        boolean hasHead = withoutSvg.contains("</head>");
        boolean hasBody = withoutSvg.contains("</body>");
        List<Node> nodes;
        if (hasHtml || hasHead || hasBody) {
            Document d = Jsoup.parse(html);
            if (hasHtml) {
                nodes = List.of(d.selectFirst("html"));
            } else if (hasHead && hasBody) {
                nodes = List.of(d.head(), d.body());
            } else {
                nodes = List.of(hasHead ? d.head() : d.body());
            }
        } else if (ns == Namespace.HTML) {
            nodes = Parser.parseFragment(html, new Element("template"), "");
        } else {
            String wrapper = ns == Namespace.SVG ? "svg" : "math";
            Document d = Jsoup.parseBodyFragment("<" + wrapper + ">" + html + "</" + wrapper + ">");
            Element root = d.body().child(0);
            nodes = new ArrayList<>(root.childNodes());
        }
        List<Node> detached = new ArrayList<>(nodes);
        for (Node n : detached) {
            n.remove();
        }
        return detached;
    }

    private void afterInsert(Element root) {
        for (Element script : root.select("script")) {
            Map<String, String> attrs = new LinkedHashMap<>();
            for (Attribute a : script.attributes()) {
                attrs.put(a.getKey(), a.getValue());
            }
            scripts.add(new ReceivedScript(script.data(), attrs));
            if (script.attr("data-effect").contains("el.remove()")) {
                script.remove();
            }
        }
        signals.readAttributes(root);
    }

    private AssertionError patchFailure(ReceivedPatchElements p, String message) {
        return new AssertionError("Datastar client cannot apply patch-elements: " + message + "\nevent: "
                + describe(p) + "\npage body:\n" + Text.shorten(doc.body().outerHtml(), 4000));
    }

    private static String describe(ReceivedPatchElements p) {
        return "selector=" + p.selector().orElse("(none)") + " mode=" + p.mode().wireName() + " namespace="
                + p.namespace().wireName() + " elements=" + Text.shorten(p.elements(), 500);
    }
}
