/**
 * The Starwire plugin for Javalin 7, a thin layer over {@code dev.starwire.servlet}: Javalin routes for streams
 * and actions, the signals reader over Javalin's {@code Context}, sessions per {@code Context}, and the tuning of
 * Javalin's Jetty (thread pool, timeouts, and what Jetty lets a stream do with its connection).
 */
module dev.starwire.javalin {
    // in the API: Javalin's handlers and Context; the servlet adapter's streams, sessions and settings
    requires transitive dev.starwire.servlet;
    requires transitive io.javalin;
    requires org.eclipse.jetty.io;
    requires org.slf4j;

    exports dev.starwire.javalin;
}
