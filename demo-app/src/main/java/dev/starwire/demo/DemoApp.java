package dev.starwire.demo;

import dev.starwire.javalin.Datastar;
import dev.starwire.javalin.session.Sessions;
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
    private final Views views = new Views();
    private final Sessions sessions = Sessions.create();
    private final ClockService clock;
    private final ChatRoom room;
    private final ChatService chat;
    private final Javalin javalin;

    private DemoApp(Clock timeSource) {
        this.clock = new ClockService(sessions, timeSource, Duration.ofSeconds(1));
        this.room = new ChatRoom(timeSource);
        this.chat = new ChatService(room, views);
        this.javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/demo/static";
                files.location = Location.CLASSPATH;
            });
            Datastar.handleErrors(config);
            config.routes.before(Csp::apply);
            config.routes.get("/", ctx -> views.page(ctx, lang(ctx), "index.title", views.index(lang(ctx))));
            config.routes.get("/clock", ctx -> views.page(ctx, lang(ctx), "clock.title", views.clock(lang(ctx))));
            config.routes.get("/start-sse", clock::stream);
            config.routes.get("/chat", ctx -> views.page(ctx, lang(ctx), "chat.title", views.chat(lang(ctx))));
            config.routes.get("/join-chat", ctx -> chat.join(ctx, lang(ctx)));
            config.routes.post("/send-message", ctx -> chat.send(ctx, lang(ctx)));
        });
    }

    /** A new, not yet started app using the system clock and zone. */
    public static DemoApp create() {
        return new DemoApp(Clock.systemDefaultZone());
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

    /** Stops the server and the clock scheduler. */
    @Override
    public void close() {
        // End the streams first (sessions close their clock streams, the chat its subscribers), then the server.
        sessions.close();
        clock.close();
        chat.close();
        javalin.stop();
    }

    ClockService clock() {
        return clock;
    }

    ChatService chat() {
        return chat;
    }

    private static Lang lang(Context ctx) {
        return Lang.choose(ctx.queryParam("lang"), ctx.header("Accept-Language"));
    }
}
