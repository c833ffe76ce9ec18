package dev.starwire.hub.spi;

import java.util.Objects;

/**
 * One event as a {@link TopicBackend} stores it: the id the backend gave it and its SSE frame, encoded once
 * by {@code SseWriter} <em>without</em> an {@code id:} line (the hub adds the id when it fans the frame out).
 *
 * <pre>{@code
 * StoredEvent e = new StoredEvent("42", SseWriter.encode(PatchElements.of(html)));
 * }</pre>
 *
 * @param id    the backend's id for the event; orders events within their topic
 * @param frame the complete SSE frame without an id line; never modified after construction
 */
public record StoredEvent(String id, byte[] frame) {
    /** Checks both parts are present. */
    public StoredEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(frame, "frame");
    }
}
