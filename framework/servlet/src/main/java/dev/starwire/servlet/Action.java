package dev.starwire.servlet;

import dev.starwire.DatastarResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Handles a Datastar action that needs no signals (or reads them itself with {@code starwire.signals(request)})
 * and answers with zero, one or several events. The response is there for what must precede the answer, such
 * as the cookie of a new session ({@code starwire.session(request, response)}); the answer itself is the
 * returned value.
 *
 * <pre>{@code
 * starwire.register(context, "/toast", starwire.delete((req, res) -> DatastarResponse.of(PatchElements.remove("#toast"))));
 * }</pre>
 */
@FunctionalInterface
public interface Action {
    /**
     * Handles the request.
     *
     * @return the answer, never {@code null} ({@link DatastarResponse#noContent()} for nothing)
     */
    DatastarResponse handle(HttpServletRequest request, HttpServletResponse response) throws Exception;
}
