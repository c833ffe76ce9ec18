package dev.starwire.test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.DatastarEvent;
import dev.starwire.DatastarProtocol;
import dev.starwire.ElementPatchMode;
import dev.starwire.Namespace;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strict reader of Datastar SSE streams. It follows the SSE rules of the browser (lines end with
 * {@code \n}, {@code \r\n} or a lone {@code \r}; {@code :} starts a comment; {@code id}, {@code retry},
 * multi-line {@code data}; an event counts only once its blank line arrives, so an unfinished last event
 * is dropped) and fails with an {@link AssertionError} on anything a correct Datastar server never sends:
 * an unknown event type or field, an unknown data literal, a bad mode, a patch without elements, a
 * repeated single-valued line, malformed signals JSON.
 *
 * <pre>{@code
 * List<ReceivedEvent> events = SseParser.parse(responseBytes);
 *
 * SseParser live = new SseParser(connection.getInputStream());
 * ReceivedEvent next;
 * while ((next = live.next()) != null) { page.apply(next); }
 * }</pre>
 *
 * <p>Not thread-safe: one parser per stream.
 */
// Why ~360 lines in one class: it is the strict reader of the wire, one rule per SSE field and Datastar data
// line, each with its own failure message; splitting it would scatter the protocol's rules.
public final class SseParser {
    private static final String ELEMENTS_EVENT = DatastarProtocol.PATCH_ELEMENTS;
    private static final String SIGNALS_EVENT = DatastarProtocol.PATCH_SIGNALS;
    private static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean skipLf;
    private boolean firstLine = true;
    private String lastEventId = "";
    private long reconnectMillis = DatastarEvent.DEFAULT_RETRY_MILLIS;

    // the event being read
    private final List<String> rawLines = new ArrayList<>();
    private String eventType;
    private String idField;
    private Long retryField;
    private final List<String> dataLines = new ArrayList<>();

    /** A parser reading events from {@code in} (UTF-8); it reads lazily, one event per {@link #next()}. */
    public SseParser(InputStream in) {
        this.in = in instanceof ByteArrayInputStream || in instanceof BufferedInputStream ? in
                : new BufferedInputStream(in);
    }

    /** Every complete event in {@code bytes}; a last event without its blank line is dropped, as in a browser. */
    public static List<ReceivedEvent> parse(byte[] bytes) {
        SseParser p = new SseParser(new ByteArrayInputStream(bytes));
        List<ReceivedEvent> events = new ArrayList<>();
        try {
            for (ReceivedEvent e = p.next(); e != null; e = p.next()) {
                events.add(e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array
        }
        return events;
    }

    /** As {@link #parse(byte[])} for a stream given as text. */
    public static List<ReceivedEvent> parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The last event id the stream set (the browser's {@code lastEventId}); {@code ""} before any. */
    public String lastEventId() {
        return lastEventId;
    }

    /** The reconnect delay the stream asked for last, 1000 ms unless it sent a {@code retry:}. */
    public long reconnectMillis() {
        return reconnectMillis;
    }

    /**
     * Reads up to the next complete event.
     *
     * @return the event, or {@code null} at the end of the stream
     * @throws AssertionError when the stream breaks the Datastar framing
     * @throws IOException    when reading fails
     */
    public ReceivedEvent next() throws IOException {
        String l;
        while ((l = readLine()) != null) {
            if (l.isEmpty()) {
                ReceivedEvent e = dispatch();
                if (e != null) {
                    return e;
                }
            } else {
                field(l);
            }
        }
        return null; // an unfinished event at the end is discarded, as the SSE rules say
    }

    private void field(String l) {
        rawLines.add(l);
        if (l.charAt(0) == ':') {
            return; // comment
        }
        int colon = l.indexOf(':');
        String name = colon < 0 ? l : l.substring(0, colon);
        String value = colon < 0 ? "" : l.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (name) {
            case "event":
                if (eventType != null) {
                    throw failure("two 'event:' fields in one event (a line break inside a value?)");
                }
                eventType = value;
                break;
            case "data":
                dataLines.add(value);
                break;
            case "id":
                if (idField != null) {
                    throw failure("two 'id:' fields in one event (a line break inside a value?)");
                }
                if (value.indexOf('\0') < 0) { // the SSE rules ignore ids containing NUL
                    idField = value;
                }
                break;
            case "retry":
                if (retryField != null) {
                    throw failure("two 'retry:' fields in one event");
                }
                if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw failure("retry value '" + value + "' is not a number of milliseconds");
                }
                retryField = Long.parseLong(value);
                break;
            default:
                throw failure("unknown SSE field '" + name + "' in line '" + l
                        + "' (a line break inside a value, e.g. a lone \\r in user text, splits it into a new field)");
        }
    }

    private ReceivedEvent dispatch() {
        try {
            if (idField != null) {
                lastEventId = idField;
            }
            if (retryField != null) {
                reconnectMillis = retryField;
            }
            if (dataLines.isEmpty()) {
                if (eventType != null) {
                    throw failure("event '" + eventType + "' has no data lines");
                }
                return null; // a comment, or a bare retry/id block
            }
            if (eventType == null) {
                throw failure("data without an 'event:' field (the browser would see a plain 'message' event,"
                        + " which Datastar ignores)");
            }
            long retry = retryField == null ? DatastarEvent.DEFAULT_RETRY_MILLIS : retryField;
            Optional<String> id = Optional.ofNullable(idField);
            switch (eventType) {
                case ELEMENTS_EVENT:
                    return elements(id, retry);
                case SIGNALS_EVENT:
                    return signals(id, retry);
                default:
                    throw failure("unknown event type '" + eventType + "' (expected " + ELEMENTS_EVENT + " or "
                            + SIGNALS_EVENT + ")");
            }
        } finally {
            rawLines.clear();
            eventType = null;
            idField = null;
            retryField = null;
            dataLines.clear();
        }
    }

    private ReceivedPatchElements elements(Optional<String> id, long retry) {
        Map<String, String> single = new LinkedHashMap<>();
        StringBuilder html = null;
        for (String d : dataLines) {
            String[] kv = literal(d);
            switch (kv[0]) {
                case DatastarProtocol.SELECTOR:
                case DatastarProtocol.MODE:
                case DatastarProtocol.USE_VIEW_TRANSITION:
                case DatastarProtocol.VIEW_TRANSITION_SELECTOR:
                case DatastarProtocol.NAMESPACE:
                    if (single.put(kv[0], kv[1]) != null) {
                        throw failure("the '" + kv[0] + "' line appears twice (a line break inside a value?)");
                    }
                    break;
                case DatastarProtocol.ELEMENTS:
                    if (html == null) {
                        html = new StringBuilder(kv[1]);
                    } else {
                        html.append('\n').append(kv[1]);
                    }
                    break;
                default:
                    throw failure("unknown data literal '" + kv[0] + "' in " + ELEMENTS_EVENT
                            + " (expected selector, mode, useViewTransition, viewTransitionSelector, namespace or elements)");
            }
        }
        ElementPatchMode mode = ElementPatchMode.OUTER;
        if (single.containsKey(DatastarProtocol.MODE)) {
            try {
                mode = ElementPatchMode.fromWire(single.get(DatastarProtocol.MODE));
            } catch (IllegalArgumentException e) {
                throw failure(e.getMessage());
            }
        }
        Namespace ns = Namespace.HTML;
        if (single.containsKey(DatastarProtocol.NAMESPACE)) {
            try {
                ns = Namespace.fromWire(single.get(DatastarProtocol.NAMESPACE));
            } catch (IllegalArgumentException e) {
                throw failure(e.getMessage());
            }
        }
        boolean viewTransition = bool(DatastarProtocol.USE_VIEW_TRANSITION, single.get(DatastarProtocol.USE_VIEW_TRANSITION));
        Optional<String> selector = Optional.ofNullable(single.get(DatastarProtocol.SELECTOR));
        if (selector.isPresent() && selector.get().isBlank()) {
            throw failure("empty selector");
        }
        String elements = html == null ? "" : html.toString();
        if (html == null && mode != ElementPatchMode.REMOVE) {
            throw failure("missing 'elements' lines: mode " + mode.wireName() + " needs elements");
        }
        if (elements.isBlank() && selector.isEmpty() && mode != ElementPatchMode.REMOVE) {
            // empty elements are fine with a selector (mode inner clears the target), but without one
            // there is no id to match
            throw failure("empty 'elements' without a selector: nothing to patch");
        }
        if (selector.isEmpty() && mode != ElementPatchMode.OUTER && mode != ElementPatchMode.REPLACE) {
            // the 1.0 client matches top-level elements by id only in outer and replace modes; for the
            // others it runs querySelectorAll with an empty selector, which throws
            throw failure("mode " + mode.wireName() + " needs a selector (the client matches elements by id only"
                    + " in modes outer and replace)");
        }
        Optional<String> transitionSelector = Optional.ofNullable(single.get(DatastarProtocol.VIEW_TRANSITION_SELECTOR));
        if (transitionSelector.isPresent() && transitionSelector.get().isBlank()) {
            throw failure("empty viewTransitionSelector");
        }
        return new ReceivedPatchElements(selector, mode, viewTransition, transitionSelector, ns, elements, id, retry);
    }

    private ReceivedPatchSignals signals(Optional<String> id, long retry) {
        String onlyIfMissing = null;
        StringBuilder json = null;
        for (String d : dataLines) {
            String[] kv = literal(d);
            switch (kv[0]) {
                case DatastarProtocol.ONLY_IF_MISSING:
                    if (onlyIfMissing != null) {
                        throw failure("the 'onlyIfMissing' line appears twice");
                    }
                    onlyIfMissing = kv[1];
                    break;
                case DatastarProtocol.SIGNALS:
                    if (json == null) {
                        json = new StringBuilder(kv[1]);
                    } else {
                        json.append('\n').append(kv[1]);
                    }
                    break;
                default:
                    throw failure("unknown data literal '" + kv[0] + "' in " + SIGNALS_EVENT
                            + " (expected onlyIfMissing or signals)");
            }
        }
        if (json == null) {
            throw failure("missing 'signals' lines");
        }
        JsonNode tree;
        try {
            tree = JsonSupport.read(JsonSupport.STRICT, json.toString());
        } catch (JsonProcessingException e) {
            throw failure("signals are not valid JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw failure("signals must be a JSON object");
        }
        return new ReceivedPatchSignals((ObjectNode) tree, json.toString(), bool(DatastarProtocol.ONLY_IF_MISSING, onlyIfMissing), id,
                retry);
    }

    private boolean bool(String name, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw failure(name + " must be true or false, got '" + value + "'");
    }

    private static String[] literal(String data) {
        int sp = data.indexOf(' ');
        return sp < 0 ? new String[] {data, ""} : new String[] {data.substring(0, sp), data.substring(sp + 1)};
    }

    private AssertionError failure(String message) {
        StringBuilder sb = new StringBuilder("Broken Datastar stream: ").append(message).append("\nin the event:");
        for (String l : rawLines) {
            sb.append("\n  ").append(l.length() > 300 ? l.substring(0, 300) + "..." : l);
        }
        return new AssertionError(sb.toString());
    }

    /** One line without its terminator, decoded as UTF-8; {@code null} at the end of the stream. */
    private String readLine() throws IOException {
        line.reset();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null; // an unterminated last line never completes an event
            }
            if (skipLf) {
                skipLf = false;
                if (b == '\n') {
                    continue; // second half of \r\n
                }
            }
            if (b == '\n' || b == '\r') {
                skipLf = b == '\r';
                String s = line.toString(StandardCharsets.UTF_8);
                if (firstLine) {
                    firstLine = false;
                    if (s.startsWith("\uFEFF")) {
                        s = s.substring(1);
                    }
                }
                return s;
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw new AssertionError("Broken Datastar stream: a line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
    }
}
