package dev.starwire.samples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.ElementPatchMode;
import dev.starwire.test.ActionResult;
import dev.starwire.test.DatastarClient;
import dev.starwire.test.ReceivedEvent;
import dev.starwire.test.ReceivedPatchElements;
import dev.starwire.test.ReceivedStream;
import dev.starwire.test.TestPage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The chat's HTTP contract, the same as the Javalin demo's ({@code demo-app} ChatTest): the page, joining with the
 * history, a message reaching everyone exactly once, validation answered with 200 and a visible message, the CSRF
 * check, bad signals, and a reconnect that gets exactly what it missed. Played by the test kit against the app on
 * a random port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatContractTest {
    private static final String MESSAGES = "#messages .message";

    @LocalServerPort
    int port;

    private DatastarClient client() {
        return DatastarClient.connect("http://127.0.0.1:" + port);
    }

    /** Opens the page and presses Join; returns once the history is shown. */
    private static ReceivedStream join(DatastarClient c) {
        TestPage page = c.open("/chat");
        page.signal("isConnected").isFalse();
        page.assertThat("button.join").hasSize(1);
        ReceivedStream s = c.stream("/join-chat");
        c.awaitSignal("isConnected", true);
        // the welcome message, then the messages of earlier tests (the app is shared by the class)
        c.await(p -> !p.select(MESSAGES).isEmpty(), "the history");
        return s;
    }

    private static ActionResult send(DatastarClient c, String name, String text) {
        c.page().setSignal("username", name).setSignal("messageText", text);
        List<ActionResult> results = c.submit("form.chat-input");
        assertEquals(1, results.size());
        return results.get(0);
    }

    private static List<String> texts(DatastarClient c) {
        List<String> out = new ArrayList<>();
        c.page().select(MESSAGES + " .message-text").forEach(e -> out.add(e.wholeText()));
        return out;
    }

    @Test
    void aMessageReachesBothClientsExactlyOnceAndClearsTheSendersInput() {
        try (DatastarClient a = client(); DatastarClient b = client()) {
            join(a);
            join(b);
            a.page().assertThat(MESSAGES + " .message-author").hasText("Starwire");
            String marker = "marker " + System.nanoTime();
            ActionResult sent = send(a, "Ana", "  Halo <b>semua</b>!  ");
            assertEquals(200, sent.status());
            a.page().signal("messageText").isEqualTo("");
            send(b, "Budi", marker);
            for (DatastarClient c : List.of(a, b)) {
                c.await(p -> texts(c).contains(marker), "the marker");
                List<String> t = texts(c);
                assertEquals(List.of("Halo <b>semua</b>!", marker), t.subList(t.size() - 2, t.size()),
                        "Ana's message once, as text, then the marker");
                c.page().assertThat("#messages b").doesNotExist();
            }
        }
    }

    @Test
    void invalidMessagesAreAnsweredWith200AndAVisibleMessageAndNotBroadcast() {
        try (DatastarClient a = client()) {
            join(a);
            String[][] invalid = {{"Ana", "  "}, {"Ana", "x".repeat(ChatInput.MAX_TEXT + 1)}, {" ", "hello"}};
            for (String[] input : invalid) {
                ActionResult r = send(a, input[0], input[1]);
                assertEquals(200, r.status(), "a 4xx body would be ignored by the client");
                assertFalse(a.page().select("#chat-error").text().isBlank(), "a visible message");
            }
            a.page().assertThat("#chat-error").hasText("The name must have 1 to 40 characters.");
            assertEquals(200, send(a, "Ana", "valid").status());
            a.page().assertThat("#chat-error").hasText("");
            a.await(p -> texts(a).contains("valid"), "the valid message");
            List<String> t = texts(a);
            assertEquals("valid", t.get(t.size() - 1));
            for (String[] input : invalid) {
                assertFalse(t.contains(input[1].strip()), "not broadcast: " + input[1]);
            }
        }
    }

    @Test
    void aReconnectWithLastEventIdGetsExactlyWhatItMissed() {
        try (DatastarClient a = client(); DatastarClient b = client()) {
            ReceivedStream s = join(a);
            join(b);
            send(b, "Budi", "seen");
            a.await(p -> texts(a).contains("seen"), "the first message");
            assertTrue(s.lastEventId().isPresent(), "live messages carry an id to resume from");
            s.close();
            send(b, "Budi", "missed 1");
            send(b, "Budi", "missed 2");
            ReceivedStream back = s.reconnect(); // with Last-Event-ID, as the browser does
            back.awaitEvents(3, Duration.ofSeconds(20)); // connected, then the two missed messages
            List<ReceivedEvent> events = back.events();
            assertEquals(3, events.size(), events.toString());
            for (ReceivedEvent e : events.subList(1, 3)) {
                assertEquals(ElementPatchMode.APPEND, ((ReceivedPatchElements) e).mode(), "no full history");
            }
            a.await(p -> texts(a).containsAll(List.of("missed 1", "missed 2")), "the missed messages");
            List<String> t = texts(a);
            assertEquals(List.of("seen", "missed 1", "missed 2"), t.subList(t.size() - 3, t.size()));
        }
    }

    @Test
    void requestsNoPageWouldSendAreRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI send = URI.create("http://127.0.0.1:" + port + "/send-message");
        HttpResponse<String> malformed = http.send(HttpRequest.newBuilder(send).header("Datastar-Request", "true")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{not json"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, malformed.statusCode());
        assertTrue(malformed.body().contains("not valid JSON"), malformed.body());
        HttpResponse<String> wrongType = http.send(HttpRequest.newBuilder(send).header("Datastar-Request", "true")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messageText\":{\"a\":1}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, wrongType.statusCode(), wrongType.body());
        HttpResponse<String> crossSite = http.send(HttpRequest.newBuilder(send)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"A\",\"messageText\":\"hi\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, crossSite.statusCode(), "without Datastar-Request the CSRF check refuses it");
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(send).header("Datastar-Request", "true")
                .header("Origin", "https://evil.example").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"A\",\"messageText\":\"hi\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, foreign.statusCode());
    }
}
