package dev.starwire.servlet;

import dev.starwire.SignalsException;
import dev.starwire.hub.TopicUnavailableException;
import dev.starwire.servlet.session.Sessions;
import dev.starwire.session.SessionUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How Starwire answers the errors it knows, in every adapter: a status, a plain-text message and, for a
 * dependency that is down, {@code Retry-After}; never a stack trace or a class name.
 *
 * <table>
 *   <caption>The mapping</caption>
 *   <tr><th>error</th><th>answer</th></tr>
 *   <tr><td>{@link SignalsException}</td><td>its status (400 or 413) and message</td></tr>
 *   <tr><td>{@link RequestRefusedException}</td><td>its status (403, or 503 while stopping) and message</td></tr>
 *   <tr><td>{@link SessionUnavailableException}</td><td>503, {@code Retry-After: 2},
 *       {@link Sessions#UNAVAILABLE_MESSAGE}</td></tr>
 *   <tr><td>{@link TopicUnavailableException}</td><td>503, {@code Retry-After: 5}, "temporarily unavailable,
 *       try again"</td></tr>
 * </table>
 *
 * <p>A client error (4xx) is logged in one rate-limited line; an outage at debug level only, since its
 * dependency logs it once.
 *
 * <pre>{@code
 * } catch (RuntimeException e) {
 *     ErrorAnswer answer = ErrorAnswer.of(e, request);
 *     if (answer == null) throw e;     // not Starwire's: the container's error handling
 *     answer.send(response);
 * }
 * }</pre>
 *
 * @param status     the HTTP status
 * @param message    the plain-text body
 * @param retryAfter the {@code Retry-After} header in seconds, or {@code null}
 */
public record ErrorAnswer(int status, String message, String retryAfter) {
    /** The {@code Content-Type} of every error answer. */
    public static final String CONTENT_TYPE = "text/plain; charset=utf-8";
    /** The body of the 503 answered while a topic's backend (e.g. Redis) cannot be reached. */
    public static final String TOPIC_UNAVAILABLE_MESSAGE = "temporarily unavailable, try again";

    private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswer.class);

    /**
     * The answer to {@code error}, logged; {@code null} when Starwire does not answer that error (the
     * framework's or container's own error handling then applies).
     */
    public static ErrorAnswer of(Throwable error, HttpServletRequest request) {
        if (error instanceof SignalsException) {
            SignalsException e = (SignalsException) error;
            ClientErrors.log(request, e.status(), e.getMessage());
            return new ErrorAnswer(e.status(), e.getMessage(), null);
        }
        if (error instanceof RequestRefusedException) {
            RequestRefusedException e = (RequestRefusedException) error;
            if (e.status() < 500) {
                ClientErrors.log(request, e.status(), e.getMessage());
            }
            return new ErrorAnswer(e.status(), e.getMessage(), null);
        }
        if (error instanceof SessionUnavailableException) {
            outage(request, error);
            return new ErrorAnswer(503, Sessions.UNAVAILABLE_MESSAGE, "2");
        }
        if (error instanceof TopicUnavailableException) {
            outage(request, error);
            return new ErrorAnswer(503, TOPIC_UNAVAILABLE_MESSAGE, "5");
        }
        return null;
    }

    /** As {@link #of}, but any other error is logged with its stack trace and answered 500 with a plain message. */
    public static ErrorAnswer orInternalError(Throwable error, HttpServletRequest request) {
        ErrorAnswer answer = of(error, request);
        if (answer == null) {
            LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), error);
            answer = new ErrorAnswer(500, "internal server error", null);
        }
        return answer;
    }

    /** Sends this answer on {@code response}, unless it is already committed. */
    public void send(HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            LOG.debug("the response was already committed; could not send {} {}", status, message);
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        if (retryAfter != null) {
            response.setHeader("Retry-After", retryAfter);
        }
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static void outage(HttpServletRequest request, Throwable e) {
        // the storage or backend logs the outage once; one line per request would flood the log
        LOG.debug("{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    }
}
