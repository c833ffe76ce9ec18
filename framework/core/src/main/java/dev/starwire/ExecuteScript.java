package dev.starwire;

import dev.starwire.internal.Json;
import gg.jte.TemplateOutput;
import gg.jte.html.escape.Escape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
 * // the helpers every Datastar SDK has; values are escaped, so user text is safe in them
 * ExecuteScript.redirect("/orders/42");
 * ExecuteScript.consoleError("could not save: " + reason);
 * ExecuteScript.dispatchEvent("saved", Map.of("id", 42));
 * ExecuteScript.replaceUrl("/search?q=boots");
 * ExecuteScript.prefetch("/next", "/help");
 * }</pre>
 *
 * <p>The script of {@link #of} and the builder is code you write, not user text: it is sent as is. Attribute
 * values are HTML-escaped. The helpers write every value as a JSON literal that cannot end the script tag.
 */
// Why ~380 lines in one class: the event, its builder and the helpers every Datastar SDK offers (redirect,
// console, replaceUrl, custom events, prefetch) are one user-facing vocabulary; most lines are their Javadoc.
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

    /** A builder holding this script's options, to derive a changed copy (e.g. with an event id). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.script = script;
        b.autoRemove = autoRemove;
        b.attributes.putAll(attributes);
        b.nonce = nonce;
        b.eventId = eventId;
        b.retryMillis = retryMillis;
        return b;
    }

    // ---- helpers ----

    /**
     * Navigates the browser to {@code url} once the current event has been handled:
     * {@code setTimeout(() => window.location.assign("<url>"))}.
     *
     * @throws IllegalArgumentException for a URL whose scheme is not http or https (e.g. {@code javascript:})
     */
    public static ExecuteScript redirect(String url) {
        return of("setTimeout(() => window.location.assign(" + Json.scriptSafe(Checks.requireSafeUrl(url))
                + "))");
    }

    /** Writes {@code message} to the browser console: {@code console.log("<message>")}. */
    public static ExecuteScript consoleLog(String message) {
        return of("console.log(" + Json.scriptSafe(Objects.requireNonNull(message, "message")) + ")");
    }

    /** Writes {@code message} to the browser console as an error: {@code console.error("<message>")}. */
    public static ExecuteScript consoleError(String message) {
        return of("console.error(" + Json.scriptSafe(Objects.requireNonNull(message, "message")) + ")");
    }

    /**
     * Replaces the browser's URL without navigating or adding a history entry:
     * {@code window.history.replaceState({}, "", "<url>")}. The browser only accepts a same-origin URL.
     *
     * @throws IllegalArgumentException for a URL whose scheme is not http or https
     */
    public static ExecuteScript replaceUrl(String url) {
        return of("window.history.replaceState({}, \"\", " + Json.scriptSafe(Checks.requireSafeUrl(url)) + ")");
    }

    /**
     * Dispatches the custom DOM event {@code name} on {@code document}, bubbling, cancelable and composed, with
     * {@code detail} (anything Jackson serialises; {@code null} for none) as its {@code detail}. Listen with
     * {@code data-on:<name>__window} or {@code document.addEventListener}. For another target or flags use
     * {@link #customEvent(String)}.
     */
    public static ExecuteScript dispatchEvent(String name, Object detail) {
        return customEvent(name).detail(detail).build();
    }

    /**
     * A custom DOM event to dispatch, with its options:
     * {@code ExecuteScript.customEvent("saved").selector("#form").detail(Map.of("id", 1)).bubbles(false).build()}.
     */
    public static CustomEvent customEvent(String name) {
        return new CustomEvent(name);
    }

    /**
     * Asks the browser to prefetch {@code urls} with the Speculation Rules API: a
     * {@code <script type="speculationrules">} holding {@code {"prefetch":[{"source":"list","urls":[...]}]}},
     * kept in the page (removing it would drop the rules).
     *
     * @throws IllegalArgumentException without URLs, or for a URL whose scheme is not http or https
     */
    public static ExecuteScript prefetch(String... urls) {
        if (urls.length == 0) {
            throw new IllegalArgumentException("prefetch needs at least one URL");
        }
        List<String> list = new ArrayList<>(urls.length);
        for (String u : urls) {
            list.add(Checks.requireSafeUrl(u));
        }
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("source", "list");
        rule.put("urls", list);
        return builder().script(Json.scriptSafe(Map.of("prefetch", List.of(rule))))
                .attribute("type", "speculationrules").autoRemove(false).build();
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
    PatchElements toPatchElements() {
        return asPatch;
    }

    /** Every attribute of the tag as sent, in order: the extra ones, the nonce, then the self-removal. */
    Map<String, String> tagAttributes() {
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

    /**
     * Builds the script that dispatches one custom DOM event; every flag defaults to {@code true} and the
     * target to {@code document}.
     *
     * <pre>{@code
     * ExecuteScript e = ExecuteScript.customEvent("cart-changed").selector("#cart").detail(cart).build();
     * }</pre>
     */
    public static final class CustomEvent {
        private final String name;
        private Object detail;
        private String selector;
        private boolean bubbles = true;
        private boolean cancelable = true;
        private boolean composed = true;

        private CustomEvent(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a custom event needs a name");
            }
            this.name = name;
        }

        /** The event's {@code detail}: anything Jackson serialises; {@code null} (the default) for none. */
        public CustomEvent detail(Object detail) {
            this.detail = detail;
            return this;
        }

        /** Dispatches on every element matching {@code selector} instead of on {@code document}. */
        public CustomEvent selector(String selector) {
            this.selector = Objects.requireNonNull(selector, "selector");
            return this;
        }

        /** Whether the event bubbles up the DOM (default true). */
        public CustomEvent bubbles(boolean bubbles) {
            this.bubbles = bubbles;
            return this;
        }

        /** Whether a listener may cancel it with {@code preventDefault()} (default true). */
        public CustomEvent cancelable(boolean cancelable) {
            this.cancelable = cancelable;
            return this;
        }

        /** Whether it crosses shadow DOM boundaries (default true). */
        public CustomEvent composed(boolean composed) {
            this.composed = composed;
            return this;
        }

        /**
         * The script: {@code document.dispatchEvent(new CustomEvent("<name>", {...}))}, or with a selector
         * {@code document.querySelectorAll("<selector>").forEach(el => el.dispatchEvent(new CustomEvent(...)))}.
         */
        public ExecuteScript build() {
            Map<String, Object> init = new LinkedHashMap<>();
            init.put("bubbles", bubbles);
            init.put("cancelable", cancelable);
            init.put("composed", composed);
            init.put("detail", detail);
            String event = "new CustomEvent(" + Json.scriptSafe(name) + ", " + Json.scriptSafe(init) + ")";
            return of(selector == null ? "document.dispatchEvent(" + event + ")"
                    : "document.querySelectorAll(" + Json.scriptSafe(selector) + ").forEach(el => el.dispatchEvent("
                    + event + "))");
        }
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
