/**
 * The Javalin plugin: {@link dev.starwire.javalin.Starwire} (register it, then make routes with
 * {@code stream}, {@code get}, {@code post}, ...), its settings {@link dev.starwire.javalin.StarwireConfig},
 * the stream handle with the request's {@code Context} ({@link dev.starwire.javalin.LiveStream}) and
 * {@link dev.starwire.javalin.Datastar} for plain handlers. Streams, the signals reader, the CSRF check, sessions
 * and error answers are the servlet adapter's ({@code dev.starwire.servlet}); what only Jetty can do lives here.
 *
 * <pre>{@code
 * Starwire starwire = Starwire.create();
 * Javalin.create(config -> {
 *     config.registerPlugin(starwire);
 *     config.routes.get("/clock", starwire.stream(stream ->
 *             stream.every(Duration.ofSeconds(1), () -> stream.send(clockPatch()))));
 * }).start(7070);
 * }</pre>
 *
 * <p>Thread-safety: the plugin and streams are thread-safe and a stream's methods never block;
 * {@code StarwireConfig} is read once, when the plugin is created.
 */
package dev.starwire.javalin;
