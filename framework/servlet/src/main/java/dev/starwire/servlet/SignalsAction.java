package dev.starwire.servlet;

import dev.starwire.DatastarResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Handles a Datastar action whose signals were read into {@code T} (a record or class) and answers with zero,
 * one or several events.
 *
 * <pre>{@code
 * SignalsAction<Message> send = (req, res, msg) -> {
 *     chat.publish(PatchElements.append("#messages", templates.message(msg)));
 *     return DatastarResponse.of(PatchSignals.of(Map.of("text", "")));
 * };
 * starwire.register(context, "/send", starwire.post(Message.class, send));
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
    DatastarResponse handle(HttpServletRequest request, HttpServletResponse response, T signals) throws Exception;
}
