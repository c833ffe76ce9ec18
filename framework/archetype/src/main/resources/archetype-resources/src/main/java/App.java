package ${package};

import ${package}.templates.DynamicTemplates;
import ${package}.templates.StaticTemplates;
import ${package}.templates.Templates;
import dev.starwire.DatastarResponse;
import dev.starwire.PatchElements;
import dev.starwire.javalin.Starwire;
import dev.starwire.templates.PageOptions;
import dev.starwire.templates.TemplatesFactory;
import io.javalin.Javalin;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The app: a page ({@code GET /}), an action that reads the page's signals into a record
 * ({@code POST /greet}) and a stream that keeps a live element up to date ({@code GET /clock}).
 */
public final class App implements AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** src/main/jte through its typed facade: precompiled, or reloaded from source when STARWIRE_DEV=true. */
    private final Templates templates = TemplatesFactory.create(StaticTemplates::new, DynamicTemplates::new);
    /** The Datastar client from the CDN, pinned with Subresource Integrity. */
    private final PageOptions page = PageOptions.builder().integrity(PageOptions.DATASTAR_1_0_1_INTEGRITY).build();
    private final Starwire starwire = Starwire.create();
    private final Javalin javalin;

    private App() {
        javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.registerPlugin(starwire);
            config.routes.get("/", ctx -> ctx.html(templates.index(page, now()).render()));
            // data-on:submit="@post('/greet')": the signals arrive as a Greet record, the answer patches #greeting
            config.routes.post("/greet", starwire.post(Greet.class, (ctx, greet) ->
                    DatastarResponse.of(PatchElements.of(templates.greeting(greet.who())))));
            // data-init="@get('/clock')": an open stream that sends the time now and every second
            config.routes.get("/clock", starwire.stream(stream -> {
                stream.send(PatchElements.of(templates.clock(now())));
                stream.every(Duration.ofSeconds(1), () -> stream.send(PatchElements.of(templates.clock(now()))));
            }));
        });
    }

    /** A new app, not started yet. */
    public static App create() {
        return new App();
    }

    /** Serves on {@code host}:{@code port}; port 0 picks a free one. */
    public App start(String host, int port) {
        javalin.start(host, port);
        return this;
    }

    /** The port the app listens on. */
    public int port() {
        return javalin.port();
    }

    /** Stops the server; open streams are told when to reconnect. */
    @Override
    public void close() {
        javalin.stop();
    }

    private static String now() {
        return LocalTime.now().format(TIME);
    }
}
