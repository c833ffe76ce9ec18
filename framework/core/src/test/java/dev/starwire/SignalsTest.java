package dev.starwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading and binding signals, and every way they can be bad. */
class SignalsTest {

    record Chat(String messageText, int count, boolean typing, List<String> tags) {
    }

    record Numbers(int i, long l, double d, Integer boxed, BigDecimal exact, float f) {
    }

    enum Size { SMALL, LARGE }

    record Form(String name, int age, Integer height, boolean subscribe, Boolean agreed, Size size, List<String> tags) {
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

    private static String bindFails(String json, Class<?> type) {
        return rejected(400, () -> Signals.fromQuery(json).as(type)).getMessage();
    }

    // ---- where signals come from ----

    @Test
    void anAbsentQueryParameterIsNoSignals() {
        assertEquals("{}", Signals.fromQuery(null).toString());
        assertTrue(Signals.fromQuery(null).isEmpty());
        assertEquals(Signals.none(), Signals.fromQuery(null));
    }

    @Test
    void anEmptyQueryParameterOrBodyIs400WithAMessage() {
        assertEquals("the datastar query parameter is empty: it must hold the signals as a JSON object, e.g. {}",
                rejected(400, () -> Signals.fromQuery("")).getMessage());
        rejected(400, () -> Signals.fromQuery("  "));
        String empty = "the request body is empty: it must hold the signals as a JSON object, e.g. {}";
        assertEquals(empty, rejected(400, () -> Signals.fromJson(new byte[0])).getMessage());
        assertEquals(empty, rejected(400, () -> Signals.fromJson((byte[]) null)).getMessage());
        assertEquals(empty, rejected(400, () -> Signals.fromJson(" \r\n\t".getBytes(StandardCharsets.UTF_8)))
                .getMessage());
        assertEquals(empty, rejected(400, () -> Signals.fromJson(stream(""), 10)).getMessage());
        assertEquals(empty, rejected(400, () -> Signals.fromJson(null, 10)).getMessage());
    }

    @Test
    void anObjectIsReadAsATree() {
        Signals s = Signals.fromQuery("{\"count\":1,\"user\":{\"name\":\"Zoë\"}}");
        assertEquals(1, s.tree().get("count").asInt());
        assertEquals("Zoë", s.tree().at("/user/name").asText());
        assertEquals(s, Signals.fromJson(stream("{\"count\":1,\"user\":{\"name\":\"Zoë\"}}"), 1024));
        assertFalse(s.isForm());
    }

    @Test
    void theTreeIsACopySoReadingTwiceGivesTheSameValue() {
        Signals s = Signals.fromQuery("{\"count\":1}");
        ObjectNode first = s.tree();
        first.put("count", 99);
        assertEquals(1, s.tree().get("count").asInt());
        assertEquals("{\"count\":1}", s.toString());
    }

    @Test
    void malformedJsonIs400WithWhereItWentWrong() {
        SignalsException e = rejected(400, () -> Signals.fromQuery("{\"a\":"));
        assertTrue(e.getMessage().startsWith("signals are not valid JSON at line 1"), e.getMessage());
        rejected(400, () -> Signals.fromJson("{count:1}".getBytes(StandardCharsets.UTF_8)));
        rejected(400, () -> Signals.fromJson(stream("not json"), 1024));
    }

    @Test
    void trailingGarbageAfterTheObjectIsMalformed() {
        SignalsException e = rejected(400, () -> Signals.fromQuery("{\"a\":1} x"));
        assertTrue(e.getMessage().startsWith("signals are not valid JSON"), e.getMessage());
        assertEquals("signals are not valid JSON at line 1, column 3: more text follows the JSON object",
                rejected(400, () -> Signals.fromJson("{}{}".getBytes(StandardCharsets.UTF_8))).getMessage());
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
        assertEquals(1, Signals.fromQuery(nested(64)).tree().size());
        SignalsException e = rejected(400, () -> Signals.fromQuery(nested(65)));
        assertEquals("signals are nested deeper than 64 levels", e.getMessage());
        rejected(400, () -> Signals.fromJson(stream(nested(10_000)), Signals.DEFAULT_MAX_BYTES));
        rejected(400, () -> Signals.fromQuery("[".repeat(100) + "]".repeat(100)));
    }

    @Test
    void aThousandDigitNumberIsReadAndALongerOneHasItsOwnMessage() {
        assertEquals(1000, Signals.fromQuery("{\"n\":" + "9".repeat(1000) + "}").tree().get("n").asText().length());
        assertEquals("signals hold a number longer than 1000 characters",
                rejected(400, () -> Signals.fromQuery("{\"n\":" + "9".repeat(1001) + "}")).getMessage());
        assertEquals("signals hold a number longer than 1000 characters",
                rejected(400, () -> Signals.fromJson(stream("{\"n\":[1,-" + "1".repeat(5000) + "]}"), 100_000))
                        .getMessage());
    }

    @Test
    void aNumberNoDoubleCanHoldIs400NotInfinity() {
        String message = "signals hold a number too large for a double (such as 1e400)";
        assertEquals(message, rejected(400, () -> Signals.fromQuery("{\"updateCount\":1e400}")).getMessage());
        assertEquals(message, rejected(400, () -> Signals.fromQuery("{\"a\":[-1E999]}")).getMessage());
        assertEquals(1e308, Signals.fromQuery("{\"a\":1e308}").tree().get("a").asDouble());
    }

    @Test
    void aBodyOverTheLimitIs413WithoutReadingItAll() {
        String exact = "{\"a\":\"" + "x".repeat(10) + "\"}"; // 18 bytes
        assertEquals(10, Signals.fromJson(stream(exact), 18).tree().get("a").asText().length());
        SignalsException e = rejected(413, () -> Signals.fromJson(stream(exact), 17));
        assertEquals("signals are larger than the limit of 17 bytes", e.getMessage());

        int[] read = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read[0]++;
                return ' ';
            }
        };
        rejected(413, () -> Signals.fromJson(endless, 100_000));
        assertTrue(read[0] < 200_000, "read " + read[0] + " bytes of an endless body");
    }

    @Test
    void aBodyThatCannotBeReadToItsEndIs400NotAnIoError() {
        InputStream cutShort = new InputStream() {
            private int left = 5;

            @Override
            public int read() throws IOException {
                if (left-- > 0) {
                    return '{';
                }
                throw new IOException("Early EOF");
            }
        };
        SignalsException e = rejected(400, () -> Signals.fromJson(cutShort, 1024));
        assertEquals("the request body could not be read to its end (it was cut short or its framing is broken)",
                e.getMessage());
        rejected(400, () -> Signals.fromFormBody(cutShort, 1024));
    }

    @Test
    void theDefaultLimitIsOneMebibyte() {
        assertEquals(1024 * 1024, Signals.DEFAULT_MAX_BYTES);
        String justOver = "{\"a\":\"" + "x".repeat(1024 * 1024) + "\"}";
        rejected(413, () -> Signals.fromQuery(justOver));
        rejected(413, () -> Signals.fromJson(stream(justOver), Signals.DEFAULT_MAX_BYTES));
    }

    @Test
    void aQueryOverItsLimitIs413CountingUtf8Bytes() {
        rejected(413, () -> Signals.fromQuery("{\"a\":\"éé\"}", 11)); // 12 bytes, 10 chars
        assertEquals("éé", Signals.fromQuery("{\"a\":\"éé\"}", 12).tree().get("a").asText());
    }

    // ---- strict binding of JSON ----

    @Test
    void bindingFillsARecordAndIgnoresUnknownSignals() {
        Chat c = Signals.fromQuery(
                "{\"messageText\":\"hi\",\"count\":2,\"typing\":true,\"tags\":[\"a\"],\"other\":{\"x\":1}}").as(Chat.class);
        assertEquals(new Chat("hi", 2, true, List.of("a")), c);
    }

    @Test
    void bindingLeavesMissingSignalsAtTheirDefaults() {
        assertEquals(new Chat(null, 0, false, null), Signals.none().as(Chat.class));
        assertEquals(new Chat(null, 0, false, null), Signals.fromQuery("{\"count\":null}").as(Chat.class));
    }

    @Test
    void aStringIsNeverCoercedIntoANumberOrABoolean() {
        assertEquals("signal 'count' must be an integer (int), got the string \"many\"",
                bindFails("{\"count\":\"many\"}", Chat.class));
        assertEquals("signal 'count' must be an integer (int), got the string \"2\"",
                bindFails("{\"count\":\"2\"}", Chat.class));
        assertEquals("signal 'typing' must be true or false, got the string \"true\"",
                bindFails("{\"typing\":\"true\"}", Chat.class));
        assertEquals("signal 'd' must be a number (double), got the string \"1.5\"",
                bindFails("{\"d\":\"1.5\"}", Numbers.class));
    }

    @Test
    void numbersAndBooleansAreNeverCoercedIntoAString() {
        assertEquals("signal 'messageText' must be a string, got the number 1",
                bindFails("{\"messageText\":1}", Chat.class));
        assertEquals("signal 'messageText' must be a string, got the number 1.5",
                bindFails("{\"messageText\":1.5}", Chat.class));
        assertEquals("signal 'messageText' must be a string, got true", bindFails("{\"messageText\":true}", Chat.class));
        assertEquals("signal 'tags[0]' must be a string, got the number 7", bindFails("{\"tags\":[7]}", Chat.class));
        assertEquals("signal 'messageText' must be a string, got an object",
                bindFails("{\"messageText\":{}}", Chat.class));
    }

    @Test
    void aFractionOrABooleanNeverBecomesAnInteger() {
        assertEquals("signal 'count' must be an integer (int), got the number 1.5", bindFails("{\"count\":1.5}", Chat.class));
        assertEquals("signal 'l' must be an integer (long), got the number 100.0", bindFails("{\"l\":1e2}", Numbers.class));
        assertEquals("signal 'count' must be an integer (int), got true", bindFails("{\"count\":true}", Chat.class));
        assertEquals("signal 'typing' must be true or false, got the number 1", bindFails("{\"typing\":1}", Chat.class));
    }

    @Test
    void aNumberOutsideItsFieldIs400() {
        assertTrue(bindFails("{\"i\":3000000000}", Numbers.class).startsWith("signal 'i' cannot be read: Numeric"
                + " value (3000000000) out of range of int"));
        assertTrue(bindFails("{\"l\":100000000000000000000}", Numbers.class).startsWith("signal 'l' cannot be read:"
                + " Numeric value (100000000000000000000) out of range of long"));
    }

    @Test
    void integersFillFloatingPointFieldsOnPurpose() {
        Numbers n = Signals.fromQuery("{\"i\":1,\"l\":2,\"d\":3,\"boxed\":4,\"exact\":5,\"f\":6}").as(Numbers.class);
        assertEquals(new Numbers(1, 2, 3.0, 4, new BigDecimal("5"), 6f), n);
    }

    @Test
    void messagesCarryNoStackTraceOrClassNames() {
        SignalsException e = rejected(400, () -> Signals.fromQuery("{\"count\":[1]}").as(Chat.class));
        assertEquals("signal 'count' must be an integer (int), got an array", e.getMessage());
        assertNull(rejected(400, () -> Signals.fromQuery("[]")).getCause());
    }

    // ---- forms ----

    @Test
    void aUrlEncodedFormIsReadIntoStringSignals() {
        Signals s = Signals.fromFormBody(stream("name=Zo%C3%AB+M&tags=a&tags=b&empty=&flag"), 1024);
        assertTrue(s.isForm());
        assertEquals("{\"name\":\"Zoë M\",\"tags\":[\"a\",\"b\"],\"empty\":\"\",\"flag\":\"\"}", s.toString());
        assertEquals("{}", Signals.fromFormBody(stream(""), 1024).toString());
    }

    @Test
    void formTextIsConvertedToTheFieldTypes() {
        Signals s = Signals.fromFormBody(stream("name=Ana&age=42&height=&subscribe=on&agreed=false&size=LARGE&tags=x"),
                1024);
        assertEquals(new Form("Ana", 42, null, true, false, Size.LARGE, List.of("x")), s.as(Form.class));
        assertEquals(new Form(null, 0, null, false, null, null, null), Signals.fromFormBody(stream(""), 10).as(Form.class));
    }

    @Test
    void aFormFieldThatIsNotItsTypeIs400() {
        String message = rejected(400, () -> Signals.fromFormBody(stream("age=old"), 1024).as(Form.class)).getMessage();
        assertTrue(message.startsWith("signal 'age' "), message);
        assertTrue(message.contains("old"), message);
        rejected(400, () -> Signals.fromFormBody(stream("subscribe=maybe"), 1024).as(Form.class));
        rejected(400, () -> Signals.fromFormBody(stream("a=%zz"), 1024));
    }

    @Test
    void formFieldsFromAMapKeepTheirOrderAndCountAgainstTheLimit() {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("b", List.of("1"));
        fields.put("a", List.of("x", "y"));
        assertEquals("{\"b\":\"1\",\"a\":[\"x\",\"y\"]}", Signals.fromForm(fields, 1024).toString());
        rejected(413, () -> Signals.fromForm(fields, 5));
        rejected(413, () -> Signals.fromFormBody(stream("a=" + "x".repeat(100)), 50));
    }
}
