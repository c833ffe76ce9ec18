package dev.starwire.session;

/**
 * The storage that shares sessions between instances (e.g. Redis) cannot be reached right now. Nothing was
 * confirmed: a change may or may not have been stored. Answer the request with an error the user can see
 * (the Starwire plugin answers {@code 503} with {@link #getMessage()} as plain text) and try again later;
 * the storage reconnects by itself.
 *
 * <pre>{@code
 * try {
 *     starwire.session(ctx).store().set("running", false);
 * } catch (SessionUnavailableException e) {
 *     return DatastarResponse.of(PatchElements.of("<p id=\"error\">Please try again in a moment.</p>"));
 * }
 * }</pre>
 */
public final class SessionUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The storage failed with {@code cause}. */
    public SessionUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
