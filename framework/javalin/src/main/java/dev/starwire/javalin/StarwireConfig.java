package dev.starwire.javalin;

import dev.starwire.Signals;
import dev.starwire.hub.Hub;
import dev.starwire.javalin.session.Sessions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Settings of the {@link Starwire} plugin; every field has a working default.
 *
 * <pre>{@code
 * Starwire starwire = Starwire.create(cfg -> {
 *     cfg.keepAlive = Duration.ofSeconds(20);
 *     cfg.allowedOrigins.add("https://app.example.com");
 *     cfg.gzip = true;
 * });
 * }</pre>
 */
public final class StarwireConfig {
    /** The hub streams subscribe to; {@code null} means an in-memory hub owned (and closed) by the plugin. */
    public Hub hub;

    /**
     * The browser sessions behind {@link Starwire#session} and {@link LiveStream#session()}; {@code null}
     * means a default registry, created on first use and closed by the plugin when the server stops.
     */
    public Sessions sessions;

    /** How often an idle stream gets a keepalive comment, so proxies and Jetty's idle timeout keep it open. */
    public Duration keepAlive = Duration.ofSeconds(15);

    /**
     * Origins besides the request's own that may call mutating routes, e.g. {@code "https://app.example.com"}
     * (scheme, host and port only; default ports may be left out).
     */
    public final Set<String> allowedOrigins = new LinkedHashSet<>();

    /** Compress a stream with gzip (flushed per event) when the client accepts it; off by default. */
    public boolean gzip;

    /** On shutdown every stream is told to reconnect after this long (plus up to as much again, at random). */
    public Duration shutdownRetry = Duration.ofSeconds(2);

    /** How long a closing stream may take to flush its last bytes before its connection is dropped. */
    public Duration closeTimeout = Duration.ofSeconds(2);

    /**
     * The largest signals a request may carry, in UTF-8 bytes (1 MiB by default): the limit of
     * {@link Datastar#signals}, for every action, stream and session of the app. More is answered with 413.
     */
    public long maxSignalBytes = Signals.DEFAULT_MAX_BYTES;

    /** Threads that write queued events to connections; writes never block, so a few serve many streams. */
    public int writerThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
}
