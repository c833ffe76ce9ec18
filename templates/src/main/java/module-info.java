/**
 * Starwire's page layout and Datastar script tag for an app's jte templates, precompiled, and dev-mode hot
 * reload for any jte-models facade. The precompiled layout lives in {@code dev.starwire.templates.internal},
 * which is not exported but opened to jte's runtime: a precompiled template loads its static parts ({@code
 * .bin} files beside its class) through jte's runtime.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // jte has stable names, no descriptors
module dev.starwire.templates {
    requires transitive dev.starwire.core;
    requires transitive gg.jte.runtime;
    requires transitive gg.jte.models;   // Layout returns jte-models' JteModel
    requires static gg.jte;              // the jte compiler: dev mode only, added by the app
    requires org.slf4j;

    exports dev.starwire.templates;
    opens dev.starwire.templates.internal to gg.jte.runtime;
}
