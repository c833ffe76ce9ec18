package dev.starwire.spring;

import dev.starwire.hub.InMemoryBackend;
import dev.starwire.hub.QueueLimits;
import dev.starwire.servlet.StarwireSettings;
import dev.starwire.servlet.session.Sessions;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Starwire's settings in {@code application.properties}, under {@code starwire.}; every one is optional, an unset
 * one keeps Starwire's default ({@link StarwireSettings}, {@link Sessions.Builder}, {@link QueueLimits},
 * {@link InMemoryBackend}).
 *
 * <pre>
 * starwire.keep-alive=15s
 * starwire.allowed-origins=https://app.example.com
 * starwire.max-signal-bytes=64KB
 * starwire.hub.max-events=2000
 * starwire.sessions.idle-timeout=30m
 * starwire.sessions.server-owned=running,score
 * </pre>
 *
 * @param keepAlive             keepalive comment on an idle stream (15 s)
 * @param allowedOrigins        origins besides the page's own that may call mutating Datastar routes
 * @param trustForwardedHeaders {@code X-Forwarded-*} describe the browser's side (behind your own proxy only)
 * @param gzip                  compress streams for clients that accept it
 * @param maxSignalBytes        the largest signals a request may carry (1 MB; more is answered 413)
 * @param writerThreads         threads that write queued events (cores, at least 2)
 * @param stallTimeout          a stream whose client accepts no byte for this long is closed (30 s)
 * @param shutdownRetry         the reconnect hint sent to every stream on shutdown (2 s, plus up to as much again)
 * @param closeTimeout          how long closing streams may flush (2 s)
 * @param hub                   the auto-configured in-memory hub
 * @param sessions              the auto-configured browser sessions
 */
@ConfigurationProperties("starwire")
public record StarwireProperties(Duration keepAlive, List<String> allowedOrigins, Boolean trustForwardedHeaders,
                                 Boolean gzip, DataSize maxSignalBytes, Integer writerThreads,
                                 Duration stallTimeout, Duration shutdownRetry, Duration closeTimeout,
                                 HubProperties hub, SessionProperties sessions) {
    /**
     * The auto-configured hub: the outbox of each stream and the in-memory replay of each topic.
     *
     * @param maxEvents    events one stream's outbox holds before its client counts as too slow (2000)
     * @param maxBytes     bytes one stream's outbox holds before its client counts as too slow (8 MB)
     * @param replayEvents events each topic keeps for reconnecting clients (1000)
     * @param replayBytes  bytes each topic keeps for reconnecting clients (4 MB)
     */
    public record HubProperties(Integer maxEvents, DataSize maxBytes, Integer replayEvents, DataSize replayBytes) {
    }

    /**
     * The auto-configured browser sessions (cookie sessions with a signal store each).
     *
     * @param cookieName   the session cookie ({@value Sessions#DEFAULT_COOKIE_NAME})
     * @param idleTimeout  a session unused for this long ends
     * @param maxSessions  sessions kept at most ({@value Sessions#DEFAULT_MAX_SESSIONS})
     * @param maxStoreSize characters of JSON one session's signals may hold
     * @param serverOwned  signals only the server changes (a client's value for them is ignored)
     */
    public record SessionProperties(String cookieName, Duration idleTimeout, Integer maxSessions, Long maxStoreSize,
                                    List<String> serverOwned) {
    }

    /** Writes the properties that are set into {@code settings}. */
    void applyTo(StarwireSettings settings) {
        set(keepAlive, v -> settings.keepAlive = v);
        set(allowedOrigins, settings.allowedOrigins::addAll);
        set(trustForwardedHeaders, v -> settings.trustForwardedHeaders = v);
        set(gzip, v -> settings.gzip = v);
        set(maxSignalBytes, v -> settings.maxSignalBytes = v.toBytes());
        set(writerThreads, v -> settings.writerThreads = v);
        set(stallTimeout, v -> settings.stallTimeout = v);
        set(shutdownRetry, v -> settings.shutdownRetry = v);
        set(closeTimeout, v -> settings.closeTimeout = v);
    }

    /** The outbox limits: the set properties over {@link QueueLimits#DEFAULT}. */
    QueueLimits queueLimits() {
        QueueLimits d = QueueLimits.DEFAULT;
        if (hub == null || (hub.maxEvents() == null && hub.maxBytes() == null)) {
            return d;
        }
        return new QueueLimits(hub.maxEvents() != null ? hub.maxEvents() : d.maxEvents(),
                hub.maxBytes() != null ? hub.maxBytes().toBytes() : d.maxBytes());
    }

    /** The in-memory backend: the set properties over {@link InMemoryBackend}'s defaults. */
    InMemoryBackend backend() {
        if (hub == null || (hub.replayEvents() == null && hub.replayBytes() == null)) {
            return new InMemoryBackend();
        }
        return new InMemoryBackend(hub.replayEvents() != null ? hub.replayEvents() : InMemoryBackend.DEFAULT_MAX_EVENTS,
                hub.replayBytes() != null ? hub.replayBytes().toBytes() : InMemoryBackend.DEFAULT_MAX_BYTES);
    }

    /** The session registry's builder with the set properties. */
    Sessions.Builder sessionsBuilder() {
        Sessions.Builder b = Sessions.builder();
        if (sessions != null) {
            set(sessions.cookieName(), b::cookieName);
            set(sessions.idleTimeout(), b::idleTimeout);
            set(sessions.maxSessions(), b::maxSessions);
            set(sessions.maxStoreSize(), b::maxStoreSize);
            set(sessions.serverOwned(), v -> b.serverOwned(v.toArray(String[]::new)));
        }
        set(trustForwardedHeaders, b::trustForwardedProto);
        return b;
    }

    private static <T> void set(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }
}
