package dev.starwire.javalin;

import dev.starwire.Signals;
import dev.starwire.servlet.session.Session;
import io.javalin.http.Context;
import java.time.Duration;

/**
 * One long-lived Server-Sent Events response, opened by a {@link Starwire#stream} route: it stays open after
 * its handler returns, until the client leaves or the server closes it. Everything it does is
 * {@link dev.starwire.servlet.LiveStream}'s (sending, following a topic, a session, timers, closing); this
 * handle adds the request's Javalin {@link #ctx()} and reads signals with Javalin's multipart support.
 *
 * <pre>{@code
 * config.routes.get("/chat/stream", starwire.stream(stream -> {
 *     stream.subscribe(chat, () -> stream.send(historyPatch()));  // full state for new or too-old clients
 *     stream.onClose(() -> presence.leave(stream));
 * }));
 * }</pre>
 *
 * <p>All methods are thread-safe and never block.
 */
public final class LiveStream extends dev.starwire.servlet.LiveStream {
    private final Context ctx;

    LiveStream(dev.starwire.servlet.LiveStream stream, Context ctx) {
        super(stream);
        this.ctx = ctx;
    }

    /** The request that opened the stream (read its headers, path and query; do not write to it). */
    public Context ctx() {
        return ctx;
    }

    @Override
    public LiveStream onClose(Runnable callback) {
        super.onClose(callback);
        return this;
    }

    @Override
    public LiveStream every(Duration period, Runnable task) {
        super.every(period, task);
        return this;
    }

    /** The signals of the request that opened the stream ({@link Datastar#signals}, read once). */
    @Override
    public Signals signals() {
        return Datastar.signals(ctx);
    }

    @Override
    public Session session() {
        Datastar.signals(ctx); // read as every Javalin route reads them; the session reuses them
        return super.session();
    }
}
