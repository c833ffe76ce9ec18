package dev.starwire.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.starwire.servlet.StarwireServlets;
import dev.starwire.test.DatastarClient;
import dev.starwire.test.ReceivedStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Starwire's meters as the actuator shows them, with no code of the app's, after a known workload over real HTTP:
 * three streams, four published events, a replay hit, a resync, five rejected requests of four kinds.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoints.web.exposure.include=metrics", "starwire.max-signal-bytes=1KB",
                "starwire.keep-alive=200ms"})
class MetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    StarwireServlets starwire;

    @Test
    void theActuatorShowsStarwiresNumbersAfterAKnownWorkload() throws Exception {
        String base = "http://127.0.0.1:" + port;
        List<DatastarClient> readers = new ArrayList<>();
        List<ReceivedStream> streams = new ArrayList<>();
        try (DatastarClient poster = DatastarClient.connect(base); DatastarClient late = DatastarClient.connect(base)) {
            late.open("/page");
            for (int i = 0; i < 3; i++) {
                DatastarClient c = DatastarClient.connect(base);
                readers.add(c);
                c.open("/page");
                streams.add(c.stream("/news"));
            }
            poster.open("/page");
            for (int i = 0; i < 4; i++) {
                poster.page().setSignal("name", "item " + i);
                assertEquals(204, poster.post("/publish").status());
            }
            for (ReceivedStream s : streams) {
                s.awaitEvents(5, Duration.ofSeconds(20)); // the reset and four items
            }
            String firstId = streams.get(0).events().get(1).eventId().orElseThrow();
            late.resume("/news", firstId).awaitEvents(3, Duration.ofSeconds(20)).close(); // a replay hit
            late.resume("/news", "1").awaitEvents(5, Duration.ofSeconds(20)).close();     // a resync: reset + 4

            post(base, "{bad", true);                                   // malformed
            post(base, "", true);                                       // missing
            post(base, "{\"name\":{\"a\":1}}", true);                   // wrong type
            post(base, "{\"name\":\"" + "x".repeat(2000) + "\"}", true); // too large
            post(base, "{\"name\":\"x\"}", false);                      // refused: no Datastar-Request

            waitFor(() -> starwire.openStreams() == 3, "the two late streams to end");
            assertEquals(3, value(base, "starwire.streams.open"));
            assertEquals(3, value(base, "starwire.topic.subscribers?tag=topic:news"));
            assertEquals(3, value(base, "starwire.subscribers"));
            assertEquals(4, value(base, "starwire.events.published"));
            assertEquals(1, value(base, "starwire.replay.hits"));
            assertEquals(1, value(base, "starwire.replay.resyncs"));
            assertEquals(0, value(base, "starwire.streams.evicted"));
            assertEquals(1, value(base, "starwire.signals.rejected?tag=reason:malformed"));
            assertEquals(1, value(base, "starwire.signals.rejected?tag=reason:missing"));
            assertEquals(1, value(base, "starwire.signals.rejected?tag=reason:wrong_type"));
            assertEquals(1, value(base, "starwire.signals.rejected?tag=reason:too_large"));
            assertEquals(4, value(base, "starwire.signals.rejected"));
            assertEquals(1, value(base, "starwire.requests.refused?tag=reason:csrf"));
            // 3 streams x (reset + 4), the replay's 3, the resync's reset + 4; keepalives are not events
            waitFor(() -> starwire.stats().queuedBytes() == 0, "the outboxes drained");
            assertEquals(3 * 5 + 3 + 5, value(base, "starwire.events.delivered"));
            assertEquals(0, value(base, "starwire.queued.bytes"));
        } finally {
            readers.forEach(DatastarClient::close);
        }
    }

    private double value(String base, String metric) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/metrics/" + metric))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), metric + ": " + r.body());
        JsonNode m = JSON.readTree(r.body()).path("measurements").path(0);
        return m.path("value").asDouble();
    }

    private void post(String base, String json, boolean datastar) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/greet"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (datastar) {
            b.header("Datastar-Request", "true");
        }
        int status = http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        assertTrue(status == 400 || status == 403 || status == 413, "refused: " + status);
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
