package dev.starwire.hub.spi;

import dev.starwire.hub.Topic;
import dev.starwire.hub.TopicUnavailableException;
import java.time.Instant;
import java.util.Objects;

/**
 * Whether a {@link TopicBackend} can store events right now, as its circuit breaker sees it. While it is down,
 * {@link Topic#publish} fails at once with {@link TopicUnavailableException} instead of waiting for a dependency
 * that is not there, so an action can answer "not sent, try again" immediately and the server keeps serving
 * everything else.
 *
 * <pre>{@code
 * BackendHealth health = hub.topic("chat").health();
 * if (!health.isUp()) {
 *     log.info("chat unavailable since {}: {}", health.since(), health.reason());
 * }
 * }</pre>
 *
 * @param isUp   whether appends are attempted
 * @param reason why it is down, e.g. {@code "Redis at 127.0.0.1:6379/0: Connection refused"}; empty when up
 * @param since  when it last changed state
 */
public record BackendHealth(boolean isUp, String reason, Instant since) {
    private static final BackendHealth ALWAYS_UP = new BackendHealth(true, "", Instant.EPOCH);

    /** Checks the parts are present. */
    public BackendHealth {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
    }

    /** Up, for a backend that cannot fail (the in-memory one). */
    public static BackendHealth up() {
        return ALWAYS_UP;
    }

    /** Up since {@code since}. */
    public static BackendHealth upSince(Instant since) {
        return new BackendHealth(true, "", since);
    }

    /** Down since {@code since}, for {@code reason}. */
    public static BackendHealth down(String reason, Instant since) {
        return new BackendHealth(false, reason, since);
    }
}
