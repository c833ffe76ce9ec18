package dev.starwire.redis;

import static dev.starwire.redis.Collector.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.DatastarResponse;
import dev.starwire.PatchElements;
import dev.starwire.hub.Hub;
import dev.starwire.hub.Topic;
import dev.starwire.javalin.Starwire;
import dev.starwire.testsupport.RedisServer;
import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two real Javalin instances with the Starwire plugin sharing one real Redis, with real HTTP: SSE clients on
 * both see messages posted on either exactly once and in one order, and a client that reconnects to the other
 * instance with {@code Last-Event-ID} gets exactly what it missed.
 */
class TwoInstancesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern MESSAGE = Pattern.compile("<li class=\"msg\">([^<]*)</li>");

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private RedisServer redis;
    private Instance a;
    private Instance b;

    /** The text signal a chat post carries. */
    public record Post(String text) {
    }

    /** One app instance: Javalin + Starwire plugin + hub on the shared Redis. */
    private final class Instance implements AutoCloseable {
        final Hub hub;
        final Starwire starwire;
        final Javalin app;

        Instance(String prefix) {
            hub = Hub.builder().backend(RedisTopicBackend.builder(redis.url()).keyPrefix(prefix).build()).build();
            starwire = Starwire.create(cfg -> {
                cfg.hub = hub;
                cfg.keepAlive = Duration.ofSeconds(1);
            });
            Topic chat = starwire.topic("chat");
            app = Javalin.create(config -> {
                config.registerPlugin(starwire);
                config.routes.get("/chat/stream", starwire.stream(stream -> stream.subscribe(chat,
                        () -> stream.send(PatchElements.of("<ul id=\"messages\"><li>full state</li></ul>")))));
                config.routes.post("/chat/send", starwire.post(Post.class, (ctx, post) -> {
                    try {
                        chat.publish(PatchElements.append("#messages", "<li class=\"msg\">" + post.text() + "</li>"))
                                .get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException notStored) {
                        // What the chat shows: the message was not sent.
                        return DatastarResponse.error(503, "not sent: " + notStored.getCause());
                    }
                    return DatastarResponse.noContent();
                }));
            }).start("127.0.0.1", 0);
        }

        int port() {
            return app.port();
        }

        @Override
        public void close() {
            app.stop();
            hub.close();
        }
    }

    /** A real SSE client reading the stream's bytes on its own thread. */
    private final class SseClient implements AutoCloseable {
        record Event(String id, String type, String data) {
        }

        private final List<Event> events = new ArrayList<>();
        private final InputStream body;

        SseClient(Instance instance, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + instance.port() + "/chat/stream"))
                    .header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            body = response.body();
            Thread reader = new Thread(this::read, "sse-client");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String id = null;
                String type = null;
                StringBuilder data = new StringBuilder();
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.isEmpty()) {
                        if (type != null || data.length() > 0) {
                            add(new Event(id, type, data.toString()));
                        }
                        id = null;
                        type = null;
                        data.setLength(0);
                    } else if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        type = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(line.substring(6)).append('\n');
                    }
                }
            } catch (Exception closed) {
                // stream ended
            }
        }

        private synchronized void add(Event event) {
            events.add(event);
            notifyAll();
        }

        synchronized List<Event> events() {
            return List.copyOf(events);
        }

        /** The chat messages received so far, in order. */
        List<String> messages() {
            return events().stream().map(e -> MESSAGE.matcher(e.data())).filter(Matcher::find)
                    .map(m -> m.group(1)).toList();
        }

        List<String> messageIds() {
            return events().stream().filter(e -> MESSAGE.matcher(e.data()).find()).map(Event::id).toList();
        }

        void awaitMessage(String text) {
            awaitCondition(() -> messages().contains(text), WAIT, "message '" + text + "'");
        }

        @Override
        public void close() throws Exception {
            body.close();
        }
    }

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        toClose.add(redis);
        String prefix = "e2e:" + UUID.randomUUID() + ":";
        a = new Instance(prefix);
        toClose.add(a);
        b = new Instance(prefix);
        toClose.add(b);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private SseClient connect(Instance instance, String lastEventId) throws Exception {
        long before = instance.starwire.stats().subscribers();
        SseClient client = new SseClient(instance, lastEventId);
        toClose.add(client);
        awaitCondition(() -> instance.starwire.stats().subscribers() > before, WAIT, "the stream to subscribe");
        return client;
    }

    private void post(Instance instance, String text) throws Exception {
        HttpResponse<String> response = tryPost(instance, text);
        assertEquals(204, response.statusCode(), response.body());
    }

    private HttpResponse<String> tryPost(Instance instance, String text) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/chat/send"))
                .header("Datastar-Request", "true")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> messages(String stem, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> stem + "-" + i).toList();
    }

    @Test
    void clientsOnBothInstancesReceiveWhatIsPostedOnEitherExactlyOnceInOneOrder() throws Exception {
        SseClient onA = connect(a, null);
        SseClient onB = connect(b, null);

        for (String text : messages("m", 0, 20)) {
            post(b, text);
        }
        post(a, "end");

        List<String> expected = new ArrayList<>(messages("m", 0, 20));
        expected.add("end");
        for (SseClient client : List.of(onA, onB)) {
            client.awaitMessage("end");
            assertEquals(expected, client.messages(), "every message once, in the order posted");
            List<String> ids = client.messageIds();
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(StreamIds.compare(ids.get(i - 1), ids.get(i)) < 0, "ids increase: " + ids);
            }
        }
        assertEquals(onA.messageIds(), onB.messageIds(), "the same event ids on both instances");
    }

    @Test
    void aClientReconnectingToTheOtherInstanceWithLastEventIdGetsExactlyTheMissedEvents() throws Exception {
        SseClient first = connect(a, null);
        for (String text : messages("m", 0, 5)) {
            post(a, text);
        }
        first.awaitMessage("m-4");
        String lastSeen = first.messageIds().get(4);
        first.close();
        awaitCondition(() -> a.starwire.stats().subscribers() == 0, WAIT, "the first stream to end");

        for (String text : messages("m", 5, 10)) {
            post(a, text); // missed by the client while it was away
        }
        SseClient again = connect(b, lastSeen);
        post(b, "m-10"); // live, after reconnecting
        again.awaitMessage("m-10");

        assertEquals(messages("m", 5, 11), again.messages(), "exactly the missed events, then live ones");
        assertTrue(again.events().stream().noneMatch(e -> e.data().contains("full state")), "no resync needed");
    }

    @Test
    void aClientWhoseLastEventIdIsUnknownGetsFullStateInstead() throws Exception {
        post(a, "m-0");
        SseClient client = connect(b, "1-0");
        awaitCondition(() -> client.events().stream().anyMatch(e -> e.data().contains("full state")), WAIT,
                "the full state");
        post(b, "m-1");
        client.awaitMessage("m-1");
        assertEquals(List.of("m-1"), client.messages());
    }

    @Test
    void streamsOnBothInstancesSurviveARedisRestartAndAPostWhileItIsDownIsReportedNotSent() throws Exception {
        SseClient onA = connect(a, null);
        SseClient onB = connect(b, null);
        post(b, "m-0");
        onA.awaitMessage("m-0");
        onB.awaitMessage("m-0");

        redis.kill();
        HttpResponse<String> refused = tryPost(b, "lost");
        assertEquals(503, refused.statusCode(), "the chat learns the message was not sent");
        assertTrue(refused.body().startsWith("not sent"), refused.body());

        redis.restart();
        int[] attempt = {0};
        awaitCondition(() -> {
            try {
                // both instances: each has its own connection, reconnecting on its own schedule
                return tryPost(b, "probe-" + attempt[0]++).statusCode() == 204
                        && tryPost(a, "probe-" + attempt[0]++).statusCode() == 204;
            } catch (Exception e) {
                return false;
            }
        }, WAIT, "posting to work again on both instances after the restart");
        post(a, "m-1");

        for (SseClient client : List.of(onA, onB)) {
            client.awaitMessage("m-1");
            List<String> chat = client.messages().stream().filter(m -> !m.startsWith("probe-")).toList();
            assertEquals(List.of("m-0", "m-1"), chat, "the same streams go on, without the unsent message");
        }
        assertEquals(onA.messages(), onB.messages());
    }
}
