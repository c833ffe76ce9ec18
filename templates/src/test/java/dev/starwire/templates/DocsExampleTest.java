package dev.starwire.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.starwire.ElementPatchMode;
import dev.starwire.FragmentCheck;
import dev.starwire.Html;
import dev.starwire.PatchElements;
import dev.starwire.SseWriter;
import dev.starwire.templates.fixtures.FixtureTemplates;
import dev.starwire.templates.fixtures.StaticFixtureTemplates;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The examples of docs/components.md, with the same template files (here under src/test/jte). */
class DocsExampleTest {
    private final FixtureTemplates templates = new StaticFixtureTemplates();

    @Test
    void greetingFrameAsDocumented() {
        PatchElements patch = PatchElements.of(templates.hello("Ana"));
        FragmentCheck.requireIds(patch);
        // the file ends with a line break, hence the empty last data line the docs mention
        assertEquals("event: datastar-patch-elements\n"
                        + "data: elements <p id=\"greeting\">Hello Ana!</p>\n"
                        + "data: elements \n\n",
                new String(SseWriter.encode(patch), StandardCharsets.UTF_8));
    }

    @Test
    void appendedMessageNeedsNoId() {
        PatchElements patch = PatchElements.builder().selector("#messages").mode(ElementPatchMode.APPEND)
                .elements(templates.message("Ana", "hi")).build();
        FragmentCheck.requireIds(patch);
        assertEquals("event: datastar-patch-elements\n"
                        + "data: selector #messages\n"
                        + "data: mode append\n"
                        + "data: elements <div class=\"message\"><b>Ana</b> hi</div>\n"
                        + "data: elements \n\n",
                new String(SseWriter.encode(patch), StandardCharsets.UTF_8));
    }

    @Test
    void pageAsDocumented() {
        String page = Html.render(Layout.page(PageOptions.defaults(), "Hello",
                templates.hello("Ana")));
        assertEquals("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>Hello</title>\n"
                + "<script type=\"module\" src=\"https://cdn.jsdelivr.net/gh/starfederation/datastar@1.0.1/bundles/"
                + "datastar.js\"></script>\n"
                + "</head>\n<body>\n<p id=\"greeting\">Hello Ana!</p>\n\n</body>\n</html>\n", page);
    }
}
