package dev.starwire.javalin;

import dev.starwire.DatastarResponse;
import dev.starwire.hub.Hub;
import dev.starwire.hub.HubStats;
import dev.starwire.hub.Topic;
import dev.starwire.servlet.StarwireServlets;
import dev.starwire.servlet.session.Session;
import dev.starwire.servlet.session.Sessions;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.plugin.Plugin;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

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
 * <p>The plugin is a thin layer over {@link StarwireServlets}, Starwire on plain servlets: the streams, the
 * signals reader, the CSRF check, the sessions and the error answers are the same in both; this class maps
 * Javalin's {@link Context} onto them and tunes Jetty ({@link StarwireConfig}).
 *
 * <p>Mutating routes made with {@link #post}, {@link #put}, {@link #patch} and {@link #delete} answer
 * {@code 403} unless the request carries {@code Datastar-Request: true} and, when it has an {@code Origin},
 * that origin is the page's own or listed in {@link StarwireConfig#allowedOrigins}. Signals are read by
 * {@link Datastar#signals} (GET and DELETE from the query, the others from the body); unreadable signals
 * answer {@code 400}/{@code 413} with a plain-text reason. Every such client error is logged in one
 * rate-limited line. One plugin instance serves one running app.
 */
public final class Starwire extends Plugin<StarwireConfig> {
    private final StarwireConfig config;
    private final StarwireServlets core;

    private Starwire(StarwireConfig config) {
        super(null, config);
        this.config = config;
        this.core = StarwireServlets.create(config, new JettyConnections());
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
        Datastar.handleErrors(state.routes);
        JettyTuning.apply(state, config);
        state.events.serverStopping(core::closeStreams);
        state.events.serverStopped(core::close);
    }

    // ---- routes ----

    /**
     * A handler that opens an {@link LiveStream} and lets {@code handler} set it up; meant for GET routes
     * ({@code data-init="@get('/stream')"}). On a POST/PUT/PATCH/DELETE route the CSRF check applies first.
     */
    public Handler stream(LiveStreamHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return ctx -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            core.openStream(ctx.req(), ctx.res(), stream -> handler.handle(new LiveStream(stream, ctx)),
                    () -> done.complete(null));
            ctx.future(() -> done); // Javalin completes the response when the stream ends
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
            core.guard(ctx.req());
            handler.handle(ctx);
        };
    }

    // ---- hub ----

    /** The hub streams subscribe to. */
    public Hub hub() {
        return core.hub();
    }

    /** The hub's topic called {@code name}. */
    public Topic topic(String name) {
        return core.topic(name);
    }

    /** The hub's counters: subscribers, queued bytes, published, delivered, evicted. */
    public HubStats stats() {
        return core.stats();
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
     *
     * @throws dev.starwire.SignalsException 400/413 when the request's signals cannot be read
     * @throws dev.starwire.session.SessionUnavailableException (503) when the shared session storage is down
     */
    public Session session(Context ctx) {
        return core.sessions().sync(ctx.req(), ctx.res(), Datastar.signals(ctx));
    }

    /**
     * The request's session if its cookie names a live one; never creates a session, sets a cookie or reads
     * signals.
     *
     * @throws dev.starwire.session.SessionUnavailableException (503) when the shared session storage is down
     */
    public Optional<Session> findSession(Context ctx) {
        return core.findSession(ctx.req());
    }

    /** The session registry: the configured one, or a default one created now. */
    public Sessions sessions() {
        return core.sessions();
    }

    /** Streams open now. */
    public int openStreams() {
        return core.openStreams();
    }

    private static <T> Action typed(Class<T> type, SignalsAction<T> handler) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
        return ctx -> handler.handle(ctx, Datastar.signals(ctx, type));
    }

    private Handler action(boolean mutating, Action handler) {
        Objects.requireNonNull(handler, "handler");
        return ctx -> {
            if (mutating) {
                core.guard(ctx.req());
            }
            DatastarResponse response = handler.handle(ctx);
            if (response == null) {
                throw new IllegalStateException("the action of " + ctx.method() + " " + ctx.path()
                        + " returned null; return DatastarResponse.noContent() when there is nothing to send");
            }
            Datastar.respond(ctx, response);
        };
    }
}
