package dev.starwire.javalin;

import dev.starwire.DatastarResponse;
import io.javalin.http.Context;

/**
 * Handles a Datastar action whose signals were read into {@code T} (a record or class).
 *
 * <pre>{@code
 * SignalsHandler<Message> send = (ctx, msg) -> {
 *     chat.publish(messagePatch(msg));
 *     return DatastarResponse.json(PatchSignals.ofJson("{\"text\":\"\"}"));
 * };
 * }</pre>
 *
 * @param <T> the type the signals are bound to
 */
@FunctionalInterface
public interface SignalsHandler<T> {
    /** Handles the request; returns the one-shot answer, or {@code null} for {@code 204 No Content}. */
    DatastarResponse handle(Context ctx, T signals) throws Exception;
}
