package dev.starwire.javalin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.DatastarResponse;
import dev.starwire.Signals;
import dev.starwire.SignalsException;
import dev.starwire.SseWriter;
import dev.starwire.javalin.session.Sessions;
import dev.starwire.session.SessionUnavailableException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers Javalin requests the Datastar way: read the signals a request carries, open a short SSE stream
 * that the handler writes and ends before returning, or send a one-shot response. For streams that stay
 * open (live updates, topics, sessions) use the {@link Starwire} plugin instead: its streams hold no thread.
 *
 * <pre>{@code
 * Javalin.create(config -> {
 *     Datastar.handleErrors(config);
 *     config.routes.get("/hello", ctx -> {
 *         Greeting g = Datastar.signals(ctx, Greeting.class);
 *         Datastar.sse(ctx).send(PatchElements.of("<p id=\"hi\">Hello " + escape(g.name()) + "</p>"));
 *     });
 * });
 * }</pre>
 */
public final class Datastar {
    private static final Logger LOG = LoggerFactory.getLogger(Datastar.class);
    /** How much of a refused, too large body is still read, so its client sees the 413. */
    private static final long DISCARD_LIMIT = 4L * 1024 * 1024;

    private Datastar() {
    }

    /**
     * Answers every {@link SignalsException} with its status (400/413) and message as plain text, and a
     * {@link SessionUnavailableException} (shared session storage down) with 503.
     */
    public static void handleErrors(JavalinConfig config) {
        config.routes.exception(SignalsException.class, (e, ctx) -> {
            LOG.debug("bad signals on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.status(e.status()).contentType("text/plain; charset=utf-8").result(e.getMessage());
        });
        config.routes.exception(SessionUnavailableException.class, Sessions::answerUnavailable);
    }

    /** The request's signals: the {@code datastar} query parameter of a GET, the JSON body otherwise. */
    public static ObjectNode signals(Context ctx) {
        return signals(ctx, Signals.DEFAULT_MAX_BYTES);
    }

    /** As {@link #signals(Context)}, with a size limit in bytes. */
    public static ObjectNode signals(Context ctx, long maxBytes) {
        if (ctx.method() == HandlerType.GET) {
            return Signals.fromQuery(ctx.queryParam("datastar"), maxBytes);
        }
        long declared = ctx.req().getContentLengthLong();
        try {
            if (declared > maxBytes) {
                if (declared - maxBytes <= DISCARD_LIMIT) {
                    discard(ctx.req().getInputStream());
                }
                throw new SignalsException(413, "signals are larger than the limit of " + maxBytes + " bytes");
            }
            try {
                return Signals.fromBody(ctx.req().getInputStream(), maxBytes);
            } catch (SignalsException e) {
                if (e.status() == 413) {
                    discard(ctx.req().getInputStream());
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads and drops what is left of a refused body (at most {@link #DISCARD_LIMIT} bytes), so the client
     * finishes sending and reads the 413 instead of a connection reset.
     */
    private static void discard(InputStream in) {
        byte[] buf = new byte[16 * 1024];
        long left = DISCARD_LIMIT;
        try {
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) != -1; ) {
                left -= n;
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("could not read the rest of a refused body", e);
        }
    }

    /** The request's signals bound to a record or class. */
    public static <T> T signals(Context ctx, Class<T> type) {
        return Signals.bind(signals(ctx), type);
    }

    /** Opens an SSE stream: sets the headers and flushes them at once. */
    public static SseStream sse(Context ctx) {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        if ("HTTP/1.1".equals(ctx.req().getProtocol())) {
            ctx.res().setHeader("Connection", "keep-alive");
        }
        try {
            var out = ctx.res().getOutputStream();
            out.flush();
            return new SseStream(new SseWriter(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a one-shot response. */
    public static void respond(Context ctx, DatastarResponse response) {
        ctx.status(response.status());
        if (response.contentType() != null) {
            ctx.res().setContentType(response.contentType());
        }
        response.headers().forEach(ctx.res()::setHeader);
        try {
            response.writeBody(ctx.res().getOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
