/**
 * The Datastar protocol, server side: the three events ({@link dev.starwire.PatchElements},
 * {@link dev.starwire.PatchSignals}, {@link dev.starwire.ExecuteScript}), the one SSE writer
 * ({@link dev.starwire.SseWriter}), the signals a request carried ({@link dev.starwire.Signals}), the answer to an
 * action ({@link dev.starwire.DatastarResponse}) and components ({@link dev.starwire.Component},
 * {@link dev.starwire.Html}). No web server: adapters (the Javalin module) call into this package.
 *
 * <pre>{@code
 * DatastarResponse answer = DatastarResponse.of(
 *         PatchElements.append("#messages", templates.message(msg)),
 *         PatchSignals.of(Map.of("draft", "")));
 * Chat chat = Signals.fromJson(body, Signals.DEFAULT_MAX_BYTES).as(Chat.class);
 * }</pre>
 *
 * <p>Thread-safety: events, {@code Signals} and {@code DatastarResponse} are immutable and may be shared by any
 * threads; builders and an {@code SseWriter} belong to one thread (one writer per stream).
 */
package dev.starwire;
