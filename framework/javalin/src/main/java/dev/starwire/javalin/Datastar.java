package dev.starwire.javalin;

import dev.starwire.DatastarResponse;
import dev.starwire.Signals;
import dev.starwire.SignalsException;
import dev.starwire.hub.TopicUnavailableException;
import dev.starwire.servlet.ErrorAnswer;
import dev.starwire.servlet.RequestRefusedException;
import dev.starwire.servlet.SignalsReader;
import dev.starwire.session.SessionUnavailableException;
import io.javalin.config.JavalinConfig;
import io.javalin.config.Key;
import io.javalin.config.NoValueForKeyException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.ExceptionHandler;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two things every Datastar route does in Javalin: read the request's signals, and send the answer.
 * The {@link Starwire} plugin's routes do both for you; these are for plain Javalin handlers.
 *
 * <pre>{@code
 * Javalin.create(config -> {
 *     Datastar.handleErrors(config);              // unreadable signals -> 400/413 with a message
 *     config.routes.post("/hello", ctx -> {
 *         Greeting g = Datastar.signals(ctx, Greeting.class);
 *         Datastar.respond(ctx, DatastarResponse.of(PatchElements.inner("#hi", "Hello " + escape(g.name()))));
 *     });
 * });
 * }</pre>
 *
 * <h2>Where the signals are</h2>
 * As the Datastar 1.0.1 client sends them: {@code GET} and {@code DELETE} (and {@code HEAD}, {@code OPTIONS})
 * in the {@code datastar} query parameter; {@code POST}, {@code PUT} and {@code PATCH} in a JSON body. A form
 * sent with {@code {contentType: 'form'}} arrives as an {@code application/x-www-form-urlencoded} or
 * {@code multipart/form-data} body (the file parts of a multipart form are not signals: read them with
 * {@code ctx.uploadedFiles()}), or, for {@code GET}/{@code DELETE}, as query parameters with the header
 * {@code Content-Type: application/x-www-form-urlencoded}. The signals are read once per request and kept
 * on it: every later read, by any part of Starwire, returns the same value. The reader is Starwire's one
 * signals reader ({@link SignalsReader}), shared with the servlet adapter.
 */
public final class Datastar {
    private static final Logger LOG = LoggerFactory.getLogger(Datastar.class);
    /** The app data key under which the {@link Starwire} plugin keeps {@link StarwireConfig#maxSignalBytes}. */
    static final Key<Long> MAX_SIGNAL_BYTES = new Key<>("starwire.maxSignalBytes");

    private Datastar() {
    }

    /**
     * Answers the errors Starwire knows as {@link ErrorAnswer} does: a {@link SignalsException} with its status
     * (400/413) and message as plain text, logged in one rate-limited line; a refused request (403) likewise; a
     * {@link SessionUnavailableException} or {@link TopicUnavailableException} (a shared storage or backend is
     * down) with 503 and {@code Retry-After}. The {@link Starwire} plugin installs the same handlers.
     */
    public static void handleErrors(JavalinConfig config) {
        handleErrors(config.routes);
    }

    static void handleErrors(RoutesConfig routes) {
        handleErrors(routes, ErrorAnswer::of);
    }

    /** The handlers, answering with {@code answers} (the plugin's counts what it answers). */
    static void handleErrors(RoutesConfig routes, BiFunction<Throwable, HttpServletRequest, ErrorAnswer> answers) {
        ExceptionHandler<Exception> answer = (e, ctx) -> answer(answers.apply(e, ctx.req()), e, ctx);
        routes.exception(SignalsException.class, answer);
        routes.exception(RequestRefusedException.class, answer);
        routes.exception(SessionUnavailableException.class, answer);
        routes.exception(TopicUnavailableException.class, answer);
    }

    private static void answer(ErrorAnswer answer, Exception e, Context ctx) {
        if (answer == null) {
            throw new IllegalStateException("no answer for " + e.getClass().getName(), e); // handlers are ours only
        }
        if (answer.retryAfter() != null) {
            ctx.header("Retry-After", answer.retryAfter());
        }
        ctx.status(answer.status()).contentType(ErrorAnswer.CONTENT_TYPE).result(answer.message());
    }

    /**
     * The request's signals, read on the first call and kept on the request; see the class comment for where
     * they come from.
     *
     * @throws SignalsException 400 for missing (an empty body), malformed or unreadable signals, 413 for more
     *     than {@link StarwireConfig#maxSignalBytes} (1 MiB by default)
     */
    public static Signals signals(Context ctx) {
        return SignalsReader.read(ctx.req(), maxBytes(ctx), (req, max) -> ctx.formParamMap());
    }

    /**
     * The request's signals bound to a record or class: strictly for JSON, converting text for forms
     * ({@link Signals#as}).
     *
     * @throws SignalsException 400 also when a signal has the wrong type, naming it
     */
    public static <T> T signals(Context ctx, Class<T> type) {
        return signals(ctx).as(type);
    }

    /**
     * Sends {@code response}: its status, {@code Content-Type}, headers and body (a stream answer with the same
     * headers as a long-lived stream). The body is rendered before anything is set, so a component that throws
     * leaves the response to Javalin's error handling.
     */
    public static void respond(Context ctx, DatastarResponse response) {
        byte[] body = response.body();
        dev.starwire.servlet.Datastar.writeHead(ctx.req(), ctx.res(), response);
        if (response.contentType() != null) {
            // Straight into Javalin's output stream (compressed as a result would be): a result is copied
            // through a new 32 KiB buffer per response, half of what an action's request allocated.
            try {
                ctx.outputStream().write(body);
            } catch (IOException e) {
                // Only the connection fails a write of a body in hand: the client left, nobody is there to answer
                LOG.debug("{} {}: the client went away before its answer was written: {}", ctx.method(), ctx.path(),
                        e.toString());
            }
        }
    }

    private static long maxBytes(Context ctx) {
        try {
            return ctx.appData(MAX_SIGNAL_BYTES);
        } catch (NoValueForKeyException e) {
            return Signals.DEFAULT_MAX_BYTES; // a plain Javalin app without the plugin
        }
    }
}
