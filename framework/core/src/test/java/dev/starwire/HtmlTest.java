package dev.starwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void writesUtf8() throws IOException {
        Component page = out -> out.writeContent("<p id=\"z\">Zoë 🚀\r\n</p>");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Html.write(page, out);
        assertArrayEquals("<p id=\"z\">Zoë 🚀\r\n</p>".getBytes(StandardCharsets.UTF_8), out.toByteArray());
        assertEquals("<p id=\"z\">Zoë 🚀\r\n</p>", Html.render(page));
    }

    @Test
    void aComponentThatThrowsWritesNothing() {
        Component broken = out -> {
            out.writeContent("<html><body>half");
            throw new IllegalStateException("boom");
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(IllegalStateException.class, () -> Html.write(broken, out));
        assertEquals(0, out.size());
    }
}
