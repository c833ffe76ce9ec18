package dev.starwire.templates;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.ElementPatchMode;
import dev.starwire.Namespace;
import dev.starwire.PatchElements;
import dev.starwire.SseWriter;
import dev.starwire.templates.fixtures.FixtureTemplates;
import dev.starwire.templates.fixtures.StaticFixtureTemplates;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Precompiled jte templates (the production path: binary static parts, jte's HTML escaping) rendered
 * straight into SSE frames, compared byte for byte.
 */
class ComponentFramingTest {
    private static final String EVENT = "event: datastar-patch-elements\n";
    private final FixtureTemplates templates = new StaticFixtureTemplates();

    private static String frame(PatchElements e) {
        return new String(SseWriter.encode(e), StandardCharsets.UTF_8);
    }

    @Test
    void singleLineTemplate() {
        assertEquals(EVENT + "data: elements <p id=\"one\">hello</p>\n\n",
                frame(PatchElements.of(templates.oneLine("hello"))));
    }

    @Test
    void multiLineTemplateWithLf() {
        assertEquals(EVENT
                        + "data: elements <div id=\"msg\">\n"
                        + "data: elements   <b>Ana</b>\n"
                        + "data: elements   hi there\n"
                        + "data: elements </div>\n\n",
                frame(PatchElements.of(templates.multiLine("Ana", "hi there"))));
    }

    @Test
    void crlfAndLoneCrTemplatesFrameExactlyLikeLf() {
        String lf = frame(PatchElements.of(templates.multiLine("Ana", "hi")));
        assertEquals(lf, frame(PatchElements.of(templates.multiLineCrlf("Ana", "hi"))));
        assertEquals(lf, frame(PatchElements.of(templates.multiLineCr("Ana", "hi"))));
    }

    @Test
    void aTemplatesFinalLineBreakEndsWithAnEmptyDataLine() {
        assertEquals(EVENT + "data: elements <p id=\"trail\">x</p>\ndata: elements \n\n",
                frame(PatchElements.of(templates.trailingNewline("x"))));
    }

    @Test
    void optionsPrecedeTheElements() {
        PatchElements patch = PatchElements.builder().selector("#messages").mode(ElementPatchMode.APPEND)
                .useViewTransition(true).eventId("42").elements(templates.multiLine("Bo", "yo")).build();
        assertEquals("event: datastar-patch-elements\n"
                        + "id: 42\n"
                        + "data: selector #messages\n"
                        + "data: mode append\n"
                        + "data: useViewTransition true\n"
                        + "data: elements <div id=\"msg\">\n"
                        + "data: elements   <b>Bo</b>\n"
                        + "data: elements   yo\n"
                        + "data: elements </div>\n\n",
                frame(patch));
    }

    @Test
    void userTextWithEveryLineBreakKindStaysInsideTheEvent() {
        String hostile = "a\nevent: datastar-patch-signals\r\ndata: signals {\"admin\":true}\r\rz";
        assertEquals(EVENT
                        + "data: elements <p id=\"one\">a\n"
                        + "data: elements event: datastar-patch-signals\n"
                        + "data: elements data: signals {\"admin\":true}\n"
                        + "data: elements \n"
                        + "data: elements z</p>\n\n",
                frame(PatchElements.of(templates.oneLine(hostile))));
    }

    @Test
    void crLfSplitAcrossTwoWritesIsOneLineBreak() {
        assertEquals(EVENT + "data: elements <p id=\"split\">1\ndata: elements 2</p>\n\n",
                frame(PatchElements.of(templates.split("1\r", "\n2"))));
        assertEquals(EVENT + "data: elements <p id=\"split\">1\ndata: elements \ndata: elements 2</p>\n\n",
                frame(PatchElements.of(templates.split("1\n", "\r2"))));
    }

    @Test
    void hostileMarkupIsEscapedInTextAndAttributes() {
        String hostile = "</div><script>alert('x')</script>\"";
        assertEquals(EVENT + "data: elements <p id=\"one\">&lt;/div&gt;&lt;script&gt;alert('x')&lt;/script&gt;\"</p>\n\n",
                frame(PatchElements.of(templates.oneLine(hostile))));
        assertEquals(EVENT + "data: elements <div id=\"card\" title=\"&lt;/div>&lt;script>alert(&#39;x&#39;)"
                        + "&lt;/script>&#34;\">&lt;/div&gt;&lt;script&gt;alert('x')&lt;/script&gt;\"</div>\n\n",
                frame(PatchElements.of(templates.attribute(hostile))));
    }

    @Test
    void unicodeIsWrittenAsUtf8() {
        byte[] expected = (EVENT + "data: elements <p id=\"one\">Zoë 🚀 日本</p>\n\n").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, SseWriter.encode(PatchElements.of(templates.oneLine("Zoë 🚀 日本"))));
    }

    @Test
    void svgFragmentCarriesTheNamespaceLine() {
        PatchElements patch = PatchElements.builder().namespace(Namespace.SVG).elements(templates.svgDot(4)).build();
        assertEquals(EVENT + "data: namespace svg\ndata: elements <circle id=\"dot\" cx=\"5\" cy=\"5\" r=\"4\"/>\n\n",
                frame(patch));
    }

    @Test
    void mathmlFragmentCarriesTheNamespaceLine() {
        PatchElements patch = PatchElements.builder().namespace(Namespace.MATHML).selector("#formula")
                .mode(ElementPatchMode.INNER).elements(templates.mathVar("x<y")).build();
        assertEquals(EVENT + "data: selector #formula\ndata: mode inner\ndata: namespace mathml\n"
                + "data: elements <mi id=\"var\">x&lt;y</mi>\n\n", frame(patch));
    }

    @Test
    void everyLineOfAnyFrameIsAKnownField() {
        String weird = "\r\r\n\n\r<b>\u2028\u0085x";
        String frame = frame(PatchElements.builder().selector("#a").elements(templates.multiLineCr(weird, weird))
                .build());
        assertTrue(frame.endsWith("\n\n"), frame);
        String[] lines = frame.substring(0, frame.length() - 2).split("\r\n|\r|\n", -1);
        for (String line : lines) {
            assertTrue(line.startsWith("event: ") || line.startsWith("data: selector ")
                    || line.startsWith("data: elements "), () -> "unexpected line: " + line);
        }
    }
}
