package dev.starwire.servlet;

import dev.starwire.DatastarResponse;
import dev.starwire.Signals;
import dev.starwire.SignalsException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The two things every Datastar route does, for any servlet: read the request's signals, and send the answer.
 * The servlets of {@link StarwireServlets} do both for you; these are for servlets of your own.
 *
 * <pre>{@code
 * protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
 *     Greeting g = Datastar.signals(req, Greeting.class);
 *     Datastar.respond(req, res, DatastarResponse.of(PatchElements.inner("#hi", "Hello " + escape(g.name()))));
 * }
 * }</pre>
 *
 * <p>The signals are read once per request, where the Datastar 1.0.1 client puts them ({@link SignalsReader}),
 * with the default limit of 1 MiB ({@code starwire.signals(req)} applies the app's {@code maxSignalBytes}).
 * A {@link SignalsException} (400/413) thrown here is answered by {@link ErrorAnswer}.
 */
public final class Datastar {
    private Datastar() {
    }

    /**
     * The request's signals, read on the first call (by any part of Starwire) and kept on the request.
     *
     * @throws SignalsException 400 for missing (an empty body), malformed or unreadable signals, 413 above 1 MiB
     */
    public static Signals signals(HttpServletRequest request) {
        return SignalsReader.read(request, Signals.DEFAULT_MAX_BYTES, SignalsReader.SERVLET_PARTS);
    }

    /**
     * The request's signals bound to a record or class: strictly for JSON, converting text for forms
     * ({@link Signals#as}).
     *
     * @throws SignalsException 400 also when a signal has the wrong type, naming it
     */
    public static <T> T signals(HttpServletRequest request, Class<T> type) {
        return signals(request).as(type);
    }

    /**
     * Sends {@code answer}: its status, headers and body. The body is rendered before anything is set, so a
     * component that throws leaves the response untouched.
     */
    public static void respond(HttpServletRequest request, HttpServletResponse response, DatastarResponse answer)
            throws IOException {
        byte[] body = answer.body();
        writeHead(request, response, answer);
        if (answer.contentType() != null) {
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    /**
     * Sets {@code answer}'s status and headers, and its {@code Content-Type} when it has a body, for an adapter
     * whose web framework writes the body ({@link DatastarResponse#body()}) itself. A stream answer gets the
     * headers of a long-lived stream but {@code Connection}, which stays the container's.
     */
    public static void writeHead(HttpServletRequest request, HttpServletResponse response, DatastarResponse answer) {
        response.setStatus(answer.status());
        if (answer.isStream()) {
            SseHeaders.setForAnswer(response);
            return;
        }
        answer.headers().forEach(response::setHeader);
        if (answer.contentType() != null) {
            response.setContentType(answer.contentType());
        }
    }
}
