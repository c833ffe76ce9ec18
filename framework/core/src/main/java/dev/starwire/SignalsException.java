package dev.starwire;

/**
 * The signals a request carried cannot be read. Carries the HTTP status to answer with ({@code 400} for
 * missing, malformed, non-object, too deep, mistyped or unreadable signals, {@code 413} for too large) and a
 * message meant for the developer who sent the request. The Javalin adapter answers it as plain text and
 * logs it in one line.
 *
 * <pre>{@code
 * try { Signals.fromJson(in, Signals.DEFAULT_MAX_BYTES).as(ChatForm.class); }
 * catch (SignalsException e) { respond(e.status(), e.getMessage()); }
 * }</pre>
 */
public final class SignalsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    /** An error answered with {@code status}. */
    public SignalsException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** An error answered with {@code status}, caused by {@code cause}. */
    public SignalsException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status to answer with: 400 or 413. */
    public int status() {
        return status;
    }
}
