package dev.starwire.test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.DatastarEvent;
import dev.starwire.ElementPatchMode;
import dev.starwire.Namespace;
import dev.starwire.SseWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
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
 * A page as the Datastar 1.0 client holds it, without a browser: a jsoup {@link Document} plus the
 * signals JSON tree. Built from the initial HTML (its {@code data-signals} attributes give the initial
 * signals), it applies events as the client would and offers fluent assertions.
 *
 * <pre>{@code
 * TestPage page = TestPage.of("<div id=\"messages\" data-signals='{\"count\":0}'></div>");
 * page.apply(PatchElements.builder().selector("#messages").mode(ElementPatchMode.APPEND)
 *         .elements("<p class=\"message\">hi</p>").build());
 * page.apply(PatchSignals.of(Map.of("count", 1)));
 * page.assertThat("#messages .message").hasSize(1).hasText("hi");
 * page.signal("count").isEqualTo(1);
 * }</pre>
 *
 * <p>Element patches follow the client's targeting: the {@code selector} (as the 1.0.1 client, only the first
 * match receives the elements; later matches get nothing, so {@code outer} and {@code replace} remove them and
 * {@code inner} empties them; {@code remove} removes every match), or without one
 * (modes {@code outer} and {@code replace} only) the {@code id} of each top-level element, while
 * {@code <html>}, {@code <head>} and {@code <body>} patch the page's own; a missing target or id fails with
 * a message naming it.
 * Where the real client <em>morphs</em> ({@code outer}, {@code inner}), the page keeps the target element
 * and replaces its attributes and children; morphing's extra care (keeping focus, input values, nested
 * elements matched by id) is not simulated. As in the client, {@code data-ignore-morph} keeps an element only
 * when the new element carries it too (the {@code outer} target, or a descendant whose id comes back), and
 * nothing inside an element carrying it is morphed. Scripts inserted by a patch are recorded in
 * {@link #scripts()} (no JavaScript runs) and removed when they carry {@code data-effect="el.remove()"}.
 * Elements inserted with {@code data-signals} add their signals, as the client does when it sees them.
 *
 * <p>Thread-safe: a client's background stream applies events while the test thread asserts.
 */
public final class TestPage {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    private static final String BLANK = "<!DOCTYPE html><html><head></head><body></body></html>";
    /** SVG content can hold a {@code <title>}; it must not count when looking for document-level tags. */
    private static final Pattern SVG_BLOCK = Pattern.compile("(?is)<svg\\b.*?</svg>");
    private static final String IGNORE_MORPH = "data-ignore-morph";

    private final Document doc;
    private final ObjectNode signals = JsonSupport.STRICT.createObjectNode();
    private final List<ReceivedScript> scripts = new ArrayList<>();
    private final List<ReceivedEvent> events = new ArrayList<>();
    private AssertionError failure;

    private TestPage(String html) {
        this.doc = Jsoup.parse(html);
        readSignals(doc);
    }

    /** A page built from {@code html}; its {@code data-signals} attributes become the initial signals. */
    public static TestPage of(String html) {
        return new TestPage(html);
    }

    /** An empty HTML page without signals. */
    public static TestPage blank() {
        return new TestPage(BLANK);
    }

    /**
     * Applies one parsed event.
     *
     * @throws AssertionError when the client could not apply it (missing target, element without id, ...)
     */
    public TestPage apply(ReceivedEvent event) {
        synchronized (this) {
            if (event instanceof ReceivedPatchElements) {
                applyElements((ReceivedPatchElements) event);
            } else {
                ReceivedPatchSignals s = (ReceivedPatchSignals) event;
                MergePatch.apply(signals, s.signals(), s.onlyIfMissing());
            }
            events.add(event);
            notifyAll();
        }
        return this;
    }

    /** Applies a core event exactly as it travels: framed by {@link SseWriter}, then parsed strictly. */
    public TestPage apply(DatastarEvent event) {
        return applyStream(SseWriter.encode(event));
    }

    /** Applies every complete event of an SSE stream. */
    public TestPage applyStream(byte[] sse) {
        for (ReceivedEvent e : SseParser.parse(sse)) {
            apply(e);
        }
        return this;
    }

    /** Applies every complete event of an SSE stream given as text. */
    public TestPage applyStream(String sse) {
        return applyStream(sse.getBytes(StandardCharsets.UTF_8));
    }

    /** Records a one-shot {@code text/javascript} response as run. */
    synchronized void recordScript(ReceivedScript script) {
        scripts.add(script);
        notifyAll();
    }

    /** The whole document as HTML. */
    public synchronized String html() {
        return doc.outerHtml();
    }

    /** A copy of the document, to query freely with jsoup. */
    public synchronized Document document() {
        return doc.clone();
    }

    /** Copies of the elements matching a jsoup/CSS selector. */
    public synchronized Elements select(String cssSelector) {
        return doc.select(cssSelector).clone();
    }

    /** A copy of the current signals. */
    public synchronized ObjectNode signals() {
        return signals.deepCopy();
    }

    /** A copy of the value at a dotted signal path such as {@code user.email}. */
    public synchronized Optional<JsonNode> signalValue(String path) {
        JsonNode v = SignalPaths.get(signals, path);
        return Optional.ofNullable(v == null ? null : v.deepCopy());
    }

    /**
     * Sets a signal as the user would by typing into a {@code data-bind} field; the next request sends it.
     * {@code value} is anything Jackson serialises.
     */
    public synchronized TestPage setSignal(String path, Object value) {
        SignalPaths.set(signals, path, JsonSupport.toTree(value));
        notifyAll();
        return this;
    }

    /**
     * The signals a Datastar request carries: all of them except local ones (a name starting with {@code _}),
     * and, as the client lists signals leaf by leaf, without empty objects.
     */
    synchronized ObjectNode requestSignals() {
        ObjectNode copy = signals.deepCopy();
        dropLocalAndEmpty(copy);
        return copy;
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

    /** The form a {@code {contentType: 'form'}} action sends: its fields and whether it is multipart. */
    record FormSubmission(List<FormEncoding.Field> fields, boolean multipart) {
    }

    /**
     * The form data the Datastar client builds for an action with {@code {contentType: 'form'}}: the form
     * {@code formSelector} names, or else the closest form around the element {@code triggerSelector} names; a
     * submit button that triggered the action adds its name and value.
     */
    synchronized FormSubmission formSubmission(String triggerSelector, String formSelector) {
        Element trigger = triggerSelector == null ? null : doc.selectFirst(triggerSelector);
        Element form = formSelector != null ? doc.selectFirst(formSelector)
                : trigger == null ? null : trigger.closest("form");
        if (form == null) {
            throw new AssertionError("no form to send: " + (formSelector != null ? "nothing matches '" + formSelector
                    + "'" : "'" + triggerSelector + "' is not inside a <form>") + " (the client fails with"
                    + " FetchFormNotFound)");
        }
        Element submitter = trigger == form ? null : trigger;
        return new FormSubmission(FormEncoding.entries(form, signals, submitter),
                "multipart/form-data".equalsIgnoreCase(form.attr("enctype")));
    }

    /** The scripts run so far, in order. */
    public synchronized List<ReceivedScript> scripts() {
        return List.copyOf(scripts);
    }

    /** Every event applied so far, in order. */
    public synchronized List<ReceivedEvent> events() {
        return List.copyOf(events);
    }

    /** Assertions on the elements matching a jsoup/CSS selector, taken from the page as it is now. */
    public synchronized ElementsAssert assertThat(String cssSelector) {
        Elements found;
        try {
            found = doc.select(cssSelector).clone();
        } catch (Selector.SelectorParseException e) {
            throw new AssertionError("invalid selector '" + cssSelector + "': " + e.getMessage());
        }
        return new ElementsAssert(cssSelector, found, shorten(doc.body().outerHtml(), 4000));
    }

    /** Assertions on the signal at a dotted path, taken from the page as it is now. */
    public synchronized SignalAssert signal(String path) {
        JsonNode v = SignalPaths.get(signals, path);
        return new SignalAssert(path, v == null ? null : v.deepCopy(), JsonSupport.write(signals));
    }

    /**
     * Fails when the page uses pre-1.0 attribute syntax that the 1.0 client silently ignores
     * ({@code data-on-click}, {@code data-attr-disabled}, {@code data-bind-value}, {@code data-on:click.prevent},
     * {@code data-on-load}, ...). The message lists every such attribute with its element and the 1.0 spelling.
     */
    public synchronized TestPage assertDatastar10Syntax() {
        List<String> problems = SyntaxCheck.problems(doc);
        if (!problems.isEmpty()) {
            throw new AssertionError("The page uses pre-1.0 Datastar syntax, which the 1.0 client ignores:\n  - "
                    + String.join("\n  - ", problems));
        }
        return this;
    }

    /**
     * Waits until {@code condition} holds on this page, or fails after {@code timeout}. A stream that broke
     * while waiting fails the wait at once with the stream's error.
     */
    public TestPage await(Predicate<TestPage> condition, String description, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                if (failure != null) {
                    throw new AssertionError("while waiting for " + description + ": " + failure.getMessage(),
                            failure);
                }
                if (condition.test(this)) {
                    return this;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for "
                            + description + "\nsignals: " + JsonSupport.write(signals) + "\npage body:\n"
                            + shorten(doc.body().outerHtml(), 4000));
                }
                try {
                    // woken by every change; the bounded wait re-checks conditions on state outside the page
                    wait(Math.max(1, Math.min(left / 1_000_000, 50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + description);
                }
            }
        }
    }

    /** Waits up to 15 s until {@code condition} holds. */
    public TestPage await(Predicate<TestPage> condition, String description) {
        return await(condition, description, DEFAULT_TIMEOUT);
    }

    /** Waits until the signal at {@code path} equals {@code expected} (numbers compare by value). */
    public TestPage awaitSignal(String path, Object expected, Duration timeout) {
        JsonNode want = JsonSupport.toTree(expected);
        return await(p -> SignalAssert.sameValue(SignalPaths.get(p.signals, path), want),
                "signal '" + path + "' to be " + JsonSupport.write(want), timeout);
    }

    /** Waits up to 15 s until the signal at {@code path} equals {@code expected}. */
    public TestPage awaitSignal(String path, Object expected) {
        return awaitSignal(path, expected, DEFAULT_TIMEOUT);
    }

    /** Waits until exactly {@code count} elements match {@code cssSelector}. */
    public TestPage awaitElements(String cssSelector, int count, Duration timeout) {
        return await(p -> p.doc.select(cssSelector).size() == count,
                count + " element(s) matching '" + cssSelector + "'", timeout);
    }

    /** Waits up to 15 s until exactly {@code count} elements match {@code cssSelector}. */
    public TestPage awaitElements(String cssSelector, int count) {
        return awaitElements(cssSelector, count, DEFAULT_TIMEOUT);
    }

    /** Marks the page broken by a stream that fed it a bad event; waits fail with this error. */
    synchronized void streamFailed(AssertionError error) {
        if (failure == null) {
            failure = error;
        }
        notifyAll();
    }

    /** The first error of a stream feeding this page, if any. */
    public synchronized Optional<AssertionError> streamFailure() {
        return Optional.ofNullable(failure);
    }

    synchronized void changed() {
        notifyAll();
    }

    // ---- element patches ----

    private void applyElements(ReceivedPatchElements p) {
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
                    throw patchFailure(p, "top-level text '" + shorten(n.outerHtml(), 80)
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
                    throw patchFailure(p, "element " + shorten(el.outerHtml(), 200) + " has no id and the event"
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
                    Map<String, String> signalsBefore = signalAttributes(target);
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
                    signalAttributes(target).forEach((name, value) -> {
                        if (!value.equals(signalsBefore.get(name))) {
                            readSignalsAttribute(target, name, value);
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
        readSignals(root);
    }

    // ---- data-signals ----

    private void readSignals(Element root) {
        for (Element el : root.getAllElements()) {
            signalAttributes(el).forEach((name, value) -> readSignalsAttribute(el, name, value));
        }
    }

    private static Map<String, String> signalAttributes(Element el) {
        Map<String, String> found = new LinkedHashMap<>();
        for (Attribute a : el.attributes()) {
            String name = a.getKey();
            if (name.equals("data-signals") || name.startsWith("data-signals:") || name.startsWith("data-signals__")) {
                found.put(name, a.getValue());
            }
        }
        return found;
    }

    private void readSignalsAttribute(Element el, String name, String value) {
        int mods = name.indexOf("__");
        String base = mods < 0 ? name : name.substring(0, mods);
        boolean ifMissing = mods >= 0 && name.substring(mods).contains("__ifmissing");
        JsonNode parsed;
        try {
            parsed = JsonSupport.read(JsonSupport.LENIENT, value);
        } catch (JsonProcessingException e) {
            throw new AssertionError("cannot read " + name + "=\"" + value + "\" on "
                    + shorten(el.shallowClone().outerHtml(), 200)
                    + ": the test kit reads JSON-like literals, it does not evaluate JavaScript");
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw new AssertionError("empty " + name + " on " + shorten(el.shallowClone().outerHtml(), 200));
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
        MergePatch.apply(signals, patch, ifMissing);
    }

    // ---- messages ----

    private AssertionError patchFailure(ReceivedPatchElements p, String message) {
        return new AssertionError("Datastar client cannot apply patch-elements: " + message + "\nevent: "
                + describe(p) + "\npage body:\n" + shorten(doc.body().outerHtml(), 4000));
    }

    private static String describe(ReceivedPatchElements p) {
        return "selector=" + p.selector().orElse("(none)") + " mode=" + p.mode().wireName() + " namespace="
                + p.namespace().wireName() + " elements=" + shorten(p.elements(), 500);
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "... (" + (s.length() - max) + " more chars)";
    }

    @Override
    public synchronized String toString() {
        return "TestPage{signals=" + JsonSupport.write(signals) + ", body=" + shorten(doc.body().outerHtml(), 500)
                + "}";
    }
}
