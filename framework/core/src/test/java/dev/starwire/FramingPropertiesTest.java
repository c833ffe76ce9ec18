package dev.starwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.starwire.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever text goes into elements, a script or raw signals, a spec-compliant SSE parser reads back exactly
 * one event with exactly the expected fields, and the Datastar client rebuilds the same text (line breaks
 * normalised to \n, which the client's join produces and HTML/JS/JSON do not distinguish).
 */
class FramingPropertiesTest {
    private static final String SENTINEL_ID = "sentinel";

    /** Text built from the pieces that break naive framers, mixed with arbitrary valid code points. */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> tricky = Arbitraries.of("\r", "\n", "\r\n", "\n\r", "\r\r", "\n\n", "\u2028", "\u2029",
                "\u0085", "\u000B", "\u000C", "😀", "𝄞", "é", "€", " ", "  ", "\t", "", ":", "data: x",
                "event: y", "id: 1", "retry: 1", "<div id=\"a\">", "</div>", "\"", "'", "&", "\0", "\uFEFF");
        Arbitrary<String> codePoint = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .map(Character::toString);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, tricky),
                        net.jqwik.api.Tuple.of(2, codePoint),
                        net.jqwik.api.Tuple.of(2, Arbitraries.strings().alpha().ofMaxLength(5)))
                .list().ofMaxSize(40)
                .map(parts -> String.join("", parts));
    }

    /** How a component cuts its output: chunk sizes (0 allowed) and how each chunk is written. */
    @Provide
    Arbitrary<List<Cut>> cuts() {
        return Combinators.combine(Arbitraries.integers().between(0, 7), Arbitraries.of(Way.values()))
                .as(Cut::new).list().ofMaxSize(30);
    }

    record Cut(int size, Way way) {
    }

    enum Way { STRING, RANGE, BINARY }

    static String normalized(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n');
    }

    @Property(tries = 400)
    void elementsGivenAsAStringRoundTrip(@ForAll("text") String text) throws IOException {
        String html = "<p>" + text; // elements must not be blank; everything after the tag is arbitrary
        StrictSseParser.Block b = onlyEvent(PatchElements.of(html));
        assertEquals(List.of("event"), b.names().subList(0, 1));
        assertEquals(Map.of("elements", b.datastarData().get("elements")), b.datastarData());
        assertEquals(normalized(html), b.joined("elements"));
    }

    @Property(tries = 400)
    void elementsWrittenInRandomChunksRoundTripAndMatchTheStringBytes(
            @ForAll("text") String text, @ForAll("cuts") List<Cut> cuts) throws IOException {
        String html = text + "<p>";
        Component chunked = out -> writeInChunks(out, html, cuts);
        PatchElements e = PatchElements.builder().elements(chunked).selector("#s").mode(ElementPatchMode.INNER).build();
        StrictSseParser.Block b = onlyEvent(e);
        assertEquals(List.of("#s"), b.datastarData().get("selector"));
        assertEquals(List.of("inner"), b.datastarData().get("mode"));
        assertEquals(3, b.datastarData().size());
        assertEquals(normalized(html), b.joined("elements"));
        assertArrayEquals(SseWriter.encode(e.toBuilder().elements(html).build()), SseWriter.encode(e));
    }

    @Property(tries = 300)
    void scriptsRoundTrip(@ForAll("text") String script) throws IOException {
        StrictSseParser.Block b = onlyEvent(ExecuteScript.of(script));
        assertEquals(List.of("body"), b.datastarData().get("selector"));
        assertEquals(List.of("append"), b.datastarData().get("mode"));
        assertEquals(3, b.datastarData().size());
        assertEquals("<script data-effect=\"el.remove()\">" + normalized(script) + "</script>", b.joined("elements"));
    }

    /** JSON objects whose whitespace between tokens is any mix of line breaks, spaces and tabs. */
    @Provide
    Arbitrary<String> multiLineJson() {
        Arbitrary<String> ws = Arbitraries.of("", " ", "\t", "\r", "\n", "\r\n", "\n\r", "\r\r", "  \n")
                .list().ofMaxSize(4).map(parts -> String.join("", parts));
        Arbitrary<String> value = Arbitraries.of("1", "\"a\\nb\"", "null", "[1,{}]", "{\"x\":true}", "\"é😀\"");
        return Combinators.combine(ws.list().ofSize(6), value).as((w, v) ->
                w.get(0) + "{" + w.get(1) + "\"k\"" + w.get(2) + ":" + w.get(3) + v + w.get(4) + "}" + w.get(5));
    }

    @Property(tries = 300)
    void rawSignalsRoundTrip(@ForAll("multiLineJson") String json) throws IOException {
        StrictSseParser.Block b = onlyEvent(PatchSignals.ofJson(json));
        assertEquals("datastar-patch-signals", b.type());
        assertEquals(1, b.datastarData().size());
        assertEquals(normalized(json), b.joined("signals"));
    }

    @Property(tries = 200)
    void signalValuesOfAnyTextStayOnOneLine(@ForAll("text") String value) throws IOException {
        StrictSseParser.Block b = onlyEvent(PatchSignals.of(Map.of("v", value)));
        assertEquals(1, b.values("data").size());
        assertEquals(value, Json.MAPPER.readTree(b.joined("signals")).get("v").asText());
    }

    @Property(tries = 200)
    void singleLineValuesAreWrittenOrRejectedNeverSplit(@ForAll("text") String value) throws IOException {
        boolean hasBreak = value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0;
        try {
            PatchElements e = PatchElements.builder().elements("<p id=\"p\"></p>").selector(value).eventId("x" + value)
                    .build();
            assertFalse(hasBreak, "accepted a value with a line break");
            StrictSseParser.Block b = onlyEvent(e);
            assertEquals(List.of(value), b.datastarData().get("selector"));
            if (value.indexOf('\0') < 0) {
                assertEquals(List.of("x" + value), b.values("id"));
            }
        } catch (IllegalArgumentException rejected) {
            assertEquals(true, hasBreak || value.indexOf('\0') >= 0, rejected.getMessage());
        }
    }

    @Property(tries = 100)
    void elementsWithAnAstralCharacterCutInHalfKeepIt(
            @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0x10000, max = 0x10FFFF) Integer> codePoints) throws IOException {
        StringBuilder sb = new StringBuilder();
        codePoints.forEach(sb::appendCodePoint);
        String s = sb.toString();
        Component oneCharAtATime = out -> {
            for (int i = 0; i < s.length(); i++) {
                out.writeContent(s, i, i + 1);
            }
        };
        assertEquals(s, onlyEvent(PatchElements.of(oneCharAtATime)).joined("elements"));
    }

    @Example
    void crLfSplitAcrossTwoWritesIsOneBreak() throws IOException {
        Component c = out -> {
            out.writeContent("a\r");
            out.writeContent("\nb");
        };
        StrictSseParser.Block b = onlyEvent(PatchElements.of(c));
        assertEquals(List.of("a", "b"), b.datastarData().get("elements"));
    }

    private static void writeInChunks(gg.jte.TemplateOutput out, String s, List<Cut> cuts) {
        int at = 0;
        for (Cut cut : cuts) {
            int end = Math.min(s.length(), at + cut.size());
            String chunk = s.substring(at, end);
            boolean wholeChars = chunk.isEmpty()
                    || !Character.isLowSurrogate(chunk.charAt(0)) && !Character.isHighSurrogate(chunk.charAt(chunk.length() - 1));
            Way way = cut.way() == Way.BINARY && !wholeChars ? Way.RANGE : cut.way();
            switch (way) {
                case STRING -> out.writeContent(chunk);
                case RANGE -> out.writeContent(s, at, end);
                case BINARY -> out.writeBinaryContent(chunk.getBytes(StandardCharsets.UTF_8));
            }
            at = end;
        }
        out.writeContent(s.substring(at));
    }

    /**
     * Writes {@code e} followed by a sentinel event and parses the stream: there must be exactly the two
     * events, both complete, no comment, and the first holds only the expected kinds of field.
     */
    private static StrictSseParser.Block onlyEvent(DatastarEvent e) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SseWriter(bytes).write(e).write(PatchSignals.builder().json("{}").eventId(SENTINEL_ID).build()).flush();
        StrictSseParser.Stream stream = StrictSseParser.parse(bytes.toByteArray());
        assertFalse(stream.unfinished(), "the stream ends inside an event");
        assertEquals(List.of(), stream.comments());
        assertEquals(2, stream.blocks().size(), "number of events");
        StrictSseParser.Block sentinel = stream.blocks().get(1);
        assertEquals(List.of("event", "id", "data"), sentinel.names());
        assertEquals(List.of(SENTINEL_ID), sentinel.values("id"));
        StrictSseParser.Block first = stream.blocks().get(0);
        String type = e instanceof PatchSignals ? "datastar-patch-signals" : "datastar-patch-elements";
        assertEquals(type, first.type());
        assertEquals(1, first.values("event").size());
        int ids = e.eventId().isPresent() ? 1 : 0;
        assertEquals(ids, first.values("id").size());
        assertEquals(0, first.values("retry").size());
        assertEquals(1 + ids + first.values("data").size(), first.fields().size(), "unexpected fields: " + first);
        return first;
    }
}
