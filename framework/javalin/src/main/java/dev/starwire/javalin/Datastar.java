package dev.starwire.javalin;

import dev.starwire.DatastarResponse;
import dev.starwire.Signals;
import dev.starwire.SignalsException;
import dev.starwire.javalin.session.Sessions;
import dev.starwire.session.SessionUnavailableException;
import io.javalin.config.JavalinConfig;
import io.javalin.config.Key;
import io.javalin.config.NoValueForKeyException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * on it: every later read, by any part of Starwire, returns the same value.
 */
public final class Datastar {
    /** The app data key under which the {@link Starwire} plugin keeps {@link StarwireConfig#maxSignalBytes}. */
    static final Key<Long> MAX_SIGNAL_BYTES = new Key<>("starwire.maxSignalBytes");
    private static final String SIGNALS_ATTRIBUTE = Datastar.class.getName() + ".signals";
    private static final Logger LOG = LoggerFactory.getLogger(Datastar.class);
    /** How much of a refused, too large body is still read, so its client sees the 413. */
    private static final long DISCARD_LIMIT = 4L * 1024 * 1024;
    private static final String FORM = "application/x-www-form-urlencoded";

    private Datastar() {
    }

    /**
     * Answers every {@link SignalsException} with its status (400/413) and message as plain text, logged in
     * one rate-limited line, and a {@link SessionUnavailableException} (shared session storage down) with 503.
     * The {@link Starwire} plugin installs the same handlers.
     */
    public static void handleErrors(JavalinConfig config) {
        config.routes.exception(SignalsException.class, Datastar::answer);
        config.routes.exception(SessionUnavailableException.class, Sessions::answerUnavailable);
    }

    static void answer(SignalsException e, Context ctx) {
        ClientErrors.log(ctx, e.status(), e.getMessage());
        ctx.status(e.status()).contentType("text/plain; charset=utf-8").result(e.getMessage());
    }

    /**
     * The request's signals, read on the first call and kept on the request; see the class comment for where
     * they come from.
     *
     * @throws SignalsException 400 for missing (an empty body), malformed or unreadable signals, 413 for more
     *     than {@link StarwireConfig#maxSignalBytes} (1 MiB by default)
     */
    public static Signals signals(Context ctx) {
        Signals cached = ctx.attribute(SIGNALS_ATTRIBUTE);
        if (cached == null) {
            cached = read(ctx, maxBytes(ctx));
            ctx.attribute(SIGNALS_ATTRIBUTE, cached);
        }
        return cached;
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
     * Sends {@code response}: its status, {@code Content-Type}, headers and body. The body is rendered before
     * anything is set, so a component that throws leaves the response to Javalin's error handling.
     */
    public static void respond(Context ctx, DatastarResponse response) {
        byte[] body = response.body();
        ctx.status(response.status());
        response.headers().forEach(ctx::header);
        if (response.contentType() != null) {
            ctx.contentType(response.contentType());
            ctx.result(body);
        }
    }

    // ---- reading ----

    private static long maxBytes(Context ctx) {
        try {
            return ctx.appData(MAX_SIGNAL_BYTES);
        } catch (NoValueForKeyException e) {
            return Signals.DEFAULT_MAX_BYTES; // a plain Javalin app without the plugin
        }
    }

    private static Signals read(Context ctx, long maxBytes) {
        HandlerType method = ctx.method();
        String type = mimeType(ctx.header("Content-Type"));
        if (!(method.equals(HandlerType.POST) || method.equals(HandlerType.PUT) || method.equals(HandlerType.PATCH))) {
            // GET and DELETE keep JSON signals in ?datastar=..., a form's fields in the query itself
            return FORM.equals(type) ? Signals.fromForm(ctx.queryParamMap(), maxBytes)
                    : Signals.fromQuery(ctx.queryParam("datastar"), maxBytes);
        }
        if ("multipart/form-data".equals(type)) {
            return multipart(ctx, maxBytes);
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            if (declared - maxBytes <= DISCARD_LIMIT) {
                discard(ctx);
            }
            throw new SignalsException(413, "signals are larger than the limit of " + maxBytes + " bytes");
        }
        try {
            InputStream body = new ClientBody(ctx.req().getInputStream());
            return FORM.equals(type) ? Signals.fromFormBody(body, maxBytes) : Signals.fromJson(body, maxBytes);
        } catch (SignalsException e) {
            if (e.status() == 413) {
                discard(ctx);
            }
            throw e;
        } catch (IOException e) {
            throw new SignalsException(400, "the request body could not be read", e);
        }
    }

    private static Signals multipart(Context ctx, long maxBytes) {
        Map<String, List<String>> fields;
        try {
            fields = ctx.formParamMap(); // Javalin's multipart reader; file parts are left out
        } catch (RuntimeException e) {
            throw new SignalsException(400, "the multipart form body could not be read", e);
        }
        return Signals.fromForm(fields, maxBytes);
    }

    private static String mimeType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads and drops what is left of a refused body (at most {@link #DISCARD_LIMIT} bytes), so the client
     * finishes sending and reads the 413 instead of a connection reset.
     */
    private static void discard(Context ctx) {
        byte[] buf = new byte[16 * 1024];
        long left = DISCARD_LIMIT;
        try {
            InputStream in = ctx.req().getInputStream();
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) != -1; ) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not read the rest of a refused body: {}", e.toString());
        }
    }

    /**
     * The request body as the client sent it. Jetty reports broken framing (a bad chunk size) as a runtime
     * exception; here every read failure is an {@link IOException}, which {@link Signals} answers with 400.
     */
    private static final class ClientBody extends FilterInputStream {
        ClientBody(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (RuntimeException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (RuntimeException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
