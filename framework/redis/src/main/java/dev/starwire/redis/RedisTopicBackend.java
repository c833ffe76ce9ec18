package dev.starwire.redis;

import dev.starwire.hub.TopicUnavailableException;
import dev.starwire.hub.spi.BackendHealth;
import dev.starwire.hub.spi.StoredEvent;
import dev.starwire.hub.spi.TopicBackend;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TopicBackend} on Redis Streams, so several application instances behind a load balancer share
 * their topics: every event is appended to the stream {@code <prefix><topic>} (trimmed with {@code MAXLEN ~
 * <window>}), each instance runs one blocking {@code XREAD} reader per topic and fans out locally, and the
 * stream entry id ({@code "1732712345678-0"}) is the SSE event id, so a browser's {@code Last-Event-ID} can be
 * replayed ({@code XRANGE}) by any instance.
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
 * <p>Failures (see {@code docs/scaling.md}):
 * <ul>
 *   <li>An append is one Lua script on the server, so it is stored completely or not at all. It is acknowledged
 *       only once Redis replied with the id.</li>
 *   <li>A failed append is never kept. When its outcome is unknown (the connection broke while it was in
 *       flight, or Redis did not answer within the command timeout), the caller waits up to
 *       {@link Builder#settleTimeout} for Redis to come back and tell: if the event was stored, the append
 *       succeeds with its id; if not, it fails and the command is fenced off in case it still arrives. Past that
 *       wait the append fails, and once Redis answers again the backend makes sure the event is not kept
 *       (removing it if it had been stored) before it accepts new appends. Until then this instance's readers
 *       hold back, so its own subscribers never see an event that is then removed.</li>
 *   <li>A circuit breaker ({@link #health()}) opens at the first sign that Redis is gone: the connection
 *       dropped, a command failed or timed out, or a heartbeat {@code PING} went unanswered. While it is open,
 *       appends, replays and reads fail at once with {@link TopicUnavailableException}, without waiting for
 *       Redis; it closes once Redis answers a probe.</li>
 *   <li>Readers reconnect with backoff and resume after the last id they delivered.</li>
 * </ul>
 */
// Why ~700 lines in one class: appends, the circuit, the health probe and the settling of appends of unknown
// outcome share one piece of state (the unsettled appends and the circuit) whose rules are the backend's whole
// failure story, documented above; the Lua scripts (AppendScripts), the readers (TopicReader), the circuit
// (Circuit), stream ids (StreamIds) and the Lettuce setup (RedisConnections) are classes of their own.
public final class RedisTopicBackend implements TopicBackend {

    /** The environment variable {@link #fromEnvironment()} reads. */
    public static final String ENV_VARIABLE = "REDIS_URL";
    /** Stream field holding the SSE frame. */
    static final String FRAME_FIELD = "f";
    /** How many recent appends each instance notes, to find a stored entry of unknown outcome again. */
    static final int NOTED_APPENDS = 1_000;

    private static final Logger log = LoggerFactory.getLogger(RedisTopicBackend.class);
    /** Extra entries an approximate MAXLEN may keep beyond the window (one radix-tree node, 100 by default). */
    private static final long TRIM_SLACK = 1_000;
    /** How long fences and notes live: far longer than any command can be on its way. */
    private static final long NOTE_TTL_MILLIS = TimeUnit.HOURS.toMillis(1);

    private final String where;
    private final String keyPrefix;
    private final long replayWindow;
    private final Duration commandTimeout;
    private final Duration readerBlock;
    private final Duration maxReconnectDelay;
    private final Duration heartbeat;
    private final Duration settleTimeout;
    private final RedisConnections redis;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final ThreadPoolExecutor callbackPool;
    private final Executor callbacks;
    private final ScheduledThreadPoolExecutor healthCheck;
    private final Map<String, TopicReader> readers = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Circuit circuit;
    /** This instance's name in tokens and in its list of recent appends; new for every backend. */
    private final String instance = RedisConnections.newInstanceName();
    private final AtomicLong tokens = new AtomicLong();
    /** Appends whose outcome is unknown, to be cancelled once Redis answers again. */
    private final Queue<Unsettled> unsettled = new ConcurrentLinkedQueue<>();

    private RedisTopicBackend(Builder b) {
        this.keyPrefix = b.keyPrefix;
        this.replayWindow = b.replayWindow;
        this.commandTimeout = b.commandTimeout;
        this.readerBlock = b.readerBlock;
        this.maxReconnectDelay = b.maxReconnectDelay;
        this.heartbeat = b.heartbeat;
        this.settleTimeout = b.settleTimeout;
        this.redis = new RedisConnections(b);
        this.where = redis.where;
        this.circuit = new Circuit(where, Clock.systemUTC());
        redis.commands.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                if (!closed.get()) {
                    circuit.down("the connection was lost");
                }
            }
        });

        // Callers' callbacks run here, never on Lettuce's I/O threads; two threads and a queue, not a thread
        // per waiting caller.
        this.callbackPool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                RedisConnections.daemon("starwire-redis-callback"));
        callbackPool.allowCoreThreadTimeOut(true);
        this.callbacks = task -> {
            try {
                callbackPool.execute(task);
            } catch (RejectedExecutionException closing) {
                task.run();
            }
        };
        try {
            this.connection = redis.commands.connect(RedisConnections.BYTES);
            AppendScripts.load(connection.sync());
        } catch (RuntimeException e) {
            callbackPool.shutdown();
            redis.shutdown();
            throw new IllegalStateException("Cannot connect to Redis at " + where + ": " + e.getMessage(), e);
        }
        this.healthCheck = new ScheduledThreadPoolExecutor(1, RedisConnections.daemon("starwire-redis-health"));
        healthCheck.scheduleWithFixedDelay(this::checkHealth, heartbeat.toMillis(), heartbeat.toMillis(),
                TimeUnit.MILLISECONDS);
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
    String streamKey(String topic) {
        return keyPrefix + Objects.requireNonNull(topic, "topic");
    }

    /**
     * Whether Redis can be used now, as the circuit breaker sees it: down from the first failure until Redis
     * answers again and every append of unknown outcome has been settled.
     */
    @Override
    public BackendHealth health() {
        return circuit.health();
    }

    @Override
    public CompletableFuture<String> append(String topic, byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        String key = streamKey(topic);
        if (closed.get()) {
            return CompletableFuture.failedFuture(new TopicUnavailableException("Redis topic backend is closed"));
        }
        if (!circuit.isUp()) {
            circuit.refused();
            return CompletableFuture.failedFuture(unavailable(null));
        }
        String token = instance + ":" + tokens.incrementAndGet();
        CompletableFuture<String> result = new CompletableFuture<>();
        CompletableFuture<String> sent;
        try {
            sent = AppendScripts.append(connection.async(),
                    new String[] {key, fenceKey(key, token), notesKey()},
                    frame, ascii(Long.toString(replayWindow)), ascii(token), ascii(Integer.toString(NOTED_APPENDS)),
                    ascii(Long.toString(NOTE_TTL_MILLIS)));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        // Complete off Lettuce's I/O thread: callers' callbacks must never stall Redis traffic.
        sent.whenCompleteAsync((id, failure) -> {
            if (failure == null) {
                result.complete(id);
                return;
            }
            Throwable cause = unwrap(failure);
            if (neverSent(cause)) {
                circuit.down(cause.getMessage());
                result.completeExceptionally(unavailable(cause));
            } else if (refusedByRedis(cause)) {
                // Redis answered with an error: the script did not store anything.
                if (isTransient(cause)) {
                    circuit.down(cause.getMessage());
                }
                result.completeExceptionally(new TopicUnavailableException("Redis at " + where
                        + " did not store the event: " + cause.getMessage(), cause));
            } else {
                // Maybe stored, maybe not: the caller learns which once Redis answers again (or gives up).
                unsettled.add(new Unsettled(key, token, result, cause, System.nanoTime() + settleTimeout.toNanos()));
                circuit.down(cause.toString());
            }
        }, callbacks);
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
                            () -> redis.readers.connect(RedisConnections.BYTES, redis.readerUri), readerBlock,
                            maxReconnectDelay,
                            unsettled::isEmpty);
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

    /**
     * One page of the events after {@code lastEventId} ({@code XRANGE}, at most {@code maxEvents + 1} entries).
     *
     * @throws TopicUnavailableException while Redis is unavailable, so the caller neither waits nor mistakes the
     *                                   outage for an id outside the window
     */
    @Override
    public Optional<List<StoredEvent>> replay(String topic, String lastEventId, int maxEvents) {
        checkPage(maxEvents);
        String key = streamKey(topic);
        if (!StreamIds.isValid(lastEventId)) {
            return Optional.empty();
        }
        // Inclusive, so we can see that lastEventId itself is still kept: if it was trimmed, entries right
        // after it may be gone too, and a partial replay would silently lose events.
        List<StreamMessage<String, byte[]>> entries = read(() -> connection.sync().xrange(key,
                Range.from(Range.Boundary.including(lastEventId), Range.Boundary.unbounded()),
                Limit.from(maxEvents + 1L)));
        if (entries.isEmpty() || !entries.get(0).getId().equals(lastEventId)) {
            log.debug("Event {} of topic '{}' is no longer in the replay window", lastEventId, topic);
            return Optional.empty();
        }
        return Optional.of(events(entries.subList(1, entries.size())));
    }

    /**
     * The newest events of {@code topic} ({@code XREVRANGE ... COUNT}), oldest first.
     *
     * @throws TopicUnavailableException while Redis is unavailable
     */
    @Override
    public List<StoredEvent> recent(String topic, int maxEvents) {
        checkPage(maxEvents);
        String key = streamKey(topic);
        List<StreamMessage<String, byte[]>> newestFirst = read(() -> connection.sync().xrevrange(key,
                Range.unbounded(), Limit.from(maxEvents)));
        List<StreamMessage<String, byte[]>> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return events(oldestFirst);
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
        healthCheck.shutdownNow();
        List<TopicReader> running;
        synchronized (readers) {
            running = new ArrayList<>(readers.values());
            readers.clear();
        }
        running.forEach(TopicReader::stop);
        if (!unsettled.isEmpty() && connection.isOpen()) {
            try {
                settle(); // a last chance, so nothing of unknown outcome stays stored
            } catch (RuntimeException e) {
                log.warn("Closing with {} append(s) of unknown outcome not settled: {}", unsettled.size(), e.toString());
            }
        }
        for (Unsettled u : unsettled) {
            u.result.completeExceptionally(new TopicUnavailableException("Redis topic backend is closed", u.cause));
        }
        try {
            connection.close();
        } catch (RuntimeException e) {
            log.debug("Closing the Redis connection failed", e);
        }
        redis.shutdown();
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

    /** Appends of unknown outcome not cancelled yet. */
    int unsettledAppends() {
        return unsettled.size();
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
        if (!circuit.isUp()) {
            return null;
        }
        try {
            return TopicReader.tail(connection.sync(), key);
        } catch (RuntimeException e) {
            log.warn("Cannot read the tail of topic '{}' ({}); its reader starts from the tail once Redis is back",
                    topic, e.toString());
            return null;
        }
    }

    /** Runs a read through the circuit: refused at once while it is open; a failure opens it. */
    private <T> T read(Supplier<T> command) {
        if (!circuit.isUp()) {
            circuit.refused();
            throw unavailable(null);
        }
        try {
            return command.get();
        } catch (RuntimeException e) {
            if (!(e instanceof RedisCommandExecutionException) || isTransient(e)) {
                circuit.down(e.toString());
            }
            throw unavailable(e);
        }
    }

    /**
     * Every {@code heartbeat}: while up, a {@code PING} (no answer within the deadline opens the circuit, so a
     * Redis that hangs is noticed before callers pile up behind the command timeout); while down, the probe
     * that settles the appends of unknown outcome and closes the circuit once Redis answers.
     */
    private void checkHealth() {
        try {
            if (closed.get()) {
                return;
            }
            giveUpOnOverdue();
            if (circuit.isUp()) {
                if (!connection.isOpen()) {
                    circuit.down("the connection was lost");
                } else if (!unsettled.isEmpty()) {
                    circuit.down("appends of unknown outcome are waiting to be settled");
                } else {
                    ping();
                }
                return;
            }
            if (!connection.isOpen()) {
                return; // still reconnecting
            }
            AppendScripts.load(connection.sync()); // a restarted Redis has an empty script cache
            String settled = settle();
            ping();
            circuit.up(settled);
        } catch (RuntimeException e) {
            circuit.down(e.toString());
            log.debug("Redis at {} still unavailable: {}", where, e.toString());
        }
    }

    private void ping() {
        Duration deadline = commandTimeout.compareTo(Duration.ofSeconds(2)) < 0 ? commandTimeout : Duration.ofSeconds(2);
        try {
            connection.async().ping().toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TopicUnavailableException("no answer to PING within " + deadline.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new TopicUnavailableException("PING failed: " + unwrap(e), unwrap(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicUnavailableException("interrupted", e);
        }
    }

    /**
     * Appends of unknown outcome whose callers have waited {@code settleTimeout}: they fail now ("not sent"),
     * and the next settlement makes sure they are not kept. Runs on the health thread only.
     */
    private void giveUpOnOverdue() {
        long now = System.nanoTime();
        for (Unsettled u : unsettled) {
            if (!u.gaveUp && now - u.deadline > 0) {
                u.gaveUp = true;
                u.result.completeExceptionally(unavailable(u.cause));
            }
        }
    }

    /**
     * Resolves every append of unknown outcome, per stream in one script: one whose caller still waits is kept
     * if it was stored (the caller gets its id) and fenced if not; one given up is fenced and removed if it was
     * stored. Those that cannot be settled now stay queued for the next probe. Runs on the health thread only.
     *
     * @return a description for the log, empty when there was nothing to settle
     */
    private String settle() {
        if (unsettled.isEmpty()) {
            return "";
        }
        Map<String, List<Unsettled>> byStream = new LinkedHashMap<>();
        for (Unsettled u : unsettled) {
            byStream.computeIfAbsent(u.stream, k -> new ArrayList<>()).add(u);
        }
        int kept = 0;
        int notStored = 0;
        int removed = 0;
        for (Map.Entry<String, List<Unsettled>> e : byStream.entrySet()) {
            List<Unsettled> batch = e.getValue();
            int n = batch.size();
            String[] keys = new String[n + 2];
            byte[][] args = new byte[2 * n + 1][];
            keys[0] = e.getKey();
            keys[1] = notesKey();
            args[0] = ascii(Long.toString(NOTE_TTL_MILLIS));
            for (int i = 0; i < n; i++) {
                Unsettled u = batch.get(i);
                keys[i + 2] = fenceKey(u.stream, u.token);
                args[i + 1] = ascii(u.token);
                args[n + i + 1] = ascii(u.gaveUp ? AppendScripts.CANCEL : AppendScripts.KEEP);
            }
            List<String> results;
            try {
                results = AppendScripts.settle(connection.async(), keys, args)
                        .get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new TopicUnavailableException("interrupted while settling appends", ex);
            } catch (ExecutionException | TimeoutException ex) {
                // Settling twice is harmless: the same tokens are settled again on the next probe.
                throw new TopicUnavailableException("cannot settle appends of unknown outcome yet: " + unwrap(ex), ex);
            }
            for (int i = 0; i < n; i++) {
                Unsettled u = batch.get(i);
                String result = results.get(i);
                if (result.equals(AppendScripts.REMOVED)) {
                    removed++;
                } else if (result.equals(AppendScripts.NOT_STORED)) {
                    notStored++;
                    u.result.completeExceptionally(unavailable(u.cause)); // no-op when it gave up already
                } else {
                    kept++;
                    u.result.complete(result);
                }
                unsettled.remove(u);
            }
        }
        String summary = "; " + (kept + notStored + removed) + " append(s) of unknown outcome settled: " + kept
                + " had been stored (confirmed to their senders), " + removed + " had been stored but their senders"
                + " had been told they failed (removed), " + notStored + " had not been stored";
        log.info("Redis at {}: {}", where, summary.substring(2));
        return summary;
    }

    private TopicUnavailableException unavailable(Throwable cause) {
        String reason = cause == null ? circuit.health().reason() : "Redis at " + where + ": " + cause;
        return new TopicUnavailableException("the event was not stored: " + reason + "; try again", cause);
    }

    private String fenceKey(String streamKey, String token) {
        return streamKey + ":cancelled:" + token;
    }

    private String notesKey() {
        return keyPrefix + "appends:" + instance;
    }

    private static List<StoredEvent> events(List<StreamMessage<String, byte[]>> entries) {
        List<StoredEvent> out = new ArrayList<>(entries.size());
        for (StreamMessage<String, byte[]> entry : entries) {
            byte[] frame = entry.getBody().get(FRAME_FIELD);
            if (frame != null) {
                out.add(new StoredEvent(entry.getId(), frame));
            }
        }
        return List.copyOf(out);
    }

    /** Whether Lettuce refused the command before writing it (disconnected, or the connection was closed). */
    private static boolean neverSent(Throwable t) {
        String m = String.valueOf(t.getMessage());
        return t.getClass() == RedisException.class
                && (m.startsWith("Currently not connected") || m.startsWith("Connection is closed"));
    }

    /** Whether Redis itself answered with an error (so the script ran to that error, or not at all). */
    private static boolean refusedByRedis(Throwable t) {
        return t instanceof RedisCommandExecutionException;
    }

    /** An error reply that means "not now" (loading after a restart, busy script, failover), not "never". */
    private static boolean isTransient(Throwable t) {
        String m = String.valueOf(t.getMessage());
        return m.startsWith("LOADING") || m.startsWith("BUSY") || m.startsWith("MASTERDOWN") || m.startsWith("TRYAGAIN")
                || m.startsWith("READONLY") || m.startsWith("CLUSTERDOWN");
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void checkPage(int maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1: " + maxEvents);
        }
    }


    /** An append whose outcome is unknown, and the caller waiting for it. */
    private static final class Unsettled {
        final String stream;
        final String token;
        final CompletableFuture<String> result;
        final Throwable cause;
        final long deadline;
        /** The caller was told it failed; it must not be kept. Health thread only. */
        boolean gaveUp;

        Unsettled(String stream, String token, CompletableFuture<String> result, Throwable cause, long deadline) {
            this.stream = stream;
            this.token = token;
            this.result = result;
            this.cause = cause;
            this.deadline = deadline;
        }
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
    public static final class Builder extends ConnectionOptions<Builder> {
        private long replayWindow = 10_000;
        private Duration heartbeat = Duration.ofMillis(500);
        private Duration settleTimeout = Duration.ofSeconds(3);

        private Builder(String url) {
            super(url, "starwire:topic:");
        }

        @Override
        Builder self() {
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

        /**
         * How often the circuit breaker checks Redis (default 500 ms): a heartbeat {@code PING} while it is up
         * (no answer within 2 s opens it), the recovery probe while it is down.
         */
        public Builder healthCheckInterval(Duration interval) {
            this.heartbeat = positive(interval, "health check interval");
            return this;
        }

        /**
         * How long an append whose outcome is unknown (the connection broke while it was in flight) waits for
         * Redis to come back and tell whether it was stored (default 3 s). Only the few appends in flight when
         * Redis fails wait; every later one fails at once while the circuit is open.
         */
        public Builder settleTimeout(Duration timeout) {
            this.settleTimeout = positive(timeout, "settle timeout");
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
    }
}
