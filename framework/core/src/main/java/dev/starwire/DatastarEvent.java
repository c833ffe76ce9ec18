package dev.starwire;

import java.util.Optional;

/**
 * One event the server sends to the Datastar client. The three kinds are {@link PatchElements},
 * {@link PatchSignals} and {@link ExecuteScript}; {@link SseWriter} frames each of them.
 *
 * <pre>{@code
 * DatastarEvent e = PatchSignals.ofJson("{\"count\":1}");
 * byte[] frame = SseWriter.encode(e);
 * }</pre>
 */
public sealed interface DatastarEvent permits PatchElements, PatchSignals, ExecuteScript {

    /** The client's default reconnect delay in milliseconds; a retry equal to it is not written. */
    long DEFAULT_RETRY_MILLIS = 1000;

    /** The SSE event id, if one was given. */
    Optional<String> eventId();

    /** The reconnect delay in milliseconds; {@value #DEFAULT_RETRY_MILLIS} unless set. */
    long retryMillis();
}
