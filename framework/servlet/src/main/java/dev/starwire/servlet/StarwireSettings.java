package dev.starwire.servlet;

import dev.starwire.Signals;
import dev.starwire.hub.Hub;
import dev.starwire.servlet.session.Sessions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Settings of Starwire on a servlet container ({@link StarwireServlets}); every field has a working default. The
 * Javalin plugin's {@code StarwireConfig} extends it with the settings of its Jetty server.
 *
 * <pre>{@code
 * StarwireServlets starwire = StarwireServlets.create(cfg -> {
 *     cfg.keepAlive = Duration.ofSeconds(20);
 *     cfg.allowedOrigins.add("https://app.example.com");
 *     cfg.gzip = true;
 * });
 * }</pre>
 *
 * <p>Plain mutable fields, read once when Starwire is created: change them in the settings callback only.
 */
public class StarwireSettings {
    /** Every setting at its default; {@link StarwireServlets#create(java.util.function.Consumer)} makes one. */
    public StarwireSettings() {
    }

    /** The hub streams subscribe to; {@code null} means an in-memory hub owned (and closed) by Starwire. */
    public Hub hub;

    /**
     * The browser sessions behind {@code session(...)} and {@link LiveStream#session()}; {@code null} means a
     * default registry, created on first use and closed by Starwire when it closes.
     */
    public Sessions sessions;

    /** How often an idle stream gets a keepalive comment, so proxies and the container's idle timeout keep it open. */
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
     * The largest signals a request may carry, in UTF-8 bytes (1 MiB by default): the limit of the signals
     * reader for every action, stream and session of the app. More is answered with 413.
     */
    public long maxSignalBytes = Signals.DEFAULT_MAX_BYTES;

    /** Threads that write queued events to connections; writes never block, so a few serve many streams. */
    public int writerThreads = Math.max(2, Runtime.getRuntime().availableProcessors());

    /**
     * A stream whose connection has not accepted a byte for this long, while something waits to be written,
     * is closed: its client stopped reading (or its network is gone). Checked on a timer, so it also happens
     * on a quiet topic where no new event would overflow the outbox. The client reconnects and catches up.
     */
    public Duration stallTimeout = Duration.ofSeconds(30);

    /**
     * The kernel send buffer of a stream's connection, in bytes ({@code SO_SNDBUF}; Linux doubles it), or 0 to
     * leave it to the operating system. Bounds what a client that stops reading pins in the kernel; left to
     * Linux, it grows to several MiB per connection. 64 KiB carries about 1 MiB/s per stream at 100 ms of
     * round trip, plenty for patches. Applied where the container lets Starwire reach the socket (the Javalin
     * plugin on Jetty); the Servlet API itself offers no way.
     */
    public int streamSendBuffer = 64 * 1024;

    /**
     * Whether {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and {@code X-Forwarded-Port} describe the
     * browser's side of the request (set it when a proxy you run terminates TLS and sets them). Off by
     * default: then a request's origin is its connection's scheme and its {@code Host}, and those headers are
     * ignored, since any client could send them.
     */
    public boolean trustForwardedHeaders;
}
