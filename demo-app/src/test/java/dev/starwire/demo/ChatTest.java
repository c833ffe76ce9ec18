package dev.starwire.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.ElementPatchMode;
import dev.starwire.test.ActionResult;
import dev.starwire.test.DatastarClient;
import dev.starwire.test.ReceivedEvent;
import dev.starwire.test.ReceivedPatchElements;
import dev.starwire.test.ReceivedPatchSignals;
import dev.starwire.test.ReceivedStream;
import dev.starwire.test.TestPage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatTest {
    private static final String MESSAGES = "#messages .message";

    private DemoApp app;

    @BeforeEach
    void start() {
        app = DemoApp.inMemory(Duration.ofMillis(500)).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private DatastarClient client() {
        return DatastarClient.connect("http://127.0.0.1:" + app.port());
    }

    /** Opens the chat page and presses "Join"; returns once the history is shown. */
    private static ReceivedStream join(DatastarClient c, String lang) {
        TestPage page = c.open("/chat?lang=" + lang);
        page.signal("isConnected").isFalse();
        ReceivedStream s = c.stream(Pages.actionUrl(page, "button.join", "data-on:click"));
        c.awaitSignal("isConnected", true);
        c.awaitElements(MESSAGES, 1);
        return s;
    }

    /** Types into the page's fields and submits the form. */
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
    void twoClientsJoinAndSeeTheHistory() {
        try (DatastarClient a = client(); DatastarClient b = client()) {
            join(a, "en");
            join(b, "id");
            a.page().assertThat(MESSAGES + " .message-author").hasText("Starwire");
            assertTrue(texts(a).get(0).startsWith("Welcome!"), texts(a).toString());
            assertTrue(texts(b).get(0).startsWith("Selamat datang!"), texts(b).toString());
            a.page().assertThat(MESSAGES + " .message-time").hasSize(1);
            a.page().assertThat(".messages-empty").doesNotExist();
        }
    }

    @Test
    void aMessageReachesBothClientsExactlyOnceAndClearsTheSendersInput() {
        try (DatastarClient a = client(); DatastarClient b = client()) {
            join(a, "en");
            join(b, "en");
            ActionResult sent = send(a, "Ana", "  Halo semua!  ");
            assertEquals(200, sent.status());
            a.page().signal("messageText").isEqualTo("");
            b.page().signal("messageText").isEqualTo(""); // untouched: it was empty all along
            a.awaitElements(MESSAGES, 2);
            b.awaitElements(MESSAGES, 2);
            send(b, "Budi", "marker");
            a.awaitElements(MESSAGES, 3);
            b.awaitElements(MESSAGES, 3);
            for (DatastarClient c : List.of(a, b)) {
                // the marker follows Ana's message directly: hers came exactly once
                assertEquals(List.of("Halo semua!", "marker"), texts(c).subList(1, 3));
                c.page().assertThat(MESSAGES + " .message-author").hasText("Starwire", "Ana", "Budi");
            }
        }
    }

    @Test
    void aSenderNeedsNoStreamAndNoSession() {
        try (DatastarClient a = client(); DatastarClient poster = client()) {
            join(a, "en");
            poster.open("/chat?lang=en");
            assertEquals(200, send(poster, "Ana", "from afar").status());
            assertTrue(poster.cookies().isEmpty(), "posting does not create a session");
            a.awaitElements(MESSAGES, 2);
            assertEquals("from afar", texts(a).get(1));
        }
    }

    @Test
    void markupInNameAndTextArrivesAsInertText() {
        String name = "<img src=x onerror=alert(1)>";
        String text = "<script>alert('x')</script><b onclick=\"alert(2)\">bold</b> & \"quotes\"";
        try (DatastarClient a = client()) {
            join(a, "en");
            send(a, name, text);
            a.awaitElements(MESSAGES, 2);
            a.page().assertThat("#messages script, #messages img, #messages b, #messages [onclick]").doesNotExist();
            assertTrue(a.page().scripts().isEmpty(), "no script ran");
            a.page().assertThat(MESSAGES + " .message-author").hasText("Starwire", name);
            assertEquals(text, texts(a).get(1));
        }
    }

    @Test
    void lineBreaksInUserTextCannotBreakTheEventFraming() throws Exception {
        String injected = "one\r\ntwo\rthree\n\n"
                + "event: datastar-patch-signals\ndata: signals {\"isConnected\":false}\n\n";
        try (DatastarClient a = client()) {
            ReceivedStream s = join(a, "en");
            assertEquals(200, send(a, "Ana\r\nevent: datastar-patch-signals", injected).status());
            send(a, "Budi", "marker");
            a.awaitElements(MESSAGES, 3);
            assertTrue(s.failure().isEmpty(), () -> "the stream broke: " + s.failure());
            a.page().signal("isConnected").isTrue(); // the smuggled patch did not apply
            a.page().assertThat(MESSAGES + " .message-author")
                    .hasText("Starwire", "Ana event: datastar-patch-signals", "Budi");
            assertEquals("one\ntwo\nthree\n\nevent: datastar-patch-signals\ndata: signals {\"isConnected\":false}",
                    texts(a).get(1));
            // exactly: connected, history, Ana's message, the marker
            Http.waitFor(() -> s.events().size() >= 4, "four recorded events");
            List<ReceivedEvent> events = s.events();
            assertEquals(4, events.size(), events.toString());
            assertTrue(events.get(0) instanceof ReceivedPatchSignals);
            for (ReceivedEvent e : events.subList(2, 4)) {
                assertEquals(ElementPatchMode.APPEND, ((ReceivedPatchElements) e).mode());
            }
        }
    }

    @Test
    void invalidMessagesShowAValidationMessageAndAreNotBroadcast() {
        String[][] invalid = {
            {"Ana", ""}, {"Ana", "   \n\t  "}, {"Ana", "x".repeat(ChatInput.MAX_TEXT + 1)},
            {"", "hello"}, {"  \r\n ", "hello"}, {"n".repeat(ChatInput.MAX_AUTHOR + 1), "hello"},
        };
        try (DatastarClient a = client(); DatastarClient b = client()) {
            join(a, "en");
            join(b, "en");
            for (String[] input : invalid) {
                ActionResult r = send(a, input[0], input[1]);
                assertEquals(200, r.status(), "a 4xx body would be ignored by the client");
                a.page().assertThat("#chat-error").hasSize(1);
                assertFalse(a.page().select("#chat-error").text().isBlank(), "a visible message for " + input[0]);
            }
            a.page().assertThat("#chat-error").hasText("The name must have 1 to 40 characters.");
            // the longest valid message and name pass, and clear the validation message
            assertEquals(200, send(a, "n".repeat(ChatInput.MAX_AUTHOR), "y".repeat(ChatInput.MAX_TEXT)).status());
            a.page().assertThat("#chat-error").hasText("");
            a.awaitElements(MESSAGES, 2);
            b.awaitElements(MESSAGES, 2);
            // topics keep their order: had anything invalid gone out, it would be before the valid message
            assertEquals("y".repeat(ChatInput.MAX_TEXT), texts(b).get(1));
            assertEquals(1, app.starwire().stats().published());
        }
    }

    @Test
    void validationMessagesFollowThePagesLanguage() {
        try (DatastarClient c = client()) {
            c.open("/chat?lang=id");
            send(c, "Ana", " ");
            c.page().assertThat("#chat-error").hasText("Pesannya masih kosong.");
            c.open("/chat?lang=en");
            send(c, "Ana", " ");
            c.page().assertThat("#chat-error").hasText("The message is empty.");
        }
    }

    @Test
    void aReconnectWithLastEventIdReplaysWhatItMissed() throws Exception {
        try (DatastarClient a = client(); DatastarClient b = client()) {
            ReceivedStream s = join(a, "en");
            join(b, "en");
            send(b, "Budi", "seen");
            a.awaitElements(MESSAGES, 2);
            assertTrue(s.lastEventId().isPresent(), "live messages carry an id to resume from");
            s.close();
            send(b, "Budi", "missed 1");
            send(b, "Budi", "missed 2");
            b.awaitElements(MESSAGES, 4);
            ReceivedStream back = s.reconnect(); // with Last-Event-ID, as the browser does
            a.awaitElements(MESSAGES, 4);
            assertEquals(List.of("seen", "missed 1", "missed 2"), texts(a).subList(1, 4));
            Http.waitFor(() -> back.events().size() >= 3, "connected and the two missed messages");
            assertEquals(3, back.events().size(), back.events().toString());
            for (ReceivedEvent e : back.events()) {
                if (e instanceof ReceivedPatchElements) {
                    assertEquals(ElementPatchMode.APPEND, ((ReceivedPatchElements) e).mode(),
                            "only the missed messages, no full history");
                }
            }
        }
    }

    @Test
    void fiftyClientsJoinAndLeaveWithoutLeavingASubscriber() throws Exception {
        List<DatastarClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                DatastarClient c = client();
                clients.add(c);
                c.open("/chat?lang=en");
                c.stream("/join-chat?lang=en");
            }
            Http.waitFor(() -> app.starwire().stats().subscribers() == 50, "50 subscribers");
            for (DatastarClient c : clients) {
                c.awaitElements(MESSAGES, 1);
            }
        } finally {
            clients.forEach(DatastarClient::close);
        }
        Http.waitFor(() -> app.starwire().stats().subscribers() == 0, "every subscriber to be gone");
        Http.waitFor(() -> app.starwire().openStreams() == 0, "every stream to be closed");
    }

    @Test
    void requestsNoPageWouldSendAreRefused() {
        Http http = new Http(app.port());
        HttpResponse<String> malformed = http.post("/send-message", "{not json", "Datastar-Request", "true");
        assertEquals(400, malformed.statusCode());
        assertTrue(malformed.body().contains("not valid JSON"), malformed.body());
        HttpResponse<String> wrongType =
                http.post("/send-message", "{\"messageText\":{\"a\":1}}", "Datastar-Request", "true");
        assertEquals(400, wrongType.statusCode(), wrongType.body());
        HttpResponse<String> crossSite = http.post("/send-message", "{\"username\":\"A\",\"messageText\":\"hi\"}");
        assertEquals(403, crossSite.statusCode(), "without Datastar-Request the CSRF check refuses it");
    }
}
