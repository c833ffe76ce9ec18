package dev.starwire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starwire.internal.Json;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code datastar-patch-signals} event: an RFC 7386 JSON Merge Patch applied to the client's signals.
 * A key set to {@code null} deletes that signal.
 *
 * <pre>{@code
 * PatchSignals.of(Map.of("count", 1));                      // any Jackson-serialisable object
 * PatchSignals.of(objectNode);                              // a Jackson tree
 * PatchSignals.ofJson("{\"user\":{\"email\":null}}");       // raw JSON, sent as written
 * PatchSignals.builder().signals(defaults).onlyIfMissing(true).build();
 * }</pre>
 *
 * <p>Instances are immutable: trees and objects are serialised when the event is built.
 */
public final class PatchSignals implements DatastarEvent {
    private final String json;
    private final boolean onlyIfMissing;
    private final String eventId;
    private final long retryMillis;

    private PatchSignals(Builder b) {
        if (b.json == null) {
            throw new IllegalArgumentException("signals are required");
        }
        this.json = b.json;
        this.onlyIfMissing = b.onlyIfMissing;
        this.eventId = b.eventId;
        this.retryMillis = b.retryMillis;
    }

    /**
     * Patches the signals given as a Jackson tree or any object Jackson can serialise to a JSON object (a record,
     * a map, a POJO). For JSON text use {@link #ofJson(String)}.
     *
     * @throws IllegalArgumentException when {@code signals} does not serialise to a JSON object, or is a String
     */
    public static PatchSignals of(Object signals) {
        return builder().signals(signals).build();
    }

    /**
     * Patches the signals given as raw JSON text, sent as written (line breaks become separate data lines).
     * The text is checked to be an object ({@code {...}}), not parsed: it is the app's own JSON.
     *
     * @throws IllegalArgumentException when {@code json} is empty or blank, or not a JSON object
     */
    public static PatchSignals ofJson(String json) {
        return builder().json(json).build();
    }

    /** A builder with every option at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this event's options, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.json = json;
        b.onlyIfMissing = onlyIfMissing;
        b.eventId = eventId;
        b.retryMillis = retryMillis;
        return b;
    }

    /** The merge patch as JSON text. */
    public String signals() {
        return json;
    }

    /** Whether the client only sets signals it does not have yet. */
    public boolean onlyIfMissing() {
        return onlyIfMissing;
    }

    @Override
    public Optional<String> eventId() {
        return Optional.ofNullable(eventId);
    }

    @Override
    public long retryMillis() {
        return retryMillis;
    }

    @Override
    public String toString() {
        return "PatchSignals{" + json + ", onlyIfMissing=" + onlyIfMissing + ", eventId=" + eventId
                + ", retry=" + retryMillis + "}";
    }

    /** Builds a {@link PatchSignals}; every option starts at its protocol default. */
    public static final class Builder extends EventBuilder<Builder> {
        private String json;
        private boolean onlyIfMissing;

        private Builder() {
        }

        /**
         * The patch as a Jackson tree or an object Jackson serialises (a record, a map, a POJO).
         *
         * @throws IllegalArgumentException when it does not serialise to a JSON object
         */
        public Builder signals(Object signals) {
            Objects.requireNonNull(signals, "signals");
            if (signals instanceof CharSequence) {
                // a String would serialise to a JSON string, never an object: the caller meant raw JSON
                throw new IllegalArgumentException(
                        "signals given as a String are not serialised; use PatchSignals.ofJson(...) for raw JSON");
            }
            if (signals instanceof JsonNode) {
                JsonNode tree = (JsonNode) signals;
                if (!tree.isObject()) {
                    throw new IllegalArgumentException("signals must serialise to a JSON object, got "
                            + tree.getNodeType());
                }
                this.json = Json.write(tree);
                return this;
            }
            // straight to text: building a tree first made this 4x slower than serialising by hand
            String text = Json.write(signals);
            if (!text.startsWith("{")) {
                throw new IllegalArgumentException("signals must serialise to a JSON object, got "
                        + Json.tree(signals).getNodeType());
            }
            this.json = text;
            return this;
        }

        /**
         * The patch as raw JSON text, sent exactly as given; checked to be an object, not parsed.
         *
         * @throws IllegalArgumentException when {@code json} is empty or blank, or not a JSON object
         */
        public Builder json(String json) {
            this.json = requireObject(Objects.requireNonNull(json, "json"));
            return this;
        }

        /**
         * Checks the shape without parsing: the text must hold an object, from its first to its last
         * non-whitespace character. A full parse would cost this fast path four times its framing (measured:
         * 3.1 M against 0.8 M events/s for 20 keys), and the text is the app's own; JSON built from objects or
         * trees ({@link #signals}) is always well-formed.
         */
        private static String requireObject(String json) {
            int first = 0;
            int last = json.length() - 1;
            while (first <= last && isJsonSpace(json.charAt(first))) {
                first++;
            }
            while (last >= first && isJsonSpace(json.charAt(last))) {
                last--;
            }
            if (first > last) {
                throw new IllegalArgumentException("signals JSON must not be empty: a patch is a JSON object,"
                        + " e.g. {\"count\":1}");
            }
            if (json.charAt(first) != '{' || json.charAt(last) != '}') {
                throw new IllegalArgumentException("signals JSON must be an object, got " + shorten(json)
                        + " (a patch is a JSON object, e.g. {\"count\":1})");
            }
            return json;
        }

        private static boolean isJsonSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r';
        }

        private static String shorten(String s) {
            return s.length() <= 60 ? s : s.substring(0, 60) + "...";
        }

        /** Only set signals the client does not have yet. */
        public Builder onlyIfMissing(boolean onlyIfMissing) {
            this.onlyIfMissing = onlyIfMissing;
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        /** The immutable event. */
        public PatchSignals build() {
            return new PatchSignals(this);
        }
    }
}
