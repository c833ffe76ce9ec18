package dev.starwire.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.starwire.Component;
import dev.starwire.Html;
import dev.starwire.templates.fixtures.FixtureTemplates;
import dev.starwire.templates.fixtures.StaticFixtureTemplates;
import org.junit.jupiter.api.Test;

/**
 * An app's own templates (here src/test/jte with their own facade, generated as an app's build would) on
 * Starwire's layout and script tag, precompiled. {@code ownLayout.jte} is the own-layout example of
 * docs/components.md.
 */
class AppTemplatesTest {
    private static final String SCRIPT = "<script type=\"module\" src=\"" + PageOptions.DATASTAR_CDN + "\" integrity=\""
            + PageOptions.DATASTAR_1_0_1_INTEGRITY + "\" crossorigin=\"anonymous\" nonce=\"n0nce\"></script>";

    private final FixtureTemplates templates = new StaticFixtureTemplates();
    private final PageOptions page = PageOptions.builder().integrity(PageOptions.DATASTAR_1_0_1_INTEGRITY).build()
            .withNonce("n0nce");

    @Test
    void anAppPageRendersOnTheLayoutWithItsOwnComponents() {
        assertEquals("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>Hello &lt;Ana&gt;</title>\n"
                + SCRIPT + "\n"
                + "</head>\n<body>\n\n<main id=\"app\">\n<p id=\"greeting\">Hello &lt;Ana&gt;!</p>\n\n</main>\n\n"
                + "</body>\n</html>\n\n", Html.render(templates.appPage(page, "<Ana>"))); // + appPage.jte's last line break
    }

    @Test
    void theLayoutIsTheSameCalledFromATemplateOrFromJava() {
        Component body = out -> {
            out.writeContent("\n<main id=\"app\">\n");
            templates.hello("Ana").writeTo(out);
            out.writeContent("\n</main>\n");
        };
        assertEquals(Layout.page(page, "Hello Ana", body).render() + "\n", templates.appPage(page, "Ana").render());
    }

    @Test
    void anAppsOwnLayoutLoadsTheClientWithTheScriptTag() {
        assertEquals("<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>My app</title>" + SCRIPT + "</head>\n"
                + "<body><p id=\"greeting\">Hello Ana!</p>\n</body>\n</html>\n",
                templates.ownLayout(page, templates.hello("Ana")).render());
        assertEquals(SCRIPT, Layout.datastarScript(page).render());
    }
}
