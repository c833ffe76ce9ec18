package dev.starwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one answer type: how zero, one and several events go out (status, content type, headers, bytes). */
class DatastarResponseTest {
    private static final String NO_CACHE = "no-cache";

    private static String body(DatastarResponse r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.writeBody(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, String> headers(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Cache-Control", NO_CACHE);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    // ---- no event ----

    @Test
    void noEventsIs204WithoutTypeHeadersOrBody() throws IOException {
        for (DatastarResponse r : List.of(DatastarResponse.noContent(), DatastarResponse.of(),
                DatastarResponse.of(List.of()))) {
            assertEquals(204, r.status());
            assertNull(r.contentType());
            assertEquals(Map.of(), r.headers());
            assertEquals("", body(r));
            assertFalse(r.isStream());
        }
    }

    // ---- one event: a one-shot body ----

    @Test
    void oneElementPatchWithDefaultsIsPlainHtml() throws IOException {
        DatastarResponse r = DatastarResponse.of(PatchElements.of("<p id=\"p\">é\r\nx</p>"));
        assertEquals(200, r.status());
        assertEquals("text/html; charset=utf-8", r.contentType());
        assertEquals(headers(), r.headers());
        assertEquals("<p id=\"p\">é\r\nx</p>", body(r)); // a body is not framed: line breaks stay as they are
        assertFalse(r.isStream());
    }

    @Test
    void htmlCarriesSelectorModeNamespaceAndViewTransitionInOrder() throws IOException {
        Component c = out -> out.writeContent("<circle r=\"1\"/>");
        DatastarResponse r = DatastarResponse.of(PatchElements.builder().elements(c).selector("#chart")
                .mode(ElementPatchMode.APPEND).namespace(Namespace.SVG).useViewTransition(true).build());
        assertEquals(headers("datastar-selector", "#chart", "datastar-mode", "append", "datastar-namespace", "svg",
                "datastar-use-view-transition", "true"), r.headers());
        assertEquals(List.copyOf(headers("datastar-selector", "", "datastar-mode", "", "datastar-namespace", "",
                "datastar-use-view-transition", "").keySet()), List.copyOf(r.headers().keySet()));
        assertEquals("<circle r=\"1\"/>", body(r));
    }

    @Test
    void mathMlGoesOutOneShotToo() {
        DatastarResponse r = DatastarResponse.of(PatchElements.builder().elements("<mi id=\"x\">x</mi>")
                .namespace(Namespace.MATHML).build());
        assertEquals("text/html; charset=utf-8", r.contentType());
        assertEquals("mathml", r.headers().get("datastar-namespace"));
    }

    @Test
    void aRemovalHasAnEmptyBody() throws IOException {
        DatastarResponse r = DatastarResponse.of(PatchElements.remove("#toast"));
        assertEquals(headers("datastar-selector", "#toast", "datastar-mode", "remove"), r.headers());
        assertEquals("", body(r));
    }

    @Test
    void oneSignalsPatchIsJson() throws IOException {
        DatastarResponse r = DatastarResponse.of(PatchSignals.of(Map.of("count", 2)));
        assertEquals("application/json", r.contentType());
        assertEquals(headers(), r.headers());
        assertEquals("{\"count\":2}", body(r));
        DatastarResponse missing = DatastarResponse.of(
                PatchSignals.builder().json("{\"name\":\"Zoë\"}").onlyIfMissing(true).build());
        assertEquals(headers("datastar-only-if-missing", "true"), missing.headers());
        assertEquals("{\"name\":\"Zoë\"}", body(missing));
    }

    @Test
    void oneScriptIsJavaScriptWithItsTagAttributesInOneHeader() throws IOException {
        DatastarResponse r = DatastarResponse.of(ExecuteScript.of("console.log('hi')"));
        assertEquals("text/javascript; charset=utf-8", r.contentType());
        // the client puts these attributes on the script it creates: data-effect removes it, as on a stream
        assertEquals(headers("datastar-script-attributes", "{\"data-effect\":\"el.remove()\"}"), r.headers());
        assertEquals("console.log('hi')", body(r));

        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("type", "module");
        attrs.put("data-x", "a\"b");
        DatastarResponse all = DatastarResponse.of(
                ExecuteScript.builder().script("go()").attributes(attrs).nonce("n1").autoRemove(false).build());
        assertEquals(headers("datastar-script-attributes",
                "{\"type\":\"module\",\"data-x\":\"a\\\"b\",\"nonce\":\"n1\"}"), all.headers());
        assertEquals("go()", body(all));
    }

    // ---- a stream ----

    @Test
    void severalEventsAreOneShortStream() throws IOException {
        DatastarResponse r = DatastarResponse.of(PatchSignals.of(Map.of("messageText", "")),
                PatchElements.inner("#error", "<span>ok</span>"));
        assertTrue(r.isStream());
        assertEquals(200, r.status());
        assertEquals("text/event-stream", r.contentType());
        assertEquals(headers("X-Accel-Buffering", "no"), r.headers());
        assertEquals(DatastarResponse.streamHeaders(), r.headers());
        assertEquals("event: datastar-patch-signals\n"
                + "data: signals {\"messageText\":\"\"}\n"
                + "\n"
                + "event: datastar-patch-elements\n"
                + "data: selector #error\n"
                + "data: mode inner\n"
                + "data: elements <span>ok</span>\n"
                + "\n", body(r));
    }

    @Test
    void andAppendsAnEventAndKeepsTheOriginal() throws IOException {
        DatastarResponse one = DatastarResponse.of(PatchSignals.of(Map.of("a", 1)));
        DatastarResponse two = one.and(ExecuteScript.consoleLog("done"));
        assertFalse(one.isStream());
        assertEquals(1, one.events().size());
        assertEquals(2, two.events().size());
        assertTrue(body(two).endsWith("data: elements <script data-effect=\"el.remove()\">console.log(\"done\")"
                + "</script>\n\n"));
        assertEquals(1, DatastarResponse.noContent().and(PatchSignals.of(Map.of("a", 1))).events().size());
    }

    @Test
    void oneEventWithOptionsNoHeaderCarriesIsAOneEventStream() throws IOException {
        DatastarResponse withId = DatastarResponse.of(PatchSignals.builder().json("{\"a\":1}").eventId("7").build());
        assertEquals("text/event-stream", withId.contentType());
        assertEquals("event: datastar-patch-signals\nid: 7\ndata: signals {\"a\":1}\n\n", body(withId));

        DatastarResponse withRetry = DatastarResponse.of(ExecuteScript.of("x()").toBuilder().retryMillis(10).build());
        assertTrue(withRetry.isStream());

        DatastarResponse scoped = DatastarResponse.of(PatchElements.builder().elements("<li id=\"a\">a</li>")
                .useViewTransition(true).viewTransitionSelector("#list").build());
        assertTrue(scoped.isStream());
        assertEquals("event: datastar-patch-elements\n"
                + "data: useViewTransition true\n"
                + "data: viewTransitionSelector #list\n"
                + "data: elements <li id=\"a\">a</li>\n\n", body(scoped));
    }

    // ---- errors and rendering ----

    @Test
    void anErrorIsItsStatusWithAPlainTextMessage() throws IOException {
        DatastarResponse r = DatastarResponse.error(409, "the order was already sent");
        assertEquals(409, r.status());
        assertEquals("text/plain; charset=utf-8", r.contentType());
        assertEquals(Map.of(), r.headers());
        assertEquals("the order was already sent", body(r));
        assertThrows(IllegalStateException.class, () -> r.and(PatchSignals.of(Map.of("a", 1))));
    }

    @Test
    void onlyErrorStatusesCanBeSet() {
        for (int status : new int[] {200, 201, 204, 302, 399, 600}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DatastarResponse.error(status, "x"));
            assertTrue(e.getMessage().contains("applies no other status"), e.getMessage());
        }
    }

    @Test
    void aComponentThatThrowsWritesNothing() {
        Component failing = out -> {
            out.writeContent("<div id=\"half\">");
            throw new IllegalStateException("template bug");
        };
        for (DatastarResponse r : List.of(DatastarResponse.of(PatchElements.of(failing)),
                DatastarResponse.of(PatchSignals.of(Map.of("a", 1)), PatchElements.of(failing)))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThrows(IllegalStateException.class, () -> r.writeBody(out));
            assertEquals(0, out.size());
        }
    }

    @Test
    void aComponentThatRendersNothingIsRefusedNotSentEmpty() {
        Component nothing = out -> out.writeContent("  ");
        for (DatastarResponse r : List.of(DatastarResponse.of(PatchElements.inner("#x", nothing)),
                DatastarResponse.of(PatchElements.inner("#x", nothing), PatchSignals.of(Map.of("a", 1))))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::body);
            assertTrue(e.getMessage().startsWith("a component rendered no HTML"), e.getMessage());
        }
    }

    @Test
    void eventsAndHeadersAreImmutable() {
        DatastarResponse r = DatastarResponse.of(PatchElements.remove("#x"));
        assertThrows(UnsupportedOperationException.class, () -> r.headers().put("a", "b"));
        assertThrows(UnsupportedOperationException.class, () -> r.events().add(PatchElements.remove("#y")));
        assertThrows(NullPointerException.class, () -> DatastarResponse.of((DatastarEvent) null));
    }
}
