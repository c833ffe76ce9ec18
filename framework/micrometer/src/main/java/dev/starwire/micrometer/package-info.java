/**
 * Starwire's metrics for Micrometer: {@link dev.starwire.micrometer.StarwireMetrics}, a {@code MeterBinder}.
 *
 * <pre>{@code
 * StarwireServlets starwire = StarwireServlets.create();
 * StarwireMetrics.of(starwire).bindTo(registry);      // starwire.streams.open, starwire.events.delivered, ...
 * }</pre>
 *
 * <p>Thread-safety: binding is thread-safe; the meters read Starwire's lock-free counters when they are
 * scraped.
 */
package dev.starwire.micrometer;
