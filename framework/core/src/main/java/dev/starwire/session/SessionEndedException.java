package dev.starwire.session;

/**
 * The session behind a shared signal store no longer exists: it expired, was evicted, or was ended on some
 * instance. Its store keeps its last signals for reading but refuses changes. The session registry answers
 * the next request with a new session.
 *
 * <pre>{@code
 * try { store.set("count", 1); }
 * catch (SessionEndedException e) { stream.close(); }   // the tab reconnects and gets a new session
 * }</pre>
 */
public final class SessionEndedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The session ended. */
    public SessionEndedException(String message) {
        super(message);
    }
}
