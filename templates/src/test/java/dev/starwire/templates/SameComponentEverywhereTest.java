package dev.starwire.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.starwire.DatastarResponse;
import dev.starwire.ElementPatchMode;
import dev.starwire.FragmentCheck;
import dev.starwire.Html;
import dev.starwire.Namespace;
import dev.starwire.PatchElements;
import dev.starwire.SseWriter;
import dev.starwire.templates.fixtures.FixtureTemplates;
import dev.starwire.templates.fixtures.StaticFixtureTemplates;
import gg.jte.Content;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One component, three ways out: an SSE patch, a one-shot text/html answer, the body of a full page. */
class SameComponentEverywhereTest {
    private final FixtureTemplates fixtures = new StaticFixtureTemplates();

    private static String body(DatastarResponse response) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        response.writeBody(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String page(Content content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Html.write(content, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void oneComponentAsSseOneShotAndFullPage() throws IOException {
        Content message = fixtures.multiLine("Ana", "a <b> & \"c\"");
        String html = "<div id=\"msg\">\n  <b>Ana</b>\n  a &lt;b&gt; &amp; \"c\"\n</div>";

        assertEquals("event: datastar-patch-elements\n"
                        + "data: elements <div id=\"msg\">\n"
                        + "data: elements   <b>Ana</b>\n"
                        + "data: elements   a &lt;b&gt; &amp; \"c\"\n"
                        + "data: elements </div>\n\n",
                new String(SseWriter.encode(PatchElements.of(message)), StandardCharsets.UTF_8));

        DatastarResponse oneShot = DatastarResponse.of(PatchElements.append("#chat", message));
        assertEquals(200, oneShot.status());
        assertEquals("text/html; charset=utf-8", oneShot.contentType());
        assertEquals(Map.of("Cache-Control", "no-cache", "datastar-selector", "#chat", "datastar-mode", "append"),
                oneShot.headers());
        assertEquals(html, body(oneShot));

        String full = page(Layout.page(PageOptions.defaults().withNonce("abc"), "Chat", message));
        assertEquals("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>Chat</title>\n"
                + "<script type=\"module\" src=\"" + PageOptions.DATASTAR_CDN + "\" nonce=\"abc\"></script>\n"
                + "</head>\n<body>\n" + html + "\n</body>\n</html>\n", full);
        assertEquals(full, Html.render(Layout.page(PageOptions.defaults().withNonce("abc"), "Chat",
                message)));
    }

    @Test
    void idRuleReportsATemplateWhoseTopLevelElementHasNoId() {
        PatchElements patch = PatchElements.of(fixtures.listItemWithoutId("<x>"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FragmentCheck.requireIds(patch));
        assertEquals("patch-elements without a selector: top-level element #1 <li class=\"item\"> has no id"
                + " (the client matches top-level elements by id: add an id, or give the patch a selector)",
                e.getMessage());
        // on by default while tests run
        assertThrows(IllegalArgumentException.class, () -> FragmentCheck.checkIfEnabled(patch));
    }

    @Test
    void idRuleAcceptsTemplatesWithIdsOrASelector() {
        PatchElements byId = PatchElements.of(fixtures.multiLine("Ana", "<p>no id needed inside</p>"));
        assertSame(byId, FragmentCheck.checkIfEnabled(byId));
        PatchElements svg = PatchElements.builder().namespace(Namespace.SVG).elements(fixtures.svgDot(3)).build();
        assertSame(svg, FragmentCheck.checkIfEnabled(svg));
        PatchElements appended = PatchElements.builder().selector("#list").mode(ElementPatchMode.APPEND)
                .elements(fixtures.listItemWithoutId("x")).build();
        assertSame(appended, FragmentCheck.checkIfEnabled(appended));
    }
}
