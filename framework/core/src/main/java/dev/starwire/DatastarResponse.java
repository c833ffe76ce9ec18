package dev.starwire;

import dev.starwire.internal.Json;
import gg.jte.Content;
import gg.jte.output.WriterOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to a Datastar action: zero, one or several events, or an error status. The web adapter sends it
 * in the form the Datastar client reads best:
 *
 * <ul>
 *   <li>no event: {@code 204 No Content};</li>
 *   <li>one event: a one-shot body the client picks by {@code Content-Type} ({@code text/html},
 *       {@code application/json} or {@code text/javascript}), its options in {@code datastar-*} headers;
 *       an event with an id, a retry or a {@code viewTransitionSelector} (no header carries those) goes out
 *       as a one-event stream instead;</li>
 *   <li>several events: one short {@code text/event-stream} response, ended after the last event.</li>
 * </ul>
 *
 * <pre>{@code
 * // Javalin: starwire.post(ChatForm.class, (ctx, form) -> ...)
 * return DatastarResponse.of(PatchSignals.of(Map.of("messageText", "")),
 *         PatchElements.inner("#error", ""));                     // two events: a short SSE answer
 * return DatastarResponse.of(PatchElements.append("#list", item)); // one event: text/html
 * return DatastarResponse.noContent();                            // nothing to change: 204
 * return DatastarResponse.error(409, "the order was already sent"); // the client applies only 200
 * }</pre>
 *
 * <p>Without a web server, write one with {@link #status()}, {@link #contentType()}, {@link #headers()} and
 * {@link #writeBody(OutputStream)}. Every event is rendered completely before the first byte is written, so
 * a component that throws leaves the response untouched. Instances are immutable.
 */
public final class DatastarResponse {
    private static final DatastarResponse NO_CONTENT = new DatastarResponse(204, List.of(), null);
    private static final Map<String, String> STREAM_HEADERS;

    static {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Cache-Control", "no-cache");
        h.put("X-Accel-Buffering", "no"); // nginx would otherwise buffer the stream and hold events back
        STREAM_HEADERS = Collections.unmodifiableMap(h);
    }

    private final int status;
    private final List<DatastarEvent> events;
    private final String message;

    private DatastarResponse(int status, List<DatastarEvent> events, String message) {
        this.status = status;
        this.events = events;
        this.message = message;
    }

    /** Answers with {@code events}, in order ({@code 204} when there are none). */
    public static DatastarResponse of(DatastarEvent... events) {
        return of(List.of(events));
    }

    /** Answers with {@code events}, in order ({@code 204} when the list is empty). */
    public static DatastarResponse of(List<? extends DatastarEvent> events) {
        List<DatastarEvent> copy = List.copyOf(events); // also rejects null elements
        return copy.isEmpty() ? NO_CONTENT : new DatastarResponse(200, copy, null);
    }

    /** Nothing to change on the page: {@code 204 No Content}. */
    public static DatastarResponse noContent() {
        return NO_CONTENT;
    }

    /**
     * An error status with a plain-text message, e.g. {@code 404} or {@code 409}. The Datastar client applies
     * only a {@code 200} answer; it reports this one as an {@code error} fetch event. A message the user must
     * see belongs in a {@code 200} answer with a patch.
     *
     * @throws IllegalArgumentException unless {@code status} is 4xx or 5xx
     */
    public static DatastarResponse error(int status, String message) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status is 4xx or 5xx, got " + status
                    + "; events go out with 200 (the Datastar client applies no other status)");
        }
        return new DatastarResponse(status, List.of(), Objects.requireNonNull(message, "message"));
    }

    /**
     * This answer with one more event after the others.
     *
     * @throws IllegalStateException on an error answer
     */
    public DatastarResponse and(DatastarEvent event) {
        Objects.requireNonNull(event, "event");
        if (message != null) {
            throw new IllegalStateException("an error answer carries no events");
        }
        List<DatastarEvent> more = new ArrayList<>(events.size() + 1);
        more.addAll(events);
        more.add(event);
        return new DatastarResponse(200, Collections.unmodifiableList(more), null);
    }

    /** The HTTP status: 200 with events, 204 without, or the error status. */
    public int status() {
        return status;
    }

    /** The events, in order; empty for 204 and errors. */
    public List<DatastarEvent> events() {
        return events;
    }

    /** Whether this answer goes out as a {@code text/event-stream}. */
    public boolean isStream() {
        if (events.size() != 1) {
            return events.size() > 1;
        }
        DatastarEvent e = events.get(0);
        return e.eventId().isPresent() || e.retryMillis() != DatastarEvent.DEFAULT_RETRY_MILLIS
                || (e instanceof PatchElements && ((PatchElements) e).viewTransitionSelector().isPresent());
    }

    /** The {@code Content-Type}, {@code null} for 204. */
    public String contentType() {
        if (message != null) {
            return "text/plain; charset=utf-8";
        }
        if (events.isEmpty()) {
            return null;
        }
        if (isStream()) {
            return DatastarProtocol.EVENT_STREAM;
        }
        DatastarEvent e = events.get(0);
        if (e instanceof PatchElements) {
            return Html.CONTENT_TYPE;
        }
        if (e instanceof PatchSignals) {
            return "application/json";
        }
        return "text/javascript; charset=utf-8";
    }

    /**
     * The headers of every {@code text/event-stream} response besides its {@code Content-Type}, short answers
     * and long-lived streams alike: {@code Cache-Control: no-cache} and {@code X-Accel-Buffering: no} (so nginx
     * passes each event on at once). Web adapters set exactly these.
     */
    public static Map<String, String> streamHeaders() {
        return STREAM_HEADERS;
    }

    /**
     * The response headers besides {@code Content-Type}, in a stable order: {@link #streamHeaders()} for a
     * stream; {@code Cache-Control: no-cache} and the {@code datastar-*} options that differ from their
     * defaults for a one-shot body.
     */
    public Map<String, String> headers() {
        if (events.isEmpty()) {
            return Map.of();
        }
        if (isStream()) {
            return STREAM_HEADERS;
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Cache-Control", "no-cache");
        DatastarEvent e = events.get(0);
        if (e instanceof PatchElements) {
            PatchElements p = (PatchElements) e;
            p.selector().ifPresent(s -> h.put(DatastarProtocol.SELECTOR_HEADER, s));
            if (p.mode() != ElementPatchMode.OUTER) {
                h.put(DatastarProtocol.MODE_HEADER, p.mode().wireName());
            }
            if (p.namespace() != Namespace.HTML) {
                h.put(DatastarProtocol.NAMESPACE_HEADER, p.namespace().wireName());
            }
            if (p.useViewTransition()) {
                h.put(DatastarProtocol.USE_VIEW_TRANSITION_HEADER, "true");
            }
        } else if (e instanceof PatchSignals) {
            if (((PatchSignals) e).onlyIfMissing()) {
                h.put(DatastarProtocol.ONLY_IF_MISSING_HEADER, "true");
            }
        } else {
            Map<String, String> attributes = ((ExecuteScript) e).tagAttributes();
            if (!attributes.isEmpty()) {
                h.put(DatastarProtocol.SCRIPT_ATTRIBUTES_HEADER, Json.write(attributes));
            }
        }
        return Collections.unmodifiableMap(h);
    }

    /**
     * Writes the body (UTF-8) to {@code out}: the SSE frames, the one-shot HTML, JSON or script, the error
     * message, or nothing. Everything is rendered before the first byte is written, so a component that throws
     * leaves {@code out} untouched.
     *
     * @throws IllegalArgumentException in dev mode and tests, for a patch without a selector whose top-level
     *                                  elements lack an id ({@link FragmentCheck}); or for a component that
     *                                  renders nothing
     */
    public void writeBody(OutputStream out) throws IOException {
        out.write(body());
    }

    /** The body rendered in memory; see {@link #writeBody}. */
    public byte[] body() {
        if (message != null) {
            return message.getBytes(StandardCharsets.UTF_8);
        }
        if (events.isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(512);
        try {
            if (isStream()) {
                SseWriter sse = new SseWriter(body);
                for (DatastarEvent e : events) {
                    sse.write(FragmentCheck.checkIfEnabled(e));
                }
                sse.flush();
            } else {
                writeOneShot(FragmentCheck.checkIfEnabled(events.get(0)), body);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
        return body.toByteArray();
    }

    private static void writeOneShot(DatastarEvent e, ByteArrayOutputStream body) throws IOException {
        if (e instanceof PatchSignals) {
            body.write(((PatchSignals) e).signals().getBytes(StandardCharsets.UTF_8));
        } else if (e instanceof ExecuteScript) {
            body.write(((ExecuteScript) e).script().getBytes(StandardCharsets.UTF_8));
        } else {
            PatchElements p = (PatchElements) e;
            Content elements = p.elements().orElse(null);
            if (elements != null) {
                Writer w = new OutputStreamWriter(body, StandardCharsets.UTF_8);
                elements.writeTo(new WriterOutput(w));
                w.flush();
                if (p.mode() != ElementPatchMode.REMOVE && isBlank(body)) {
                    throw new IllegalArgumentException("a component rendered no HTML: " + PatchElements.EMPTY_ELEMENTS);
                }
            }
        }
    }

    private static boolean isBlank(ByteArrayOutputStream body) {
        return body.toString(StandardCharsets.UTF_8).isBlank();
    }

    @Override
    public String toString() {
        return "DatastarResponse{status=" + status + (message != null ? ", message=" + message : ", events=" + events)
                + "}";
    }
}
