package dev.starwire.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.starwire.test.DatastarClient;
import dev.starwire.test.ReceivedStream;
import io.javalin.Javalin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guide's chat, driven by the test kit's strict client: two users, then a reconnect that replays. */
class ChatWithTestKitTest {
    private Javalin app;
    private Starwire starwire;

    @BeforeEach
    void start() {
        starwire = Starwire.create(cfg -> cfg.keepAlive = Duration.ofMillis(500));
        app = StreamsGuideExampleTest.quickStart(starwire);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void messagesReachEveryUserAndAReconnectCatchesUp() {
        String base = "http://127.0.0.1:" + app.port();
        try (DatastarClient ana = DatastarClient.connect(base); DatastarClient ben = DatastarClient.connect(base)) {
            ana.open("/").assertDatastar10Syntax();
            ana.page().setSignal("user", "Ana");
            ana.page().setSignal("text", "first");
            ana.submit("#send");                                // before anyone listens: history only
            ana.awaitSignal("text", "");

            ben.open("/");
            ana.init();
            ReceivedStream benStream = ben.init().get(0);
            ben.awaitElements("#messages .message", 1);         // the history, as full state
            TestServer.await("two subscribers", () -> starwire.topic("chat").subscriberCount() == 2);

            ana.page().setSignal("text", "hello <b>all</b>");
            ana.submit("#send");
            ben.awaitElements("#messages .message", 2);
            ben.page().assertThat("#messages .message:nth-child(2)").hasText("Ana hello <b>all</b>");
            String seen = benStream.lastEventId().orElseThrow();
            benStream.close();
            TestServer.await("ben's stream gone", () -> starwire.topic("chat").subscriberCount() == 1);

            ana.page().setSignal("text", "while you were away");
            ana.submit("#send");
            ana.awaitElements("#messages .message", 3);

            ReceivedStream back = ben.resume("/chat/stream", seen);
            ben.awaitElements("#messages .message", 3);
            back.awaitEvents(1, Duration.ofSeconds(30));
            assertEquals(1, back.events().size(), "exactly the missed message, not the full history");
            ben.page().assertThat("#messages .message:nth-child(3)").hasText("Ana while you were away");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
