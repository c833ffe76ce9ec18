package dev.starwire.servlet;

import dev.starwire.DatastarResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * A servlet made by {@link StarwireServlets}: an action answering one HTTP method, or a stream. It checks the
 * method (405 for others), refuses cross-site mutating requests (403), runs the handler, and answers the errors
 * Starwire knows with {@link ErrorAnswer}; any other failure is logged and answered with a plain 500, never with
 * a stack trace. Register it with async support ({@link StarwireServlets#register} does).
 */
final class StarwireServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String STREAM_METHODS = "GET, POST, PUT, PATCH, DELETE";

    /** What the servlet does with a request whose method it accepts. */
    @FunctionalInterface
    interface Handling {
        void handle(HttpServletRequest request, HttpServletResponse response) throws Exception;
    }

    private final transient StarwireServlets app;
    private final String method; // null: a stream, which accepts GET and the mutating methods
    private final transient Handling handling;

    private StarwireServlet(StarwireServlets app, String method, Handling handling) {
        this.app = app;
        this.method = method;
        this.handling = handling;
    }

    static StarwireServlet stream(StarwireServlets app, StreamHandler handler) {
        return new StarwireServlet(app, null, (req, res) -> app.openStream(req, res, handler));
    }

    static StarwireServlet action(StarwireServlets app, String method, Action action) {
        return new StarwireServlet(app, method, (req, res) -> {
            if (MUTATING.contains(method)) {
                app.guard(req);
            }
            DatastarResponse answer = action.handle(req, res);
            if (answer == null) {
                throw new IllegalStateException("the action of " + req.getMethod() + " " + req.getRequestURI()
                        + " returned null; return DatastarResponse.noContent() when there is nothing to send");
            }
            Datastar.respond(req, res, answer);
        });
    }

    static boolean isMutating(String method) {
        return MUTATING.contains(method);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String m = req.getMethod();
        if (method == null ? !(m.equals("GET") || MUTATING.contains(m)) : !method.equals(m)) {
            res.setHeader("Allow", method == null ? STREAM_METHODS : method);
            new ErrorAnswer(405, "method " + m + " is not allowed here", null).send(res);
            return;
        }
        try {
            handling.handle(req, res);
        } catch (Exception | Error e) {
            app.answerError(e, req, res);
        }
    }
}
