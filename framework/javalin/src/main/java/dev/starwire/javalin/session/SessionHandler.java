package dev.starwire.javalin.session;

import io.javalin.http.Context;

/**
 * A route handler that receives the request's {@link Session}, its signals already merged into the store.
 *
 * <pre>{@code
 * config.routes.post("/increment", sessions.handler((ctx, session) ->
 *         session.store().update(s -> s.set("count", s.get("count", Integer.class, 0) + 1))));
 * }</pre>
 */
@FunctionalInterface
public interface SessionHandler {
    /** Handles the request. */
    void handle(Context ctx, Session session) throws Exception;
}
