/**
 * Starwire on plain servlets. {@link dev.starwire.servlet.StarwireServlets} is the app's entry: it makes the
 * servlets of streams ({@link dev.starwire.servlet.LiveStream}) and actions, and offers the same parts to
 * servlets of one's own ({@link dev.starwire.servlet.Datastar}, {@link dev.starwire.servlet.ErrorAnswer}).
 * Inside, a stream is split by job: the handle an application holds ({@code LiveStream}), its lifecycle
 * ({@code StreamLifecycle}) and its non-blocking writer ({@code StreamWriter}); the app's streams share their
 * threads ({@code LiveStreams}). Adapters for a web framework build on the public parts
 * ({@link dev.starwire.servlet.SignalsReader}, {@link dev.starwire.servlet.ConnectionControl}, the four-argument
 * {@code openStream}).
 *
 * <pre>{@code
 * StarwireServlets starwire = StarwireServlets.create();
 * starwire.register(context, "/clock", starwire.stream(stream ->
 *         stream.every(Duration.ofSeconds(1), () -> stream.send(clockPatch()))));
 * }</pre>
 *
 * <p>Thread-safety: {@code StarwireServlets}, streams and the reader are thread-safe, and a stream's methods
 * never block; {@code StarwireSettings} is read once, when Starwire is created.
 */
package dev.starwire.servlet;
