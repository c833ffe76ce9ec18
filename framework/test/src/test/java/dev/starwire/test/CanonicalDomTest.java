package dev.starwire.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

/** The differential check normalises only what the user cannot see. */
class CanonicalDomTest {
    private static String canonical(String body) {
        return CanonicalDom.of(Jsoup.parse("<html><head></head><body>" + body + "</body></html>").body());
    }

    @Test
    void attributeOrderAndNonceValuesDoNotCount() {
        assertEquals(canonical("<div id=\"a\" class=\"x\"><p>hi</p></div><script nonce=\"abc\"></script>"),
                canonical("<div class=\"x\" id=\"a\"><p>hi</p></div><script nonce=\"\"></script>"));
    }

    @Test
    void textAttributesAndStructureCount() {
        assertNotEquals(canonical("<p>hi</p>"), canonical("<p>hi </p>"));
        assertNotEquals(canonical("<p class=\"a\">hi</p>"), canonical("<p class=\"b\">hi</p>"));
        assertNotEquals(canonical("<p><b>hi</b></p>"), canonical("<p>hi</p>"));
        assertNotEquals(canonical("<p>a</p><p>b</p>"), canonical("<p>b</p><p>a</p>"));
        assertNotEquals(canonical("<pre>a\nb</pre>"), canonical("<pre>a b</pre>"));
        assertNotEquals(canonical("<p>a</p>\n<p>b</p>"), canonical("<p>a</p><p>b</p>"), "whitespace counts too");
    }

    @Test
    void theSignalsViewIsComparedAsJsonNotAsText() {
        assertEquals(canonical("<pre id=\"signals\" data-json-signals>{\"a\": 1}</pre>"),
                canonical("<pre id=\"signals\" data-json-signals></pre>"));
    }
}
