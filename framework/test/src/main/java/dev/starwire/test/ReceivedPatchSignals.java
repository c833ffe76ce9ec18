package dev.starwire.test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code datastar-patch-signals} event as the test kit received it (from a stream, or a one-shot
 * {@code application/json} answer): an RFC 7386 merge patch. The server sends a {@link dev.starwire.PatchSignals}.
 *
 * <pre>{@code
 * ReceivedPatchSignals p = (ReceivedPatchSignals) SseParser.parse(bytes).get(0);
 * assertEquals(3, p.signals().get("count").asInt());
 * }</pre>
 *
 * @param signals       the merge patch (a copy is returned, the record stays immutable)
 * @param json          the {@code signals} lines joined with {@code \n}, as received
 * @param onlyIfMissing the {@code onlyIfMissing} line
 * @param eventId       the {@code id:} field of the event
 * @param retryMillis   the {@code retry:} field, 1000 when absent
 */
public record ReceivedPatchSignals(ObjectNode signals, String json, boolean onlyIfMissing, Optional<String> eventId,
                           long retryMillis) implements ReceivedEvent {

    /** Checks that no component is null and keeps a private copy of the patch. */
    public ReceivedPatchSignals {
        signals = Objects.requireNonNull(signals, "signals").deepCopy();
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(eventId, "eventId");
    }

    /** A copy of the merge patch. */
    @Override
    public ObjectNode signals() {
        return signals.deepCopy();
    }
}
