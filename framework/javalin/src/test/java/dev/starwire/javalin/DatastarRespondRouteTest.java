package dev.starwire.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.starwire.DatastarResponse;
import dev.starwire.ElementPatchMode;
import dev.starwire.ExecuteScript;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One-shot answers through {@link Datastar#respond} over real HTTP. */
class DatastarRespondRouteTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();
    private static Javalin app;

    @BeforeAll
    static void start() {
        app = Javalin.create(config -> {
            config.routes.post("/html", ctx -> Datastar.respond(ctx, DatastarResponse.html(PatchElements.builder()
                    .elements("<li>é</li>").selector("#list").mode(ElementPatchMode.APPEND).useViewTransition(true)
                    .build())));
            config.routes.post("/plain-html", ctx -> Datastar.respond(ctx,
                    DatastarResponse.html(PatchElements.of("<p id=\"p\">x</p>"))));
            config.routes.post("/json", ctx -> Datastar.respond(ctx, DatastarResponse.json(
                    PatchSignals.builder().signals(Map.of("n", 1)).onlyIfMissing(true).build())));
            config.routes.post("/script", ctx -> Datastar.respond(ctx, DatastarResponse.script(
                    ExecuteScript.builder().script("go()").attribute("type", "module").build())));
            config.routes.post("/broken", ctx -> Datastar.respond(ctx, DatastarResponse.html(PatchElements.of(
                    (dev.starwire.Component) out -> {
                        out.writeContent("<div id=\"half\">");
                        throw new IllegalStateException("template bug");
                    }))));
            config.routes.post("/nothing", ctx -> Datastar.respond(ctx, DatastarResponse.noContent()));
        }).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).timeout(WAIT)
                .header("Datastar-Request", "true").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void htmlPatchesElementsWithItsOptionsInHeaders() throws Exception {
        HttpResponse<String> r = post("/html");
        assertEquals(200, r.statusCode());
        assertEquals("text/html;charset=utf-8", header(r, "Content-Type").replace("; ", ";"));
        assertEquals("#list", header(r, "datastar-selector"));
        assertEquals("append", header(r, "datastar-mode"));
        assertEquals("true", header(r, "datastar-use-view-transition"));
        assertEquals("<li>é</li>", r.body());
    }

    @Test
    void htmlWithDefaultsSendsNoDatastarHeaders() throws Exception {
        HttpResponse<String> r = post("/plain-html");
        assertEquals(200, r.statusCode());
        assertFalse(r.headers().map().keySet().stream().anyMatch(h -> h.toLowerCase().startsWith("datastar-")),
                r.headers().map().toString());
        assertEquals("<p id=\"p\">x</p>", r.body());
    }

    @Test
    void jsonPatchesSignals() throws Exception {
        HttpResponse<String> r = post("/json");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", header(r, "Content-Type"));
        assertEquals("true", header(r, "datastar-only-if-missing"));
        assertEquals("{\"n\":1}", r.body());
    }

    @Test
    void scriptRunsWithItsAttributes() throws Exception {
        HttpResponse<String> r = post("/script");
        assertEquals(200, r.statusCode());
        assertEquals("text/javascript;charset=utf-8", header(r, "Content-Type").replace("; ", ";"));
        assertEquals("{\"type\":\"module\"}", header(r, "datastar-script-attributes"));
        assertEquals("go()", r.body());
    }

    @Test
    void aComponentThatThrowsSendsNoHalfPage() throws Exception {
        HttpResponse<String> r = post("/broken");
        assertEquals(500, r.statusCode());
        assertFalse(r.body().contains("half"), r.body());
        assertFalse(r.body().contains("template bug"), r.body());
    }

    @Test
    void noContentIs204WithAnEmptyBody() throws Exception {
        HttpResponse<String> r = post("/nothing");
        assertEquals(204, r.statusCode());
        assertEquals("", r.body());
    }
}
