package dev.starwire.javalin.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.SignalsException;
import dev.starwire.javalin.Datastar;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 */
public final class Sessions implements AutoCloseable {
    /** The default cookie name. */
    public static final String DEFAULT_COOKIE_NAME = "starwire_session";
    /** The default idle timeout: 30 minutes. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** The default maximum number of live sessions. */
    public static final int DEFAULT_MAX_SESSIONS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    private static final String SESSION_ATTRIBUTE = Sessions.class.getName() + ".session";
    private static final int ID_BYTES = 16;
    private static final HexFormat HEX = HexFormat.of();

    private final String cookieName;
    private final long idleMillis;
    private final int maxSessions;
    private final long maxStoreSize;
    private final boolean trustForwardedProto;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService sweeper;

    private final Object lock = new Object();
    /** Access-ordered: the eldest entry is the least recently used session. Guarded by {@link #lock}. */
    private final LinkedHashMap<String, Session> byId = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed; // guarded by lock

    private Sessions(Builder b) {
        this.cookieName = b.cookieName;
        this.idleMillis = b.idleTimeout.toMillis();
        this.maxSessions = b.maxSessions;
        this.maxStoreSize = b.maxStoreSize;
        this.trustForwardedProto = b.trustForwardedProto;
        this.clock = b.clock;
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
     * The request's session: the one its cookie names if the registry knows it, otherwise a new one whose
     * cookie is set on the response (call it before the response is committed, e.g. before opening a
     * stream). Calling it again for the same request returns the same session.
     */
    public Session of(Context ctx) {
        Session cached = ctx.attribute(SESSION_ATTRIBUTE);
        if (cached != null && cached.isOpen()) {
            touch(cached);
            return cached;
        }
        String id = validId(ctx.cookie(cookieName));
        List<Session> ended = new ArrayList<>();
        Session session;
        boolean created = false;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the session registry is closed");
            }
            long now = clock.millis();
            removeExpired(now, ended);
            session = id == null ? null : byId.get(id);
            if (session != null) {
                session.lastAccessMillis = now;
            } else {
                while (byId.size() >= maxSessions) {
                    Iterator<Session> eldest = byId.values().iterator();
                    ended.add(eldest.next());
                    eldest.remove();
                }
                session = new Session(this, newId(), new SignalStore(maxStoreSize), now);
                byId.put(session.id, session);
                created = true;
            }
        }
        endAll(ended);
        if (created) {
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

    /** The request's session if its cookie names a live one; never creates a session or sets a cookie. */
    public Optional<Session> find(Context ctx) {
        Session cached = ctx.attribute(SESSION_ATTRIBUTE);
        if (cached != null && cached.isOpen()) {
            return Optional.of(cached);
        }
        String id = validId(ctx.cookie(cookieName));
        if (id == null) {
            return Optional.empty();
        }
        List<Session> ended = new ArrayList<>();
        Session session;
        synchronized (lock) {
            long now = clock.millis();
            removeExpired(now, ended);
            session = byId.get(id);
            if (session != null) {
                session.lastAccessMillis = now;
            }
        }
        endAll(ended);
        if (session != null) {
            ctx.attribute(SESSION_ATTRIBUTE, session);
        }
        return Optional.ofNullable(session);
    }

    /**
     * The request's session ({@link #of}) with the signals the request carried merged into its store, so
     * the store holds what the user typed. Run it before a handler reads the store (see {@link #handler}).
     * The signals are read by {@link Datastar#signals(Context)}, once per request: the handler reads them
     * again there, as a tree or bound to a record.
     *
     * @throws SignalsException 400 for signals that are not a JSON object or are too deep, 413 when they are
     *     larger than the limit ({@code StarwireConfig.maxSignalBytes}, 1 MiB by default) or would make the
     *     store exceed its bound; no session is created for malformed signals and the store is unchanged
     */
    public Session sync(Context ctx) {
        ObjectNode signals = Datastar.signals(ctx).tree();
        Session session = of(ctx);
        session.store().mergeFromClient(signals);
        return session;
    }

    /** Wraps {@code handler} into a Javalin handler that first runs {@link #sync}. */
    public Handler handler(SessionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return ctx -> handler.handle(ctx, sync(ctx));
    }

    // ---------------------------------------------------------------- lifecycle

    /** How many sessions are live. */
    public int size() {
        synchronized (lock) {
            return byId.size();
        }
    }

    /** Ends every session (closing their resources) and stops the background sweep. */
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
    }

    /** Ends every session idle for at least the idle timeout; the background sweep calls it. */
    void sweep() {
        List<Session> ended = new ArrayList<>();
        synchronized (lock) {
            removeExpired(clock.millis(), ended);
        }
        endAll(ended);
    }

    void touch(Session session) {
        synchronized (lock) {
            if (byId.get(session.id) == session) { // get() moves it to the most recently used end
                session.lastAccessMillis = clock.millis();
            }
        }
    }

    void invalidate(Session session) {
        boolean removed;
        synchronized (lock) {
            removed = byId.remove(session.id, session);
        }
        session.end();
        if (removed) {
            LOG.debug("session invalidated");
        }
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
        private Clock clock = Clock.systemUTC();
        private Duration sweepInterval = Duration.ofSeconds(30);

        private Builder() {
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
