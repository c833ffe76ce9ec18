package dev.starwire.redis;

import dev.starwire.hub.spi.BackendHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's circuit breaker: open (down) from the first sign that Redis is gone (the connection dropped,
 * a command failed or timed out, a heartbeat went unanswered) until a probe has settled every append of
 * unknown outcome and Redis answered again. While open, nothing is sent to Redis: callers are told at once.
 * Logs one line when it opens and one when it closes, however many calls fail in between.
 */
final class Circuit {
    private static final Logger log = LoggerFactory.getLogger(RedisTopicBackend.class);

    private final String where;
    private final Clock clock;
    private final AtomicReference<BackendHealth> state;
    private final AtomicInteger refusedWhileDown = new AtomicInteger();

    Circuit(String where, Clock clock) {
        this.where = where;
        this.clock = clock;
        this.state = new AtomicReference<>(BackendHealth.upSince(clock.instant()));
    }

    BackendHealth health() {
        return state.get();
    }

    boolean isUp() {
        return state.get().isUp();
    }

    /** Opens the circuit (once per outage) because of {@code reason}. */
    void down(String reason) {
        BackendHealth now = state.get();
        if (now.isUp() && state.compareAndSet(now, BackendHealth.down("Redis at " + where + ": " + reason,
                clock.instant()))) {
            log.warn("Redis at {} is unavailable ({}); publishes fail at once until it answers again", where, reason);
        }
    }

    /** Counts a call refused because the circuit is open. */
    void refused() {
        refusedWhileDown.incrementAndGet();
    }

    /** Closes the circuit after a successful probe; {@code settled} describes the appends it resolved. */
    void up(String settled) {
        BackendHealth now = state.get();
        if (!now.isUp() && state.compareAndSet(now, BackendHealth.upSince(clock.instant()))) {
            Duration down = Duration.between(now.since(), clock.instant());
            log.info("Redis at {} is available again after {} ms; {} call(s) were refused meanwhile{}", where,
                    down.toMillis(), refusedWhileDown.getAndSet(0), settled);
        }
    }
}
