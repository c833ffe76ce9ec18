package dev.starwire.hub;

/**
 * The topic's backend cannot store or read events now (e.g. Redis is down or does not answer), so the
 * operation did not happen: a failed {@link Topic#publish} stored nothing and reached nobody. Answer the user
 * "not sent, try again"; the backend recovers by itself.
 *
 * <pre>{@code
 * chat.publish(event).exceptionally(e -> {
 *     if (e.getCause() instanceof TopicUnavailableException) log.info("chat down: {}", e.getCause().getMessage());
 *     return null;
 * });
 * }</pre>
 */
public final class TopicUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An unavailable backend, described by {@code message}, caused by {@code cause} (may be null). */
    public TopicUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An unavailable backend, described by {@code message}. */
    public TopicUnavailableException(String message) {
        super(message);
    }
}
