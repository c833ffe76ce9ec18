package dev.starwire.javalin;

import dev.starwire.DatastarResponse;
import dev.starwire.SignalsException;
import dev.starwire.hub.Hub;
import dev.starwire.hub.HubStats;
import dev.starwire.hub.Topic;
import dev.starwire.hub.TopicUnavailableException;
import dev.starwire.javalin.session.Session;
import dev.starwire.javalin.session.Sessions;
import dev.starwire.session.SessionUnavailableException;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.plugin.Plugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Starwire plugin for Javalin 7: long-lived streams ({@link LiveStream}) fed by a broadcast {@link Hub},
 * Datastar actions that read their signals into a record and answer with a {@link DatastarResponse}, the
 * CSRF check of mutating routes, and a graceful shutdown that tells every browser when to reconnect.
 *
 * <pre>{@code
 * Starwire starwire = Starwire.create(cfg -> cfg.keepAlive = Duration.ofSeconds(15));
 * Topic chat = starwire.topic("chat");
 * Javalin.create(config -> {
 *     config.registerPlugin(starwire);
 *     config.routes.get("/chat/stream", starwire.stream(stream ->
 *             stream.subscribe(chat, () -> stream.send(history()))));
 *     config.routes.post("/chat/send", starwire.post(Message.class, (ctx, msg) -> {
 *         chat.publish(PatchElements.append("#messages", templates.message(msg)));
 *         return DatastarResponse.of(PatchSignals.of(Map.of("text", "")));
 *     }));
 * }).start(7070);
 * }</pre>
 *
 * <p>Mutating routes made with {@link #post}, {@link #put}, {@link #patch} and {@link #delete} answer
 * {@code 403} unless the request carries {@code Datastar-Request: true} and, when it has an {@code Origin},
 * that origin is the page's own or listed in {@link StarwireConfig#allowedOrigins}. Signals are read by
 * {@link Datastar#signals} (GET and DELETE from the query, the others from the body); unreadable signals
 * answer {@code 400}/{@code 413} with a plain-text reason. Every such client error is logged in one
 * rate-limited line. One plugin instance serves one running app.
 */
public final class Starwire extends Plugin<StarwireConfig> {
    private static final Logger LOG = LoggerFactory.getLogger(Starwire.class);

    private final StarwireConfig config;
    private final Hub hub;
    private final boolean ownsHub;
    private final RequestGuard guard;
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService writers;
    private final Set<LiveStream> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private Sessions sessions;       // guarded by this; created on first use unless configured
    private boolean ownsSessions;    // guarded by this

    private Starwire(StarwireConfig config) {
        super(null, config);
        this.config = config;
        this.ownsHub = config.hub == null;
        this.hub = ownsHub ? Hub.inMemory() : config.hub;
        this.guard = new RequestGuard(config.allowedOrigins, config.trustForwardedHeaders);
        this.timer = new ScheduledThreadPoolExecutor(1, daemon("starwire-timer"));
        this.timer.setRemoveOnCancelPolicy(true); // closed streams must not stay reachable via their timers
        this.writers = Executors.newFixedThreadPool(Math.max(1, config.writerThreads), daemon("starwire-writer"));
    }

    /** A plugin with the default settings and its own in-memory hub. */
    public static Starwire create() {
        return create(cfg -> { });
    }

    /** A plugin configured by {@code settings}. */
    public static Starwire create(Consumer<StarwireConfig> settings) {
        StarwireConfig cfg = new StarwireConfig();
        settings.accept(cfg);
        return new Starwire(cfg);
    }

    @Override
    public void onInitialize(JavalinState state) {
        state.appDataManager.register(Datastar.MAX_SIGNAL_BYTES, config.maxSignalBytes);
        state.routes.exception(SignalsException.class, Datastar::answer);
        state.routes.exception(SessionUnavailableException.class, Sessions::answerUnavailable);
        // A topic's backend is down (e.g. Redis): answered at once, without a stack trace, and retried later.
        state.routes.exception(TopicUnavailableException.class, (e, ctx) -> {
            LOG.debug("{} {}: {}", ctx.method(), ctx.path(), e.getMessage()); // the backend logs the outage once
            ctx.status(503).header("Retry-After", "5").contentType("text/plain; charset=utf-8")
                    .result("temporarily unavailable, try again");
        });
        JettyTuning.apply(state, config);
        state.events.serverStarted(this::watchForStalledStreams);
        state.events.serverStopping(this::closeAllStreams);
        state.events.serverStopped(this::release);
    }

    // ---- routes ----

    /**
     * A handler that opens an {@link LiveStream} and lets {@code handler} set it up; meant for GET routes
     * ({@code data-init="@get('/stream')"}). On a POST/PUT/PATCH/DELETE route the CSRF check applies first.
     */
    public Handler stream(LiveStreamHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return ctx -> {
            if (isMutating(ctx) && refused(ctx)) {
                return;
            }
            if (stopping) {
                ctx.status(503).contentType("text/plain; charset=utf-8").result("the server is stopping");
                return;
            }
            LiveStream stream = new LiveStream(this, ctx);
            try {
                handler.handle(stream);
            } catch (Exception | Error e) {
                stream.abandon(); // nothing was written yet: Javalin answers with its error handling
                throw e;
            }
            stream.start();
        };
    }

    /**
     * A GET action: signals (from the {@code datastar} query parameter) read into {@code type}, the handler's
     * {@link DatastarResponse} sent.
     */
    public <T> Handler get(Class<T> type, SignalsAction<T> handler) {
        return action(false, typed(type, handler));
    }

    /** A GET action that reads no signals (or reads them itself with {@link Datastar#signals}). */
    public Handler get(Action handler) {
        return action(false, handler);
    }

    /**
     * A POST action: checked against CSRF, signals (from the JSON or form body) read into {@code type}, the
     * handler's {@link DatastarResponse} sent.
     */
    public <T> Handler post(Class<T> type, SignalsAction<T> handler) {
        return action(true, typed(type, handler));
    }

    /** A POST action that reads no signals; checked against CSRF. */
    public Handler post(Action handler) {
        return action(true, handler);
    }

    /** A PUT action; see {@link #post(Class, SignalsAction)}. */
    public <T> Handler put(Class<T> type, SignalsAction<T> handler) {
        return action(true, typed(type, handler));
    }

    /** A PUT action that reads no signals; checked against CSRF. */
    public Handler put(Action handler) {
        return action(true, handler);
    }

    /** A PATCH action; see {@link #post(Class, SignalsAction)}. */
    public <T> Handler patch(Class<T> type, SignalsAction<T> handler) {
        return action(true, typed(type, handler));
    }

    /** A PATCH action that reads no signals; checked against CSRF. */
    public Handler patch(Action handler) {
        return action(true, handler);
    }

    /**
     * A DELETE action: checked against CSRF, signals (from the {@code datastar} query parameter, where the
     * Datastar client puts them for DELETE) read into {@code type}.
     */
    public <T> Handler delete(Class<T> type, SignalsAction<T> handler) {
        return action(true, typed(type, handler));
    }

    /** A DELETE action that reads no signals; checked against CSRF. */
    public Handler delete(Action handler) {
        return action(true, handler);
    }

    /** Wraps a plain handler of a mutating route in the CSRF check. */
    public Handler guarded(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        return ctx -> {
            if (refused(ctx)) {
                return;
            }
            handler.handle(ctx);
        };
    }

    // ---- hub ----

    /** The hub streams subscribe to. */
    public Hub hub() {
        return hub;
    }

    /** The hub's topic called {@code name}. */
    public Topic topic(String name) {
        return hub.topic(name);
    }

    /** The hub's counters: subscribers, queued bytes, published, delivered, evicted. */
    public HubStats stats() {
        return hub.stats();
    }

    // ---- sessions ----

    /**
     * The request's browser session, with the signals the request carried merged into its store (call it
     * before writing the response: a new session sets its cookie).
     *
     * <pre>{@code
     * config.routes.post("/increment", starwire.guarded(ctx ->
     *         starwire.session(ctx).store().update(s -> s.set("count", s.get("count", Integer.class, 0) + 1))));
     * }</pre>
     */
    public Session session(Context ctx) {
        return sessions().sync(ctx);
    }

    /** The session registry: the configured one, or a default one created now. */
    public synchronized Sessions sessions() {
        if (sessions == null) {
            if (config.sessions != null) {
                sessions = config.sessions;
            } else {
                sessions = Sessions.create();
                ownsSessions = true;
            }
        }
        return sessions;
    }

    /** Streams open now. */
    public int openStreams() {
        return streams.size();
    }

    // ---- internals used by LiveStream ----

    StarwireConfig config() {
        return config;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    ExecutorService writers() {
        return writers;
    }

    /** Tasks waiting on the shared timer (keepalives, {@code every}, close timeouts): for leak checks. */
    int scheduledTasks() {
        return timer.getQueue().size();
    }

    void execute(Runnable task) {
        try {
            writers.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // stopped: run here rather than never
        }
    }

    void register(LiveStream stream) {
        streams.add(stream);
        if (stopping) {
            stream.shutdown(retryMillis());
        }
    }

    void unregister(LiveStream stream) {
        streams.remove(stream);
    }

    private static <T> Action typed(Class<T> type, SignalsAction<T> handler) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
        return ctx -> handler.handle(ctx, Datastar.signals(ctx, type));
    }

    private Handler action(boolean mutating, Action handler) {
        Objects.requireNonNull(handler, "handler");
        return ctx -> {
            if (mutating && refused(ctx)) {
                return;
            }
            DatastarResponse response = handler.handle(ctx);
            if (response == null) {
                throw new IllegalStateException("the action of " + ctx.method() + " " + ctx.path()
                        + " returned null; return DatastarResponse.noContent() when there is nothing to send");
            }
            Datastar.respond(ctx, response);
        };
    }

    private static boolean isMutating(Context ctx) {
        HandlerType m = ctx.method();
        return m.equals(HandlerType.POST) || m.equals(HandlerType.PUT) || m.equals(HandlerType.PATCH)
                || m.equals(HandlerType.DELETE);
    }

    private boolean refused(Context ctx) {
        String refusal = guard.refusal(ctx);
        if (refusal == null) {
            return false;
        }
        ClientErrors.log(ctx, 403, refusal);
        ctx.status(403).contentType("text/plain; charset=utf-8").result(refusal);
        return true;
    }

    private long retryMillis() {
        long base = Math.max(0, config.shutdownRetry.toMillis());
        return base + (base == 0 ? 0 : ThreadLocalRandom.current().nextLong(base + 1));
    }

    /** Closes, on the timer, the streams whose clients have not accepted a byte for {@code stallTimeout}. */
    private void watchForStalledStreams() {
        long stall = config.stallTimeout.toNanos();
        if (stall <= 0) {
            return;
        }
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(100), Math.min(stall / 4, TimeUnit.SECONDS.toNanos(5)));
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            int closed = 0;
            for (LiveStream s : streams) {
                try {
                    if (s.stalledFor(stall, now)) {
                        s.abort("its client has not read anything for " + config.stallTimeout.toMillis() + " ms");
                        closed++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("stream {}: closing it after it stalled failed", s.route(), e); // the sweep goes on
                }
            }
            if (closed > 0) {
                LOG.info("closed {} stream(s) whose clients accepted no bytes for {} ms; they reconnect and catch up",
                        closed, config.stallTimeout.toMillis());
            }
        }, period, period, TimeUnit.NANOSECONDS);
    }

    /** Tells every stream when to come back, ends it, and waits (bounded) until all have ended. */
    private void closeAllStreams() throws InterruptedException {
        stopping = true;
        List<LiveStream> open = new ArrayList<>(streams);
        LOG.info("closing {} streams", open.size());
        for (LiveStream s : open) {
            s.shutdown(retryMillis());
        }
        long deadline = System.nanoTime() + config.closeTimeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
        while (!streams.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10); // bounded wait for the last flushes; the close timeout drops the stragglers
        }
        for (LiveStream s : new ArrayList<>(streams)) {
            s.abort("the server stopped");
        }
    }

    private void release() {
        timer.shutdownNow();
        writers.shutdown();
        if (ownsHub) {
            hub.close();
        }
        Sessions owned;
        synchronized (this) {
            owned = ownsSessions ? sessions : null;
        }
        if (owned != null) {
            owned.close();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
