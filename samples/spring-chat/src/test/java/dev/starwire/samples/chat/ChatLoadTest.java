package dev.starwire.samples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.starwire.servlet.StarwireServlets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The chat on Spring under load, over real HTTP: 200 streams joined, then 200 messages posted one after another;
 * every stream receives every message exactly once, in the order they were sent. Bounded: at most two minutes.
 */
// The JDK client leaves a cancelled stream's connection open without reading it: at the end of the run Tomcat's
// graceful shutdown would wait its full 30 s for those responses (a servlet container cannot reset them).
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.lifecycle.timeout-per-shutdown-phase=2s")
class ChatLoadTest {
    private static final int STREAMS = 200;
    private static final int MESSAGES = 200;

    @LocalServerPort
    int port;

    @Autowired
    StarwireServlets starwire;

    @Test
    @Timeout(120)
    void twoHundredStreamsGetTwoHundredMessagesExactlyOnceInOrder() throws Exception {
        String base = "http://127.0.0.1:" + port;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String run = "load-" + System.nanoTime() + "-";
        long subscribersBefore = starwire.stats().subscribers();
        List<SseMessages> streams = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS; i++) {
                streams.add(SseMessages.open(client, base, null));
            }
            for (SseMessages s : streams) {
                assertEquals(200, s.status());
            }
            waitFor(() -> starwire.stats().subscribers() >= subscribersBefore + STREAMS, "every stream subscribed");
            List<String> sent = new ArrayList<>();
            for (int m = 0; m < MESSAGES; m++) {
                String text = run + m;
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/send-message"))
                        .header("Datastar-Request", "true").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"username\":\"bench\",\"messageText\":\"" + text + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                sent.add(text);
            }
            waitFor(() -> streams.stream().allMatch(s -> ours(s, run).size() >= MESSAGES), "every message on every stream");
            for (SseMessages s : streams) {
                assertEquals(sent, ours(s, run), "exactly once, in order");
            }
        } finally {
            streams.forEach(SseMessages::close);
        }
        // earlier tests' clients may leave meanwhile too; none joins
        waitFor(() -> starwire.stats().subscribers() <= subscribersBefore, "every subscriber of this test gone");
    }

    private static List<String> ours(SseMessages s, String run) {
        return s.texts().stream().filter(t -> t.startsWith(run)).toList();
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
