package dev.starwire;

import static dev.starwire.PatchElementsBytesTest.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact bytes of a script, sent as a {@code datastar-patch-elements} event appending to body. */
class ExecuteScriptBytesTest {
    private static final String HEAD = "event: datastar-patch-elements\ndata: selector body\ndata: mode append\n";

    @Test
    void defaultsAppendASelfRemovingScriptToBody() {
        assertEquals(HEAD + "data: elements <script data-effect=\"el.remove()\">console.log('hi')</script>\n\n",
                frame(ExecuteScript.of("console.log('hi')")));
    }

    @Test
    void autoRemoveFalseLeavesTheTagPlain() {
        assertEquals(HEAD + "data: elements <script>x()</script>\n\n",
                frame(ExecuteScript.builder().script("x()").autoRemove(false).build()));
    }

    @Test
    void attributesKeepTheirOrderThenNonceThenSelfRemoval() {
        ExecuteScript s = ExecuteScript.builder().script("go()")
                .attribute("type", "module")
                .attribute("blocking", "false")
                .attribute("async", "")
                .nonce("r4nd0m")
                .build();
        assertEquals(HEAD + "data: elements <script type=\"module\" blocking=\"false\" async=\"\" nonce=\"r4nd0m\""
                + " data-effect=\"el.remove()\">go()</script>\n\n", frame(s));
        assertEquals(List.of("type", "blocking", "async"), List.copyOf(s.attributes().keySet()));
        assertEquals(List.of("type", "blocking", "async", "nonce", "data-effect"),
                List.copyOf(s.tagAttributes().keySet()));
    }

    @Test
    void attributesFromAMapKeepItsIterationOrder() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("z", "1");
        m.put("a", "2");
        ExecuteScript s = ExecuteScript.builder().script("f()").attributes(m).autoRemove(false).build();
        assertEquals(HEAD + "data: elements <script z=\"1\" a=\"2\">f()</script>\n\n", frame(s));
    }

    @Test
    void attributeValuesAreHtmlEscaped() {
        ExecuteScript s = ExecuteScript.builder().script("f()").attribute("data-x", "a\"b&c<d'e")
                .nonce("n\"><script>").autoRemove(false).build();
        assertEquals(HEAD + "data: elements <script data-x=\"a&#34;b&amp;c&lt;d&#39;e\" nonce=\"n&#34;>&lt;script>\">"
                + "f()</script>\n\n", frame(s));
    }

    @Test
    void aLineBreakInAnAttributeValueIsSplitLikeAnyOther() {
        ExecuteScript s = ExecuteScript.builder().script("f()").attribute("title", "a\r\nb").autoRemove(false).build();
        assertEquals(HEAD + "data: elements <script title=\"a\ndata: elements b\">f()</script>\n\n", frame(s));
    }

    @Test
    void invalidAttributeNamesAreRejected() {
        for (String bad : new String[] {"", "a b", "a=b", "a\"", "a>", "a/", "a\n", "<a"}) {
            assertThrows(IllegalArgumentException.class, () -> ExecuteScript.builder().attribute(bad, "v"), bad);
        }
    }

    @Test
    void aMultiLineScriptBecomesOneDataLinePerLine() {
        assertEquals(HEAD
                        + "data: elements <script data-effect=\"el.remove()\">if (a) {\n"
                        + "data: elements   b();\n"
                        + "data: elements }</script>\n\n",
                frame(ExecuteScript.of("if (a) {\r\n  b();\r}")));
    }

    @Test
    void eventIdAndRetryAreWrittenLikeOnEveryEvent() {
        ExecuteScript s = ExecuteScript.builder().script("f()").eventId("e1").retryMillis(2000).build();
        assertEquals("event: datastar-patch-elements\nid: e1\nretry: 2000\ndata: selector body\ndata: mode append\n"
                + "data: elements <script data-effect=\"el.remove()\">f()</script>\n\n", frame(s));
        assertEquals(frame(s), frame(s.toPatchElements()));
        assertEquals(HEAD + "data: elements <script data-effect=\"el.remove()\">f()</script>\n\n",
                frame(ExecuteScript.builder().script("f()").retryMillis(1000).build()));
    }

    @Test
    void scriptIsRequired() {
        assertThrows(NullPointerException.class, () -> ExecuteScript.builder().build());
    }
}
