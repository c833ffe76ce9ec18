package dev.starwire.javalin;

import dev.starwire.DatastarResponse;
import io.javalin.http.Context;

/**
 * Handles a Datastar action whose signals were read into {@code T} (a record or class) and answers with zero,
 * one or several events.
 *
 * <pre>{@code
 * SignalsAction<Message> send = (ctx, msg) -> {
 *     chat.publish(PatchElements.append("#messages", templates.message(msg)));
 *     return DatastarResponse.of(PatchSignals.of(Map.of("text", "")));
 * };
 * config.routes.post("/send", starwire.post(Message.class, send));
 * }</pre>
 *
 * @param <T> the type the signals are bound to
 */
@FunctionalInterface
public interface SignalsAction<T> {
    /**
     * Handles the request.
     *
     * @return the answer, never {@code null} ({@link DatastarResponse#noContent()} for nothing)
     */
    DatastarResponse handle(Context ctx, T signals) throws Exception;
}
