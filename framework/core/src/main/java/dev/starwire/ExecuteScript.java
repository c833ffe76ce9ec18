package dev.starwire;

import gg.jte.TemplateOutput;
import gg.jte.html.escape.Escape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs JavaScript in the browser. On the wire this is a {@code datastar-patch-elements} event that appends
 * a {@code <script>} to {@code body}; by default the tag removes itself after running.
 *
 * <pre>{@code
 * ExecuteScript.of("console.log('hi')");
 * ExecuteScript.builder().script("import('/x.js')").attribute("type", "module").nonce(cspNonce).build();
 * }</pre>
 *
 * <p>The script is code you write, not user text: it is sent as is. Attribute values are HTML-escaped.
 */
public final class ExecuteScript implements DatastarEvent {
    private final String script;
    private final boolean autoRemove;
    private final Map<String, String> attributes;
    private final String nonce;
    private final String eventId;
    private final long retryMillis;
    private final PatchElements asPatch;

    private ExecuteScript(Builder b) {
        this.script = Objects.requireNonNull(b.script, "script is required");
        this.autoRemove = b.autoRemove;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
        this.nonce = b.nonce;
        this.eventId = b.eventId;
        this.retryMillis = b.retryMillis;
        PatchElements.Builder p = PatchElements.builder()
                .selector("body")
                .mode(ElementPatchMode.APPEND)
                .elements((Component) this::renderTag)
                .retryMillis(retryMillis);
        if (eventId != null) {
            p.eventId(eventId);
        }
        this.asPatch = p.build();
    }

    /** Runs {@code script} once; the tag removes itself. */
    public static ExecuteScript of(String script) {
        return builder().script(script).build();
    }

    /** A builder with every option at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The JavaScript source. */
    public String script() {
        return script;
    }

    /** Whether the tag removes itself after running (default true). */
    public boolean autoRemove() {
        return autoRemove;
    }

    /** Extra attributes of the script tag, in order. */
    public Map<String, String> attributes() {
        return attributes;
    }

    /** The CSP nonce put on the tag, if any. */
    public Optional<String> nonce() {
        return Optional.ofNullable(nonce);
    }

    @Override
    public Optional<String> eventId() {
        return Optional.ofNullable(eventId);
    }

    @Override
    public long retryMillis() {
        return retryMillis;
    }

    /** The patch-elements event this script is sent as. */
    public PatchElements toPatchElements() {
        return asPatch;
    }

    /** Every attribute of the tag as sent, in order: the extra ones, the nonce, then the self-removal. */
    public Map<String, String> tagAttributes() {
        Map<String, String> all = new LinkedHashMap<>(attributes);
        if (nonce != null) {
            all.put("nonce", nonce);
        }
        if (autoRemove) {
            all.put("data-effect", "el.remove()");
        }
        return all;
    }

    private void renderTag(TemplateOutput out) {
        out.writeContent("<script");
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            writeAttribute(out, a.getKey(), a.getValue());
        }
        if (nonce != null) {
            writeAttribute(out, "nonce", nonce);
        }
        if (autoRemove) {
            out.writeContent(" data-effect=\"el.remove()\"");
        }
        out.writeContent(">");
        out.writeContent(script);
        out.writeContent("</script>");
    }

    private static void writeAttribute(TemplateOutput out, String name, String value) {
        out.writeContent(" ");
        out.writeContent(name);
        out.writeContent("=\"");
        Escape.htmlAttribute(value, out);
        out.writeContent("\"");
    }

    @Override
    public String toString() {
        return "ExecuteScript{" + script + ", attributes=" + attributes + ", autoRemove=" + autoRemove + "}";
    }

    /** Builds an {@link ExecuteScript}. */
    public static final class Builder extends EventBuilder<Builder> {
        private String script;
        private boolean autoRemove = true;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private String nonce;

        private Builder() {
        }

        /** The JavaScript to run. */
        public Builder script(String script) {
            this.script = Objects.requireNonNull(script, "script");
            return this;
        }

        /** Whether the tag removes itself after running (default true). */
        public Builder autoRemove(boolean autoRemove) {
            this.autoRemove = autoRemove;
            return this;
        }

        /**
         * Adds an attribute to the script tag; attributes keep the order they were added in.
         *
         * @throws IllegalArgumentException for a name that is not a valid HTML attribute name
         */
        public Builder attribute(String name, String value) {
            requireAttributeName(name);
            Objects.requireNonNull(value, "value");
            if (name.equalsIgnoreCase("nonce")) {
                return nonce(value); // one nonce attribute, however it was given
            }
            attributes.put(name, value);
            return this;
        }

        /** Adds every attribute of {@code map}, in its iteration order. */
        public Builder attributes(Map<String, String> map) {
            map.forEach(this::attribute);
            return this;
        }

        /** A CSP nonce for the script tag. */
        public Builder nonce(String nonce) {
            this.nonce = Objects.requireNonNull(nonce, "nonce");
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        /** The immutable event. */
        public ExecuteScript build() {
            if (autoRemove && attributes.keySet().stream().anyMatch("data-effect"::equalsIgnoreCase)) {
                throw new IllegalArgumentException("data-effect is written by autoRemove; call autoRemove(false)"
                        + " to give your own data-effect attribute");
            }
            return new ExecuteScript(this);
        }

        private static String requireAttributeName(String name) {
            Objects.requireNonNull(name, "attribute name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("attribute name must not be empty");
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '"' || c == '\'' || c == '>'
                        || c == '/' || c == '=' || c == '<') {
                    throw new IllegalArgumentException("invalid attribute name: '" + name + "'");
                }
            }
            return name;
        }
    }
}
