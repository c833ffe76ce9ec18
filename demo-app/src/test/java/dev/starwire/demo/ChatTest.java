package dev.starwire.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoApp app;
    private Http http;

    @BeforeEach
    void start() {
        app = DemoApp.create().start("127.0.0.1", 0);
        http = new Http(app.port());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void twoClientsJoinAndSeeTheHistory() throws Exception {
        try (Http.Stream a = join("en"); Http.Stream b = join("id")) {
            Elements welcomeEn = history(a);
            assertEquals(1, welcomeEn.size());
            assertEquals("Starwire", welcomeEn.first().selectFirst(".message-author").text());
            assertTrue(welcomeEn.first().selectFirst(".message-text").text().startsWith("Welcome!"));
            assertNotNull(welcomeEn.first().selectFirst(".message-time"));
            Elements welcomeId = history(b);
            assertTrue(welcomeId.first().selectFirst(".message-text").text().startsWith("Selamat datang!"));
        }
    }

    @Test
    void aMessageReachesEveryJoinedClientExactlyOnceAndClearsTheSendersInput() throws Exception {
        try (Http.Stream a = join("en"); Http.Stream b = join("en")) {
            history(a);
            history(b);
            HttpResponse<String> sent = send("Ana", "  Halo semua!  ");
            assertEquals(200, sent.statusCode());
            assertTrue(sent.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            assertTrue(sent.body().contains("event: datastar-patch-signals\ndata: signals {\"messageText\":\"\"}\n"),
                    sent.body());
            assertTrue(sent.body().contains("data: elements <p id=\"chat-error\" class=\"chat-error\" role=\"alert\"></p>"),
                    "a valid send clears the validation message:\n" + sent.body());

            for (Http.Stream s : new Http.Stream[] {a, b}) {
                Element m = appended(s.next());
                assertEquals("Ana", m.selectFirst(".message-author").text());
                assertEquals("Halo semua!", m.selectFirst(".message-text").wholeText());
            }
            send("Budi", "marker");
            for (Http.Stream s : new Http.Stream[] {a, b}) {
                // the next event is Budi's: Ana's message came exactly once
                assertEquals("marker", appended(s.next()).selectFirst(".message-text").text());
            }
        }
    }

    @Test
    void markupInNameAndTextArrivesAsInertText() throws Exception {
        String name = "<img src=x onerror=alert(1)>";
        String text = "<script>alert('x')</script><b onclick=\"alert(2)\">bold</b> & \"quotes\"";
        try (Http.Stream a = join("en")) {
            history(a);
            assertEquals(200, send(name, text).statusCode());
            Http.Event e = a.next();
            Document fragment = Jsoup.parseBodyFragment(e.joined("elements"));
            assertTrue(fragment.select("script, img, b, [onclick], [onerror]").isEmpty(), fragment.body().html());
            assertEquals(name, fragment.selectFirst(".message-author").text());
            assertEquals(text, fragment.selectFirst(".message-text").wholeText());
        }
    }

    @Test
    void lineBreaksInUserTextCannotBreakTheEventFraming() throws Exception {
        String injected = "one\r\ntwo\rthree\n\nevent: datastar-patch-signals\ndata: signals {\"isConnected\":false}\n\n";
        try (Http.Stream a = join("en")) {
            history(a);
            assertEquals(200, send("Ana\r\nevent: datastar-patch-signals", injected).statusCode());
            Http.Event e = a.next();
            assertFalse(e.data().stream().anyMatch(l -> l.startsWith("UNEXPECTED")), e.toString());
            Element m = appended(e);
            assertEquals("Ana event: datastar-patch-signals", m.selectFirst(".message-author").text());
            assertEquals("one\ntwo\nthree\n\nevent: datastar-patch-signals\ndata: signals {\"isConnected\":false}",
                    m.selectFirst(".message-text").wholeText());
            send("Budi", "marker");
            // no event was smuggled in between
            assertEquals("marker", appended(a.next()).selectFirst(".message-text").text());
        }
    }

    @Test
    void invalidMessagesShowAValidationMessageAndAreNotBroadcast() throws Exception {
        String tooLong = "x".repeat(ChatInput.MAX_TEXT + 1);
        String longName = "n".repeat(ChatInput.MAX_AUTHOR + 1);
        String[][] invalid = {
            {"Ana", ""}, {"Ana", "   \n\t  "}, {"Ana", tooLong}, {"", "hello"}, {"  \r\n ", "hello"}, {longName, "hello"},
        };
        try (Http.Stream a = join("en")) {
            history(a);
            for (String[] input : invalid) {
                HttpResponse<String> r = send(input[0], input[1]);
                assertEquals(200, r.statusCode(), "validation must come back as 200 so the client applies it");
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
                Element error = Jsoup.parseBodyFragment(r.body()).getElementById("chat-error");
                assertNotNull(error, r.body());
                assertFalse(error.text().isBlank(), "a visible message for " + Map.of("name", input[0]));
            }
            assertTrue(send("Ana", "x".repeat(ChatInput.MAX_TEXT)).statusCode() == 200);
            // the first broadcast is the valid one: none of the invalid messages went out
            assertEquals(ChatInput.MAX_TEXT, appended(a.next()).selectFirst(".message-text").text().length());
        }
    }

    @Test
    void validationMessagesFollowTheLanguage() {
        HttpResponse<String> id = http.post("/send-message?lang=id", "{\"username\":\"Ana\",\"messageText\":\" \"}");
        HttpResponse<String> en = http.post("/send-message?lang=en", "{\"username\":\"Ana\",\"messageText\":\" \"}");
        assertEquals("Pesannya masih kosong.", Jsoup.parseBodyFragment(id.body()).getElementById("chat-error").text());
        assertEquals("The message is empty.", Jsoup.parseBodyFragment(en.body()).getElementById("chat-error").text());
    }

    @Test
    void aReconnectWithLastEventIdReplaysWhatItMissed() throws Exception {
        String lastSeen;
        try (Http.Stream a = join("en")) {
            history(a);
            Http.Event first = null;
            send("Ana", "seen");
            first = a.next();
            lastSeen = first.id();
            assertNotNull(lastSeen, "live events carry an id so a reconnect can resume");
        }
        send("Ana", "missed 1");
        send("Budi", "missed 2");
        try (Http.Stream back = http.open("/join-chat?lang=en", "{}", "Last-Event-ID", lastSeen)) {
            assertEquals("datastar-patch-signals", back.next().type());
            assertEquals("missed 1", appended(back.next()).selectFirst(".message-text").text());
            assertEquals("missed 2", appended(back.next()).selectFirst(".message-text").text());
        }
    }

    @Test
    void malformedSignalsAreAClientError() {
        HttpResponse<String> r = http.post("/send-message", "{not json");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("not valid JSON"), r.body());
    }

    private Http.Stream join(String lang) {
        Http.Stream s = http.open("/join-chat?lang=" + lang, "{\"username\":\"User\",\"messageText\":\"\",\"isConnected\":false}");
        assertEquals(200, s.response.statusCode());
        return s;
    }

    private HttpResponse<String> send(String name, String text) throws Exception {
        return http.post("/send-message?lang=en",
                JSON.writeValueAsString(Map.of("username", name, "messageText", text, "isConnected", true)));
    }

    /** Reads the join sequence: isConnected, then the history as #messages inner; returns the messages. */
    private static Elements history(Http.Stream s) throws Exception {
        Http.Event connected = s.next();
        assertEquals("datastar-patch-signals", connected.type());
        assertTrue(JSON.readTree(connected.joined("signals")).get("isConnected").asBoolean());
        Http.Event history = s.next();
        assertEquals("datastar-patch-elements", history.type());
        assertEquals("#messages", history.joined("selector"));
        assertEquals("inner", history.joined("mode"));
        return Jsoup.parseBodyFragment(history.joined("elements")).select(".message");
    }

    /** The one .message an append event carries. */
    private static Element appended(Http.Event e) {
        assertEquals("datastar-patch-elements", e.type());
        assertEquals("#messages", e.joined("selector"));
        assertEquals("append", e.joined("mode"));
        Elements messages = Jsoup.parseBodyFragment(e.joined("elements")).select(".message");
        assertEquals(1, messages.size(), e.toString());
        return messages.first();
    }
}
