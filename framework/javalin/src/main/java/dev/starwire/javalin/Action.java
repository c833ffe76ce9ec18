package dev.starwire.javalin;

import dev.starwire.DatastarResponse;
import io.javalin.http.Context;

/**
 * Handles a Datastar action that needs no signals (or reads them itself with {@link Datastar#signals}) and
 * answers with zero, one or several events.
 *
 * <pre>{@code
 * config.routes.delete("/toast", starwire.delete(ctx -> DatastarResponse.of(PatchElements.remove("#toast"))));
 * }</pre>
 */
@FunctionalInterface
public interface Action {
    /**
     * Handles the request.
     *
     * @return the answer, never {@code null} ({@link DatastarResponse#noContent()} for nothing)
     */
    DatastarResponse handle(Context ctx) throws Exception;
}
