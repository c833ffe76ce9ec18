/**
 * Starwire on plain Jakarta Servlet 6, for any servlet container: long-lived streams, actions, the CSRF check,
 * the signals reader, the error answers and browser sessions ({@code dev.starwire.servlet.session}). The
 * Javalin plugin is a thin layer over it. The container provides the Servlet API.
 */
module dev.starwire.servlet {
    // in the API: servlets, requests and responses; the core's events, hub and signal stores
    requires transitive dev.starwire.core;
    requires transitive jakarta.servlet;
    requires org.slf4j;

    exports dev.starwire.servlet;
    exports dev.starwire.servlet.session;
}
