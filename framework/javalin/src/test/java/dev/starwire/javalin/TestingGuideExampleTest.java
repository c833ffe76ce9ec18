package dev.starwire.javalin;

import dev.starwire.PatchSignals;
import dev.starwire.test.DatastarClient;
import dev.starwire.test.DatastarExtension;
import dev.starwire.test.RunningApp;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Section 2 of docs/testing.md ("A live stream against the running app"), as written there. */
class TestingGuideExampleTest {
    static Javalin createApp() {
        Starwire starwire = Starwire.create();
        return Javalin.create(config -> {
            config.registerPlugin(starwire);
            config.routes.get("/", ctx -> ctx.html("""
                    <body data-signals='{"updateCount":0}'>
                      <p id="count" data-text="$updateCount"></p>
                      <div data-init="@get('/updates')"></div>
                    </body>"""));
            config.routes.get("/updates", starwire.stream(stream -> {   // a LiveStream: open until closed
                AtomicInteger count = new AtomicInteger();
                stream.every(Duration.ofMillis(100), () -> {
                    int n = count.incrementAndGet();
                    stream.send(PatchSignals.builder().signals(Map.of("updateCount", n)).eventId("u" + n).build());
                    if (n == 3) {
                        stream.close();
                    }
                });
            }));
        });
    }

    @RegisterExtension
    static final DatastarExtension app = DatastarExtension.forApp(() -> {
        Javalin javalin = createApp().start("127.0.0.1", 0);
        return RunningApp.of(javalin.port(), javalin::stop);
    });

    @Test
    void countsToThree(DatastarClient browser) {
        browser.open("/").assertDatastar10Syntax();
        browser.init();                             // runs data-init="@get('/updates')" in the background
        browser.awaitSignal("updateCount", 3);      // returns as soon as it holds, fails after 15 s
        browser.page().signal("updateCount").isEqualTo(3);
    }
}
