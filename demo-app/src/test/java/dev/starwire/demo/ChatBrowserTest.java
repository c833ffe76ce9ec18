package dev.starwire.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.browser.BrowserWindow;
import dev.starwire.browser.ChromiumExtension;
import dev.starwire.testsupport.TcpProxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The demo chat in headless Chromium with the real Datastar 1.0.1 client: two users, each in a browser context. */
class ChatBrowserTest {
    private static final String JOIN = "button.join";
    private static final String ONLINE = ".online";
    private static final String NAME = "input[data-bind\\:username]";
    private static final String MESSAGE = "input[data-bind\\:message-text]";
    private static final String SEND = "form.chat-input button[type=submit]";
    private static final String MESSAGES = "#messages .message";
    private static final String TEXTS = MESSAGES + " .message-text";
    private static final String AUTHORS = MESSAGES + " .message-author";
    private static final String ERROR = "#chat-error";

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension();

    private DemoApp app;
    private String base;

    @BeforeEach
    void start() {
        app = DemoApp.inMemory(Duration.ofMillis(500)).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    /** Opens the chat at {@code origin}, checks the page before joining, presses "Join" and waits for the history. */
    private static void join(BrowserWindow w, String origin) {
        w.open(origin + "/chat?lang=en");
        assertTrue(w.isShown(JOIN), "the Join button is shown");
        assertFalse(w.isShown(ONLINE), "not connected yet");
        assertTrue(w.isDisabled(MESSAGE), "no typing before joining");
        w.click(JOIN).awaitShown(ONLINE);
        w.await("the history", x -> x.count(MESSAGES) >= 1);
        assertFalse(w.isShown(JOIN), "the Join button is gone once connected");
        assertFalse(w.isDisabled(MESSAGE), "the message field is enabled once connected");
    }

    private static void send(BrowserWindow w, String name, String text) {
        w.type(NAME, name).type(MESSAGE, text).click(SEND);
    }

    @Test
    void aMessageFromOneUserAppearsForTheOtherAndClearsTheSendersInput(BrowserWindow ana, BrowserWindow budi) {
        join(ana, base);
        join(budi, base);
        for (BrowserWindow w : List.of(ana, budi)) {
            assertEquals(List.of("Starwire"), w.texts(AUTHORS));
            assertTrue(w.texts(TEXTS).get(0).startsWith("Welcome!"), w.texts(TEXTS).toString());
            assertEquals(0, w.count(".messages-empty"), "the placeholder made way for the history");
        }
        budi.type(MESSAGE, "a draft of Budi's");

        send(ana, "Ana", "  Halo semua!  ");
        ana.await("the sender's input to clear", x -> x.value(MESSAGE).isEmpty());
        for (BrowserWindow w : List.of(ana, budi)) {
            w.awaitCount(MESSAGES, 2);
            assertEquals(List.of("Starwire", "Ana"), w.texts(AUTHORS));
            assertEquals("Halo semua!", w.texts(TEXTS).get(1));
        }
        assertEquals("Ana", ana.value(NAME), "the name stays for the next message");
        assertEquals("a draft of Budi's", budi.value(MESSAGE), "another user's typing is left alone");

        send(budi, "Budi", "Halo Ana");
        ana.awaitCount(MESSAGES, 3);
        budi.awaitCount(MESSAGES, 3);
        assertEquals(List.of("Starwire", "Ana", "Budi"), ana.texts(AUTHORS));
        assertEquals(ana.texts(TEXTS), budi.texts(TEXTS));
    }

    @Test
    void anEmptyMessageShowsAValidationMessageThatTheNextMessageClears(BrowserWindow ana) {
        join(ana, base);
        assertEquals("", ana.text(ERROR).strip());
        ana.type(NAME, "Ana").type(MESSAGE, "   ").pressEnter(MESSAGE);
        ana.awaitText(ERROR, "The message is empty.");
        assertTrue(ana.isShown(ERROR));
        ana.type(MESSAGE, "now with text").pressEnter(MESSAGE);
        ana.awaitCount(MESSAGES, 2).awaitText(ERROR, "");
        assertEquals("now with text", ana.texts(TEXTS).get(1));
        assertEquals("", ana.value(MESSAGE));
    }

    @Test
    void markupInAMessageIsShownAsText(BrowserWindow ana, BrowserWindow budi) {
        String name = "<i>Ana</i>";
        String text = "<b>bold</b><img src=x onerror=\"window.__xss = 1\"><script>window.__xss = 2</script> & \"so\"";
        join(ana, base);
        join(budi, base);
        send(ana, name, text);
        for (BrowserWindow w : List.of(ana, budi)) {
            w.awaitCount(MESSAGES, 2);
            assertEquals(text, w.texts(TEXTS).get(1));
            assertEquals(name, w.texts(AUTHORS).get(1));
            assertEquals(0, w.count("#messages b, #messages i, #messages img, #messages script"),
                    "no element made from the user's text");
            assertNull(w.script("return window.__xss"), "nothing of the user's text ran");
        }
    }

    @Test
    void lineBreaksInAMessageCannotInjectEvents(BrowserWindow ana, BrowserWindow budi) {
        join(ana, base);
        join(budi, base);
        // A text field drops typed line breaks, a signal keeps them: set the signals as a crafted page would.
        String text = "one\r\ntwo\rthree\n\nevent: datastar-patch-signals\ndata: signals {\"isConnected\":false}\n\n";
        String name = "Ana\r\nevent: datastar-patch-signals";
        ana.script("const el = document.createElement('div');"
                + "el.setAttribute('data-signals', JSON.stringify(arguments[0]));"
                + "document.body.appendChild(el);", Map.of("username", name, "messageText", text));
        ana.await("the crafted signals", x -> x.value(MESSAGE).startsWith("one"));
        ana.click(SEND);
        send(budi, "Budi", "marker");
        for (BrowserWindow w : List.of(ana, budi)) {
            w.awaitCount(MESSAGES, 3);
            assertEquals(List.of("Starwire", "Ana event: datastar-patch-signals", "Budi"), w.texts(AUTHORS));
            assertEquals("one\ntwo\nthree\n\nevent: datastar-patch-signals\ndata: signals {\"isConnected\":false}",
                    w.texts(TEXTS).get(1));
            assertTrue(w.isShown(ONLINE), "the smuggled patch-signals did not disconnect anyone");
            assertEquals(0, w.fetches("retrying"), "the stream never broke");
        }
    }

    @Test
    void aCutStreamReconnectsWithLastEventIdAndGetsTheMissedMessagesOnce(BrowserWindow ana, BrowserWindow budi)
            throws Exception {
        // the browser logs the reset connection, the client its error and its retry: expected here, nothing else
        chromium.allowProblems("/join-chat\\?.* - Failed to load resource: net::ERR_CONNECTION_RESET");
        chromium.allowProblems("datastar\\.js \\S+ \"network error\"");
        chromium.allowProblems("\"Datastar failed to reach \\S+/join-chat\\?\\S+ retrying in \\d+ms\\.\"");
        try (TcpProxy proxy = TcpProxy.to(app.port())) {
            join(ana, "http://127.0.0.1:" + proxy.port()); // Ana's network: through the proxy
            join(budi, base);
            send(budi, "Budi", "seen");
            ana.awaitCount(MESSAGES, 2);
            // marks what Ana shows now: a history re-sent on reconnect would morph the marks away
            ana.script("document.querySelectorAll('#messages .message').forEach(m => m.dataset.before = 'yes')");

            proxy.cut();
            ana.awaitFetches("retrying", 1);
            Http.waitFor(() -> proxy.heldConnections() > 0, "Ana's client to try again");
            Http.waitFor(() -> app.starwire().stats().subscribers() == 1, "the server to drop Ana's stream");
            send(budi, "Budi", "missed 1");
            send(budi, "Budi", "missed 2");
            budi.awaitCount(MESSAGES, 4);
            assertEquals(2, ana.count(MESSAGES), "Ana is offline");

            proxy.release();
            ana.awaitCount(MESSAGES, 4);
            assertEquals(List.of("seen", "missed 1", "missed 2"), ana.texts(TEXTS).subList(1, 4));
            assertEquals(2, ana.count("#messages .message[data-before]"),
                    "the missed messages were appended, not a new history");
            List<String> joins = proxy.requestHeads("/join-chat");
            assertEquals(2, joins.size(), joins.toString());
            assertFalse(joins.get(0).toLowerCase().contains("last-event-id"), joins.get(0));
            assertTrue(joins.get(1).toLowerCase().contains("\r\nlast-event-id: "), joins.get(1));

            send(budi, "Budi", "live again");
            ana.awaitCount(MESSAGES, 5);
            assertEquals(ana.texts(TEXTS), budi.texts(TEXTS), "each message exactly once, in order");
        }
    }
}
