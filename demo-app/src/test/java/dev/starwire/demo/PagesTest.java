package dev.starwire.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.test.DatastarClient;
import dev.starwire.test.TestPage;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
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
            assertEquals("https://cdn.jsdelivr.net/gh/starfederation/datastar@1.0.1/bundles/datastar.js",
                    client.attr("src"));
            assertTrue(client.hasAttr("integrity"), "the CDN file is pinned with Subresource Integrity");
            Matcher nonce = Pattern.compile("'nonce-([^']+)'").matcher(csp);
            assertTrue(nonce.find(), csp);
            assertEquals(nonce.group(1), client.attr("nonce"), "the script carries this response's nonce");
            assertTrue(csp.contains("default-src 'self'"), csp);
            assertTrue(csp.contains(
                    "script-src 'self' https://cdn.jsdelivr.net/gh/starfederation/datastar@1.0.1/ "), csp);
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
        assertEquals("{\"serverTime\":\"00:00:00\",\"updateCount\":0,\"isConnected\":false,\"startTime\":\"\","
                + "\"running\":true}",
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
    void everyRenderedPageAndFragmentUsesOnlyDatastarOneSyntax() {
        try (DatastarClient c = DatastarClient.connect("http://127.0.0.1:" + app.port())) {
            for (String lang : List.of("id", "en")) {
                for (String path : PAGES) {
                    c.open(path + "?lang=" + lang).assertDatastar10Syntax();
                }
            }
            // the chat page with every fragment the server patches in: history, a message, a validation message
            TestPage chat = c.open("/chat?lang=en");
            c.stream("/join-chat?lang=en");
            c.awaitElements("#messages .message", 1);
            c.page().setSignal("username", "Ana").setSignal("messageText", "hi");
            c.post("/send-message?lang=en");
            c.awaitElements("#messages .message", 2);
            c.page().setSignal("messageText", "");
            c.post("/send-message?lang=en");
            chat.assertThat("#chat-error").containsText("empty");
            chat.assertDatastar10Syntax();
        }
        // the check itself catches the old forms
        TestPage old = TestPage.of("<button data-on-click=\"@get('/x')\" data-attr-disabled=\"$c\"></button>"
                + "<input data-bind-value=\"$v\"><form data-on:submit.prevent=\"@post('/y')\"></form>");
        AssertionError e = assertThrows(AssertionError.class, old::assertDatastar10Syntax);
        for (String form : List.of(
                "data-on-click", "data-attr-disabled", "data-bind-value", "data-on:submit.prevent")) {
            assertTrue(e.getMessage().contains(form), e.getMessage());
        }
    }
}
