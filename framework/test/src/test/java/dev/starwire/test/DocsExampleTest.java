package dev.starwire.test;

import dev.starwire.Component;
import dev.starwire.ElementPatchMode;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The component example of docs/testing.md, kept compiling and passing. */
class DocsExampleTest {
    static Component message(String author, String text) {   // in a real app: a jte template
        return out -> {
            out.writeContent("<li class=\"message\"><b>");
            gg.jte.html.escape.Escape.htmlContent(author, out);
            out.writeContent("</b> ");
            gg.jte.html.escape.Escape.htmlContent(text, out);
            out.writeContent("</li>");
        };
    }

    @Test
    void appendsAMessageAndClearsTheInput() {
        TestPage page = TestPage.of("""
                <body data-signals='{"messageText":"hello"}'>
                  <ul id="messages"></ul>
                  <form data-on:submit="@post('/send')"><input data-bind:message-text></form>
                </body>""");
        page.assertDatastar10Syntax();                      // no pre-1.0 data-on-submit etc.

        page.apply(PatchElements.builder().selector("#messages").mode(ElementPatchMode.APPEND)
                .elements(message("Ana", "<script>alert(1)</script>")).build());
        page.apply(PatchSignals.of(Map.of("messageText", "")));

        page.assertThat("#messages .message").hasSize(1).hasText("Ana <script>alert(1)</script>");
        page.assertThat("#messages script").doesNotExist(); // escaped, shown as text
        page.signal("messageText").isEqualTo("");
        page.assertThat("#messages .message b").hasText("Ana");
    }
}
