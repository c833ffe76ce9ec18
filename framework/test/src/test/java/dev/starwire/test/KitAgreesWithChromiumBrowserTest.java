package dev.starwire.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.starwire.DatastarEvent;
import dev.starwire.DatastarResponse;
import dev.starwire.ElementPatchMode;
import dev.starwire.ExecuteScript;
import dev.starwire.Namespace;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.browser.BrowserWindow;
import dev.starwire.browser.ChromiumExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test kit checked against the real client. Each {@link Scenario} (a page, the server's events and
 * one-shot answers, clicks and typing) is played once by the kit's {@link DatastarClient} and once by the
 * Datastar 1.0.1 client in headless Chromium, against the same {@link ScenarioServer}. Then the two are
 * compared, and any difference fails showing both versions:
 * <ul>
 *   <li>the page body, both serialised and read back by jsoup, in a canonical form (below);</li>
 *   <li>the signals: the kit's tree against what the client shows in {@code data-json-signals};</li>
 *   <li>the requests the server received: method, path, query, where the signals travelled and what they
 *       were, {@code Content-Type}, {@code Datastar-Request};</li>
 *   <li>the scripts that ran (each scenario script adds its name to {@code window.__ran}; the kit's
 *       recorded scripts are read for the same names).</li>
 * </ul>
 * Then the scenario's own expectations (what the user sees) are checked on both sides.
 *
 * <p>Normalisations, and why each is needed:
 * <ol>
 *   <li>attributes are listed sorted by name: a morph keeps the old element's attribute order, the kit takes
 *       the new one's (the first scenario shows it);</li>
 *   <li>{@code nonce} values are not compared: browsers hide them from the DOM (they read as empty);</li>
 *   <li>the text of {@code #signals} is not compared as HTML: it is how the client shows its signals, which
 *       are compared as JSON (object keys in any order, numbers by value);</li>
 *   <li>adjacent text nodes are merged: both sides are serialised and parsed again, as a browser's
 *       {@code outerHTML} does;</li>
 *   <li>empty objects are dropped from the kit's signals: the client keeps them, but lists, shows and sends
 *       its signals leaf by leaf, so an empty object never appears.</li>
 * </ol>
 */
class KitAgreesWithChromiumBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern RAN = Pattern.compile("concat\\('([^']*)'\\)");

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension();

    private static ScenarioServer server;

    @BeforeAll
    static void start() throws IOException {
        server = new ScenarioServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** What one side ended with. */
    record Outcome(String side, Element body, JsonNode signals, List<ScenarioServer.Request> requests,
                   List<String> scriptsRan, String failure) {
        /** The text of every element matching {@code css}, empty ones included. */
        List<String> texts(String css) {
            return body.select(css).stream().map(Element::text).toList();
        }

        JsonNode signal(String path) {
            JsonNode v = SignalPaths.get((com.fasterxml.jackson.databind.node.ObjectNode) signals, path);
            return v == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : v;
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + server.port();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theKitAndTheRealClientAgree(Scenario scenario, BrowserWindow window) {
        Outcome kit = inKit(scenario);
        Outcome browser = inChromium(scenario, window);
        List<String> differences = new ArrayList<>();
        compare("page body (canonical)", CanonicalDom.of(kit.body()), CanonicalDom.of(browser.body()), differences);
        compare("signals", json(withoutEmptyObjects(kit.signals())), json(browser.signals()), differences);
        compare("requests the server received", requests(kit), requests(browser), differences);
        compare("scripts that ran", String.join("\n", kit.scriptsRan()), String.join("\n", browser.scriptsRan()),
                differences);
        if (kit.failure() != null) {
            differences.add(0, "the kit could not play the scenario: " + kit.failure());
        }
        if (!differences.isEmpty()) {
            fail("the test kit and Chromium disagree on '" + scenario + "':\n\n" + String.join("\n\n", differences));
        }
        for (Outcome o : List.of(browser, kit)) {
            for (var expectation : scenario.expectations) {
                try {
                    expectation.accept(o);
                } catch (AssertionError e) {
                    throw new AssertionError(o.side() + ": " + e.getMessage() + "\nbody:\n"
                            + CanonicalDom.of(o.body()), e);
                }
            }
        }
    }

    private static void compare(String what, String kit, String browser, List<String> differences) {
        if (!kit.equals(browser)) {
            differences.add("== " + what + " differ ==\n-- test kit:\n" + kit + "\n-- Chromium:\n" + browser);
        }
    }

    // ---- the two players ----

    private static Outcome inKit(Scenario s) {
        server.load(s.html());
        try (DatastarClient client = DatastarClient.connect(base())) {
            TestPage page = client.open(ScenarioServer.PAGE);
            if (s.init != null) {
                server.next(s.init);
                for (ReceivedStream stream : client.init()) {
                    stream.awaitEnd(Duration.ofSeconds(15));
                }
            }
            for (Scenario.Step step : s.steps) {
                if (step.typing()) {
                    page.setSignal(step.signal(), step.text());
                } else if (step.form() != null) {
                    server.next(step.answer());
                    client.submit(step.form());
                } else {
                    server.next(step.answer());
                    client.click(step.selector());
                }
            }
            List<String> ran = new ArrayList<>();
            for (ReceivedScript script : page.scripts()) {
                Matcher m = RAN.matcher(script.code());
                while (m.find()) {
                    ran.add(m.group(1));
                }
            }
            Document doc = page.document();
            doc.outputSettings().prettyPrint(false);
            return new Outcome("test kit", reparse(doc.body().outerHtml()), page.signals(), requestsOrFail(), ran,
                    null);
        } catch (AssertionError e) {
            return new Outcome("test kit", new Element("body"), JSON.createObjectNode(), server.requests(),
                    List.of(), e.getMessage());
        }
    }

    private static Outcome inChromium(Scenario s, BrowserWindow w) {
        server.load(s.html());
        if (s.init != null) {
            server.next(s.init);
        }
        w.open(base() + ScenarioServer.PAGE);
        w.await("the client to show its signals", x -> !x.text("#signals").isBlank());
        if (s.init != null) {
            w.awaitFetches("finished", 1);
        }
        for (Scenario.Step step : s.steps) {
            if (step.typing()) {
                w.type(step.selector(), step.text());
                continue;
            }
            server.next(step.answer());
            int finished = w.fetches("finished");
            w.click(step.selector());
            if (step.done() != null) {
                w.await(step.doneDescription(), step.done());
            } else {
                w.awaitFetches("finished", finished + 1);
            }
        }
        JsonNode signals;
        try {
            signals = JSON.readTree(w.text("#signals"));
        } catch (JsonProcessingException e) {
            throw new AssertionError("data-json-signals is not JSON: " + w.text("#signals"), e);
        }
        List<String> ran = new ArrayList<>();
        for (Object name : (List<?>) w.script("return window.__ran || []")) {
            ran.add(String.valueOf(name));
        }
        s.browserChecks.forEach(check -> check.accept(w));
        return new Outcome("Chromium", reparse(w.bodyHtml()), signals, requestsOrFail(), ran, null);
    }

    private static List<ScenarioServer.Request> requestsOrFail() {
        List<String> errors = server.errors();
        if (!errors.isEmpty()) {
            throw new AssertionError("the scenario server: " + errors);
        }
        return server.requests();
    }

    // ---- canonical forms ----

    private static Element reparse(String bodyHtml) {
        return Jsoup.parse("<!DOCTYPE html><html><head></head>" + bodyHtml + "</html>").body();
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(JSON.treeToValue(node, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String requests(Outcome o) {
        StringBuilder out = new StringBuilder();
        for (ScenarioServer.Request r : o.requests()) {
            out.append(r.method()).append(' ').append(r.path()).append(r.query().isEmpty() ? "" : "?" + r.query())
                    .append("\n  signals in ").append(r.signalsIn()).append(": ")
                    .append(json(withoutEcho(r.signals())).replace("\n", "\n  "))
                    .append("\n  Content-Type ").append(r.contentType())
                    .append(", Datastar-Request ").append(r.datastarRequest()).append('\n');
        }
        return out.toString();
    }

    /** The client shows (and sends) signals leaf by leaf: an empty object has no leaf, so it never appears. */
    private static JsonNode withoutEmptyObjects(JsonNode node) {
        JsonNode copy = node.deepCopy();
        prune(copy);
        return copy;
    }

    private static void prune(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            List<String> empty = new ArrayList<>();
            o.properties().forEach(f -> {
                prune(f.getValue());
                if (f.getValue().isObject() && f.getValue().isEmpty()) {
                    empty.add(f.getKey());
                }
            });
            o.remove(empty);
        }
    }

    /** An earlier echo travels back with every later request: left out of the request listing. */
    private static JsonNode withoutEcho(JsonNode signals) {
        JsonNode copy = signals.deepCopy();
        if (copy instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            o.remove("echo");
        }
        return copy;
    }

    // ---- the scenarios ----

    private static PatchElements.Builder at(String selector, ElementPatchMode mode) {
        return PatchElements.builder().selector(selector).mode(mode);
    }

    private static String ran(String name) {
        return "window.__ran = (window.__ran || []).concat('" + name + "')";
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                Scenario.page("outer morphs by id and by selector", "{}", """
                        <div id="status" class="offline" title="old">offline</div>
                        <div id="box"><p>x</p></div>
                        <ul id="list"><li id="i1">one</li><li id="i2">two</li></ul>""")
                        .send(PatchElements.of("<div class=\"online\" id=\"status\">online <b>now</b></div>"),
                                at("#box", ElementPatchMode.OUTER)
                                        .elements("<section id=\"box\"><p>y</p></section>").build(),
                                PatchElements.of("<ul id=\"list\"><li id=\"i2\">two</li><li id=\"i1\">one</li>"
                                        + "<li id=\"i3\">three</li></ul>"))
                        .expect(o -> {
                            assertEquals(List.of("online now"), o.texts("#status.online"));
                            assertEquals(List.of(), o.texts("#status[title]"));
                            assertEquals(List.of("y"), o.texts("section#box p"));
                            assertEquals(List.of("two", "one", "three"), o.texts("#list li"));
                        }),
                Scenario.page("every other patch mode", "{}", """
                        <ul id="list"><li id="m1">one</li><li id="m2">two</li></ul>
                        <p class="toast">first toast</p><p class="toast">second toast</p>""")
                        .send(at("#list", ElementPatchMode.PREPEND).elements("<li>zero</li>").build(),
                                at("#list", ElementPatchMode.APPEND).elements("<li>three</li>").build(),
                                at("#m2", ElementPatchMode.BEFORE).elements("<li>one and a half</li>").build(),
                                at("#m2", ElementPatchMode.AFTER).elements("<li>two and a half</li>").build(),
                                at("#m1", ElementPatchMode.REPLACE).elements("<li id=\"m1b\">ONE</li>").build(),
                                at("#m2", ElementPatchMode.INNER).elements("<em>TWO</em>").build(),
                                PatchElements.remove(".toast"))
                        .expect(o -> {
                            assertEquals(List.of("zero", "ONE", "one and a half", "TWO", "two and a half", "three"),
                                    o.texts("#list li"));
                            assertEquals(List.of(), o.texts(".toast, #m1"));
                            assertEquals(List.of("TWO"), o.texts("#m2 > em"));
                        }),
                Scenario.page("a selector matching several elements", "{}", """
                        <div class="a">a1</div><div class="a">a2</div>
                        <div class="o">o1</div><div class="o">o2</div>
                        <div class="i"><b>i1</b></div><div class="i"><b>i2</b></div>
                        <div class="r">r1</div><div class="r">r2</div>""")
                        .send(at(".a", ElementPatchMode.AFTER).elements("<p class=\"after\">after</p>").build(),
                                at(".o", ElementPatchMode.OUTER).elements("<div class=\"o\">O</div>").build(),
                                at(".i", ElementPatchMode.INNER).elements("<i>I</i>").build(),
                                at(".r", ElementPatchMode.REPLACE).elements("<span class=\"r\">R</span>").build())
                        // the 1.0.1 client moves the parsed elements into the first match: later matches get
                        // nothing (outer and replace remove them, inner empties them)
                        .expect(o -> {
                            assertEquals(List.of("a1", "after", "a2"), o.texts(".a, .after"));
                            assertEquals(List.of("O"), o.texts(".o"));
                            assertEquals(List.of("I", ""), o.texts(".i"));
                            assertEquals(List.of("R"), o.texts(".r"));
                        }),
                Scenario.page("several elements by id, table rows, SVG", "{}", """
                        <p id="a">a</p><p id="b">b</p>
                        <table><tbody id="rows"><tr><td>1</td></tr></tbody></table>
                        <svg id="pic" viewBox="0 0 10 10"></svg>""")
                        .send(PatchElements.of("<p id=\"a\">A</p>\n<p id=\"b\">B</p>"),
                                at("#rows", ElementPatchMode.APPEND).elements("<tr><td>2</td></tr>").build(),
                                at("#pic", ElementPatchMode.APPEND).namespace(Namespace.SVG)
                                        .elements("<circle cx=\"5\" cy=\"5\" r=\"4\"></circle>").build())
                        .expect(o -> {
                            assertEquals(List.of("A", "B"), o.texts("#a, #b"));
                            assertEquals(List.of("1", "2"), o.texts("#rows tr td"));
                            assertEquals(1, o.body().select("#pic > circle").size());
                        })
                        .inBrowser(w -> assertEquals("http://www.w3.org/2000/svg",
                                w.script("return document.querySelector('#pic circle').namespaceURI"))),
                Scenario.page("line breaks in elements cannot start an event", "{\"hacked\":false}", """
                        <div id="log"></div>""")
                        .send(at("#log", ElementPatchMode.APPEND).elements("<pre class=\"line\">one\rtwo\r\nthree\n"
                                + "event: datastar-patch-signals\rdata: signals {\"hacked\":true}\r\r</pre>").build(),
                                at("#log", ElementPatchMode.APPEND).elements("<p class=\"line\">after</p>").build())
                        .expect(o -> {
                            assertEquals(false, o.signal("hacked").asBoolean(true));
                            assertEquals(2, o.body().select("#log .line").size());
                            assertEquals("one\ntwo\nthree\nevent: datastar-patch-signals\ndata: signals "
                                    + "{\"hacked\":true}\n\n", o.body().selectFirst("pre.line").wholeText());
                        }),
                Scenario.page("data-ignore-morph", "{}", """
                        <div id="kept" data-ignore-morph>typed</div>
                        <div id="morphed" data-ignore-morph>typed</div>
                        <div id="panel"><p>old</p><div id="draft" data-ignore-morph>typed</div></div>
                        <div id="inner" data-ignore-morph><p>typed</p></div>
                        <div data-ignore-morph><p id="inside">typed</p></div>""")
                        .send(PatchElements.of("<div id=\"kept\" data-ignore-morph>server</div>"),
                                PatchElements.of("<div id=\"morphed\">server</div>"),
                                at("#inner", ElementPatchMode.INNER).elements("<p>server</p>").build(),
                                PatchElements.of("<p id=\"inside\">server</p>"),
                                PatchElements.of("<div id=\"panel\"><p>new</p>"
                                        + "<div id=\"draft\" data-ignore-morph>server</div></div>"))
                        .expect(o -> {
                            assertEquals(List.of("typed"), o.texts("#kept"));
                            assertEquals(List.of("new"), o.texts("#panel p"));
                            assertEquals(List.of("typed"), o.texts("#draft"));
                        }),
                Scenario.page("signals: merge patch, null deletes, onlyIfMissing", """
                        {"count":1,"user":{"name":"Ana","email":"ana@example.com"},
                         "keep":"yes","gone":1,"leaf":"flat"}""", "")
                        .send(PatchSignals.of(Map.of("count", 2, "user", Map.of("age", 30), "list", List.of(1, 2))),
                                PatchSignals.ofJson("{\"user\":{\"email\":null},\"gone\":null}"),
                                PatchSignals.builder().json("{\"keep\":\"no\",\"fresh\":\"new\",\"count\":null,"
                                        + "\"user\":{\"name\":\"Other\",\"city\":\"Solo\"},\"leaf\":{\"x\":1}}")
                                        .onlyIfMissing(true).build(),
                                PatchSignals.ofJson("{\n  \"multi\": {\n    \"line\": true\n  }\n}"))
                        .expect(o -> {
                            assertEquals(2, o.signal("count").asInt());
                            assertEquals("Ana", o.signal("user.name").asText());
                            assertEquals(30, o.signal("user.age").asInt());
                            assertEquals(true, o.signal("user.email").isMissingNode(), "user.email deleted");
                            assertEquals(true, o.signal("gone").isMissingNode(), "gone deleted");
                            assertEquals("yes", o.signal("keep").asText());
                            assertEquals("new", o.signal("fresh").asText());
                            assertEquals(true, o.signal("multi.line").asBoolean());
                        }),
                Scenario.page("signals travel with every method", """
                        {"name":"","count":3,"_local":"stays home","nested":{"_hidden":1,"shown":2}}""", """
                        <input id="name" data-bind:name>
                        <button id="get" data-on:click="@get('/s/echo?lang=en')">get</button>
                        <button id="post" data-on:click="@post('/s/echo')">post</button>
                        <button id="put" data-on:click="@put('/s/echo')">put</button>
                        <button id="patch" data-on:click="@patch('/s/echo')">patch</button>
                        <button id="delete" data-on:click="@delete('/s/echo')">delete</button>""")
                        .type("#name", "name", "Ana Ülkü")
                        .click("#get", ScenarioServer.echo())
                        .click("#post", ScenarioServer.echo())
                        .click("#put", ScenarioServer.echo())
                        .click("#patch", ScenarioServer.echo())
                        .click("#delete", ScenarioServer.echo())
                        .expect(o -> {
                            assertEquals(5, o.requests().size());
                            for (ScenarioServer.Request r : o.requests()) {
                                assertEquals("Ana Ülkü", r.signals().path("name").asText(), r.toString());
                                assertEquals(false, r.signals().has("_local"), r.toString());
                                assertEquals(false, r.signals().path("nested").has("_hidden"), r.toString());
                            }
                        }),
                Scenario.page("a form, kebab-case binding, data-init", "{\"messageText\":\"\",\"loaded\":false}", """
                        <div data-init="@get('/s/init')"></div>
                        <form id="form" data-on:submit__prevent="@post('/s/send')">
                          <input id="text" data-bind:message-text>
                          <button id="send" type="submit">send</button>
                        </form>
                        <ul id="sent"></ul>""")
                        .init(ScenarioServer.events(PatchSignals.of(Map.of("loaded", true))))
                        .type("#text", "messageText", "hello from the form")
                        .submit("#form", "#send", ScenarioServer.events(
                                at("#sent", ElementPatchMode.APPEND).elements("<li>sent</li>").build(),
                                PatchSignals.of(Map.of("messageText", ""))))
                        .expect(o -> {
                            assertEquals(true, o.signal("loaded").asBoolean());
                            assertEquals("", o.signal("messageText").asText());
                            assertEquals(List.of("sent"), o.texts("#sent li"));
                            assertEquals("hello from the form",
                                    o.requests().get(1).signals().path("messageText").asText());
                        })
                        .inBrowser(w -> assertEquals("", w.value("#text"), "the cleared signal empties the field")),
                Scenario.page("relative action URLs", "{}", """
                        <button id="relative" data-on:click="@get('echo')">relative</button>""")
                        .click("#relative", ScenarioServer.echo())
                        .expect(o -> assertEquals("/s/echo", o.requests().get(0).path())),
                Scenario.page("elements that bring signals", "{\"count\":1}", """
                        <div id="area"></div>""")
                        .send(at("#area", ElementPatchMode.INNER)
                                .elements("<div data-signals='{\"fromPatch\":1}'></div>"
                                + "<div data-signals:foo-bar=\"'x'\"></div>"
                                + "<div data-signals:count__ifmissing=\"5\"></div>"
                                + "<div data-signals:other__ifmissing=\"7\"></div>"
                                + "<div data-signals:user.first-name=\"'Ana'\"></div>").build())
                        .expect(o -> {
                            assertEquals(1, o.signal("fromPatch").asInt());
                            assertEquals("x", o.signal("fooBar").asText());
                            assertEquals(1, o.signal("count").asInt());
                            assertEquals(7, o.signal("other").asInt());
                            assertEquals("Ana", o.signal("user.firstName").asText());
                        }),
                Scenario.page("scripts under the page's CSP nonce", "{}", "<p id=\"p\">page</p>")
                        .send(nonce -> List.<DatastarEvent>of(
                                ExecuteScript.builder().script(ran("stream")).nonce(nonce).build(),
                                ExecuteScript.builder().script(ran("kept")).nonce(nonce).autoRemove(false)
                                        .attribute("data-name", "kept").build()))
                        .answer(ScenarioServer.oneShot(nonce -> DatastarResponse.of(
                                ExecuteScript.builder().script(ran("one-shot")).nonce(nonce).build())))
                        // the 1.0.1 client never reports a text/javascript answer as finished: wait for its effect
                        .doneInBrowserWhen("the one-shot script to run",
                                w -> w.script("return window.__ran || []").toString().contains("one-shot"))
                        .expect(o -> {
                            assertEquals(List.of("stream", "kept", "one-shot"), o.scriptsRan());
                            assertEquals(1, o.body().select("script").size(), "only the script that stays");
                        }),
                Scenario.page("one-shot answers", "{\"a\":1}", """
                        <ul id="target"><li>first</li></ul>
                        <svg id="pic"></svg>""")
                        .answer(ScenarioServer.oneShot(nonce -> DatastarResponse.of(
                                at("#target", ElementPatchMode.APPEND).elements("<li>one-shot</li>").build())))
                        .answer(ScenarioServer.oneShot(nonce -> DatastarResponse.of(
                                PatchElements.of("<ul id=\"target\"><li>morphed</li></ul>"))))
                        .answer(ScenarioServer.oneShot(nonce -> DatastarResponse.of(
                                PatchSignals.builder().json("{\"a\":2,\"b\":2}").onlyIfMissing(true).build())))
                        .answer(ScenarioServer.oneShot(nonce -> DatastarResponse.of(PatchSignals.of(Map.of("c", 3)))))
                        .answer(ScenarioServer.raw("text/html", Map.of("datastar-selector", "#pic",
                                "datastar-mode", "append", "datastar-namespace", "svg"), "<circle r=\"1\"></circle>"))
                        .answer(ScenarioServer.oneShot(nonce -> DatastarResponse.noContent()))
                        .expect(o -> {
                            assertEquals(List.of("morphed"), o.texts("#target li"));
                            assertEquals(1, o.signal("a").asInt());
                            assertEquals(2, o.signal("b").asInt());
                            assertEquals(3, o.signal("c").asInt());
                            assertEquals(1, o.body().select("#pic circle").size());
                        })
                        .inBrowser(w -> assertEquals("http://www.w3.org/2000/svg",
                                w.script("return document.querySelector('#pic circle').namespaceURI"))));
    }
}
