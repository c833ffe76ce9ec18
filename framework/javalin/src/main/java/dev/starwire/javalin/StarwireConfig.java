package dev.starwire.javalin;

import dev.starwire.servlet.StarwireSettings;
import java.time.Duration;

/**
 * Settings of the {@link Starwire} plugin; every field has a working default. The stream, CSRF, signals and
 * session settings are those of {@link StarwireSettings}; the ones here tune the Jetty server Javalin runs.
 *
 * <pre>{@code
 * Starwire starwire = Starwire.create(cfg -> {
 *     cfg.keepAlive = Duration.ofSeconds(20);
 *     cfg.allowedOrigins.add("https://app.example.com");
 *     cfg.gzip = true;
 * });
 * }</pre>
 */
public final class StarwireConfig extends StarwireSettings {
    StarwireConfig() {
    }

    /**
     * Whether the plugin tunes Jetty for a stream server (below). Settings the application made itself on
     * {@code config.jetty} win: the thread pool is only replaced when none was set.
     */
    public boolean configureJetty = true;

    /**
     * Most threads in Jetty's pool. Open streams hold none, so this bounds the requests handled at once; a
     * burst beyond it waits in the queue instead of growing the process. Joins and actions are short and do not
     * block; raise it for handlers that block (e.g. on a database).
     */
    public int maxThreads = 32;

    /** A pool thread idle this long ends, all of them at once after a burst (Jetty's default ends one per minute). */
    public Duration threadIdleTimeout = Duration.ofSeconds(30);

    /** A connection with no bytes in either direction for this long is closed; keep {@link #keepAlive} below it. */
    public Duration idleTimeout = Duration.ofSeconds(30);

    /**
     * A new HTTP/1.1 connection must deliver its first request's headers within this long, or it is closed: a client
     * dripping a header a byte at a time cannot hold a connection for ever.
     */
    public Duration requestHeaderTimeout = Duration.ofSeconds(10);

    /**
     * New connections the kernel keeps for Jetty before it accepts them (the listen backlog; the JDK's default is
     * 50). A burst of clients connecting at once, e.g. every page reconnecting its stream after a restart, waits
     * here instead of overflowing the queue, which costs clients retransmissions or a reset. The kernel caps it
     * ({@code net.core.somaxconn}).
     */
    public int acceptQueueSize = 1024;
}
