package dev.starwire.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.DatastarEvent;
import dev.starwire.ElementPatchMode;
import dev.starwire.SseWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
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

    private final Document doc;
    private final PageSignals signals = new PageSignals();
    private final List<ReceivedScript> scripts = new ArrayList<>();
    private final List<ReceivedEvent> events = new ArrayList<>();
    private final DomPatcher patcher;
    private AssertionError failure;

    private TestPage(String html) {
        this.doc = Jsoup.parse(html);
        this.patcher = new DomPatcher(doc, signals, scripts);
        signals.readAttributes(doc);
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
                patcher.apply((ReceivedPatchElements) event);
            } else {
                signals.apply((ReceivedPatchSignals) event);
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
        return signals.tree().deepCopy();
    }

    /** A copy of the value at a dotted signal path such as {@code user.email}. */
    public synchronized Optional<JsonNode> signalValue(String path) {
        JsonNode v = signals.get(path);
        return Optional.ofNullable(v == null ? null : v.deepCopy());
    }

    /**
     * Sets a signal as the user would by typing into a {@code data-bind} field; the next request sends it.
     * {@code value} is anything Jackson serialises.
     */
    public synchronized TestPage setSignal(String path, Object value) {
        signals.set(path, JsonSupport.toTree(value));
        notifyAll();
        return this;
    }

    /**
     * The signals a Datastar request carries: all of them except local ones (a name starting with {@code _}),
     * and, as the client lists signals leaf by leaf, without empty objects.
     */
    synchronized ObjectNode requestSignals() {
        return signals.forRequest();
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
        return new FormSubmission(FormEncoding.entries(form, signals.tree(), submitter),
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
        JsonNode v = signals.get(path);
        return new SignalAssert(path, v == null ? null : v.deepCopy(), signals.toString());
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
                            + description + "\nsignals: " + signals + "\npage body:\n"
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
        return await(p -> SignalAssert.sameValue(p.signals.get(path), want),
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

    static String shorten(String s, int max) {
        return Text.shorten(s, max);
    }

    @Override
    public synchronized String toString() {
        return "TestPage{signals=" + signals + ", body=" + shorten(doc.body().outerHtml(), 500)
                + "}";
    }
}
