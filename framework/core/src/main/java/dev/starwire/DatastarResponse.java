package dev.starwire;

import gg.jte.Content;
import gg.jte.output.WriterOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A one-shot answer to a Datastar action, without a stream: the client picks the effect from the
 * {@code Content-Type} and reads its options from {@code datastar-*} headers.
 *
 * <pre>{@code
 * DatastarResponse r = DatastarResponse.html(PatchElements.builder().selector("#list").mode(INNER)
 *         .elements(templates.list(items)).build());
 * response.setStatus(r.status());
 * response.setContentType(r.contentType());
 * r.headers().forEach(response::setHeader);
 * r.writeBody(response.getOutputStream());
 * }</pre>
 */
public final class DatastarResponse {
    private final int status;
    private final String contentType;
    private final Map<String, String> headers;
    private final Body body;

    private DatastarResponse(int status, String contentType, Map<String, String> headers, Body body) {
        this.status = status;
        this.contentType = contentType;
        this.headers = Collections.unmodifiableMap(headers);
        this.body = body;
    }

    /**
     * Patches elements: {@code text/html} with {@code datastar-selector}, {@code datastar-mode} and
     * {@code datastar-use-view-transition} when they differ from the defaults.
     *
     * @throws IllegalArgumentException for an SVG or MathML namespace, which only a stream can carry
     */
    public static DatastarResponse html(PatchElements patch) {
        if (patch.namespace() != Namespace.HTML) {
            throw new IllegalArgumentException("a one-shot text/html response cannot carry namespace "
                    + patch.namespace().wireName() + "; send the patch on a stream");
        }
        Map<String, String> h = new LinkedHashMap<>();
        patch.selector().ifPresent(s -> h.put("datastar-selector", s));
        if (patch.mode() != ElementPatchMode.OUTER) {
            h.put("datastar-mode", patch.mode().wireName());
        }
        if (patch.useViewTransition()) {
            h.put("datastar-use-view-transition", "true");
        }
        Content elements = patch.elements().orElse(null);
        return new DatastarResponse(200, "text/html; charset=utf-8", h, out -> {
            if (elements != null) {
                // rendered in memory first: a component that throws must not leave half a page in a 200
                ByteArrayOutputStream html = new ByteArrayOutputStream(1024);
                Writer w = new OutputStreamWriter(html, StandardCharsets.UTF_8);
                elements.writeTo(new WriterOutput(w));
                w.flush();
                html.writeTo(out);
            }
        });
    }

    /** Patches signals: {@code application/json} with {@code datastar-only-if-missing} when set. */
    public static DatastarResponse json(PatchSignals patch) {
        Map<String, String> h = new LinkedHashMap<>();
        if (patch.onlyIfMissing()) {
            h.put("datastar-only-if-missing", "true");
        }
        byte[] json = patch.signals().getBytes(StandardCharsets.UTF_8);
        return new DatastarResponse(200, "application/json", h, out -> out.write(json));
    }

    /** Runs a script: {@code text/javascript} with its tag attributes in {@code datastar-script-attributes}. */
    public static DatastarResponse script(ExecuteScript script) {
        Map<String, String> h = new LinkedHashMap<>();
        Map<String, String> attributes = new LinkedHashMap<>(script.attributes());
        script.nonce().ifPresent(n -> attributes.put("nonce", n));
        if (!attributes.isEmpty()) {
            h.put("datastar-script-attributes", Json.write(attributes));
        }
        byte[] code = script.script().getBytes(StandardCharsets.UTF_8);
        return new DatastarResponse(200, "text/javascript; charset=utf-8", h, out -> out.write(code));
    }

    /** Nothing to do: {@code 204 No Content}. */
    public static DatastarResponse noContent() {
        return new DatastarResponse(204, null, new LinkedHashMap<>(), out -> { });
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The {@code Content-Type}; {@code null} for 204. */
    public String contentType() {
        return contentType;
    }

    /** The {@code datastar-*} headers, in a stable order. */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Writes the body (UTF-8) to {@code out}. Components are rendered completely before the first byte is
     * written, so one that throws leaves {@code out} untouched.
     */
    public void writeBody(OutputStream out) throws IOException {
        body.write(out);
    }

    @FunctionalInterface
    private interface Body {
        void write(OutputStream out) throws IOException;
    }
}
