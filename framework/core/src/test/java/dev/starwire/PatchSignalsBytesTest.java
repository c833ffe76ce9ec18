package dev.starwire;

import static dev.starwire.PatchElementsBytesTest.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact bytes of {@code datastar-patch-signals} for every option and its default. */
class PatchSignalsBytesTest {
    private static final String EVENT = "event: datastar-patch-signals\n";

    record Counter(int count, String label) {
    }

    @Test
    void anObjectIsSerialisedAsCompactJsonInItsOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 1);
        m.put("a", "x");
        m.put("gone", null);
        assertEquals(EVENT + "data: signals {\"b\":1,\"a\":\"x\",\"gone\":null}\n\n", frame(PatchSignals.of(m)));
        assertEquals(EVENT + "data: signals {\"count\":3,\"label\":\"three\"}\n\n",
                frame(PatchSignals.of(new Counter(3, "three"))));
    }

    @Test
    void aJacksonTreeIsSerialisedAsCompactJson() {
        ObjectNode tree = new ObjectMapper().createObjectNode();
        tree.putObject("user").putNull("email");
        tree.put("n", 1.5);
        assertEquals(EVENT + "data: signals {\"user\":{\"email\":null},\"n\":1.5}\n\n", frame(PatchSignals.of(tree)));
    }

    @Test
    void lineBreaksInsideStringsAreEscapedByJsonSoTheyStayOnOneLine() {
        PatchSignals p = PatchSignals.of(Map.of("msg", "a\r\nb\rc\nd"));
        assertEquals(EVENT + "data: signals {\"msg\":\"a\\r\\nb\\rc\\nd\"}\n\n", frame(p));
    }

    @Test
    void rawJsonIsSentAsWrittenOneLinePerLine() {
        assertEquals(EVENT + "data: signals {\"a\":1}\n\n", frame(PatchSignals.ofJson("{\"a\":1}")));
        assertEquals(EVENT
                        + "data: signals {\n"
                        + "data: signals   \"a\": 1,\n"
                        + "data: signals   \"b\": {\"c\": null}\n"
                        + "data: signals }\n\n",
                frame(PatchSignals.ofJson("{\n  \"a\": 1,\r\n  \"b\": {\"c\": null}\r}")));
    }

    @Test
    void onlyIfMissingIsWrittenOnlyWhenTrue() {
        assertEquals(EVENT + "data: onlyIfMissing true\ndata: signals {\"a\":1}\n\n",
                frame(PatchSignals.builder().json("{\"a\":1}").onlyIfMissing(true).build()));
        assertEquals(EVENT + "data: signals {\"a\":1}\n\n",
                frame(PatchSignals.builder().json("{\"a\":1}").onlyIfMissing(false).build()));
    }

    @Test
    void eventIdAndRetryComeBeforeTheData() {
        PatchSignals p = PatchSignals.builder().signals(Map.of("a", 1)).onlyIfMissing(true).eventId("s1")
                .retry(Duration.ofSeconds(2)).build();
        assertEquals(EVENT + "id: s1\nretry: 2000\ndata: onlyIfMissing true\ndata: signals {\"a\":1}\n\n", frame(p));
        assertEquals(EVENT + "data: signals {\"a\":1}\n\n",
                frame(PatchSignals.builder().json("{\"a\":1}").retryMillis(1000).build()));
        assertEquals(EVENT + "retry: 1\ndata: signals {\"a\":1}\n\n",
                frame(PatchSignals.builder().json("{\"a\":1}").retryMillis(1).build()));
    }

    @Test
    void signalsMustBeAnObject() {
        IllegalArgumentException list = assertThrows(IllegalArgumentException.class,
                () -> PatchSignals.of(List.of(1, 2)));
        assertTrue(list.getMessage().contains("JSON object"), list.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> PatchSignals.of("{\"a\":1}"));
        assertTrue(text.getMessage().contains("ofJson"), text.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PatchSignals.builder().build());
    }

    @Test
    void theValueIsImmutableOnceBuilt() {
        ObjectNode tree = new ObjectMapper().createObjectNode().put("a", 1);
        PatchSignals p = PatchSignals.of(tree);
        tree.put("a", 2);
        assertEquals("{\"a\":1}", p.signals());
    }

    @Test
    void rawJsonMustBeAnObjectNeverAnEmptyOrNonObjectEvent() {
        String[][] cases = {
            {"", "signals JSON must not be empty"},
            {"  \r\n", "signals JSON must not be empty"},
            {"[1,2]", "signals JSON must be an object, got [1,2]"},
            {"42", "signals JSON must be an object, got 42"},
            {"null", "signals JSON must be an object, got null"},
            {"\"x\"", "signals JSON must be an object, got \"x\""},
            {"{\"a\":", "signals JSON must be an object, got {\"a\":"},
            {"{\"a\":1} x", "signals JSON must be an object"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PatchSignals.ofJson(c[0]),
                    c[0]);
            assertTrue(e.getMessage().startsWith(c[1]), c[0] + " -> " + e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> PatchSignals.builder().json(c[0]));
        }
        assertEquals(EVENT + "data: signals {}\n\n", frame(PatchSignals.ofJson("{}")));
        assertEquals(EVENT + "data: signals  {\"a\":1} \n\n", frame(PatchSignals.ofJson(" {\"a\":1} ")));
    }

    @Test
    void toBuilderDerivesAChangedCopy() {
        PatchSignals base = PatchSignals.builder().json("{\"a\":1}").eventId("1").build();
        assertEquals(EVENT + "id: 1\ndata: onlyIfMissing true\ndata: signals {\"a\":1}\n\n",
                frame(base.toBuilder().onlyIfMissing(true).build()));
        assertEquals(EVENT + "id: 1\ndata: signals {\"a\":1}\n\n", frame(base));
    }
}
