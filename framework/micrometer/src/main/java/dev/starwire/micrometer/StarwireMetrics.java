package dev.starwire.micrometer;

import dev.starwire.SignalsException;
import dev.starwire.hub.Hub;
import dev.starwire.hub.HubStats;
import dev.starwire.hub.Topic;
import dev.starwire.servlet.StarwireServlets;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Binds Starwire's numbers to a Micrometer {@link MeterRegistry}: the open streams, the hub's subscribers
 * (also per topic), queued bytes, published, delivered and evicted events, replay hits and resyncs, and the
 * requests refused for unreadable signals (by reason) or by the CSRF check. Every meter reads Starwire's own
 * lock-free counters when it is scraped; nothing is counted twice.
 *
 * <pre>{@code
 * StarwireServlets starwire = StarwireServlets.create();
 * StarwireMetrics.of(starwire).bindTo(registry);                 // or of(javalinPlugin.servlets())
 * StarwireMetrics.of(starwire).tags(Tags.of("app", "chat")).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>The meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code starwire.streams.open}</td><td>gauge</td><td></td><td>long-lived streams open now</td></tr>
 *   <tr><td>{@code starwire.subscribers}</td><td>gauge</td><td></td><td>topic subscriptions open now</td></tr>
 *   <tr><td>{@code starwire.topic.subscribers}</td><td>gauge</td><td>{@code topic}</td><td>subscriptions of
 *       one topic in this process</td></tr>
 *   <tr><td>{@code starwire.queued.bytes}</td><td>gauge</td><td></td><td>bytes waiting in outboxes</td></tr>
 *   <tr><td>{@code starwire.events.published}</td><td>counter</td><td></td><td>events stored through the
 *       hub's topics</td></tr>
 *   <tr><td>{@code starwire.events.delivered}</td><td>counter</td><td></td><td>frames handed to
 *       connections</td></tr>
 *   <tr><td>{@code starwire.streams.evicted}</td><td>counter</td><td></td><td>outboxes closed because their
 *       client read too slowly</td></tr>
 *   <tr><td>{@code starwire.replay.hits}</td><td>counter</td><td></td><td>reconnects that got exactly what
 *       they missed</td></tr>
 *   <tr><td>{@code starwire.replay.resyncs}</td><td>counter</td><td></td><td>reconnects from outside the
 *       replay window, sent the full state</td></tr>
 *   <tr><td>{@code starwire.signals.rejected}</td><td>counter</td><td>{@code reason}</td><td>requests answered
 *       400/413 for their signals ({@link SignalsException.Reason#tag()})</td></tr>
 *   <tr><td>{@code starwire.requests.refused}</td><td>counter</td><td>{@code reason=csrf}</td><td>mutating
 *       requests the CSRF check refused (403)</td></tr>
 * </table>
 *
 * <p>A per-topic gauge is registered for every topic of the hub, including topics created later: keep topic
 * names few (a topic per chat room is fine, a topic per user is not), as every name is a time series.
 * Immutable and thread-safe.
 */
public final class StarwireMetrics implements MeterBinder {
    private final Hub hub;
    private final StarwireServlets servlets; // null: a hub alone
    private final Tags tags;

    private StarwireMetrics(Hub hub, StarwireServlets servlets, Tags tags) {
        this.hub = hub;
        this.servlets = servlets;
        this.tags = tags;
    }

    /** Every meter of an app on servlets (or on Javalin: {@code of(starwire.servlets())}). */
    public static StarwireMetrics of(StarwireServlets starwire) {
        Objects.requireNonNull(starwire, "starwire");
        return new StarwireMetrics(starwire.hub(), starwire, Tags.empty());
    }

    /** The meters of a hub alone (no streams or request counts), e.g. for another web server's adapter. */
    public static StarwireMetrics of(Hub hub) {
        return new StarwireMetrics(Objects.requireNonNull(hub, "hub"), null, Tags.empty());
    }

    /** The same meters with {@code extra} tags on each, e.g. the app's name when several share a registry. */
    public StarwireMetrics tags(Iterable<Tag> extra) {
        return new StarwireMetrics(hub, servlets, tags.and(extra));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (servlets != null) {
            StarwireServlets s = servlets;
            Gauge.builder("starwire.streams.open", s, StarwireServlets::openStreams).tags(tags)
                    .description("Long-lived event streams open now").baseUnit("streams").strongReference(true)
                    .register(registry);
            for (SignalsException.Reason reason : SignalsException.Reason.values()) {
                FunctionCounter.builder("starwire.signals.rejected", s, x -> x.signalsRejected(reason))
                        .tags(tags).tag("reason", reason.tag())
                        .description("Requests answered 400 or 413 because their signals could not be read")
                        .baseUnit("requests").register(registry);
            }
            FunctionCounter.builder("starwire.requests.refused", s, StarwireServlets::requestsRefused)
                    .tags(tags).tag("reason", "csrf")
                    .description("Mutating requests refused by the CSRF check (403)")
                    .baseUnit("requests").register(registry);
        }
        gauge(registry, "starwire.subscribers", "Topic subscriptions open now", "subscriptions",
                HubStats::subscribers);
        gauge(registry, "starwire.queued.bytes", "Bytes waiting in outboxes, not yet handed to a connection",
                BaseUnits.BYTES, HubStats::queuedBytes);
        counter(registry, "starwire.events.published", "Events stored through the hub's topics", "events",
                HubStats::published);
        counter(registry, "starwire.events.delivered", "Frames taken from outboxes to be written to connections",
                "events", HubStats::delivered);
        counter(registry, "starwire.streams.evicted", "Outboxes closed because their client read too slowly",
                "streams", HubStats::evicted);
        counter(registry, "starwire.replay.hits", "Reconnects that resumed inside the replay window", "streams",
                HubStats::replayHits);
        counter(registry, "starwire.replay.resyncs",
                "Reconnects from outside the replay window or an unknown id, sent the full state", "streams",
                HubStats::resyncs);
        hub.watchTopics(topic -> Gauge.builder("starwire.topic.subscribers", topic, Topic::subscriberCount)
                .tags(tags).tag("topic", topic.name())
                .description("Subscriptions of one topic in this process").baseUnit("subscriptions")
                .register(registry));
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit,
                       ToDoubleFunction<HubStats> value) {
        Gauge.builder(name, hub, h -> value.applyAsDouble(h.stats())).tags(tags).description(description)
                .baseUnit(unit).strongReference(true).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, String unit,
                         ToDoubleFunction<HubStats> value) {
        FunctionCounter.builder(name, hub, h -> value.applyAsDouble(h.stats())).tags(tags).description(description)
                .baseUnit(unit).register(registry);
    }
}
