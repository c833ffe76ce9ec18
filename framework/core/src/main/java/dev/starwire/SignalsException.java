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
    private final Reason reason;

    /**
     * What was wrong with the signals, as a short machine-readable word: what metrics count rejections by
     * ({@code starwire.signals.rejected}, tag {@code reason}).
     */
    public enum Reason {
        /** No signals where they belong: an empty body or an empty {@code datastar} parameter (400). */
        MISSING,
        /** Not a JSON object, not valid JSON, a form or query that is not valid URL encoding (400). */
        MALFORMED,
        /** Larger than the app's or the session's limit (413). */
        TOO_LARGE,
        /** Nested deeper than {@link Signals#MAX_DEPTH} levels (400). */
        TOO_DEEP,
        /** A signal of the wrong type for the record it is bound to (400). */
        WRONG_TYPE,
        /** The body could not be read: cut short, broken framing, an unreadable multipart form (400). */
        UNREADABLE;

        /** The reason in lower case with underscores, e.g. {@code too_large}: a metric's tag value. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * An error answered with {@code status}; its reason is {@link Reason#TOO_LARGE} for 413, else
     * {@link Reason#MALFORMED}.
     */
    public SignalsException(int status, String message) {
        this(status, message, (Throwable) null);
    }

    /**
     * An error answered with {@code status}, caused by {@code cause}; its reason as
     * {@link #SignalsException(int, String)}.
     */
    public SignalsException(int status, String message, Throwable cause) {
        this(status, status == 413 ? Reason.TOO_LARGE : Reason.MALFORMED, message, cause);
    }

    /** An error answered with {@code status} for {@code reason}. */
    public SignalsException(int status, Reason reason, String message) {
        this(status, reason, message, null);
    }

    /** An error answered with {@code status} for {@code reason}, caused by {@code cause} (may be {@code null}). */
    public SignalsException(int status, Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
    }

    /** What was wrong with the signals. */
    public Reason reason() {
        return reason;
    }

    /** The HTTP status to answer with: 400 or 413. */
    public int status() {
        return status;
    }
}
