package dev.starwire.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.starwire.DatastarResponse;
import dev.starwire.javalin.Starwire;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The quick start of docs/signals.md, as written there, driven by a real HTTP client. */
class GuideQuickStartTest {

    @Test
    void theQuickStartCountsPerSession() throws Exception {
        Starwire starwire = Starwire.create();                   // its own session registry, closed on stop
        Javalin app = Javalin.create(config -> {
            config.registerPlugin(starwire);                     // bad signals -> 400/413 with a message

            // An action: its session's store already holds the request's signals.
            config.routes.post("/increment", starwire.post(ctx -> {
                starwire.session(ctx).store().update(s -> s.set("count", s.get("count", Integer.class, 0) + 1));
                return DatastarResponse.noContent();             // the change reaches every tab by its stream
            }));

            // A stream per tab: the store's state, then every change of it, is sent to it.
            config.routes.get("/updates", starwire.stream(stream -> stream.session()));
        }).start("127.0.0.1", 0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + app.port();
        // the page's data-init="@get('/updates')" with its signals {"count":0} in the query
        try (SseConnection tab = SseConnection.get(app.port(), "/updates?datastar=%7B%22count%22%3A0%7D")) {
            String cookie = tab.header("Set-Cookie").split(";")[0];
            assertEquals("signals {\"count\":0}", tab.nextEvent().dataText());

            // the button's data-on:click="@post('/increment')"
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/increment"))
                    .timeout(Duration.ofSeconds(30)).header("Cookie", cookie).header("Datastar-Request", "true")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"count\":0}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, r.statusCode());
            SseConnection.Block changed = tab.nextEvent();
            assertEquals("datastar-patch-signals", changed.type());
            assertEquals("signals {\"count\":1}", changed.dataText());
        } finally {
            app.stop(); // serverStopping closes the sessions, which ends the stream
        }
    }
}
