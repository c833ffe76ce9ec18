package dev.starwire.redis;

import dev.starwire.hub.StoredEvent;
import dev.starwire.hub.TopicBackend;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TopicBackend} on Redis Streams, so several application instances behind a load balancer share
 * their topics: every event is appended with {@code XADD <prefix><topic> MAXLEN ~ <window> * f <frame>},
 * each instance runs one blocking {@code XREAD} reader per topic and fans out locally, and the stream entry
 * id ({@code "1732712345678-0"}) is the SSE event id, so a browser's {@code Last-Event-ID} can be replayed
 * ({@code XRANGE}) by any instance.
 *
 * <pre>{@code
 * TopicBackend backend = RedisTopicBackend.fromUrl("redis://127.0.0.1:6379");
 * // or: only when REDIS_URL is set, otherwise stay in-process
 * Optional<RedisTopicBackend> shared = RedisTopicBackend.fromEnvironment();
 * // or, tuned:
 * RedisTopicBackend tuned = RedisTopicBackend.builder("redis://redis.internal:6379/0")
 *         .replayWindow(50_000)
 *         .keyPrefix("myapp:topic:")
 *         .build();
 * }</pre>
 *
 * <p>Failures: the publishing connection reconnects by itself with backoff; while it is down {@link #append}
 * fails at once (commands are rejected, not queued), an append in flight when the connection breaks fails
 * instead of being sent again (no duplicates), and one that Redis does not answer within the command timeout
 * fails with a {@code RedisCommandTimeoutException}. A failed append means "not confirmed": Redis may still have stored it if the
 * connection broke after the command reached it. Readers reconnect with backoff and resume after the last id
 * they delivered. See {@code docs/scaling.md}.
 */
public final class RedisTopicBackend implements TopicBackend {

    /** The environment variable {@link #fromEnvironment()} reads. */
    public static final String ENV_VARIABLE = "REDIS_URL";
    /** Stream field holding the SSE frame. */
    static final String FRAME_FIELD = "f";

    private static final Logger log = LoggerFactory.getLogger(RedisTopicBackend.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    /** Extra entries an approximate MAXLEN may keep beyond the window (one radix-tree node, 100 by default). */
    private static final long TRIM_SLACK = 1_000;

    private final String where;
    private final String keyPrefix;
    private final long replayWindow;
    private final Duration commandTimeout;
    private final Duration readerBlock;
    private final Duration maxReconnectDelay;
    private final ClientResources resources;
    private final RedisClient commandClient;
    private final RedisClient readerClient;
    private final RedisURI readerUri;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final ExecutorService callbackPool;
    private final Executor callbacks;
    private final Map<String, TopicReader> readers = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean appendsFailing = new AtomicBoolean();
    private final AtomicInteger failedAppends = new AtomicInteger();

    private RedisTopicBackend(Builder b) {
        RedisURI uri = RedisURI.create(b.url);
        this.where = uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
        this.keyPrefix = b.keyPrefix;
        this.replayWindow = b.replayWindow;
        this.commandTimeout = b.commandTimeout;
        this.readerBlock = b.readerBlock;
        this.maxReconnectDelay = b.maxReconnectDelay;
        uri.setTimeout(commandTimeout);
        this.readerUri = RedisURI.create(b.url);
        // A blocking XREAD must not time out before Redis answers it; a silent network cut still ends it.
        readerUri.setTimeout(readerBlock.plus(commandTimeout));

        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), maxReconnectDelay, 2, TimeUnit.MILLISECONDS))
                .build();
        SocketOptions socket = SocketOptions.builder()
                .connectTimeout(commandTimeout)
                .keepAlive(SocketOptions.KeepAliveOptions.builder().enable()
                        .idle(Duration.ofSeconds(15)).interval(Duration.ofSeconds(5)).count(3).build())
                .build();
        this.commandClient = RedisClient.create(resources, uri);
        commandClient.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While disconnected, fail appends at once instead of buffering them for an unknown time; this
                // also fails (rather than re-sends) commands in flight when the connection breaks, so an XADD
                // that may already be stored is never appended twice.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled())
                .socketOptions(socket)
                .build());
        this.readerClient = RedisClient.create(resources);
        readerClient.setOptions(ClientOptions.builder()
                .autoReconnect(false) // readers reconnect themselves, to resume after their last id
                .timeoutOptions(TimeoutOptions.enabled())
                .socketOptions(socket)
                .build());

        this.callbackPool = Executors.newCachedThreadPool(runnable -> {
            Thread t = new Thread(runnable, "starwire-redis-callback");
            t.setDaemon(true);
            return t;
        });
        this.callbacks = task -> {
            try {
                callbackPool.execute(task);
            } catch (RejectedExecutionException closing) {
                task.run();
            }
        };
        try {
            this.connection = commandClient.connect(CODEC);
        } catch (RuntimeException e) {
            shutdownClients();
            throw new IllegalStateException("Cannot connect to Redis at " + where + ": " + e.getMessage(), e);
        }
        log.info("Redis topic backend connected to {} (keys {}<topic>, replay window ~{} events per topic)",
                where, keyPrefix, replayWindow);
    }

    /** Connects to the Redis at {@code redisUrl} ({@code redis://[[user:]password@]host[:port][/db]}) with defaults. */
    public static RedisTopicBackend fromUrl(String redisUrl) {
        return builder(redisUrl).build();
    }

    /**
     * Connects to {@code $REDIS_URL} with defaults; empty when the variable is unset or blank, so the caller
     * keeps its in-process backend.
     */
    public static Optional<RedisTopicBackend> fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static Optional<RedisTopicBackend> fromEnvironment(Map<String, String> env) {
        String url = env.get(ENV_VARIABLE);
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(fromUrl(url.strip()));
    }

    /** Starts configuring a backend for the Redis at {@code redisUrl}. */
    public static Builder builder(String redisUrl) {
        return new Builder(redisUrl);
    }

    /** The Redis key of {@code topic}'s stream. */
    public String streamKey(String topic) {
        return keyPrefix + Objects.requireNonNull(topic, "topic");
    }

    @Override
    public CompletableFuture<String> append(String topic, byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        String key = streamKey(topic);
        CompletableFuture<String> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new IllegalStateException("Redis topic backend is closed"));
            return result;
        }
        try {
            connection.async()
                    .xadd(key, XAddArgs.Builder.maxlen(replayWindow).approximateTrimming(), Map.of(FRAME_FIELD, frame))
                    // Complete off Lettuce's I/O thread: callers' callbacks must never stall Redis traffic.
                    .whenCompleteAsync((id, failure) -> {
                        if (failure == null) {
                            appendSucceeded();
                            result.complete(id);
                        } else {
                            appendFailed(topic, failure);
                            result.completeExceptionally(failure);
                        }
                    }, callbacks);
        } catch (RuntimeException e) {
            appendFailed(topic, e);
            result.completeExceptionally(e);
        }
        return result;
    }

    @Override
    public AutoCloseable listen(String topic, Consumer<StoredEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        String key = streamKey(topic);
        // A private wrapper so the same listener registered twice is removed once per handle.
        Consumer<StoredEvent> registration = listener::accept;
        TopicReader reader = joinReader(topic, registration);
        if (reader == null) {
            // First listener of this topic here: find the tail without holding the lock (a Redis round trip).
            String tail = tailOrNull(topic, key);
            synchronized (readers) {
                reader = joinReader(topic, registration);
                if (reader == null) {
                    reader = new TopicReader(topic, key, tail,
                            () -> readerClient.connect(CODEC, readerUri), readerBlock, maxReconnectDelay);
                    reader.add(registration);
                    readers.put(topic, reader);
                    reader.start();
                }
            }
        }
        TopicReader registeredOn = reader;
        AtomicBoolean stopped = new AtomicBoolean();
        return () -> {
            if (stopped.compareAndSet(false, true)) {
                unregister(topic, registeredOn, registration);
            }
        };
    }

    @Override
    public Optional<List<StoredEvent>> replay(String topic, String lastEventId) {
        String key = streamKey(topic);
        if (!StreamIds.isValid(lastEventId)) {
            return Optional.empty();
        }
        long limit = replayWindow + TRIM_SLACK;
        List<StreamMessage<String, byte[]>> entries;
        try {
            // Inclusive, so we can see that lastEventId itself is still kept: if it was trimmed, entries right
            // after it may be gone too, and a partial replay would silently lose events.
            entries = connection.sync().xrange(key,
                    Range.from(Range.Boundary.including(lastEventId), Range.Boundary.unbounded()),
                    Limit.from(limit + 2));
        } catch (RuntimeException e) {
            log.warn("Replay of topic '{}' after {} unavailable, the client resynchronises instead: {}",
                    topic, lastEventId, e.toString());
            return Optional.empty();
        }
        if (entries.isEmpty() || !entries.get(0).getId().equals(lastEventId) || entries.size() > limit + 1) {
            log.debug("Event {} of topic '{}' is no longer in the replay window", lastEventId, topic);
            return Optional.empty();
        }
        List<StoredEvent> missed = new ArrayList<>(entries.size() - 1);
        for (StreamMessage<String, byte[]> entry : entries.subList(1, entries.size())) {
            byte[] frame = entry.getBody().get(FRAME_FIELD);
            if (frame != null) {
                missed.add(new StoredEvent(entry.getId(), frame));
            }
        }
        return Optional.of(List.copyOf(missed));
    }

    /**
     * Orders two stream ids numerically (milliseconds, then sequence).
     *
     * @throws IllegalArgumentException when either is not a {@code <ms>-<seq>} id
     */
    @Override
    public int compare(String a, String b) {
        return StreamIds.compare(a, b);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<TopicReader> running;
        synchronized (readers) {
            running = new ArrayList<>(readers.values());
            readers.clear();
        }
        running.forEach(TopicReader::stop);
        try {
            connection.close();
        } catch (RuntimeException e) {
            log.debug("Closing the Redis connection failed", e);
        }
        shutdownClients();
        callbackPool.shutdown();
        log.info("Redis topic backend for {} closed", where);
    }

    /** Adds {@code registration} to the topic's running reader; null when the topic has none yet. */
    private TopicReader joinReader(String topic, Consumer<StoredEvent> registration) {
        synchronized (readers) {
            if (closed.get()) {
                throw new IllegalStateException("Redis topic backend is closed");
            }
            TopicReader reader = readers.get(topic);
            if (reader != null) {
                reader.add(registration);
            }
            return reader;
        }
    }

    /** Number of topics this instance currently reads (one reader thread and connection each). */
    int readerCount() {
        synchronized (readers) {
            return readers.size();
        }
    }

    /** How many times the reader of {@code topic} lost Redis; 0 when the topic has no reader. */
    int readerFailures(String topic) {
        synchronized (readers) {
            TopicReader reader = readers.get(topic);
            return reader == null ? 0 : reader.failuresSeen();
        }
    }

    private void unregister(String topic, TopicReader reader, Consumer<StoredEvent> registration) {
        boolean stop;
        synchronized (readers) {
            stop = reader.remove(registration) && readers.get(topic) == reader;
            if (stop) {
                readers.remove(topic);
            }
        }
        if (stop) {
            reader.stop();
        }
    }

    /** The newest id of the topic now, so its new reader starts exactly there; null when Redis is unreachable. */
    private String tailOrNull(String topic, String key) {
        try {
            return TopicReader.tail(connection.sync(), key);
        } catch (RuntimeException e) {
            log.warn("Cannot read the tail of topic '{}' ({}); its reader starts from the tail once Redis is back",
                    topic, e.toString());
            return null;
        }
    }

    private void appendSucceeded() {
        if (appendsFailing.compareAndSet(true, false)) {
            log.info("Appends to Redis at {} succeed again after {} failure(s)", where, failedAppends.getAndSet(0));
        }
    }

    private void appendFailed(String topic, Throwable failure) {
        failedAppends.incrementAndGet();
        if (appendsFailing.compareAndSet(false, true)) {
            log.warn("Append to topic '{}' failed and was reported to the caller: {} (further failures are logged at debug until Redis answers again)",
                    topic, failure.toString());
        } else {
            log.debug("Append to topic '{}' failed: {}", topic, failure.toString());
        }
    }

    private void shutdownClients() {
        readerClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        commandClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /**
     * Options for {@link RedisTopicBackend}; every one has a sensible default.
     *
     * <pre>{@code
     * RedisTopicBackend backend = RedisTopicBackend.builder("redis://127.0.0.1:6379")
     *         .replayWindow(10_000)
     *         .commandTimeout(Duration.ofSeconds(5))
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final String url;
        private String keyPrefix = "starwire:topic:";
        private long replayWindow = 10_000;
        private Duration commandTimeout = Duration.ofSeconds(5);
        private Duration maxReconnectDelay = Duration.ofSeconds(5);
        private Duration readerBlock = Duration.ofSeconds(2);

        private Builder(String url) {
            this.url = Objects.requireNonNull(url, "redisUrl");
        }

        /** Prefix of every stream key (default {@code "starwire:topic:"}); lets several apps share one Redis. */
        public Builder keyPrefix(String prefix) {
            this.keyPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * About how many recent events each topic keeps for replay (default 10,000): {@code XADD MAXLEN ~ n}.
         * Redis trims in whole blocks, so slightly more may be kept, never fewer.
         */
        public Builder replayWindow(long events) {
            if (events < 1) {
                throw new IllegalArgumentException("replay window must be at least 1 event: " + events);
            }
            this.replayWindow = events;
            return this;
        }

        /** How long an append or replay may wait for Redis before it fails (default 5 s); also the connect timeout. */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = positive(timeout, "command timeout");
            return this;
        }

        /** Longest wait between reconnect attempts (default 5 s); waits start at 100 ms and double. */
        public Builder maxReconnectDelay(Duration delay) {
            this.maxReconnectDelay = positive(delay, "reconnect delay");
            return this;
        }

        /** How long one {@code XREAD} blocks before the reader asks again (default 2 s). */
        Builder readerBlock(Duration block) {
            this.readerBlock = positive(block, "reader block");
            return this;
        }

        /**
         * Connects to Redis and returns the backend.
         *
         * @throws IllegalStateException when Redis cannot be reached now (fail fast at startup)
         */
        public RedisTopicBackend build() {
            return new RedisTopicBackend(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}
