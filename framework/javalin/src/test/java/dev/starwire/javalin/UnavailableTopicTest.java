package dev.starwire.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.starwire.hub.Hub;
import dev.starwire.hub.TopicUnavailableException;
import dev.starwire.hub.spi.BackendHealth;
import dev.starwire.hub.spi.StoredEvent;
import dev.starwire.hub.spi.TopicBackend;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A stream route whose topic's backend is down answers 503 at once, with no stack trace. */
class UnavailableTopicTest {

    /** A backend whose store is unreachable: down, and every read fails at once. */
    private static final class Down implements TopicBackend {
        @Override
        public CompletableFuture<String> append(String topic, byte[] frame) {
            return CompletableFuture.failedFuture(new TopicUnavailableException("store unreachable"));
        }

        @Override
        public AutoCloseable listen(String topic, Consumer<StoredEvent> listener) {
            return () -> { };
        }

        @Override
        public Optional<List<StoredEvent>> replay(String topic, String lastEventId, int maxEvents) {
            throw new TopicUnavailableException("store unreachable at 10.0.0.7:6379");
        }

        @Override
        public List<StoredEvent> recent(String topic, int maxEvents) {
            throw new TopicUnavailableException("store unreachable at 10.0.0.7:6379");
        }

        @Override
        public int compare(String a, String b) {
            return a.compareTo(b);
        }

        @Override
        public BackendHealth health() {
            return BackendHealth.down("store unreachable", Instant.now());
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aStreamThatCannotReadItsTopicAnswers503WithoutDetails() throws Exception {
        Hub hub = Hub.builder().backend(new Down()).build();
        Starwire sw = Starwire.create(cfg -> cfg.hub = hub);
        try (TestServer server = new TestServer(sw, c -> {
            c.routes.get("/replay", sw.stream(s -> s.subscribe(sw.topic("t"), () -> { })));
            c.routes.get("/recent", sw.stream(s -> s.subscribe(sw.topic("t"), 10, () -> { })));
        })) {
            for (String[] request : List.of(new String[] {"/replay", "Last-Event-ID: 42"}, new String[] {"/recent"})) {
                String[] headers = request.length > 1 ? new String[] {request[1]} : new String[0];
                try (SseConnection c = SseConnection.get(server.port(), request[0], headers)) {
                    assertEquals(503, c.status(), request[0]);
                    assertEquals("5", c.header("Retry-After"));
                    String body = c.bodyText();
                    assertEquals("temporarily unavailable, try again", body);
                    assertFalse(body.contains("10.0.0.7"), "no internal detail reaches the client");
                }
            }
            assertEquals(0, sw.stats().subscribers());
            assertEquals(0, sw.openStreams());
        } finally {
            hub.close();
        }
    }
}
