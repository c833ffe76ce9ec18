/**
 * The demo app: the tutorial's live clock and multi-user chat on Starwire and the Datastar 1.0 client
 * ({@link dev.starwire.demo.DemoApp} wires the routes, {@link dev.starwire.demo.Main} starts it). See
 * {@code docs/demo.md}.
 *
 * <p>Thread-safety: the services ({@code ClockService}, {@code ChatService}) are called from request and timer
 * threads at once and are thread-safe; everything else is immutable.
 */
package dev.starwire.demo;
