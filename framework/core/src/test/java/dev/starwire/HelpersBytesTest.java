package dev.starwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact bytes of every helper: redirect, console log and error, custom events, replace URL, prefetch. */
class HelpersBytesTest {
    private static final String SCRIPT = "event: datastar-patch-elements\n"
            + "data: selector body\n"
            + "data: mode append\n"
            + "data: elements <script data-effect=\"el.remove()\">";
    private static final String END = "</script>\n\n";

    static String frame(DatastarEvent e) {
        return new String(SseWriter.encode(e), StandardCharsets.UTF_8);
    }

    @Test
    void redirect() {
        assertEquals(SCRIPT + "setTimeout(() => window.location.assign(\"/orders/42?x=1\\u0026y=2\"))" + END,
                frame(ExecuteScript.redirect("/orders/42?x=1&y=2")));
        assertEquals("setTimeout(() => window.location.assign(\"https://example.com/a\"))",
                ExecuteScript.redirect("https://example.com/a").script());
    }

    @Test
    void redirectRefusesUrlsThatRunCode() {
        for (String bad : new String[] {"javascript:alert(1)", " JavaScript:alert(1)", "java\nscript:alert(1)",
                "java\tscript:x", "data:text/html,<script>x</script>", "vbscript:x", "\u0001javascript:x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecuteScript.redirect(bad),
                    bad);
            assertTrue(e.getMessage().startsWith("only http, https and relative URLs are allowed"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ExecuteScript.replaceUrl(bad));
            assertThrows(IllegalArgumentException.class, () -> ExecuteScript.prefetch("/ok", bad));
        }
        // a colon later in the URL is not a scheme
        assertEquals("setTimeout(() => window.location.assign(\"/a:b?c=d:e\"))",
                ExecuteScript.redirect("/a:b?c=d:e").script());
    }

    @Test
    void userTextCannotEndTheScriptOrTheString() {
        assertEquals(SCRIPT + "console.log(\"\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E"
                        + " \\\" \\u0027 \\n \\r \\u2028\")" + END,
                frame(ExecuteScript.consoleLog("</script><script>alert(1)</script> \" ' \n \r \u2028")));
    }

    @Test
    void consoleLogAndError() {
        assertEquals(SCRIPT + "console.log(\"saved 3 items\")" + END, frame(ExecuteScript.consoleLog("saved 3 items")));
        assertEquals(SCRIPT + "console.error(\"could not save: é\")" + END,
                frame(ExecuteScript.consoleError("could not save: é")));
    }

    @Test
    void replaceUrl() {
        assertEquals(SCRIPT + "window.history.replaceState({}, \"\", \"/search?q=boots\")" + END,
                frame(ExecuteScript.replaceUrl("/search?q=boots")));
    }

    @Test
    void dispatchAnEventOnTheDocument() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("id", 42);
        detail.put("name", "<b>");
        assertEquals(SCRIPT + "document.dispatchEvent(new CustomEvent(\"saved\", {\"bubbles\":true,\"cancelable\":true,"
                        + "\"composed\":true,\"detail\":{\"id\":42,\"name\":\"\\u003Cb\\u003E\"}}))" + END,
                frame(ExecuteScript.dispatchEvent("saved", detail)));
        assertEquals("document.dispatchEvent(new CustomEvent(\"ping\", {\"bubbles\":true,\"cancelable\":true,"
                + "\"composed\":true,\"detail\":null}))", ExecuteScript.dispatchEvent("ping", null).script());
    }

    @Test
    void dispatchAnEventOnSelectedElementsWithEveryOption() {
        ExecuteScript e = ExecuteScript.customEvent("cart-changed").selector("#cart .item").detail(List.of(1, 2))
                .bubbles(false).cancelable(false).composed(false).build();
        assertEquals(SCRIPT + "document.querySelectorAll(\"#cart .item\").forEach(el => el.dispatchEvent(new "
                + "CustomEvent(\"cart-changed\", {\"bubbles\":false,\"cancelable\":false,\"composed\":false,"
                + "\"detail\":[1,2]})))" + END, frame(e));
        assertThrows(IllegalArgumentException.class, () -> ExecuteScript.customEvent(" "));
    }

    @Test
    void prefetchAddsSpeculationRulesThatStayInThePage() {
        assertEquals("event: datastar-patch-elements\n"
                        + "data: selector body\n"
                        + "data: mode append\n"
                        + "data: elements <script type=\"speculationrules\">{\"prefetch\":[{\"source\":\"list\","
                        + "\"urls\":[\"/next\",\"/help?a=1\\u0026b=2\"]}]}</script>\n\n",
                frame(ExecuteScript.prefetch("/next", "/help?a=1&b=2")));
        assertThrows(IllegalArgumentException.class, ExecuteScript::prefetch);
    }

    @Test
    void helpersTakeEventIdAndRetryThroughToBuilder() {
        ExecuteScript e = ExecuteScript.redirect("/a").toBuilder().eventId("r1").retryMillis(0).build();
        assertEquals("event: datastar-patch-elements\nid: r1\nretry: 0\ndata: selector body\ndata: mode append\n"
                + "data: elements <script data-effect=\"el.remove()\">setTimeout(() => window.location.assign(\"/a\"))"
                + END, frame(e));
    }

    @Test
    void helpersGoOutAsOneShotScriptsToo() {
        DatastarResponse r = DatastarResponse.of(ExecuteScript.prefetch("/next"));
        assertEquals("text/javascript; charset=utf-8", r.contentType());
        assertEquals("{\"type\":\"speculationrules\"}", r.headers().get("datastar-script-attributes"));
        assertEquals("{\"prefetch\":[{\"source\":\"list\",\"urls\":[\"/next\"]}]}",
                new String(r.body(), StandardCharsets.UTF_8));
    }
}
