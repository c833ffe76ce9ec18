package dev.starwire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseWriterTest {

    private static String frame(DatastarEvent e) {
        return new String(SseWriter.encode(e), StandardCharsets.UTF_8);
    }

    @Test
    void patchElementsDefaultsWriteOnlyTheElements() {
        assertEquals("event: datastar-patch-elements\ndata: elements <div id=\"a\">x</div>\n\n",
                frame(PatchElements.of("<div id=\"a\">x</div>")));
    }

    @Test
    void everyLineBreakKindStartsANewDataLine() {
        assertEquals("event: datastar-patch-elements\n"
                        + "data: elements a\ndata: elements b\ndata: elements c\ndata: elements d\n\n",
                frame(PatchElements.of("a\nb\r\nc\rd")));
    }
}
