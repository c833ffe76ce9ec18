package dev.starwire.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.Component;
import gg.jte.output.StringOutput;
import org.junit.jupiter.api.Test;

class PageLayoutTest {
    private final Component body = out -> out.writeContent("<main id=\"app\">hi</main>");

    private static String render(gg.jte.Content c) {
        StringOutput out = new StringOutput();
        c.writeTo(out);
        return out.toString();
    }

    @Test
    void defaultsLoadTheCdnClientAsAModuleWithoutIntegrity() {
        String html = render(Layout.page(PageOptions.defaults(), "Clock", body));
        assertEquals("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>Clock</title>\n"
                + "<script type=\"module\" src=\"https://cdn.jsdelivr.net/gh/starfederation/datastar@1.0.1/bundles/datastar.js\"></script>\n"
                + "</head>\n<body>\n<main id=\"app\">hi</main>\n</body>\n</html>\n", html);
    }

    @Test
    void pinnedIntegrityCrossoriginAndNonceAreRendered() {
        PageOptions options = PageOptions.builder().integrity(PageOptions.DATASTAR_1_0_1_INTEGRITY).build()
                .withNonce("r4nd0m");
        String html = render(Layout.page(options, "Clock", body));
        assertTrue(html.contains("<script type=\"module\" src=\"" + PageOptions.DATASTAR_CDN + "\" integrity=\""
                + "sha384-ONnEvIy1S4dD1gAfthO8ImbkzWZeX5ZX5oFV0nLwc4dzs72jN43qx5oki21N+P7v\""
                + " crossorigin=\"anonymous\" nonce=\"r4nd0m\"></script>"), html);
    }

    @Test
    void selfHostedSourceAndExtraHead() {
        PageOptions options = PageOptions.builder().datastarSrc("/static/datastar.js").lang("de")
                .crossorigin("use-credentials")
                .head(out -> out.writeContent("<link rel=\"stylesheet\" href=\"/app.css\">")).build();
        String html = render(Layout.page(options, "Uhr", body));
        assertTrue(html.contains("<html lang=\"de\">"), html);
        assertTrue(html.contains("<script type=\"module\" src=\"/static/datastar.js\" crossorigin=\"use-credentials\">"
                + "</script>\n<link rel=\"stylesheet\" href=\"/app.css\">\n</head>"), html);
        assertFalse(html.contains("cdn.jsdelivr"), html);
    }

    @Test
    void hostileTitleAndNonceAreEscaped() {
        PageOptions options = PageOptions.defaults().withNonce("\"><script>alert(1)</script>");
        String html = render(Layout.page(options, "</title><script>x()</script>", body));
        assertTrue(html.contains("<title>&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;</title>"), html);
        assertTrue(html.contains(" nonce=\"&#34;>&lt;script>alert(1)&lt;/script>\"></script>"), html);
        assertEquals(1, html.split("<script", -1).length - 1, html);
    }

    @Test
    void badCrossoriginIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> PageOptions.builder().crossorigin("yes"));
    }
}
