package dev.starwire.servlet.session;

import dev.starwire.Signals;
import dev.starwire.SignalsException;
import dev.starwire.session.SessionUnavailableException;
import dev.starwire.session.spi.SessionStorage;
import dev.starwire.signals.SignalOwnership;
import dev.starwire.signals.SignalStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser sessions of an app, each with its own {@link SignalStore}, identified by a cookie. Apps reach it
 * through their adapter ({@code starwire.session(...)}, {@code stream.session()}); give it settings with the
 * builder.
 *
 * <pre>{@code
 * Sessions sessions = Sessions.builder().idleTimeout(Duration.ofMinutes(10)).serverOwned("running").build();
 * StarwireServlets starwire = StarwireServlets.create(cfg -> cfg.sessions = sessions);   // or Starwire (Javalin)
 * // in an action:
 * Session s = starwire.session(request, response);          // the request's signals merged into its store
 * s.store().set("messageText", "");                         // sent to every open tab of this session
 * }</pre>
 *
 * <h2>The cookie</h2>
 * A session id is 128 bits from {@link SecureRandom}, sent as {@code <name>=<32 hex digits>; Path=/;
 * HttpOnly; SameSite=Lax} plus {@code Secure} when the request came over HTTPS (its scheme, or the
 * {@code X-Forwarded-Proto} header when {@link Builder#trustForwardedProto} is on). An id the registry does not
 * know (expired, forged, from another server) is never adopted: a new session with a new id is issued, so an
 * attacker cannot fix a victim's session id.
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
 * {@link SessionUnavailableException} (answered {@code 503}); it recovers by itself.
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

    private final SessionCookies cookies;
    private final SessionRegistry registry;
    private final SessionSignals signals;

    private Sessions(Builder b) {
        this.cookies = new SessionCookies(b.cookieName, b.trustForwardedProto);
        this.registry = new SessionRegistry(b, cookies::newId);
        this.signals = new SessionSignals(this, b.onRefused);
    }

    /** A registry with every default (30 min idle timeout, 10,000 sessions, background sweep). */
    public static Sessions create() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The request's session: the one its cookie names if the registry (or its shared storage) knows it,
     * otherwise a new one whose cookie is set on the response (call it before the response is committed,
     * e.g. before opening a stream). Calling it again for the same request returns the same session.
     *
     * @throws SessionUnavailableException when the shared storage is needed and cannot be reached
     */
    public Session of(HttpServletRequest request, HttpServletResponse response) {
        Session cached = cached(request);
        if (cached != null) {
            registry.touch(cached);
            return cached;
        }
        String id = cookies.read(request);
        Session session = id == null ? null : registry.known(id);
        if (session == null) {
            session = registry.newSession();
            if (response.isCommitted()) {
                registry.invalidate(session); // its cookie can no longer reach the browser
                throw new IllegalStateException("a new session needs its cookie sent: look the session up before"
                        + " the response is committed (e.g. before a stream starts)");
            }
            cookies.write(request, response, session.id);
        }
        request.setAttribute(SESSION_ATTRIBUTE, session);
        return session;
    }

    /**
     * The request's session if its cookie names a live one; never creates a session or sets a cookie.
     *
     * @throws SessionUnavailableException when the shared storage is needed and cannot be reached
     */
    public Optional<Session> find(HttpServletRequest request) {
        Session cached = cached(request);
        if (cached != null) {
            return Optional.of(cached);
        }
        String id = cookies.read(request);
        Session session = id == null ? null : registry.known(id);
        if (session != null) {
            request.setAttribute(SESSION_ATTRIBUTE, session);
        }
        return Optional.ofNullable(session);
    }

    /**
     * The request's session ({@link #of}) with the request's {@code signals} merged into its store, so the store
     * holds what the user typed. Server-owned signals are not merged ({@link Builder#serverOwned}); their paths
     * go to {@link Builder#onRefused}. A shared session also catches up with the stored signals; one that ended
     * in the storage meanwhile is replaced by a new session.
     *
     * @throws SignalsException 413 when the signals would make the store exceed its bound (the store is unchanged)
     * @throws SessionUnavailableException when the shared storage cannot be reached
     */
    public Session sync(HttpServletRequest request, HttpServletResponse response, Signals signals) {
        return this.signals.sync(request, response, signals.tree());
    }

    /** How many sessions are live. */
    public int size() {
        return registry.size();
    }

    /**
     * Ends every session here (closing their resources), stops the background sweep and closes the storage;
     * stored sessions stay stored for the other instances.
     */
    @Override
    public void close() {
        registry.close();
    }

    /** Ends every session idle for at least the idle timeout (the background sweep's work, for tests). */
    void sweep() {
        registry.sweep();
    }

    /** Ends {@code ended} here and looks the request's session up again: a new one. */
    Session replace(HttpServletRequest request, HttpServletResponse response, Session ended) {
        registry.endHere(ended);
        request.removeAttribute(SESSION_ATTRIBUTE);
        return of(request, response);
    }

    private static Session cached(HttpServletRequest request) {
        Object cached = request.getAttribute(SESSION_ATTRIBUTE);
        return cached instanceof Session && ((Session) cached).isOpen() ? (Session) cached : null;
    }

    private static void logRefused(HttpServletRequest request, List<String> paths) {
        LOG.debug("{} {} tried to change server-owned signal(s) {}; the mirror kept its values", request.getMethod(),
                request.getRequestURI(), paths);
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
        String cookieName = DEFAULT_COOKIE_NAME;
        Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        int maxSessions = DEFAULT_MAX_SESSIONS;
        long maxStoreSize = SignalStore.DEFAULT_MAX_SIZE;
        boolean trustForwardedProto;
        SignalOwnership ownership = SignalOwnership.clientOwned();
        SessionStorage storage;
        BiConsumer<HttpServletRequest, List<String>> onRefused = Sessions::logRefused;
        Clock clock = Clock.systemUTC();
        Duration sweepInterval = Duration.ofSeconds(30);

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
         * Called with the request and the paths of the server-owned signals it tried to change (values are never
         * passed: they may be anything a client sent). The default logs them at debug level; an app may count
         * them or log them louder.
         */
        public Builder onRefused(BiConsumer<HttpServletRequest, List<String>> listener) {
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
