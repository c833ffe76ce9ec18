package dev.starwire.demo;

import dev.starwire.hub.Hub;
import dev.starwire.hub.InMemoryBackend;
import dev.starwire.hub.spi.TopicBackend;
import dev.starwire.javalin.Starwire;
import dev.starwire.servlet.session.Sessions;
import dev.starwire.redis.RedisSessionStorage;
import dev.starwire.redis.RedisTopicBackend;
import dev.starwire.session.spi.SessionStorage;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The demo web app: {@code /} (index), {@code /clock} and {@code /chat}, and the Datastar endpoints behind
 * them. Every response carries the demo's Content-Security-Policy. The clock's {@code running} signal is
 * server-owned: only its pause and resume actions change it.
 *
 * <pre>{@code
 * DemoApp app = DemoApp.create().start("127.0.0.1", 0);   // 0: any free port
 * System.out.println("http://127.0.0.1:" + app.port() + "/clock");
 * app.close();
 * }</pre>
 */
public final class DemoApp implements AutoCloseable {
    private final Views views;
    private final Hub hub;
    private final Sessions sessions;
    private final Starwire starwire;
    private final ClockService clock;
    private final ChatService chat;
    private final Javalin javalin;

    private DemoApp(TopicBackend backend, SessionStorage storage, Clock timeSource, Duration keepAlive) {
        this.views = new Views(timeSource.getZone());
        this.hub = Hub.builder().backend(backend).build();
        Sessions.Builder sessionSettings = Sessions.builder().serverOwned(ClockService.RUNNING);
        if (storage != null) {
            sessionSettings.storage(storage); // any instance serves any session
        }
        this.sessions = sessionSettings.build();
        this.starwire = Starwire.create(cfg -> {
            cfg.hub = hub;
            cfg.sessions = sessions;
            cfg.keepAlive = keepAlive;
        });
        this.clock = new ClockService(timeSource, Duration.ofSeconds(1), starwire, views);
        this.chat = new ChatService(hub.topic("chat"), views, timeSource);
        this.javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.registerPlugin(starwire); // streams, CSRF-checked actions, bad signals -> 400/413
            // The one stylesheet, read once. Javalin's classpath static files would mount the whole jar as a zip
            // file system, whose index of the jar's 10,000 entries stays on the heap (11 MB).
            byte[] stylesheet = resource("/demo/static/demo.css");
            config.routes.get(Views.STYLESHEET, ctx -> ctx.contentType("text/css; charset=utf-8")
                    .header("Cache-Control", "max-age=3600").result(stylesheet));
            config.routes.before(Csp::apply);
            config.routes.get("/", ctx -> views.page(ctx, lang(ctx), "index.title", views.index(lang(ctx))));
            config.routes.get("/clock", ctx -> views.page(ctx, lang(ctx), "clock.title",
                    views.clock(lang(ctx), clock.running(ctx))));
            config.routes.get("/chat", ctx -> views.page(ctx, lang(ctx), "chat.title", views.chat(lang(ctx))));
            config.routes.get("/start-sse", starwire.stream(clock::start));
            config.routes.post("/clock/pause", starwire.post(clock::pause));
            config.routes.post("/clock/resume", starwire.post(clock::resume));
            config.routes.get("/join-chat", starwire.stream(chat::join));
            config.routes.post("/send-message", starwire.post(ChatInput.class, chat::send));
        });
    }

    /** A new, not yet started app with the chat in this process's memory. */
    public static DemoApp create() {
        return inMemory(Duration.ofSeconds(15));
    }

    /**
     * A new, not yet started app whose chat and sessions live in the Redis at {@code redisUrl}: the hub's
     * topic is a Redis stream that holds the live messages, the replay for reconnecting browsers and the
     * history; the browser sessions (the clock's signals) are stored there too. Both are shared by every
     * instance and kept across restarts.
     */
    public static DemoApp withRedis(String redisUrl) {
        return withRedis(redisUrl, Duration.ofSeconds(15));
    }

    /** As {@link #withRedis(String)}, with a keepalive of the caller's choice. */
    static DemoApp withRedis(String redisUrl, Duration keepAlive) {
        return withRedis(redisUrl, keepAlive, topicBackend -> { });
    }

    /** As {@link #withRedis(String, Duration)}, with options of the caller's choice for the topic backend (tests). */
    static DemoApp withRedis(String redisUrl, Duration keepAlive, Consumer<RedisTopicBackend.Builder> backendOptions) {
        Clock clock = Clock.systemDefaultZone();
        RedisTopicBackend.Builder topics = RedisTopicBackend.builder(redisUrl);
        backendOptions.accept(topics);
        RedisTopicBackend backend = topics.build();
        RedisSessionStorage storage = null;
        try {
            storage = RedisSessionStorage.fromUrl(redisUrl);
            return new DemoApp(backend, storage, clock, keepAlive);
        } catch (RuntimeException e) {
            backend.close();
            if (storage != null) {
                storage.close();
            }
            throw e;
        }
    }

    /** As {@link #create()}, with a keepalive of the caller's choice (tests notice closed connections sooner). */
    static DemoApp inMemory(Duration keepAlive) {
        Clock clock = Clock.systemDefaultZone();
        return new DemoApp(new InMemoryBackend(), null, clock, keepAlive);
    }

    /** Starts serving on {@code host}:{@code port} ({@code 0} picks a free port). */
    public DemoApp start(String host, int port) {
        javalin.start(host, port);
        return this;
    }

    /** The port the app listens on. */
    public int port() {
        return javalin.port();
    }

    /** Stops the server (open streams are told when to reconnect, sessions end), the clocks and the hub. */
    @Override
    public void close() {
        javalin.stop();
        clock.close();
        sessions.close(); // stored sessions stay in Redis for the other instances
        hub.close();
    }

    ClockService clock() {
        return clock;
    }

    Starwire starwire() {
        return starwire;
    }

    /** The language of this request: {@code ?lang=en|id}, else {@code Accept-Language}, else Indonesian. */
    static Lang lang(Context ctx) {
        return Lang.choose(ctx.queryParam("lang"), ctx.header("Accept-Language"));
    }

    private static byte[] resource(String path) {
        try (InputStream in = DemoApp.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing from the jar: " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
