package dev.starwire.servlet;

/**
 * A request Starwire turns away before its handler runs, with the status and the plain-text reason its client
 * gets: {@code 403} for a mutating request that fails the cross-site request forgery check, {@code 503} for a
 * stream opened while the server stops. Answered by {@link ErrorAnswer}; it carries no stack trace, since a
 * refusal is an expected outcome, not a fault.
 *
 * <pre>{@code
 * try {
 *     starwire.guard(request);
 * } catch (RequestRefusedException e) {
 *     ErrorAnswer.of(e, request).send(response);   // 403 refused: ...
 * }
 * }</pre>
 */
public final class RequestRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /** A refusal with a 4xx or 5xx {@code status} and the {@code message} sent to the client. */
    public RequestRefusedException(int status, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a refusal is 4xx or 5xx, got " + status);
        }
        this.status = status;
    }

    /** The HTTP status the client gets. */
    public int status() {
        return status;
    }
}
