/**
 * The broadcast hub, as an application uses it: named {@link dev.starwire.hub.Topic}s that publish an event
 * once to every subscribed stream, with ids for {@code Last-Event-ID} replay, bounded per-client queues
 * ({@link dev.starwire.hub.QueueLimits}) and counters ({@link dev.starwire.hub.HubStats}). A stream subscribes
 * through its server adapter (the Javalin module's {@code LiveStream.subscribe}).
 *
 * <pre>{@code
 * Hub hub = Hub.builder().backend(new InMemoryBackend(5_000, 16L << 20)).build();
 * hub.topic("chat").publish(PatchElements.append("#messages", message))
 *         .exceptionally(e -> { log.info("not sent: {}", e.getMessage()); return null; });
 * }</pre>
 *
 * <p>What plugs into the hub (backends, server adapters) is in {@link dev.starwire.hub.spi}. Thread-safety:
 * every type here is thread-safe; publishing never blocks on a subscriber.
 */
package dev.starwire.hub;
