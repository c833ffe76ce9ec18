package dev.starwire.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PagesTest {
    private static final List<String> PAGES = List.of("/", "/clock", "/chat");

    private DemoApp app;
    private Http http;

    @BeforeEach
    void start() {
        app = DemoApp.create().start("127.0.0.1", 0);
        http = new Http(app.port());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void everyPageLoadsTheDatastarClientUnderItsContentSecurityPolicy() {
        for (String path : PAGES) {
            HttpResponse<String> r = http.get(path);
            assertEquals(200, r.statusCode(), path);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), path);
            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            Document page = Jsoup.parse(r.body());
            Element client = page.selectFirst("script[type=module][src]");
            assertNotNull(client, path);
            assertEquals("https://cdn.jsdelivr.net/gh/starfederation/datastar@1.0.1/bundles/datastar.js", client.attr("src"));
            assertTrue(client.hasAttr("integrity"), "the CDN file is pinned with Subresource Integrity");
            Matcher nonce = Pattern.compile("'nonce-([^']+)'").matcher(csp);
            assertTrue(nonce.find(), csp);
            assertEquals(nonce.group(1), client.attr("nonce"), "the script carries this response's nonce");
            assertTrue(csp.contains("default-src 'self'"), csp);
            assertTrue(csp.contains("script-src 'self' https://cdn.jsdelivr.net/gh/starfederation/datastar@1.0.1/ "), csp);
            assertFalse(csp.contains("unsafe-inline"), "inline scripts without the nonce must stay blocked: " + csp);
            assertNotNull(page.selectFirst("link[rel=stylesheet][href=/static/demo.css]"), path);
            assertNotNull(page.getElementById("app"), path);
        }
        String first = http.get("/clock").headers().firstValue("Content-Security-Policy").orElseThrow();
        String second = http.get("/clock").headers().firstValue("Content-Security-Policy").orElseThrow();
        assertFalse(first.equals(second), "a fresh nonce for every response");
    }

    @Test
    void theStylesheetIsServedFromTheApp() {
        HttpResponse<String> css = http.get("/static/demo.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        assertTrue(css.body().contains("linear-gradient"));
    }

    @Test
    void theClockPageHasTheTutorialsElementsAndSignals() {
        Document page = Jsoup.parse(http.get("/clock?lang=en").body());
        Element app = page.getElementById("app");
        assertEquals("{\"serverTime\":\"00:00:00\",\"updateCount\":0,\"isConnected\":false,\"startTime\":\"\"}",
                app.attr("data-signals"));
        assertEquals("$serverTime", page.selectFirst(".clock").attr("data-text"));
        assertEquals(2, page.select(".stat-value").size());
        Element button = page.selectFirst("button[data-on:click]");
        assertEquals("@get('/start-sse?lang=en')", button.attr("data-on:click"));
        assertEquals("$isConnected", button.attr("data-attr:disabled"));
        Element status = page.selectFirst(".status");
        assertEquals("$isConnected", status.attr("data-class:connected"));
        assertEquals("!$isConnected", status.attr("data-class:idle"));
        assertEquals(2, status.select("[data-show]").size());
    }

    @Test
    void theChatPageHasTheTutorialsElementsAndSignals() {
        Document page = Jsoup.parse(http.get("/chat?lang=en").body());
        assertEquals("{\"username\":\"User\",\"messageText\":\"\",\"isConnected\":false}",
                page.getElementById("app").attr("data-signals"));
        Element join = page.selectFirst("button[data-on:click]");
        assertEquals("@get('/join-chat?lang=en')", join.attr("data-on:click"));
        assertEquals("!$isConnected", join.attr("data-show"));
        assertNotNull(page.getElementById("messages"));
        assertNotNull(page.getElementById("chat-error"));
        Element form = page.selectFirst("form.chat-input");
        assertEquals("@post('/send-message?lang=en')", form.attr("data-on:submit__prevent"));
        assertNotNull(form.selectFirst("input[data-bind:message-text]"), "kebab-case key binds the signal messageText");
        assertEquals("!$isConnected", form.selectFirst("button[type=submit]").attr("data-attr:disabled"));
        assertNotNull(page.selectFirst("input[data-bind:username]"));
    }

    @Test
    void textsFollowAcceptLanguageUnlessTheQueryChoosesOne() {
        assertEquals("id", Jsoup.parse(http.get("/clock").body()).selectFirst("html").attr("lang"));
        Document en = Jsoup.parse(http.get("/clock", "Accept-Language", "en-GB,en;q=0.9").body());
        assertEquals("en", en.selectFirst("html").attr("lang"));
        assertTrue(en.selectFirst("h1").text().contains("Live Server Clock"));
        Document id = Jsoup.parse(http.get("/clock?lang=id", "Accept-Language", "en-GB,en;q=0.9").body());
        assertEquals("id", id.selectFirst("html").attr("lang"));
        assertTrue(id.selectFirst("h1").text().contains("Jam Server"));
    }

    @Test
    void everyRenderedPageAndFragmentUsesOnlyDatastarOneSyntax() throws Exception {
        List<String> problems = new ArrayList<>();
        for (String lang : List.of("id", "en")) {
            for (String path : PAGES) {
                scan(path + "?lang=" + lang, Jsoup.parse(http.get(path + "?lang=" + lang).body()), problems);
            }
        }
        // the fragments the chat streams in: the history, a message and a validation message
        try (Http.Stream s = http.open("/join-chat", "{}")) {
            s.next();
            scan("history", Jsoup.parseBodyFragment(s.next().joined("elements")), problems);
            http.post("/send-message", "{\"username\":\"Ana\",\"messageText\":\"hi\"}");
            scan("message", Jsoup.parseBodyFragment(s.next().joined("elements")), problems);
        }
        scan("error", Jsoup.parseBodyFragment(http.post("/send-message", "{\"username\":\"Ana\",\"messageText\":\"\"}").body()),
                problems);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        // the scan itself finds the old forms
        List<String> old = new ArrayList<>();
        scan("old", Jsoup.parseBodyFragment("<button data-on-click=\"x\" data-attr-disabled=\"y\"></button>"
                + "<input data-bind-value=\"$v\"><form data-on:submit.prevent=\"x\"></form>"), old);
        assertEquals(4, old.size(), String.join("\n", old));
    }

    /** Hyphenated 1.0 plugins, which are not keys. */
    private static final Pattern ONE_ZERO_HYPHENATED =
            Pattern.compile("data-(on-intersect|on-interval|on-signal-patch(-filter)?|on-raf|on-resize|ignore-morph"
                    + "|json-signals|preserve-attr|query-string|replace-url|scroll-into-view|view-transition"
                    + "|custom-validity)(__.*)?");
    private static final Pattern PRE_ONE_KEYED =
            Pattern.compile("data-(on|attr|bind|class|computed|indicator|signals|style|ref)-.+");

    private static void scan(String where, Document doc, List<String> problems) {
        for (Element el : doc.getAllElements()) {
            for (Attribute a : el.attributes()) {
                String name = a.getKey();
                if (!name.startsWith("data-")) {
                    continue;
                }
                String base = name.contains("__") ? name.substring(0, name.indexOf("__")) : name;
                boolean bad = (PRE_ONE_KEYED.matcher(name).matches() && !ONE_ZERO_HYPHENATED.matcher(name).matches())
                        || base.contains(".")
                        || name.equals("data-store")
                        || name.equals("data-on-load");
                if (bad) {
                    problems.add(where + ": pre-1.0 attribute " + name + " on <" + el.tagName() + ">");
                }
            }
        }
    }
}
