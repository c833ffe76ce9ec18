package dev.starwire.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The harness itself: the page's CDN script is served locally and passes its integrity check under a real
 * Content-Security-Policy; a wrong integrity value, a blocked inline script and a console error are reported
 * as problems (so the checks of the other browser tests can fail); browser contexts do not share cookies.
 */
class HarnessBrowserTest {
    private static final String NONCE = "harness-nonce";
    private static final String CSP = "default-src 'self'; script-src 'nonce-" + NONCE + "' "
            + "https://cdn.jsdelivr.net/gh/starfederation/datastar@1.0.1/ 'unsafe-eval'";

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension();

    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", HarnessBrowserTest::answer);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static void answer(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String script = DatastarBundle.scriptTag(NONCE);
            String body = switch (path) {
                case "/counter" -> "<button id=\"inc\" data-on:click=\"$count++\">+</button>"
                        + "<output id=\"count\" data-text=\"$count\">not run</output>";
                case "/tampered" -> {
                    script = script.replace(DatastarBundle.INTEGRITY, "sha384-"
                            + "A".repeat(64));
                    yield "<output id=\"count\" data-text=\"$count\">not run</output>";
                }
                case "/inline" -> "<script>document.title = 'injected'</script><p id=\"p\">page</p>";
                case "/cookie" -> "<p id=\"p\">cookie page</p>";
                default -> null;
            };
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] html = ("<!DOCTYPE html><html><head><title>harness</title>" + script + "</head>"
                    + "<body data-signals='{\"count\":0}'>" + body + "</body></html>").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            ex.getResponseHeaders().add("Content-Security-Policy", CSP);
            ex.sendResponseHeaders(200, html.length);
            ex.getResponseBody().write(html);
        }
    }

    @Test
    void theCdnBundlePassesItsIntegrityCheckAndRunsUnderTheCsp(BrowserWindow window) {
        window.open(base + "/counter").awaitText("#count", "0");
        window.click("#inc").click("#inc").awaitText("#count", "2");
        assertEquals(DatastarBundle.CDN_URL, window.script("return document.querySelector('script').src"));
    }

    @Test
    void aWrongIntegrityValueBlocksTheClientAndIsReported(BrowserWindow window) {
        window.navigate(base + "/tampered");
        List<String> problems = awaitProblem("integrity");
        assertTrue(problems.stream().anyMatch(p -> p.contains("Failed to find a valid digest in the 'integrity'")),
                problems.toString());
        assertEquals("not run", window.text("#count"), "the blocked client did not touch the page");
    }

    @Test
    void aScriptWithoutTheNonceIsBlockedAndReported(BrowserWindow window) {
        window.navigate(base + "/inline");
        List<String> problems = awaitProblem("Content Security Policy");
        assertTrue(problems.stream().anyMatch(p -> p.contains("inline")), problems.toString());
        assertEquals("harness", window.script("return document.title"));
    }

    @Test
    void consoleErrorsAreReported(BrowserWindow window) {
        window.navigate(base + "/cookie");
        window.script("console.error('something broke')");
        assertTrue(awaitProblem("something broke").size() >= 1);
    }

    @Test
    void windowsDoNotShareCookies(BrowserWindow ana, BrowserWindow budi) {
        ana.navigate(base + "/cookie");
        budi.navigate(base + "/cookie");
        ana.script("document.cookie = 'who=ana; path=/'");
        assertEquals("who=ana", ana.script("return document.cookie"));
        assertEquals("", budi.script("return document.cookie"));
    }

    @Test
    void hidingAWindowHidesItsPageOnly(BrowserWindow ana, BrowserWindow budi) {
        ana.navigate(base + "/cookie");
        budi.navigate(base + "/cookie");
        ana.hide();
        assertEquals("visible", budi.visibility());
        ana.show();
        assertEquals("visible", ana.visibility());
    }

    private static List<String> awaitProblem(String part) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<String> problems = chromium.takeProblems();
            if (problems.stream().anyMatch(p -> p.contains(part))) {
                return problems;
            }
            assertFalse(System.nanoTime() > deadline, "no problem mentioning '" + part + "' reported: " + problems);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
