package dev.starwire.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.hub.spi.StoredEvent;
import dev.starwire.session.SessionUnavailableException;
import dev.starwire.session.spi.CatchUp;
import dev.starwire.session.spi.SessionStorage;
import dev.starwire.session.spi.SharedSignals;
import dev.starwire.session.spi.SignalChange;
import dev.starwire.session.spi.StoredSession;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SessionStorage} on Redis, so any instance behind a load balancer serves any browser session: a
 * session's signals live in Redis, every instance holding one of its tabs keeps a replica, and a change
 * made on any instance reaches the streams on every other one, in order, exactly once.
 *
 * <pre>{@code
 * Sessions sessions = Sessions.builder()
 *         .storage(RedisSessionStorage.fromUrl("redis://127.0.0.1:6379"))
 *         .serverOwned("running")
 *         .build();
 * // or only when REDIS_URL is set:
 * Sessions.Builder b = Sessions.builder();
 * RedisSessionStorage.fromEnvironment().ifPresent(b::storage);
 * }</pre>
 *
 * <h2>How</h2>
 * <ul>
 *   <li><b>State</b>: a hash per session (its version and one field per top-level signal), a short list of
 *       its last changes, and the set of instances holding a replica; all expire after the idle timeout
 *       (refreshed by every use), and a sorted set bounds the number of sessions
 *       ({@link Builder#maxSessions}: the least recently used ends to make room).</li>
 *   <li><b>Changes</b>: optimistic concurrency in one Lua script. A replica computes its change on its
 *       version {@code v}; the script stores it only if the session is still at {@code v} (else the replica
 *       catches up and computes it again), bumps the version, appends it to the change list, and appends it
 *       to the inbox stream of every instance holding the session: atomically, so every inbox gets a
 *       session's changes in version order. No lock is held anywhere across a network call.</li>
 *   <li><b>Delivery</b>: each instance reads its inbox with one blocking reader (the topic reader of
 *       {@link RedisTopicBackend}: reconnects with backoff and resumes after the last id) and hands each
 *       change to its replica, which applies the next version once and skips the rest; a gap (an inbox
 *       trimmed during an outage) is caught up from the change list or the whole state.</li>
 *   <li><b>Liveness</b>: each instance refreshes a key every third of {@link Builder#instanceTimeout}; changes
 *       are not sent to instances whose key expired. One that finds its key expired (cut off too long)
 *       catches up every session it holds.</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * Unreachable at startup: {@link Builder#build} throws. Later, every call that needs Redis fails at once while the
 * connection is down (or after {@link Builder#commandTimeout} when Redis hangs) with
 * {@link SessionUnavailableException}; the first failure is logged as a warning, recovery at info. The
 * connections reconnect by themselves. See {@code docs/scaling.md}.
 */
// Why ~550 lines in one class: the held sessions, the inbox reader, the liveness heartbeat and the calls to
// Redis share the instance's state (which sessions it holds, whether Redis is down); the scripts
// (SessionScripts), a held session (RedisStoredSession), the reader (TopicReader) and the Lettuce setup
// (RedisConnections) are classes of their own.
public final class RedisSessionStorage implements SessionStorage {

    /** The environment variable {@link #fromEnvironment()} reads. */
    public static final String ENV_VARIABLE = "REDIS_URL";

    private static final Logger log = LoggerFactory.getLogger(RedisSessionStorage.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS); // a replica's numbers stay exact
    private static final String FIELD_PREFIX = "m:";
    private static final String END = "end";

    private final String where;
    private final String prefix;
    private final String instance;
    private final int maxSessions;
    private final int logLength;
    private final int largestLoggedChange;
    private final long inboxLength;
    private final long instanceTimeoutMillis;
    private final Duration readerBlock;
    private final Duration maxReconnectDelay;
    private final RedisConnections redis;
    private final StatefulRedisConnection<String, String> connection;
    private final ScheduledExecutorService heartbeat;
    private final Map<String, RedisStoredSession> held = new ConcurrentHashMap<>();
    private final Object heldLock = new Object();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long idleMillis = -1;
    private volatile TopicReader inbox;

    private RedisSessionStorage(Builder b) {
        this.prefix = b.keyPrefix;
        this.instance = RedisConnections.newInstanceName();
        this.maxSessions = b.maxSessions;
        this.logLength = b.logLength;
        this.largestLoggedChange = b.largestLoggedChange;
        this.inboxLength = b.inboxLength;
        this.instanceTimeoutMillis = b.instanceTimeout.toMillis();
        this.readerBlock = b.readerBlock;
        this.maxReconnectDelay = b.maxReconnectDelay;
        this.redis = new RedisConnections(b);
        this.where = redis.where;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(
                RedisConnections.daemon("starwire-session-heartbeat"));
        try {
            this.connection = redis.commands.connect(StringCodec.UTF8);
        } catch (RuntimeException e) {
            shutdown();
            throw new IllegalStateException("Cannot connect to Redis at " + where + ": " + e.getMessage(), e);
        }
    }

    /** Connects to the Redis at {@code redisUrl} ({@code redis://[[user:]password@]host[:port][/db]}) with defaults. */
    public static RedisSessionStorage fromUrl(String redisUrl) {
        return builder(redisUrl).build();
    }

    /** Connects to {@code $REDIS_URL} with defaults; empty when the variable is unset or blank. */
    public static Optional<RedisSessionStorage> fromEnvironment() {
        String url = System.getenv(ENV_VARIABLE);
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(fromUrl(url.strip()));
    }

    /** Starts configuring a storage for the Redis at {@code redisUrl}. */
    public static Builder builder(String redisUrl) {
        return new Builder(redisUrl);
    }

    // ---------------------------------------------------------------- SessionStorage

    @Override
    public void start(Duration idleTimeout) {
        if (idleMillis >= 0) {
            throw new IllegalStateException("a Redis session storage serves one session registry");
        }
        idleMillis = Math.max(1, idleTimeout.toMillis());
        beat(true); // registered before any session is, so no change can miss this instance
        String inboxKey = prefix + "in:" + instance;
        TopicReader reader = new TopicReader("session inbox " + instance, inboxKey, StreamIds.BEFORE_ALL,
                () -> redis.readers.connect(RedisConnections.BYTES, redis.readerUri), readerBlock, maxReconnectDelay);
        reader.add(this::fromInbox);
        reader.start();
        inbox = reader;
        long every = Math.max(100, instanceTimeoutMillis / 3);
        heartbeat.scheduleWithFixedDelay(() -> beat(false), every, every, TimeUnit.MILLISECONDS);
        log.info("Redis session storage on {} (keys {}*, instance {}, sessions expire after {} idle)", where,
                prefix, instance, Duration.ofMillis(idleMillis));
    }

    @Override
    public Optional<StoredSession> create(String id) {
        RedisStoredSession handle = hold(id);
        try {
            long created = call(() -> SessionScripts.CREATE.<Long>run(connection.sync(), keys(id),
                    args(id, Integer.toString(maxSessions))));
            if (created != 1) {
                unhold(handle);
                return Optional.empty();
            }
            handle.opened(0, JSON.createObjectNode());
            return Optional.of(handle);
        } catch (RuntimeException e) {
            unhold(handle);
            throw e;
        }
    }

    @Override
    public Optional<StoredSession> open(String id) {
        RedisStoredSession handle = hold(id);
        try {
            CatchUp now = catchUp(id, -1);
            if (now.gone()) {
                unhold(handle);
                return Optional.empty();
            }
            handle.opened(now.version(), now.signals());
            return Optional.of(handle);
        } catch (RuntimeException e) {
            unhold(handle);
            throw e;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        heartbeat.shutdownNow();
        TopicReader reader = inbox;
        if (reader != null) {
            reader.stop();
        }
        held.clear();
        try {
            // Other instances stop sending to this one at once (and drop it from their sessions lazily).
            connection.sync().del(prefix + "i:" + instance, prefix + "in:" + instance);
        } catch (RuntimeException e) {
            log.debug("Could not unregister instance {} from Redis: {}", instance, e.toString());
        }
        connection.close();
        shutdown();
        log.info("Redis session storage on {} closed", where);
    }

    // ---------------------------------------------------------------- used by RedisStoredSession

    SharedSignals.Outcome commit(String id, SignalChange change, ObjectNode after) {
        List<String> args = new ArrayList<>(List.of(args(id, Long.toString(change.version() - 1), encode(change))));
        for (var names = change.change().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode value = after.get(name);
            args.add(FIELD_PREFIX + name);
            args.add(value == null ? "" : value.toString());
        }
        long result = call(() -> SessionScripts.COMMIT.<Long>run(connection.sync(), keys(id), args.toArray(String[]::new)));
        if (result == -1) {
            ended(id);
            return SharedSignals.Outcome.GONE;
        }
        return result == 1 ? SharedSignals.Outcome.STORED : SharedSignals.Outcome.CONFLICT;
    }

    CatchUp catchUp(String id, long version) {
        List<Object> reply = call(() -> SessionScripts.CATCH_UP.<List<Object>>run(connection.sync(), keys(id),
                args(id, Long.toString(version))));
        int kind = ((Long) reply.get(0)).intValue();
        if (kind == 0) {
            ended(id);
            return CatchUp.ended();
        }
        long now = (Long) reply.get(1);
        if (kind == 1) {
            return CatchUp.changes(now, List.of());
        }
        if (kind == 2) {
            List<SignalChange> missed = new ArrayList<>();
            for (Object entry : (List<?>) reply.get(2)) {
                missed.add(decode((String) entry));
            }
            return CatchUp.changes(now, missed);
        }
        ObjectNode signals = JSON.createObjectNode();
        List<?> fields = (List<?>) reply.get(2);
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String field = (String) fields.get(i);
            if (field.startsWith(FIELD_PREFIX)) {
                signals.set(field.substring(FIELD_PREFIX.length()), parse((String) fields.get(i + 1)));
            }
        }
        return CatchUp.state(now, signals, ((Long) reply.get(3)) == 1);
    }

    void touch(String id) {
        if (closed.get()) {
            return;
        }
        try {
            SessionScripts.TOUCH.<Long>runAsync(connection.async(), keys(id), args(id)).whenComplete((r, e) -> {
                if (e != null) {
                    failed(e);
                } else {
                    succeeded();
                }
            });
        } catch (RuntimeException e) {
            failed(e); // rejected at once while disconnected
        }
    }

    void delete(String id) {
        call(() -> SessionScripts.DELETE.<Long>run(connection.sync(), keys(id), args(id)));
    }

    void release(RedisStoredSession handle) {
        synchronized (heldLock) {
            if (!held.remove(handle.id(), handle) || closed.get()) {
                return;
            }
            try {
                // Sent under the lock (sending does not wait): a later open of this id is ordered after it.
                connection.async().srem(prefix + "s:" + handle.id() + ":at", instance);
            } catch (RuntimeException e) {
                log.debug("Could not release a session ({}); its changes stop reaching this instance once it"
                        + " expires", e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- internals

    /** Registers a handle before asking Redis, so changes read meanwhile wait in it instead of being dropped. */
    private RedisStoredSession hold(String id) {
        if (idleMillis < 0) {
            throw new IllegalStateException("start(idleTimeout) was not called");
        }
        RedisStoredSession handle = new RedisStoredSession(this, id);
        synchronized (heldLock) {
            held.put(id, handle);
        }
        return handle;
    }

    private void unhold(RedisStoredSession handle) {
        synchronized (heldLock) {
            held.remove(handle.id(), handle);
        }
    }

    /** One entry of this instance's inbox: {@code "<session id> <change as JSON>"} or {@code "<id> end"}. */
    private void fromInbox(StoredEvent event) {
        String entry = new String(event.frame(), StandardCharsets.UTF_8);
        int space = entry.indexOf(' ');
        if (space < 0) {
            log.warn("Skipping inbox entry {}: not a session change", event.id());
            return;
        }
        RedisStoredSession handle = held.get(entry.substring(0, space));
        if (handle == null) {
            return; // released meanwhile
        }
        String body = entry.substring(space + 1);
        if (END.equals(body)) {
            ended(entry.substring(0, space));
        } else {
            handle.deliver(decode(body));
        }
    }

    /**
     * Session {@code id} is gone from Redis (ended on some instance, evicted, expired, or lost by Redis):
     * this instance's handle ends too, which ends the local session and closes its streams.
     */
    private void ended(String id) {
        RedisStoredSession handle = held.get(id);
        if (handle != null) {
            unhold(handle);
            handle.ended();
        }
    }

    /**
     * Refreshes this instance's liveness key. If it had expired (cut off longer than the instance timeout),
     * other instances stopped sending changes here: every held session catches up, which registers it again.
     */
    private void beat(boolean first) {
        String key = prefix + "i:" + instance;
        String before;
        try {
            before = call(() -> connection.sync().setGet(key, "1", SetArgs.Builder.px(instanceTimeoutMillis)));
            connection.async().pexpire(prefix + "in:" + instance, instanceTimeoutMillis);
        } catch (RuntimeException e) {
            if (first) {
                throw e;
            }
            return; // logged by call(); the next beat tries again
        }
        if (before == null && !first && !held.isEmpty()) {
            log.info("Instance {} was cut off from Redis longer than {} ms; catching up {} session(s)", instance,
                    instanceTimeoutMillis, held.size());
            for (RedisStoredSession handle : List.copyOf(held.values())) {
                handle.resync();
            }
        }
    }

    private String[] keys(String id) {
        String base = prefix + "s:" + id;
        return new String[] {base, base + ":log", base + ":at", prefix + "all"};
    }

    private String[] args(String id, String... more) {
        String[] all = new String[8 + more.length];
        all[0] = id;
        all[1] = Long.toString(idleMillis);
        all[2] = instance;
        all[3] = prefix;
        all[4] = Long.toString(inboxLength);
        all[5] = Long.toString(instanceTimeoutMillis);
        all[6] = Integer.toString(logLength);
        all[7] = Integer.toString(largestLoggedChange);
        System.arraycopy(more, 0, all, 8, more.length);
        return all;
    }

    /** Runs one call to Redis, turning an outage into {@link SessionUnavailableException} (logged once). */
    private <T> T call(Supplier<T> command) {
        if (closed.get()) {
            throw new IllegalStateException("the Redis session storage is closed");
        }
        T result;
        try {
            result = command.get();
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("ERR")) {
                throw new IllegalStateException("Redis refused a session command: " + e.getMessage(), e);
            }
            failed(e);
            throw unavailable(e);
        } catch (RuntimeException e) {
            failed(e);
            throw unavailable(e);
        }
        succeeded();
        return result;
    }

    private SessionUnavailableException unavailable(Throwable e) {
        return new SessionUnavailableException("session storage (Redis at " + where + ") unavailable: " + e, e);
    }

    private void succeeded() {
        if (down.compareAndSet(true, false)) {
            log.info("Session storage on Redis at {} answers again after {} failed call(s)", where,
                    failures.getAndSet(0));
        }
    }

    private void failed(Throwable e) {
        failures.incrementAndGet();
        if (down.compareAndSet(false, true)) {
            log.warn("Session storage on Redis at {} is unavailable ({}); requests that need a session answer 503"
                    + " until it is back (further failures are logged at debug)", where, e.toString());
        } else {
            log.debug("Session storage call failed: {}", e.toString());
        }
    }

    private static String encode(SignalChange change) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("v", change.version());
        entry.set("c", change.change());
        if (change.send() != null) {
            entry.set("s", change.send());
        }
        if (change.onlyIfMissing()) {
            entry.put("o", true);
        }
        return entry.toString();
    }

    private static SignalChange decode(String json) {
        JsonNode entry = parse(json);
        JsonNode send = entry.get("s");
        return new SignalChange(entry.get("v").asLong(), (ObjectNode) entry.get("c"),
                send == null ? null : (ObjectNode) send, entry.path("o").asBoolean(false));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable session data in Redis: " + e.getOriginalMessage(), e);
        }
    }

    private void shutdown() {
        heartbeat.shutdownNow();
        redis.shutdown();
    }

    /** The Redis key of session {@code id}'s signals (a hash), e.g. to inspect it in tests. */
    String stateKey(String id) {
        return prefix + "s:" + id;
    }

    /** How many sessions this instance holds. */
    int heldCount() {
        return held.size();
    }

    /**
     * Options for {@link RedisSessionStorage}; every one has a sensible default.
     *
     * <pre>{@code
     * RedisSessionStorage storage = RedisSessionStorage.builder("redis://127.0.0.1:6379")
     *         .keyPrefix("myapp:session:")
     *         .maxSessions(50_000)
     *         .build();
     * }</pre>
     */
    public static final class Builder extends ConnectionOptions<Builder> {
        private int maxSessions = 100_000;
        private int logLength = 32;
        private int largestLoggedChange = 8 * 1024;
        private long inboxLength = 10_000;
        private Duration instanceTimeout = Duration.ofSeconds(30);

        private Builder(String url) {
            super(url, "starwire:session:");
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * How many sessions Redis keeps at most (default 100,000): creating one more ends the least recently
         * used (its streams on every instance close). Each holds at most the registry's {@code maxStoreSize}
         * of signals plus its last 32 small changes.
         */
        public Builder maxSessions(int max) {
            this.maxSessions = atLeast(max, 1, "maxSessions");
            return this;
        }

        /**
         * How long an instance that stops refreshing its liveness key (crashed, or cut off from Redis) still
         * gets changes queued in its inbox (default 30 s); it refreshes it every third of that.
         */
        public Builder instanceTimeout(Duration timeout) {
            this.instanceTimeout = positive(timeout, "instance timeout");
            return this;
        }

        /** How many changes each instance's inbox keeps at most before Redis trims it (default 10,000). */
        Builder inboxLength(long entries) {
            this.inboxLength = entries;
            return this;
        }

        /** How many of a session's last changes are kept for replicas that fell behind (default 32). */
        Builder logLength(int entries) {
            this.logLength = entries;
            return this;
        }

        /**
         * Connects to Redis.
         *
         * @throws IllegalStateException when Redis cannot be reached now (fail fast at startup)
         */
        public RedisSessionStorage build() {
            return new RedisSessionStorage(this);
        }
    }
}
