/**
 * Starwire's metrics for Micrometer: {@code StarwireMetrics} binds the counters of an app's streams, hub and
 * request checks to a {@code MeterRegistry}. The Spring Boot starter binds it by itself when Micrometer is there.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Micrometer has a stable name, no descriptor
module dev.starwire.micrometer {
    // in the API: a MeterBinder of Micrometer for Starwire on servlets (or for a hub alone)
    requires transitive dev.starwire.servlet;
    requires transitive micrometer.core;

    exports dev.starwire.micrometer;
}
