package dev.starwire.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * The connection options {@link RedisTopicBackend.Builder} and {@link RedisSessionStorage.Builder} share; every
 * one has a sensible default. Only those two builders extend it.
 *
 * <pre>{@code
 * RedisTopicBackend.builder("redis://redis.internal:6379/0")
 *         .keyPrefix("myapp:topic:")
 *         .commandTimeout(Duration.ofSeconds(2))
 *         .build();
 * }</pre>
 *
 * @param <B> the concrete builder, returned by every setter so calls chain
 */
public abstract class ConnectionOptions<B extends ConnectionOptions<B>> {
    final String url;
    String keyPrefix;
    Duration commandTimeout = Duration.ofSeconds(5);
    Duration maxReconnectDelay = Duration.ofSeconds(5);
    Duration readerBlock = Duration.ofSeconds(2);

    ConnectionOptions(String url, String defaultKeyPrefix) {
        this.url = Objects.requireNonNull(url, "redisUrl");
        this.keyPrefix = defaultKeyPrefix;
    }

    abstract B self();

    /**
     * Prefix of every Redis key written (default {@code "starwire:topic:"} for a topic backend,
     * {@code "starwire:session:"} for a session storage); lets several apps share one Redis.
     */
    public B keyPrefix(String prefix) {
        this.keyPrefix = Objects.requireNonNull(prefix, "prefix");
        return self();
    }

    /** How long a call may wait for Redis before it fails (default 5 s); also the connect timeout. */
    public B commandTimeout(Duration timeout) {
        this.commandTimeout = positive(timeout, "command timeout");
        return self();
    }

    /** Longest wait between reconnect attempts (default 5 s); waits start at 100 ms and double. */
    public B maxReconnectDelay(Duration delay) {
        this.maxReconnectDelay = positive(delay, "reconnect delay");
        return self();
    }

    /** How long one blocking {@code XREAD} waits before the reader asks again (default 2 s). */
    B readerBlock(Duration block) {
        this.readerBlock = positive(block, "reader block");
        return self();
    }

    /** {@code value}, checked to be at least {@code min}. */
    static int atLeast(int value, int min, String what) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be at least " + min + ": " + value);
        }
        return value;
    }

    static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }
}
