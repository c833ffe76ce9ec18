package dev.starwire.javalin.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.SignalsException;
import dev.starwire.javalin.Datastar;
import dev.starwire.session.SessionEndedException;
import dev.starwire.session.SessionUnavailableException;
import dev.starwire.session.spi.SessionStorage;
import dev.starwire.session.spi.StoredSession;
import dev.starwire.signals.SignalOwnership;
import dev.starwire.signals.SignalStore;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of browser sessions, each with its own {@link SignalStore}, identified by a cookie.
 *
 * <pre>{@code
 * Sessions sessions = Sessions.create();          // or Sessions.builder().idleTimeout(...).build()
 * Javalin.create(config -> {
 *     Datastar.handleErrors(config);              // bad signals -> 400/413 (the Starwire plugin does it too)
 *     config.routes.post("/send", sessions.handler((ctx, session) -> {
 *         String text = session.store().get("messageText", String.class, "");
 *         session.store().set("messageText", "");  // sent to every open tab of this session
 *     }));
 *     config.events.serverStopping(sessions::close); // ends the streams before Jetty waits for them
 * });
 * }</pre>
 *
 * <h2>The cookie</h2>
 * A session id is 128 bits from {@link SecureRandom}, sent as {@code <name>=<32 hex digits>; Path=/;
 * HttpOnly; SameSite=Lax} plus {@code Secure} when the request came over HTTPS ({@link Context#scheme()},
 * or the {@code X-Forwarded-Proto} header when {@link Builder#trustForwardedProto} is on). An id the
 * registry does not know (expired, forged, from another server) is never adopted: a new session with a new
 * id is issued, so an attacker cannot fix a victim's session id.
 *
 * <h2>Bounded memory</h2>
 * A session ends when it has not been used ({@link #of}, {@link #sync}, {@link Session#touch}) for the idle
 * timeout (default 30 minutes), or when a new session needs room and it is the least recently used of
 * {@link Builder#maxSessions} (default 10,000). Ending a session closes the resources registered with it
 * (its open streams) and drops its store. Expired sessions are removed lazily on every lookup and by one
 * shared background sweep ({@link Builder#sweepInterval}), never by a thread per session. Each store is
 * bounded by {@link Builder#maxStoreSize}, so the signals of all sessions take at most about
 * {@code maxSessions × maxStoreSize} characters of JSON.
 *
 * <h2>Server-owned signals</h2>
 * {@link Builder#serverOwned} declares the signals only server code may change (see {@link SignalOwnership}):
 * {@link #sync} never lets a request change them, sends the browsers the mirror's value back, and reports the
 * paths to {@link Builder#onRefused} (by default a debug log line).
 *
 * <h2>Several instances</h2>
 * With a {@link Builder#storage shared storage} (e.g. {@code RedisSessionStorage}) a session lives in the
 * storage and works on every instance: a request on any instance finds it, and a change made on one
 * instance reaches the streams of that session on every other one, in order. This registry then holds
 * replicas of the sessions used here (bounded by {@code maxSessions}); their idle expiry is kept by the
 * storage too. While the storage cannot be reached, {@link #of}/{@link #sync} and changes throw
 * {@link SessionUnavailableException} (the Starwire plugin answers {@code 503}); it recovers by itself.
 */
public final class Sessions implements AutoCloseable {
    /** The default cookie name. */
    public static final String DEFAULT_COOKIE_NAME = "starwire_session";
    /** The default idle timeout: 30 minutes. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** The default maximum number of live sessions. */
    public static final int DEFAULT_MAX_SESSIONS = 10_000;

    /** The body of the 503 answered while the shared session storage cannot be reached. */
    public static final String UNAVAILABLE_MESSAGE = "Sessions are unavailable right now; please try again in a moment.";

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    private static final String SESSION_ATTRIBUTE = Sessions.class.getName() + ".session";
    private static final int ID_BYTES = 16;
    /** How long a replica of a stored session stays here without a stream using it. */
    private static final long REPLICA_IDLE_MILLIS = 60_000;
    private static final HexFormat HEX = HexFormat.of();

    private final String cookieName;
    private final long idleMillis;
    private final long replicaIdleMillis;
    private final int maxSessions;
    private final long maxStoreSize;
    private final boolean trustForwardedProto;
    private final SignalOwnership ownership;
    private final SessionStorage storage; // null: sessions live only in this registry
    private final BiConsumer<Context, List<String>> onRefused;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService sweeper;

    private final Object lock = new Object();
    /** Access-ordered: the eldest entry is the least recently used session. Guarded by {@link #lock}. */
    private final LinkedHashMap<String, Session> byId = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed; // guarded by lock
    /** Stored sessions being opened, so concurrent requests of one session open it once. */
    private final ConcurrentHashMap<String, CompletableFuture<Session>> opening = new ConcurrentHashMap<>();

    private Sessions(Builder b) {
        this.cookieName = b.cookieName;
        this.idleMillis = b.idleTimeout.toMillis();
        this.replicaIdleMillis = Math.min(idleMillis, REPLICA_IDLE_MILLIS);
        this.maxSessions = b.maxSessions;
        this.maxStoreSize = b.maxStoreSize;
        this.trustForwardedProto = b.trustForwardedProto;
        this.ownership = b.ownership;
        this.storage = b.storage;
        this.onRefused = b.onRefused;
        this.clock = b.clock;
        if (storage != null) {
            storage.start(b.idleTimeout);
        }
        if (b.sweepInterval.isZero()) {
            this.sweeper = null;
        } else {
            this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "starwire-session-sweeper");
                t.setDaemon(true);
                return t;
            });
            long every = b.sweepInterval.toMillis();
            sweeper.scheduleWithFixedDelay(this::sweepSafely, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** A registry with every default (30 min idle timeout, 10,000 sessions, background sweep). */
    public static Sessions create() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- lookup

    /**
     * The request's session: the one its cookie names if the registry (or its shared storage) knows it,
     * otherwise a new one whose cookie is set on the response (call it before the response is committed,
     * e.g. before opening a stream). Calling it again for the same request returns the same session.
     *
     * @throws SessionUnavailableException when the shared storage is needed and cannot be reached
     */
    public Session of(Context ctx) {
        Session cached = ctx.attribute(SESSION_ATTRIBUTE);
        if (cached != null && cached.isOpen()) {
            touch(cached);
            return cached;
        }
        String id = validId(ctx.cookie(cookieName));
        Session session = id == null ? null : known(id);
        if (session == null) {
            session = newSession();
            if (ctx.res().isCommitted()) {
                invalidate(session); // its cookie can no longer reach the browser
                throw new IllegalStateException("a new session needs its cookie sent: call Sessions.of/sync"
                        + " before the response is committed (e.g. before opening an SSE stream)");
            }
            ctx.res().addHeader("Set-Cookie", cookie(session.id, isSecure(ctx)));
        }
        ctx.attribute(SESSION_ATTRIBUTE, session);
        return session;
    }

    /**
     * The request's session if its cookie names a live one; never creates a session or sets a cookie.
     *
     * @throws SessionUnavailableException when the shared storage is needed and cannot be reached
     */
    public Optional<Session> find(Context ctx) {
        Session cached = ctx.attribute(SESSION_ATTRIBUTE);
        if (cached != null && cached.isOpen()) {
            return Optional.of(cached);
        }
        String id = validId(ctx.cookie(cookieName));
        Session session = id == null ? null : known(id);
        if (session != null) {
            ctx.attribute(SESSION_ATTRIBUTE, session);
        }
        return Optional.ofNullable(session);
    }

    /**
     * The request's session ({@link #of}) with the signals the request carried merged into its store, so
     * the store holds what the user typed. Run it before a handler reads the store (see {@link #handler}).
     * The signals are read by {@link Datastar#signals(Context)}, once per request: the handler reads them
     * again there, as a tree or bound to a record. Server-owned signals are not merged
     * ({@link Builder#serverOwned}); their paths go to {@link Builder#onRefused}. A shared session also catches
     * up with the stored signals; one that ended in the storage meanwhile is replaced by a new session.
     *
     * @throws SignalsException 400 for signals that are not a JSON object or are too deep, 413 when they are
     *     larger than the limit ({@code StarwireConfig.maxSignalBytes}, 1 MiB by default) or would make the
     *     store exceed its bound; no session is created for malformed signals and the store is unchanged
     * @throws SessionUnavailableException when the shared storage cannot be reached
     */
    public Session sync(Context ctx) {
        ObjectNode signals = Datastar.signals(ctx).tree();
        Session session = of(ctx);
        List<String> refused;
        try {
            refused = session.store().mergeFromClient(signals);
        } catch (SessionEndedException gone) {
            // Expired or ended on another instance since this one last saw it: start over with a new session.
            endHere(session);
            ctx.attribute(SESSION_ATTRIBUTE, null);
            session = of(ctx);
            refused = session.store().mergeFromClient(signals);
        }
        if (!refused.isEmpty()) {
            onRefused.accept(ctx, refused);
        }
        return session;
    }

    /** Wraps {@code handler} into a Javalin handler that first runs {@link #sync}. */
    public Handler handler(SessionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return ctx -> handler.handle(ctx, sync(ctx));
    }

    /** The live session {@code id}: this registry's, or else the storage's (opened here); {@code null} when unknown. */
    private Session known(String id) {
        List<Session> ended = new ArrayList<>();
        Session session;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the session registry is closed");
            }
            long now = clock.millis();
            removeExpired(now, ended);
            session = byId.get(id);
        }
        endAll(ended);
        if (session != null) {
            touch(session);
        } else if (storage != null) {
            session = openStored(id);
        }
        return session;
    }

    /**
     * Opens the stored session {@code id} here; concurrent requests for it wait for one opening rather than
     * each asking the storage (no lock is held meanwhile). {@code null} when the storage does not know it.
     */
    private Session openStored(String id) {
        CompletableFuture<Session> mine = new CompletableFuture<>();
        CompletableFuture<Session> running = opening.putIfAbsent(id, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
            }
        }
        try {
            Session session = storage.open(id).map(this::add).orElse(null);
            mine.complete(session);
            return session;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            opening.remove(id, mine);
        }
    }

    /** A new session with a fresh id, stored first when the registry has a storage. */
    private Session newSession() {
        if (storage == null) {
            String id;
            synchronized (lock) {
                id = newId();
            }
            return add(id, new SignalStore(maxStoreSize, ownership), null);
        }
        for (int attempt = 0; ; attempt++) {
            String id;
            synchronized (lock) {
                id = newId();
            }
            Optional<StoredSession> stored = storage.create(id);
            if (stored.isPresent()) {
                return add(stored.get());
            }
            if (attempt == 3) {
                throw new IllegalStateException("the session storage refused four fresh random ids in a row");
            }
        }
    }

    private Session add(StoredSession stored) {
        SignalStore store = SignalStore.shared(maxStoreSize, ownership, stored.version(), stored.signals(), stored);
        Session session = add(stored.id(), store, stored);
        stored.onEnd(() -> endHere(session)); // invalidated or evicted on any instance
        return session;
    }

    /** Puts a new session in the registry, ending the least recently used ones if it is full. */
    private Session add(String id, SignalStore store, StoredSession stored) {
        List<Session> ended = new ArrayList<>();
        Session session;
        boolean refused;
        synchronized (lock) {
            long now = clock.millis();
            session = new Session(this, id, store, stored, now);
            refused = closed;
            if (!refused) {
                removeExpired(now, ended);
                while (byId.size() >= maxSessions) {
                    Iterator<Session> eldest = byId.values().iterator();
                    ended.add(eldest.next());
                    eldest.remove();
                }
                byId.put(id, session);
            }
        }
        endAll(ended);
        if (refused) {
            session.end();
            throw new IllegalStateException("the session registry is closed");
        }
        return session;
    }

    // ---------------------------------------------------------------- lifecycle

    /** How many sessions are live. */
    public int size() {
        synchronized (lock) {
            return byId.size();
        }
    }

    /**
     * Ends every session here (closing their resources), stops the background sweep and closes the storage;
     * stored sessions stay stored for the other instances.
     */
    @Override
    public void close() {
        List<Session> ended;
        synchronized (lock) {
            closed = true;
            ended = new ArrayList<>(byId.values());
            byId.clear();
        }
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        endAll(ended);
        if (storage != null) {
            storage.close(); // the sessions stay stored for the other instances
        }
    }

    /** Ends every session idle for at least the idle timeout; the background sweep calls it. */
    void sweep() {
        List<Session> ended = new ArrayList<>();
        synchronized (lock) {
            long now = clock.millis();
            removeExpired(now, ended);
            if (storage != null) {
                // A replica follows every change of its session (one inbox entry per change). One that no
                // stream here uses is let go after a minute: it stays stored, and the next request here
                // opens it again with one round trip.
                Iterator<Session> it = byId.values().iterator();
                while (it.hasNext()) {
                    Session s = it.next();
                    if (now - s.lastAccessMillis >= replicaIdleMillis && s.resourceCount() == 0) {
                        it.remove();
                        ended.add(s);
                    }
                }
            }
        }
        endAll(ended);
    }

    void touch(Session session) {
        boolean toStorage = false;
        synchronized (lock) {
            if (byId.get(session.id) == session) { // get() moves it to the most recently used end
                long now = clock.millis();
                session.lastAccessMillis = now;
                // Changes and catch-ups refresh the stored session's expiry too; a plain use does so at most
                // a few times per idle timeout, so keepalives of many streams do not each cost a round trip.
                if (session.stored() != null && now - session.lastStoredTouchMillis >= idleMillis / 20) {
                    session.lastStoredTouchMillis = now;
                    toStorage = true;
                }
            }
        }
        if (toStorage) {
            session.stored().touch();
        }
    }

    void invalidate(Session session) {
        StoredSession stored = session.stored();
        if (stored != null) {
            stored.delete(); // first: if the storage cannot be reached the session goes on, everywhere
        }
        boolean removed = endHere(session);
        if (removed) {
            LOG.debug("session invalidated");
        }
    }

    /** Forgets {@code session} in this registry and ends it here (a stored session stays stored). */
    private boolean endHere(Session session) {
        boolean removed;
        synchronized (lock) {
            removed = byId.remove(session.id, session);
        }
        session.end();
        return removed;
    }

    /** Removes the expired sessions into {@code ended}. Caller holds the lock. */
    private void removeExpired(long now, List<Session> ended) {
        // Access order equals last-use order, so the expired sessions are the eldest ones.
        Iterator<Session> it = byId.values().iterator();
        while (it.hasNext()) {
            Session s = it.next();
            if (now - s.lastAccessMillis < idleMillis) {
                break;
            }
            it.remove();
            ended.add(s);
        }
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("session sweep failed", e);
        }
    }

    /**
     * Answers a request that needed the shared session storage while it could not be reached: {@code 503}
     * with a plain-text message and {@code Retry-After} (the storage's address and error stay in the server's
     * log). The storage has logged the outage; this is logged at debug level only, so an outage does not
     * flood the log.
     */
    public static void answerUnavailable(SessionUnavailableException e, Context ctx) {
        LOG.debug("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
        ctx.status(503).header("Retry-After", "2").contentType("text/plain; charset=utf-8")
                .result(UNAVAILABLE_MESSAGE);
    }

    private static void logRefused(Context ctx, List<String> paths) {
        LOG.debug("{} {} tried to change server-owned signal(s) {}; the mirror kept its values", ctx.method(),
                ctx.path(), paths);
    }

    private static void endAll(List<Session> ended) {
        for (Session s : ended) {
            s.end();
        }
        if (!ended.isEmpty()) {
            LOG.debug("ended {} idle or evicted session(s)", ended.size());
        }
    }

    // ---------------------------------------------------------------- cookie

    private String newId() {
        byte[] bytes = new byte[ID_BYTES];
        String id;
        do {
            random.nextBytes(bytes);
            id = HEX.formatHex(bytes);
        } while (byId.containsKey(id));
        return id;
    }

    /** The id if it has the shape of one we issue, else {@code null}; the value is never echoed anywhere. */
    private static String validId(String value) {
        if (value == null || value.length() != ID_BYTES * 2) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return value;
    }

    private boolean isSecure(Context ctx) {
        if ("https".equalsIgnoreCase(ctx.scheme())) {
            return true;
        }
        if (trustForwardedProto) {
            String proto = ctx.header("X-Forwarded-Proto");
            if (proto != null) {
                int comma = proto.indexOf(',');
                String first = (comma < 0 ? proto : proto.substring(0, comma)).trim();
                return "https".equalsIgnoreCase(first);
            }
        }
        return false;
    }

    private String cookie(String id, boolean secure) {
        return cookieName + "=" + id + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }

    /**
     * Settings of a {@link Sessions} registry.
     *
     * <pre>{@code
     * Sessions sessions = Sessions.builder()
     *         .idleTimeout(Duration.ofMinutes(10))
     *         .maxSessions(1_000)
     *         .trustForwardedProto(true)   // only behind a proxy that sets X-Forwarded-Proto
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private String cookieName = DEFAULT_COOKIE_NAME;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int maxSessions = DEFAULT_MAX_SESSIONS;
        private long maxStoreSize = SignalStore.DEFAULT_MAX_SIZE;
        private boolean trustForwardedProto;
        private SignalOwnership ownership = SignalOwnership.clientOwned();
        private SessionStorage storage;
        private BiConsumer<Context, List<String>> onRefused = Sessions::logRefused;
        private Clock clock = Clock.systemUTC();
        private Duration sweepInterval = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * Declares the signals at {@code paths} (and everything below them) server-owned in every session:
         * only server code changes them; a request carrying another value changes nothing, its browser gets
         * the server's value back, and {@link #onRefused} hears of it. See {@link SignalOwnership}.
         *
         * <pre>{@code
         * Sessions.builder().serverOwned("running", "user.role").build();
         * }</pre>
         */
        public Builder serverOwned(String... paths) {
            this.ownership = SignalOwnership.serverOwned(paths);
            return this;
        }

        /**
         * Called with the paths of the server-owned signals a request tried to change (values are never
         * passed: they may be anything a client sent). The default logs them at debug level; an app may count
         * them, log them louder, or answer the request with a message.
         */
        public Builder onRefused(BiConsumer<Context, List<String>> listener) {
            this.onRefused = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Keeps the sessions in a storage shared by several instances (e.g. {@code RedisSessionStorage}), so
         * any instance serves any session; without one they live in this registry only. The registry starts
         * the storage with its idle timeout and closes it when it closes.
         */
        public Builder storage(SessionStorage storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /** The cookie's name (default {@value #DEFAULT_COOKIE_NAME}); letters, digits, {@code _} and {@code -}. */
        public Builder cookieName(String name) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("a cookie name may only hold letters, digits, _ and -: " + name);
            }
            this.cookieName = name;
            return this;
        }

        /** How long an unused session lives (default 30 minutes). */
        public Builder idleTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive: " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** How many sessions may live at once; the least recently used one ends to make room (default 10,000). */
        public Builder maxSessions(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxSessions must be at least 1: " + max);
            }
            this.maxSessions = max;
            return this;
        }

        /** The bound of each session's store, in characters of JSON (default {@link SignalStore#DEFAULT_MAX_SIZE}). */
        public Builder maxStoreSize(long size) {
            if (size < 2) {
                throw new IllegalArgumentException("maxStoreSize must be at least 2: " + size);
            }
            this.maxStoreSize = size;
            return this;
        }

        /**
         * Trust the {@code X-Forwarded-Proto} header to decide whether the cookie is {@code Secure} (default
         * off). Turn it on only behind a reverse proxy that sets that header.
         */
        public Builder trustForwardedProto(boolean trust) {
            this.trustForwardedProto = trust;
            return this;
        }

        /** The clock that measures idleness (tests pass a controllable one). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How often one background thread removes expired sessions (default 30 s); {@link Duration#ZERO}
         * disables it and expired sessions are then removed only when a request looks a session up.
         */
        public Builder sweepInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("sweepInterval must not be negative: " + interval);
            }
            this.sweepInterval = interval;
            return this;
        }

        /** The registry; it starts its background sweep unless disabled. */
        public Sessions build() {
            return new Sessions(this);
        }
    }
}
