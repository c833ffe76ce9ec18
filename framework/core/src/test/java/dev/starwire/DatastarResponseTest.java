package dev.starwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** Status, content type, {@code datastar-*} headers and body of every one-shot response. */
class DatastarResponseTest {

    private static String body(DatastarResponse r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.writeBody(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void htmlWithDefaultsHasNoDatastarHeaders() throws IOException {
        DatastarResponse r = DatastarResponse.html(PatchElements.of("<p id=\"p\">é\r\nx</p>"));
        assertEquals(200, r.status());
        assertEquals("text/html; charset=utf-8", r.contentType());
        assertEquals(Map.of(), r.headers());
        assertEquals("<p id=\"p\">é\r\nx</p>", body(r)); // a body is not framed: line breaks stay as they are
    }

    @Test
    void htmlCarriesSelectorModeAndViewTransitionInOrder() throws IOException {
        Component c = out -> out.writeContent("<li>1</li>");
        DatastarResponse r = DatastarResponse.html(PatchElements.builder().elements(c).selector("#list")
                .mode(ElementPatchMode.APPEND).useViewTransition(true).build());
        assertEquals(List.of("datastar-selector", "datastar-mode", "datastar-use-view-transition"),
                List.copyOf(r.headers().keySet()));
        assertEquals("#list", r.headers().get("datastar-selector"));
        assertEquals("append", r.headers().get("datastar-mode"));
        assertEquals("true", r.headers().get("datastar-use-view-transition"));
        assertEquals("<li>1</li>", body(r));
    }

    @Test
    void aComponentThatThrowsWritesNothingToTheBody() {
        Component failing = out -> {
            out.writeContent("<div id=\"half\">");
            throw new IllegalStateException("template bug");
        };
        DatastarResponse r = DatastarResponse.html(PatchElements.of(failing));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(IllegalStateException.class, () -> r.writeBody(out));
        assertEquals(0, out.size());
    }

    @Test
    void htmlRemovalHasAnEmptyBody() throws IOException {
        DatastarResponse r = DatastarResponse.html(PatchElements.remove("#toast"));
        assertEquals(Map.of("datastar-selector", "#toast", "datastar-mode", "remove"), r.headers());
        assertEquals("", body(r));
    }

    @Test
    void htmlCannotCarryAForeignNamespace() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatastarResponse.html(
                PatchElements.builder().elements("<circle id=\"c\"/>").namespace(Namespace.SVG).build()));
        assertTrue(e.getMessage().contains("svg"), e.getMessage());
    }

    @Test
    void jsonSendsTheMergePatch() throws IOException {
        DatastarResponse r = DatastarResponse.json(PatchSignals.of(Map.of("count", 2)));
        assertEquals(200, r.status());
        assertEquals("application/json", r.contentType());
        assertEquals(Map.of(), r.headers());
        assertEquals("{\"count\":2}", body(r));
    }

    @Test
    void jsonOnlyIfMissingBecomesAHeader() throws IOException {
        DatastarResponse r = DatastarResponse.json(
                PatchSignals.builder().json("{\"name\":\"Zoë\"}").onlyIfMissing(true).build());
        assertEquals(Map.of("datastar-only-if-missing", "true"), r.headers());
        assertEquals("{\"name\":\"Zoë\"}", body(r));
    }

    @Test
    void scriptWithoutAttributesIsJustTheCode() throws IOException {
        DatastarResponse r = DatastarResponse.script(ExecuteScript.of("console.log('hi')"));
        assertEquals(200, r.status());
        assertEquals("text/javascript; charset=utf-8", r.contentType());
        assertEquals(Map.of(), r.headers());
        assertEquals("console.log('hi')", body(r));
    }

    @Test
    void scriptAttributesAndNonceGoIntoOneJsonHeaderInOrder() throws IOException {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("type", "module");
        attrs.put("data-x", "a\"b");
        DatastarResponse r = DatastarResponse.script(
                ExecuteScript.builder().script("go()").attributes(attrs).nonce("n1").build());
        assertEquals(Map.of("datastar-script-attributes", "{\"type\":\"module\",\"data-x\":\"a\\\"b\",\"nonce\":\"n1\"}"),
                r.headers());
        assertEquals("go()", body(r));
    }

    @Test
    void noContentIs204WithoutTypeOrBody() throws IOException {
        DatastarResponse r = DatastarResponse.noContent();
        assertEquals(204, r.status());
        assertNull(r.contentType());
        assertEquals(Map.of(), r.headers());
        assertEquals("", body(r));
    }

    @Test
    void headersAreImmutable() {
        DatastarResponse r = DatastarResponse.html(PatchElements.remove("#x"));
        assertThrows(UnsupportedOperationException.class, () -> r.headers().put("a", "b"));
    }
}
