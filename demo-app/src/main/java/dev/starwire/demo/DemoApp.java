package dev.starwire.demo;

import dev.starwire.hub.Hub;
import dev.starwire.hub.InMemoryBackend;
import dev.starwire.hub.TopicBackend;
import dev.starwire.javalin.Starwire;
import dev.starwire.redis.RedisTopicBackend;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.time.Clock;
import java.time.Duration;

/**
 * The demo web app: {@code /} (index), {@code /clock} and {@code /chat}, and the Datastar endpoints behind
 * them. Every response carries the demo's Content-Security-Policy.
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
    private final Starwire starwire;
    private final ClockService clock;
    private final ChatService chat;
    private final Javalin javalin;

    private DemoApp(TopicBackend backend, Clock timeSource, Duration keepAlive) {
        this.views = new Views(timeSource.getZone());
        this.hub = Hub.builder().backend(backend).build();
        this.starwire = Starwire.create(cfg -> {
            cfg.hub = hub;
            cfg.keepAlive = keepAlive;
        });
        this.clock = new ClockService(timeSource, Duration.ofSeconds(1));
        this.chat = new ChatService(hub.topic("chat"), views, timeSource);
        this.javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.registerPlugin(starwire); // streams, CSRF-checked actions, bad signals -> 400/413
            config.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/demo/static";
                files.location = Location.CLASSPATH;
            });
            config.routes.before(Csp::apply);
            config.routes.get("/", ctx -> views.page(ctx, lang(ctx), "index.title", views.index(lang(ctx))));
            config.routes.get("/clock", ctx -> views.page(ctx, lang(ctx), "clock.title", views.clock(lang(ctx))));
            config.routes.get("/chat", ctx -> views.page(ctx, lang(ctx), "chat.title", views.chat(lang(ctx))));
            config.routes.get("/start-sse", starwire.stream(clock::start));
            config.routes.get("/join-chat", starwire.stream(chat::join));
            config.routes.post("/send-message", starwire.post(ChatInput.class, chat::send));
        });
    }

    /** A new, not yet started app with the chat in this process's memory. */
    public static DemoApp create() {
        return inMemory(Duration.ofSeconds(15));
    }

    /**
     * A new, not yet started app whose chat lives in the Redis at {@code redisUrl}: the hub's topic is a Redis
     * stream that holds the live messages, the replay for reconnecting browsers and the history, shared by
     * every instance and kept across restarts.
     */
    public static DemoApp withRedis(String redisUrl) {
        return withRedis(RedisTopicBackend.builder(redisUrl));
    }

    /** As {@link #withRedis(String)}, with the backend's options of the caller's choice (tests). */
    static DemoApp withRedis(RedisTopicBackend.Builder backend) {
        Clock clock = Clock.systemDefaultZone();
        RedisTopicBackend redis = backend.build();
        try {
            return new DemoApp(redis, clock, Duration.ofSeconds(15));
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /** As {@link #create()}, with a keepalive of the caller's choice (tests notice closed connections sooner). */
    static DemoApp inMemory(Duration keepAlive) {
        Clock clock = Clock.systemDefaultZone();
        return new DemoApp(new InMemoryBackend(), clock, keepAlive);
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
}
