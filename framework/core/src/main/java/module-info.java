/**
 * Starwire's core: the Datastar protocol (events, the SSE writer, signals), per-session signal stores and the
 * broadcast hub. No web server. Exports the API packages and the two SPI packages ({@code hub.spi},
 * {@code session.spi}) that backends and server adapters implement; the {@code internal} packages stay inside.
 *
 * <p>Jackson binds signals to the application's records and reads them into the store, reflectively: an
 * application on the module path opens the packages of those records to {@code com.fasterxml.jackson.databind}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // jte has a stable name, no descriptor
module dev.starwire.core {
    // in the API: Signals.tree() and the signal store speak Jackson trees; a Component is a jte Content
    requires transitive com.fasterxml.jackson.databind;
    requires transitive gg.jte.runtime;
    requires org.slf4j;

    exports dev.starwire;
    exports dev.starwire.hub;
    exports dev.starwire.hub.spi;
    exports dev.starwire.session;
    exports dev.starwire.session.spi;
    exports dev.starwire.signals;
    // not exported: dev.starwire.internal (the one Jackson configuration), dev.starwire.hub.internal
}
