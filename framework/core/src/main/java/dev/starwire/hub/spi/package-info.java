/**
 * The hub's SPI: what someone extending Starwire implements or calls, never application code. A backend
 * (in memory, Redis, or one of your own) implements {@link dev.starwire.hub.spi.TopicBackend} and hands back
 * {@link dev.starwire.hub.spi.StoredEvent}s and its {@link dev.starwire.hub.spi.BackendHealth}; a server adapter
 * opens one {@link dev.starwire.hub.spi.Outbox} per long-lived stream and writes what it polls.
 *
 * <pre>{@code
 * Hub hub = Hub.builder().backend(new MyBackend()).build();              // a backend of your own
 * Outbox out = Outbox.open(hub, writer::wake, writer::dropConnection);   // in a server adapter
 * out.subscribe(hub.topic("chat"), lastEventId, () -> out.offer(fullState()));
 * }</pre>
 *
 * <p>Thread-safety: an outbox is thread-safe; a backend must be (the contract of {@code TopicBackend} says how
 * its calls may overlap). Records here are immutable.
 */
package dev.starwire.hub.spi;
