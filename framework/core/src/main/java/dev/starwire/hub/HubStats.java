package dev.starwire.hub;

/**
 * A snapshot of a hub's counters, e.g. for a metrics endpoint or a test.
 *
 * <pre>{@code
 * HubStats s = hub.stats();
 * log.info("{} subscribers, {} bytes queued, {} evicted", s.subscribers(), s.queuedBytes(), s.evicted());
 * }</pre>
 *
 * @param subscribers topic subscriptions open now
 * @param queuedBytes bytes waiting in the outboxes of this hub, not yet handed to a connection
 * @param published   events stored by the backend through this hub's topics
 * @param delivered   frames taken from outboxes to be written to a connection (topic events and direct sends), and
 *                    topic events an adapter wrote at once (see {@link dev.starwire.hub.spi.Outbox.LiveWriter})
 * @param evicted     outboxes closed because their client read too slowly
 * @param replayHits  subscriptions that resumed from their client's {@code Last-Event-ID} inside the replay
 *                    window: the client got exactly what it missed
 * @param resyncs     subscriptions whose client asked to resume ({@code Last-Event-ID}) from outside the replay
 *                    window or from an unknown id, and got the full state instead
 */
public record HubStats(long subscribers, long queuedBytes, long published, long delivered, long evicted,
                       long replayHits, long resyncs) {
}
