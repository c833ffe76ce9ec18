package dev.starwire;

import java.time.Duration;

/**
 * The options every event builder shares: the SSE event id and the reconnect delay. Only the builders of
 * {@link PatchElements}, {@link PatchSignals} and {@link ExecuteScript} extend it.
 *
 * <pre>{@code
 * PatchSignals.builder().signals(Map.of("count", 1)).eventId("42").retry(Duration.ofSeconds(5)).build();
 * }</pre>
 *
 * @param <B> the concrete builder, returned by every setter so calls chain
 */
public abstract class EventBuilder<B extends EventBuilder<B>> {
    String eventId;
    long retryMillis = DatastarEvent.DEFAULT_RETRY_MILLIS;

    EventBuilder() {
    }

    abstract B self();

    /** The SSE event id (single line). */
    public B eventId(String eventId) {
        this.eventId = Checks.requireEventId(eventId);
        return self();
    }

    /** The reconnect delay sent to the client. */
    public B retry(Duration retry) {
        return retryMillis(retry.toMillis());
    }

    /** The reconnect delay in milliseconds. */
    public B retryMillis(long millis) {
        this.retryMillis = Checks.requireRetry(millis);
        return self();
    }
}
