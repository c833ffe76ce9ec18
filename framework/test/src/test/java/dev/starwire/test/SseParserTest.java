package dev.starwire.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.ElementPatchMode;
import dev.starwire.Namespace;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.SseWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static final String TWO_EVENTS = "event: datastar-patch-elements\n"
            + "id: 7\n"
            + "retry: 2500\n"
            + "data: selector #messages\n"
            + "data: mode append\n"
            + "data: elements <div class=\"message\">\n"
            + "data: elements   <b>Ana</b> hi\n"
            + "data: elements </div>\n"
            + "\n"
            + ": keepalive\n"
            + "\n"
            + "event: datastar-patch-signals\n"
            + "data: onlyIfMissing true\n"
            + "data: signals {\"a\":\n"
            + "data: signals 1}\n"
            + "\n";

    @Test
    void readsFieldsMultiLineDataCommentsIdAndRetry() {
        List<ReceivedEvent> events = SseParser.parse(TWO_EVENTS);
        assertEquals(2, events.size());
        ReceivedPatchElements p = (ReceivedPatchElements) events.get(0);
        assertEquals(Optional.of("#messages"), p.selector());
        assertEquals(ElementPatchMode.APPEND, p.mode());
        assertEquals(Namespace.HTML, p.namespace());
        assertEquals("<div class=\"message\">\n  <b>Ana</b> hi\n</div>", p.elements());
        assertEquals(Optional.of("7"), p.eventId());
        assertEquals(2500, p.retryMillis());
        ReceivedPatchSignals s = (ReceivedPatchSignals) events.get(1);
        assertTrue(s.onlyIfMissing());
        assertEquals("{\"a\":\n1}", s.json());
        assertEquals(1, s.signals().get("a").asInt());
        assertEquals(Optional.empty(), s.eventId());
        assertEquals(1000, s.retryMillis());
    }

    @Test
    void crLfAndLoneCrEndLinesLikeLf() {
        List<ReceivedEvent> lf = SseParser.parse(TWO_EVENTS);
        List<ReceivedEvent> crlf = SseParser.parse(TWO_EVENTS.replace("\n", "\r\n"));
        List<ReceivedEvent> cr = SseParser.parse(TWO_EVENTS.replace("\n", "\r"));
        assertEquals(describe(lf), describe(crlf));
        assertEquals(describe(lf), describe(cr));
    }

    @Test
    void aCrLfSplitAcrossReadsIsOneLineBreak() throws IOException {
        // a stream that hands out one byte per read: the \n after \r arrives in a later read
        byte[] bytes = TWO_EVENTS.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        java.io.InputStream slow = new java.io.InputStream() {
            int i;

            @Override
            public int read() {
                return i < bytes.length ? bytes[i++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[i++];
                return 1;
            }
        };
        SseParser parser = new SseParser(slow);
        assertTrue(parser.next() instanceof ReceivedPatchElements);
        assertTrue(parser.next() instanceof ReceivedPatchSignals);
        assertEquals(null, parser.next());
        assertEquals("7", parser.lastEventId());
        assertEquals(2500, parser.reconnectMillis());
    }

    @Test
    void anUnfinishedLastEventIsDropped() {
        String unfinished = "event: datastar-patch-signals\ndata: signals {\"a\":1}\n\n"
                + "event: datastar-patch-signals\ndata: signals {\"b\":2}\n";
        List<ReceivedEvent> events = SseParser.parse(unfinished);
        assertEquals(1, events.size());
        assertTrue(((ReceivedPatchSignals) events.get(0)).signals().has("a"));
    }

    @Test
    void leadingByteOrderMarkIsIgnored() {
        List<ReceivedEvent> events = SseParser.parse("\uFEFFevent: datastar-patch-signals\ndata: signals {}\n\n");
        assertEquals(1, events.size());
    }

    @Test
    void lastEventIdPersistsAcrossEventsAndBareRetryBlocksAreNoEvents() throws IOException {
        String s = "id: 1\nevent: datastar-patch-signals\ndata: signals {}\n\nretry: 3000\n\n"
                + "event: datastar-patch-signals\ndata: signals {}\n\n";
        SseParser parser = new SseParser(new java.io.ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.of("1"), parser.next().eventId());
        ReceivedEvent second = parser.next();
        assertEquals(Optional.empty(), second.eventId()); // this event had no id field ...
        assertEquals("1", parser.lastEventId()); // ... but the stream's last id is still 1
        assertEquals(3000, parser.reconnectMillis());
        assertEquals(null, parser.next());
    }

    @Test
    void readsWhatTheCoreWriterWrites() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SseWriter w = new SseWriter(out);
        w.comment("hello");
        w.write(PatchElements.builder().selector("svg").mode(ElementPatchMode.INNER).namespace(Namespace.SVG)
                .useViewTransition(true).elements("<circle r=\"1\"/>\r\n<rect/>").eventId("e1").retryMillis(5000)
                .build());
        w.write(PatchSignals.builder().signals(Map.of("n", 1)).onlyIfMissing(true).build());
        w.write(PatchElements.remove("#gone"));
        w.retry(4000);
        w.flush();
        List<ReceivedEvent> events = SseParser.parse(out.toByteArray());
        assertEquals(3, events.size());
        ReceivedPatchElements p = (ReceivedPatchElements) events.get(0);
        assertEquals(Optional.of("svg"), p.selector());
        assertEquals(ElementPatchMode.INNER, p.mode());
        assertEquals(Namespace.SVG, p.namespace());
        assertTrue(p.useViewTransition());
        assertEquals("<circle r=\"1\"/>\n<rect/>", p.elements());
        assertEquals(Optional.of("e1"), p.eventId());
        assertEquals(5000, p.retryMillis());
        assertTrue(((ReceivedPatchSignals) events.get(1)).onlyIfMissing());
        ReceivedPatchElements remove = (ReceivedPatchElements) events.get(2);
        assertEquals(ElementPatchMode.REMOVE, remove.mode());
        assertEquals("", remove.elements());
        assertFalse(remove.useViewTransition());
    }

    // ---- framing mistakes ----

    @Test
    void viewTransitionSelectorIsReadAsTheCoreWritesIt() {
        ReceivedPatchElements p = (ReceivedPatchElements) SseParser.parse(SseWriter.encode(
                PatchElements.builder().elements("<li id=\"a\">a</li>").useViewTransition(true)
                        .viewTransitionSelector("#list").build())).get(0);
        assertEquals(Optional.of("#list"), p.viewTransitionSelector());
        assertTrue(p.useViewTransition());
        ReceivedPatchElements plain = (ReceivedPatchElements) SseParser.parse(
                "event: datastar-patch-elements\ndata: elements <p id=\"p\"></p>\n\n").get(0);
        assertEquals(Optional.empty(), plain.viewTransitionSelector());
        assertContains(assertThrows(AssertionError.class, () -> SseParser.parse("event: datastar-patch-elements\n"
                + "data: viewTransitionSelector #a\ndata: viewTransitionSelector #b\ndata: elements <p id=\"p\"></p>"
                + "\n\n")), "appears twice");
    }

    @Test
    void unknownDataLiteralFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> SseParser.parse(
                "event: datastar-patch-elements\ndata: content <div id=\"a\"></div>\n\n"));
        assertContains(e, "unknown data literal 'content'");
        assertContains(e, "data: content <div id=\"a\"></div>");
    }

    @Test
    void missingElementsFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> SseParser.parse(
                "event: datastar-patch-elements\ndata: selector #a\ndata: mode inner\n\n"));
        assertContains(e, "missing 'elements' lines: mode inner needs elements");
    }

    @Test
    void emptyElementsWithSelectorClearTheTarget() {
        ReceivedEvent e = SseParser.parse(
                "event: datastar-patch-elements\ndata: selector #a\ndata: mode inner\ndata: elements \n\n").get(0);
        assertEquals("", ((ReceivedPatchElements) e).elements());
    }

    @Test
    void emptyElementsWithoutSelectorFail() {
        AssertionError e = assertThrows(AssertionError.class, () -> SseParser.parse(
                "event: datastar-patch-elements\ndata: elements \n\n"));
        assertContains(e, "empty 'elements' without a selector");
    }

    @Test
    void removeWithoutSelectorOrElementsFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> SseParser.parse(
                "event: datastar-patch-elements\ndata: mode remove\n\n"));
        assertContains(e, "mode remove needs a selector");
    }

    @Test
    void badModeFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> SseParser.parse(
                "event: datastar-patch-elements\ndata: mode morph\ndata: elements <p id=\"a\"></p>\n\n"));
        assertContains(e, "unknown patch mode 'morph'");
    }

    @Test
    void badNamespaceAndBooleanFail() {
        assertContains(assertThrows(AssertionError.class, () -> SseParser.parse(
                "event: datastar-patch-elements\ndata: namespace xml\ndata: elements <p id=\"a\"></p>\n\n")),
                "unknown namespace 'xml'");
        assertContains(assertThrows(AssertionError.class, () -> SseParser.parse(
                "event: datastar-patch-signals\ndata: onlyIfMissing yes\ndata: signals {}\n\n")),
                "onlyIfMissing must be true or false, got 'yes'");
    }

    @Test
    void unknownEventTypeFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> SseParser.parse(
                "event: datastar-merge-fragments\ndata: fragments <div id=\"a\"></div>\n\n"));
        assertContains(e, "unknown event type 'datastar-merge-fragments'");
    }

    @Test
    void dataWithoutEventTypeFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> SseParser.parse(
                "data: {\"selector\":\"#a\",\"content\":\"x\",\"merge\":\"inner\"}\n\n"));
        assertContains(e, "data without an 'event:' field");
    }

    @Test
    void eventWithoutDataFails() {
        assertContains(assertThrows(AssertionError.class, () -> SseParser.parse(
                "event: datastar-patch-signals\n\n")), "has no data lines");
    }

    @Test
    void badSignalsJsonFails() {
        assertContains(assertThrows(AssertionError.class, () -> SseParser.parse(
                "event: datastar-patch-signals\ndata: signals {\"a\":\n\n")), "signals are not valid JSON");
        assertContains(assertThrows(AssertionError.class, () -> SseParser.parse(
                "event: datastar-patch-signals\ndata: signals [1]\n\n")), "signals must be a JSON object");
    }

    @Test
    void loneCrInjectedIntoALineBecomesAnUnknownFieldAndFails() {
        // a server that writes user text raw: "hi\r<img src=x onerror=alert(1)>" ends the data line early
        String broken = "event: datastar-patch-elements\ndata: selector #messages\ndata: mode append\n"
                + "data: elements <p class=\"message\">hi\r<img src=x onerror=alert(1)></p>\n\n";
        AssertionError e = assertThrows(AssertionError.class, () -> SseParser.parse(broken));
        assertContains(e, "unknown SSE field '<img src=x onerror=alert(1)></p>'");
        assertContains(e, "lone \\r");
    }

    @Test
    void loneCrInjectingAModeLineFails() {
        String broken = "event: datastar-patch-elements\ndata: selector #messages\ndata: mode append\n"
                + "data: elements <p>x</p>\rdata: mode remove\n\n";
        assertContains(assertThrows(AssertionError.class, () -> SseParser.parse(broken)),
                "the 'mode' line appears twice");
    }

    @Test
    void retryThatIsNotANumberFails() {
        assertContains(assertThrows(AssertionError.class, () -> SseParser.parse(
                "retry: soon\n\n")), "retry value 'soon' is not a number");
    }

    private static String describe(List<ReceivedEvent> events) {
        return events.toString();
    }

    static void assertContains(Throwable e, String part) {
        assertTrue(e.getMessage().contains(part), () -> "expected the message to contain\n  " + part
                + "\nbut it was\n  " + e.getMessage());
    }
}
