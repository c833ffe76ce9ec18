package dev.starwire;

import gg.jte.Content;
import gg.jte.TemplateOutput;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Frames Datastar events as Server-Sent Events, UTF-8, straight into an {@link OutputStream}. This is the
 * only place in Starwire that writes SSE bytes.
 *
 * <pre>{@code
 * SseWriter sse = new SseWriter(response.getOutputStream());
 * sse.write(PatchSignals.of(Map.of("count", 1)));
 * sse.write(PatchElements.of(templates.clock(now)));
 * sse.flush();
 * }</pre>
 *
 * <p>Rules it guarantees: fields in protocol order; defaults left out; every line break of a multi-line
 * value ({@code \n}, {@code \r\n} or a lone {@code \r}) starts a new {@code data:} line of the same kind;
 * single-line values with a line break are rejected before anything is written. Each event is assembled in
 * an internal buffer and reaches the stream whole, so a component that throws while rendering leaves no
 * half event behind. Not thread-safe: one writer per stream.
 */
public final class SseWriter implements Flushable {
    private static final byte[] EVENT_PREFIX = bytes("event:");
    private static final byte[] EVENT_ELEMENTS = bytes("event: " + DatastarProtocol.PATCH_ELEMENTS + "\n");
    private static final byte[] EVENT_SIGNALS = bytes("event: " + DatastarProtocol.PATCH_SIGNALS + "\n");
    private static final byte[] ID = bytes("id: ");
    private static final byte[] RETRY = bytes("retry: ");
    private static final byte[] SELECTOR = bytes("data: " + DatastarProtocol.SELECTOR + " ");
    private static final byte[] MODE = bytes("data: " + DatastarProtocol.MODE + " ");
    private static final byte[] VIEW_TRANSITION = bytes("data: " + DatastarProtocol.USE_VIEW_TRANSITION + " true\n");
    private static final byte[] VIEW_TRANSITION_SELECTOR =
            bytes("data: " + DatastarProtocol.VIEW_TRANSITION_SELECTOR + " ");
    private static final byte[] NAMESPACE = bytes("data: " + DatastarProtocol.NAMESPACE + " ");
    private static final byte[] ELEMENTS = bytes("data: " + DatastarProtocol.ELEMENTS + " ");
    private static final byte[] ONLY_IF_MISSING = bytes("data: " + DatastarProtocol.ONLY_IF_MISSING + " true\n");
    private static final byte[] SIGNALS = bytes("data: " + DatastarProtocol.SIGNALS + " ");
    private static final int SPILL_AT = 8 * 1024;
    private static final int SHRINK_ABOVE = 256 * 1024;
    /** Most answers are one small event: start small, grow (by doubling) towards {@link #SPILL_AT} as needed. */
    private static final int INITIAL_CAPACITY = 1024;

    private final OutputStream out;
    private byte[] buf;
    private int pos;
    private final ElementsOutput elementsOutput = new ElementsOutput();

    /** A writer that frames events into {@code out}; call {@link #flush()} to push them to the client. */
    public SseWriter(OutputStream out) {
        this(out, INITIAL_CAPACITY);
    }

    private SseWriter(OutputStream out, int initialCapacity) {
        this.out = out;
        this.buf = new byte[initialCapacity];
    }

    /** Encodes one event into its exact bytes, e.g. to publish the same frame to many streams. */
    public static byte[] encode(DatastarEvent event) {
        // Frames straight into a small buffer and copies it once: a publish pays for the frame, not a stream.
        SseWriter w = new SseWriter(OutputStream.nullOutputStream(), 512);
        w.frame(event);
        return Arrays.copyOf(w.buf, w.pos);
    }

    /**
     * Encodes one comment block ({@code :} and the text, then a blank line), e.g. {@code encodeComment("")}, the
     * three bytes {@code ":\n\n"} of a keepalive. The client ignores it; proxies see traffic.
     *
     * @throws IllegalArgumentException when {@code text} contains a line break
     */
    public static byte[] encodeComment(String text) {
        SseWriter w = new SseWriter(OutputStream.nullOutputStream(), 16 + text.length() * 3);
        w.putComment(text);
        return Arrays.copyOf(w.buf, w.pos);
    }

    /**
     * Encodes a bare {@code retry:} block, {@code "retry: <millis>\n\n"}: the client waits this long before it
     * reconnects after the stream ends, e.g. when the server shuts down.
     *
     * @throws IllegalArgumentException when {@code millis} is negative
     */
    public static byte[] encodeRetry(long millis) {
        SseWriter w = new SseWriter(OutputStream.nullOutputStream(), 32);
        w.putRetry(millis);
        return Arrays.copyOf(w.buf, w.pos);
    }

    /**
     * A copy of an encoded frame with {@code id: <id>} added where {@link #encode} puts an id: right after its
     * {@code event:} line (first, for a frame without one). A broadcast frame is encoded once without an id and
     * gets the id its backend assigned when it is fanned out or replayed.
     *
     * <pre>{@code
     * byte[] stored = SseWriter.encode(PatchSignals.ofJson("{\"a\":1}"));
     * byte[] sent = SseWriter.withId(stored, "42"); // event: ...\nid: 42\ndata: signals {"a":1}\n\n
     * }</pre>
     *
     * @throws IllegalArgumentException when {@code id} contains a line break or U+0000
     */
    public static byte[] withId(byte[] frame, String id) {
        Checks.requireEventId(id);
        int cut = 0;
        if (frame.length > EVENT_PREFIX.length
                && Arrays.equals(frame, 0, EVENT_PREFIX.length, EVENT_PREFIX, 0, EVENT_PREFIX.length)) {
            for (int i = EVENT_PREFIX.length; i < frame.length; i++) {
                if (frame[i] == '\n') {
                    cut = i + 1; // right after the event line
                    break;
                }
            }
        }
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[frame.length + ID.length + idBytes.length + 1]; // runs per fan-out: one exact copy
        System.arraycopy(frame, 0, out, 0, cut);
        System.arraycopy(ID, 0, out, cut, ID.length);
        System.arraycopy(idBytes, 0, out, cut + ID.length, idBytes.length);
        out[cut + ID.length + idBytes.length] = '\n';
        System.arraycopy(frame, cut, out, cut + ID.length + idBytes.length + 1, frame.length - cut);
        return out;
    }

    /**
     * Frames {@code event} and hands it to the stream once complete (buffered until {@link #flush()} or the
     * buffer fills).
     *
     * @throws IOException when the underlying stream fails
     */
    public SseWriter write(DatastarEvent event) throws IOException {
        frame(event);
        if (pos >= SPILL_AT) {
            drain();
        }
        return this;
    }

    /** Appends one whole event to the buffer, or nothing when rendering fails. */
    private void frame(DatastarEvent event) {
        int mark = pos;
        try {
            if (event instanceof PatchElements) {
                frame((PatchElements) event);
            } else if (event instanceof PatchSignals) {
                frame((PatchSignals) event);
            } else {
                frame(((ExecuteScript) event).toPatchElements());
            }
        } catch (RuntimeException | Error e) {
            pos = mark; // drop the unfinished event: the client must never see half of one
            throw e;
        }
    }

    /**
     * Writes an SSE comment line (ignored by the client), e.g. a keepalive.
     *
     * @throws IllegalArgumentException when {@code text} contains a line break
     */
    public SseWriter comment(String text) throws IOException {
        putComment(text);
        return this;
    }

    /** Writes a bare {@code retry:} field as its own block, telling the client how soon to reconnect. */
    public SseWriter retry(long millis) throws IOException {
        putRetry(millis);
        return this;
    }

    private void putComment(String text) {
        Checks.requireSingleLine("comment", text);
        put((byte) ':');
        if (!text.isEmpty()) {
            put((byte) ' ');
            utf8(text, 0, text.length());
        }
        put((byte) '\n');
        put((byte) '\n');
    }

    private void putRetry(long millis) {
        put(RETRY);
        number(Checks.requireRetry(millis));
        put((byte) '\n');
        put((byte) '\n');
    }

    /** Pushes everything written so far to the stream and flushes it. */
    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    private void frame(PatchElements e) {
        String selector = e.selector().orElse(null);
        if (selector != null) {
            Checks.requireSingleLine("selector", selector);
        }
        put(EVENT_ELEMENTS);
        common(e);
        if (selector != null) {
            put(SELECTOR);
            utf8(selector, 0, selector.length());
            put((byte) '\n');
        }
        if (e.mode() != ElementPatchMode.OUTER) {
            put(MODE);
            ascii(e.mode().wireName());
            put((byte) '\n');
        }
        if (e.useViewTransition()) {
            put(VIEW_TRANSITION);
        }
        String transitionSelector = e.viewTransitionSelector().orElse(null);
        if (transitionSelector != null) {
            put(VIEW_TRANSITION_SELECTOR);
            utf8(transitionSelector, 0, transitionSelector.length());
            put((byte) '\n');
        }
        if (e.namespace() != Namespace.HTML) {
            put(NAMESPACE);
            ascii(e.namespace().wireName());
            put((byte) '\n');
        }
        Content elements = e.elements().orElse(null);
        if (elements instanceof PatchElements.HtmlText) {
            dataLines(ELEMENTS, ((PatchElements.HtmlText) elements).html());
        } else if (elements != null) {
            elementsOutput.start();
            elements.writeTo(elementsOutput);
            if (!elementsOutput.sawText && e.mode() != ElementPatchMode.REMOVE) {
                throw new IllegalArgumentException("a component rendered no HTML: " + PatchElements.EMPTY_ELEMENTS);
            }
            elementsOutput.finish();
        }
        put((byte) '\n');
    }

    private void frame(PatchSignals e) {
        put(EVENT_SIGNALS);
        common(e);
        if (e.onlyIfMissing()) {
            put(ONLY_IF_MISSING);
        }
        dataLines(SIGNALS, e.signals());
        put((byte) '\n');
    }

    private void common(DatastarEvent e) {
        String id = e.eventId().orElse(null);
        if (id != null) {
            Checks.requireEventId(id);
            put(ID);
            utf8(id, 0, id.length());
            put((byte) '\n');
        }
        if (e.retryMillis() != DatastarEvent.DEFAULT_RETRY_MILLIS) {
            put(RETRY);
            number(e.retryMillis());
            put((byte) '\n');
        }
    }

    /** One {@code data: <literal> } line per line of {@code s}, splitting on \n, \r\n and a lone \r. */
    private void dataLines(byte[] prefix, String s) {
        int start = 0;
        int n = s.length();
        put(prefix);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                utf8(s, start, i);
                put((byte) '\n');
                put(prefix);
                if (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        utf8(s, start, n);
        put((byte) '\n');
    }

    private void drain() throws IOException {
        if (pos > 0) {
            out.write(buf, 0, pos);
            pos = 0;
        }
        if (buf.length > SHRINK_ABOVE) {
            buf = new byte[SPILL_AT]; // one huge event should not pin its buffer for the stream's life
        }
    }

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    private void put(byte b) {
        ensure(1);
        buf[pos++] = b;
    }

    private void put(byte[] bytes) {
        put(bytes, 0, bytes.length);
    }

    private void put(byte[] bytes, int from, int to) {
        int len = to - from;
        ensure(len);
        System.arraycopy(bytes, from, buf, pos, len);
        pos += len;
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    private void number(long value) {
        ascii(Long.toString(value));
    }

    /** UTF-8 of {@code s[from, to)}; a lone surrogate becomes '?' as in {@link String#getBytes}. */
    private void utf8(String s, int from, int to) {
        ensure((to - from) * 3);
        byte[] b = buf;
        int p = pos;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[p++] = (byte) (0xF0 | (cp >> 18));
                    b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[p++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    b[p++] = (byte) '?';
                }
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        pos = p;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The four UTF-8 bytes of a supplementary code point. */
    private void codePoint(int cp) {
        ensure(4);
        buf[pos++] = (byte) (0xF0 | (cp >> 18));
        buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (cp & 0x3F));
    }

    /**
     * Receives a component's HTML as jte produces it and turns every line into one {@code data: elements}
     * line on the fly. Writes may be cut anywhere: a {@code \r\n} split across two writes still counts as
     * one break, and a surrogate pair split across two writes is still one character.
     */
    private final class ElementsOutput implements TemplateOutput {
        private boolean atLineStart;
        private boolean afterCr;
        /** Whether anything but whitespace was written: empty elements are refused. */
        boolean sawText;
        /** A high surrogate that ended the previous write, waiting for its low half; 0 when none. */
        private char pendingHigh;

        void start() {
            sawText = false;
            atLineStart = true;
            afterCr = false;
            pendingHigh = 0;
        }

        void finish() {
            dropPending();
            if (atLineStart) {
                put(ELEMENTS);
            }
            put((byte) '\n');
        }

        @Override
        public void writeContent(String s) {
            writeContent(s, 0, s.length());
        }

        @Override
        public void writeContent(String s, int from, int to) {
            if (from >= to) {
                return;
            }
            int start = from;
            if (pendingHigh != 0) {
                char low = s.charAt(from);
                if (Character.isLowSurrogate(low)) {
                    lineStarted();
                    codePoint(Character.toCodePoint(pendingHigh, low));
                    sawText = true;
                    pendingHigh = 0;
                    afterCr = false;
                    start = from + 1;
                } else {
                    dropPending();
                }
            }
            for (int i = start; i < to; i++) {
                char c = s.charAt(i);
                if (c == '\n' || c == '\r') {
                    text(s, start, i);
                    lineBreak(c);
                    start = i + 1;
                } else {
                    afterCr = false;
                }
            }
            if (start < to && Character.isHighSurrogate(s.charAt(to - 1))) {
                text(s, start, to - 1);
                pendingHigh = s.charAt(to - 1); // its low half may start the next write
            } else {
                text(s, start, to);
            }
        }

        @Override
        public void writeBinaryContent(byte[] bytes) {
            if (bytes.length == 0) {
                return;
            }
            dropPending();
            // jte's precompiled static parts are UTF-8; \r and \n never occur inside a multi-byte sequence.
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                byte c = bytes[i];
                if (c == '\n' || c == '\r') {
                    bytes(bytes, start, i);
                    lineBreak((char) c);
                    start = i + 1;
                } else {
                    afterCr = false;
                }
            }
            bytes(bytes, start, bytes.length);
        }

        private void lineBreak(char c) {
            dropPending();
            if (c == '\n' && afterCr) {
                afterCr = false; // second half of \r\n
                return;
            }
            if (atLineStart) {
                put(ELEMENTS);
            }
            put((byte) '\n');
            atLineStart = true;
            afterCr = c == '\r';
        }

        /** A high surrogate not followed by its low half is encoded as '?', like {@link String#getBytes}. */
        private void dropPending() {
            if (pendingHigh != 0) {
                pendingHigh = 0;
                lineStarted();
                put((byte) '?');
                sawText = true;
            }
        }

        private void lineStarted() {
            if (atLineStart) {
                put(ELEMENTS);
                atLineStart = false;
            }
        }

        private void text(String s, int from, int to) {
            if (from < to) {
                lineStarted();
                utf8(s, from, to);
                for (int i = from; !sawText && i < to; i++) {
                    sawText = !Character.isWhitespace(s.charAt(i));
                }
            }
        }

        private void bytes(byte[] b, int from, int to) {
            if (from < to) {
                lineStarted();
                put(b, from, to);
                for (int i = from; !sawText && i < to; i++) {
                    byte c = b[i];
                    sawText = c != ' ' && c != '\t' && c != '\f';
                }
            }
        }
    }
}
