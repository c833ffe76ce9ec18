package dev.starwire.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.Component;
import dev.starwire.DatastarResponse;
import dev.starwire.ElementPatchMode;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.hub.Topic;
import gg.jte.html.escape.Escape;
import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The quick start of docs/streams-and-broadcast.md, run against real connections. */
class StreamsGuideExampleTest {
    record Message(String user, String text) { }

    static final String PAGE = """
            <!doctype html>
            <script type="module" src="https://cdn.jsdelivr.net/gh/starfederation/datastar@1.0.1/bundles/datastar.js"></script>
            <body data-signals='{"user":"","text":""}'>
              <div id="messages" data-init="@get('/chat/stream')"></div>
              <form id="send" data-on:submit="@post('/chat/send')">
                <input data-bind:user placeholder="name"> <input data-bind:text placeholder="message">
              </form>
            </body>""";

    static Component message(Message m) {                  // escape user text!
        return out -> {
            out.writeContent("<div class=\"message\"><b>");
            Escape.htmlContent(m.user(), out);
            out.writeContent("</b> ");
            Escape.htmlContent(m.text(), out);
            out.writeContent("</div>");
        };
    }

    static Javalin quickStart(Starwire starwire) {
        Topic chat = starwire.topic("chat");
        List<Component> history = new CopyOnWriteArrayList<>();

        Javalin app = Javalin.create(config -> {
            config.registerPlugin(starwire);
            config.routes.get("/", ctx -> ctx.html(PAGE));

            // One stream per tab. New clients (and clients away too long) get the whole history;
            // a client that reconnects with Last-Event-ID gets exactly what it missed.
            config.routes.get("/chat/stream", starwire.stream(stream ->
                    stream.subscribe(chat, () -> stream.send(PatchElements.builder()
                            .selector("#messages").mode(ElementPatchMode.INNER)
                            .elements((Component) out -> history.forEach(c -> c.writeTo(out)))
                            .build()))));

            // A Datastar action: CSRF-checked, signals read into the record, one-shot answer.
            config.routes.post("/chat/send", starwire.post(Message.class, (ctx, m) -> {
                Component html = message(m);
                history.add(html);                             // store first ...
                chat.publish(PatchElements.builder()           // ... then publish, once, to everyone
                        .selector("#messages").mode(ElementPatchMode.APPEND).elements(html).build());
                return DatastarResponse.of(PatchSignals.of(Map.of("text", "")));  // clear the input
            }));
        }).start("127.0.0.1", 0);
        return app;
    }

    private static int send(int port, String json) throws Exception {
        try (SseConnection c = SseConnection.request(port, "POST", "/chat/send",
                json.getBytes(StandardCharsets.UTF_8), 0, "Datastar-Request: true")) {
            assertEquals("{\"text\":\"\"}", c.bodyText());
            return c.status();
        }
    }

    @Test
    void chatQuickStartWorks() throws Exception {
        Starwire starwire = Starwire.create();
        Javalin app = quickStart(starwire);
        try {
            int port = app.port();
            assertEquals(200, send(port, "{\"user\":\"Ana\",\"text\":\"<b>hi</b>\"}"));
            String lastId;
            try (SseConnection tab = SseConnection.get(port, "/chat/stream")) {
                SseConnection.Block history = tab.nextEvent();
                assertEquals("selector #messages\nmode inner\n"
                        + "elements <div class=\"message\"><b>Ana</b> &lt;b&gt;hi&lt;/b&gt;</div>", history.dataText());
                TestServer.await("subscribed", () -> starwire.topic("chat").subscriberCount() == 1);
                send(port, "{\"user\":\"Bo\",\"text\":\"yo\"}");
                SseConnection.Block live = tab.nextEvent();
                assertEquals("selector #messages\nmode append\nelements <div class=\"message\"><b>Bo</b> yo</div>",
                        live.dataText());
                lastId = live.id();
            }
            send(port, "{\"user\":\"Cy\",\"text\":\"missed\"}");
            try (SseConnection back = SseConnection.get(port, "/chat/stream", "Last-Event-ID: " + lastId)) {
                SseConnection.Block missed = back.nextEvent();
                assertTrue(missed.dataText().endsWith("<b>Cy</b> missed</div>"), missed.dataText());
            }
        } finally {
            app.stop();
        }
    }
}
