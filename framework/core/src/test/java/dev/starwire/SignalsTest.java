package dev.starwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading and binding signals, and every way they can be bad. */
class SignalsTest {

    record Chat(String messageText, int count, boolean typing, List<String> tags) {
    }

    static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static SignalsException rejected(int status, org.junit.jupiter.api.function.Executable call) {
        SignalsException e = assertThrows(SignalsException.class, call);
        assertEquals(status, e.status(), e.getMessage());
        return e;
    }

    @Test
    void absentOrBlankSignalsAreAnEmptyObject() {
        assertEquals("{}", Signals.fromQuery(null).toString());
        assertEquals("{}", Signals.fromQuery("").toString());
        assertEquals("{}", Signals.fromQuery("  ").toString());
        assertEquals("{}", Signals.fromBody((byte[]) null).toString());
        assertEquals("{}", Signals.fromBody(new byte[0]).toString());
        assertEquals("{}", Signals.fromBody(" \r\n\t".getBytes(StandardCharsets.UTF_8)).toString());
        assertEquals("{}", Signals.fromBody(null, 10).toString());
        assertEquals("{}", Signals.fromBody(stream(""), 10).toString());
    }

    @Test
    void anObjectIsReadAsATree() {
        ObjectNode s = Signals.fromQuery("{\"count\":1,\"user\":{\"name\":\"Zoë\"}}");
        assertEquals(1, s.get("count").asInt());
        assertEquals("Zoë", s.at("/user/name").asText());
        assertEquals(s, Signals.fromBody(stream("{\"count\":1,\"user\":{\"name\":\"Zoë\"}}"), 1024));
    }

    @Test
    void malformedJsonIs400WithWhereItWentWrong() {
        SignalsException e = rejected(400, () -> Signals.fromQuery("{\"a\":"));
        assertTrue(e.getMessage().startsWith("signals are not valid JSON at line 1"), e.getMessage());
        rejected(400, () -> Signals.fromBody("{count:1}".getBytes(StandardCharsets.UTF_8)));
        rejected(400, () -> Signals.fromBody(stream("not json"), 1024));
    }

    @Test
    void trailingGarbageAfterTheObjectIsMalformed() {
        SignalsException e = rejected(400, () -> Signals.fromQuery("{\"a\":1} x"));
        assertTrue(e.getMessage().startsWith("signals are not valid JSON"), e.getMessage());
        rejected(400, () -> Signals.fromBody("{}{}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aNonObjectIs400NamingWhatItGot() {
        assertEquals("signals must be a JSON object, got an array",
                rejected(400, () -> Signals.fromQuery("[1,2]")).getMessage());
        assertEquals("signals must be a JSON object, got a string",
                rejected(400, () -> Signals.fromQuery("\"x\"")).getMessage());
        assertEquals("signals must be a JSON object, got a number",
                rejected(400, () -> Signals.fromQuery("3")).getMessage());
        assertEquals("signals must be a JSON object, got a boolean",
                rejected(400, () -> Signals.fromQuery("true")).getMessage());
        assertEquals("signals must be a JSON object, got null",
                rejected(400, () -> Signals.fromQuery("null")).getMessage());
    }

    @Test
    void depth64IsReadAndDepth65Is400() {
        assertEquals(1, Signals.fromQuery(nested(64)).size());
        SignalsException e = rejected(400, () -> Signals.fromQuery(nested(65)));
        assertEquals("signals are nested deeper than 64 levels", e.getMessage());
        rejected(400, () -> Signals.fromBody(stream(nested(10_000)), Signals.DEFAULT_MAX_BYTES));
        rejected(400, () -> Signals.fromQuery("[".repeat(100) + "]".repeat(100)));
    }

    @Test
    void aBodyOverTheLimitIs413WithoutReadingItAll() {
        String exact = "{\"a\":\"" + "x".repeat(10) + "\"}"; // 18 bytes
        assertEquals(10, Signals.fromBody(stream(exact), 18).get("a").asText().length());
        SignalsException e = rejected(413, () -> Signals.fromBody(stream(exact), 17));
        assertEquals("signals are larger than the limit of 17 bytes", e.getMessage());

        int[] read = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read[0]++;
                return ' ';
            }
        };
        rejected(413, () -> Signals.fromBody(endless, 100_000));
        assertTrue(read[0] < 200_000, "read " + read[0] + " bytes of an endless body");
    }

    @Test
    void theDefaultLimitIsOneMebibyte() {
        assertEquals(1024 * 1024, Signals.DEFAULT_MAX_BYTES);
        String justOver = "{\"a\":\"" + "x".repeat(1024 * 1024) + "\"}";
        rejected(413, () -> Signals.fromQuery(justOver));
        rejected(413, () -> Signals.fromBody(stream(justOver), Signals.DEFAULT_MAX_BYTES));
    }

    @Test
    void aQueryOverItsLimitIs413CountingUtf8Bytes() {
        rejected(413, () -> Signals.fromQuery("{\"a\":\"éé\"}", 11)); // 12 bytes, 10 chars
        assertEquals("éé", Signals.fromQuery("{\"a\":\"éé\"}", 12).get("a").asText());
    }

    @Test
    void bindingFillsARecordAndIgnoresUnknownSignals() {
        Chat c = Signals.bind(Signals.fromQuery(
                "{\"messageText\":\"hi\",\"count\":2,\"typing\":true,\"tags\":[\"a\"],\"other\":{\"x\":1}}"), Chat.class);
        assertEquals(new Chat("hi", 2, true, List.of("a")), c);
    }

    @Test
    void bindingLeavesMissingSignalsAtTheirDefaults() {
        assertEquals(new Chat(null, 0, false, null), Signals.bind(Signals.fromQuery(null), Chat.class));
    }

    @Test
    void bindingAWrongTypeIs400NamingTheSignal() {
        SignalsException e = rejected(400,
                () -> Signals.bind(Signals.fromQuery("{\"count\":\"many\"}"), Chat.class));
        assertTrue(e.getMessage().startsWith("signal 'count' cannot be read as int"), e.getMessage());
        SignalsException nested = rejected(400,
                () -> Signals.bind(Signals.fromQuery("{\"tags\":[\"a\",{\"b\":1}]}"), Chat.class));
        assertTrue(nested.getMessage().startsWith("signal 'tags.[1]' cannot be read as String"), nested.getMessage());
        rejected(400, () -> Signals.bind(Signals.fromQuery("{\"typing\":{}}"), Chat.class));
    }

    @Test
    void messagesCarryNoStackTraceOrClassNames() {
        SignalsException e = rejected(400, () -> Signals.bind(Signals.fromQuery("{\"count\":[1]}"), Chat.class));
        assertTrue(!e.getMessage().contains("\tat ") && !e.getMessage().contains("dev.starwire"), e.getMessage());
        assertNull(rejected(400, () -> Signals.fromQuery("[]")).getCause());
    }
}
