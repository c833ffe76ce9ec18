package dev.starwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The writer itself: comments, retry blocks, buffering, rejection of unsafe values, no partial events. */
class SseWriterTest {
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final SseWriter writer = new SseWriter(sink);

    private String written() {
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void commentsAreWrittenAsTheirOwnBlock() throws IOException {
        writer.comment("keepalive").comment("").flush();
        assertEquals(": keepalive\n\n:\n\n", written());
    }

    @Test
    void aBareRetryIsItsOwnBlock() throws IOException {
        writer.retry(5000).retry(1000).flush();
        assertEquals("retry: 5000\n\nretry: 1000\n\n", written());
        assertThrows(IllegalArgumentException.class, () -> writer.retry(-1));
    }

    @Test
    void encodedCommentsAndRetriesAreTheWritersBytes() throws IOException {
        assertEquals(":\n\n", new String(SseWriter.encodeComment(""), StandardCharsets.US_ASCII));
        assertArrayEquals(": caf\u00e9\n\n".getBytes(StandardCharsets.UTF_8), SseWriter.encodeComment("caf\u00e9"));
        assertEquals("retry: 2500\n\n", new String(SseWriter.encodeRetry(2500), StandardCharsets.US_ASCII));
        assertEquals("retry: 0\n\n", new String(SseWriter.encodeRetry(0), StandardCharsets.US_ASCII));
        writer.comment("x").retry(7).flush();
        assertArrayEquals(sink.toByteArray(), concat(SseWriter.encodeComment("x"), SseWriter.encodeRetry(7)));
        assertThrows(IllegalArgumentException.class, () -> SseWriter.encodeComment("a\rb"));
        assertThrows(IllegalArgumentException.class, () -> SseWriter.encodeRetry(-1));
    }

    @Test
    void anIdIsSplicedRightAfterTheEventLine() {
        byte[] frame = SseWriter.encode(PatchSignals.ofJson("{\"a\":1}"));
        assertEquals("event: datastar-patch-signals\nid: 42\ndata: signals {\"a\":1}\n\n",
                new String(SseWriter.withId(frame, "42"), StandardCharsets.UTF_8));
        // the same bytes as an event that carried the id itself
        PatchElements e = PatchElements.builder().selector("#s").elements("<b>x</b>").build();
        PatchElements withId = PatchElements.builder().selector("#s").elements("<b>x</b>").eventId("1700-0").build();
        assertArrayEquals(SseWriter.encode(withId), SseWriter.withId(SseWriter.encode(e), "1700-0"));
        // non-ASCII ids are UTF-8
        assertArrayEquals("event: datastar-patch-signals\nid: \u00e9\u4e2d\ndata: signals {\"a\":1}\n\n"
                .getBytes(StandardCharsets.UTF_8), SseWriter.withId(frame, "\u00e9\u4e2d"));
        // a frame without an event line (a bare retry block) gets the id first
        assertEquals("id: 7\nretry: 10\n\n",
                new String(SseWriter.withId(SseWriter.encodeRetry(10), "7"), StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> SseWriter.withId(frame, "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> SseWriter.withId(frame, "a\0b"));
        assertEquals("event: datastar-patch-signals\ndata: signals {\"a\":1}\n\n",
                new String(frame, StandardCharsets.UTF_8), "the stored frame is left as it was");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void eventsFollowEachOtherInOrder() throws IOException {
        writer.write(PatchSignals.ofJson("{\"a\":1}"))
                .comment("x")
                .write(PatchElements.of("<p id=\"p\"></p>"))
                .flush();
        assertEquals("event: datastar-patch-signals\ndata: signals {\"a\":1}\n\n"
                + ": x\n\n"
                + "event: datastar-patch-elements\ndata: elements <p id=\"p\"></p>\n\n", written());
    }

    @Test
    void smallEventsWaitForFlushAndLargeOnesSpillWhole() throws IOException {
        writer.write(PatchSignals.ofJson("{\"a\":1}"));
        assertEquals("", written());
        writer.flush();
        assertEquals("event: datastar-patch-signals\ndata: signals {\"a\":1}\n\n", written());

        sink.reset();
        String big = "<div id=\"big\">" + "x".repeat(100_000) + "</div>";
        writer.write(PatchElements.of(big));
        assertEquals("event: datastar-patch-elements\ndata: elements " + big + "\n\n", written());
    }

    @Test
    void flushFlushesTheUnderlyingStream() throws IOException {
        int[] flushes = {0};
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void flush() {
                flushes[0]++;
            }
        };
        new SseWriter(counting).comment("a").flush();
        assertEquals(1, flushes[0]);
    }

    @Test
    void encodeGivesTheSameBytesAsAWriter() throws IOException {
        PatchElements e = PatchElements.builder().elements("a\nb").selector("#s").eventId("1").build();
        writer.write(e).flush();
        assertArrayEquals(sink.toByteArray(), SseWriter.encode(e));
    }

    @Test
    void singleLineValuesWithALineBreakAreRejected() {
        for (String bad : new String[] {"a\nb", "a\rb", "a\r\nb", "\n", "x\r"}) {
            assertRejected(() -> PatchElements.builder().selector(bad), "selector");
            assertRejected(() -> PatchElements.builder().eventId(bad), "event id");
            assertRejected(() -> PatchSignals.builder().eventId(bad), "event id");
            assertRejected(() -> ExecuteScript.builder().eventId(bad), "event id");
        }
    }

    @Test
    void anEventIdWithNullIsRejectedBecauseBrowsersIgnoreIt() {
        assertRejected(() -> PatchSignals.builder().eventId("a\0b"), "event id");
    }

    @Test
    void aRejectedCommentWritesNothing() throws IOException {
        writer.comment("before");
        assertRejected(() -> writer.comment("evil\n\nevent: x"), "comment");
        assertRejected(() -> writer.comment("evil\r"), "comment");
        writer.flush();
        assertEquals(": before\n\n", written());
    }

    @Test
    void aComponentThatThrowsLeavesNoPartialEvent() throws IOException {
        writer.write(PatchSignals.ofJson("{\"a\":1}"));
        Component failing = out -> {
            out.writeContent("<div id=\"half\">\n");
            out.writeContent("x".repeat(20_000)); // more than the spill threshold
            throw new IllegalStateException("template failed");
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> writer.write(PatchElements.of(failing)));
        assertEquals("template failed", e.getMessage());
        writer.write(PatchSignals.ofJson("{\"b\":2}")).flush();
        assertEquals("event: datastar-patch-signals\ndata: signals {\"a\":1}\n\n"
                + "event: datastar-patch-signals\ndata: signals {\"b\":2}\n\n", written());
    }

    @Test
    void anErrorWhileRenderingAlsoLeavesNoPartialEvent() throws IOException {
        Component failing = out -> {
            out.writeContent("<div id=\"half\">");
            throw new AssertionError("boom");
        };
        assertThrows(AssertionError.class, () -> writer.write(PatchElements.of(failing)));
        writer.write(PatchElements.of("<p id=\"ok\"></p>")).flush();
        assertEquals("event: datastar-patch-elements\ndata: elements <p id=\"ok\"></p>\n\n", written());
    }

    @Test
    void aComponentStateDoesNotLeakIntoTheNextEvent() throws IOException {
        Component endsInCr = out -> out.writeContent("<p id=\"a\">\r");
        Component startsWithLf = out -> out.writeContent("\n</p>");
        Component endsInHigh = out -> out.writeContent("<p id=\"b\">\uD83D");
        Component startsWithLow = out -> out.writeContent("\uDE00</p>");
        writer.write(PatchElements.of(endsInCr)).write(PatchElements.of(startsWithLf))
                .write(PatchElements.of(endsInHigh)).write(PatchElements.of(startsWithLow)).flush();
        assertEquals("event: datastar-patch-elements\ndata: elements <p id=\"a\">\ndata: elements \n\n"
                + "event: datastar-patch-elements\ndata: elements \ndata: elements </p>\n\n"
                + "event: datastar-patch-elements\ndata: elements <p id=\"b\">?\n\n"
                + "event: datastar-patch-elements\ndata: elements ?</p>\n\n", written());
    }

    @Test
    void writeReturnsTheWriterForChaining() throws IOException {
        assertSame(writer, writer.write(PatchSignals.ofJson("{}")));
        assertSame(writer, writer.comment("c"));
        assertSame(writer, writer.retry(10));
    }

    private static void assertRejected(org.junit.jupiter.api.function.Executable call, String what) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(what), e.getMessage());
    }
}
