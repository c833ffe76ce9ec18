package dev.starwire.test;

import static dev.starwire.test.SseParserTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientTest {
    private static DemoServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new DemoServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static DatastarClient client() {
        return new DatastarClient(URI.create("http://127.0.0.1:" + server.port()));
    }

    @Test
    void getSendsSignalsInTheQueryWithTheDatastarHeaderAndTheCookie() {
        try (DatastarClient c = client()) {
            c.open("/chat").assertDatastar10Syntax();
            assertTrue(c.cookies().stream().anyMatch(k -> k.getName().equals("sid")));
            c.page().setSignal("messageText", "a b&c=d ü");
            ActionResult r = c.get("/echo");
            assertEquals(200, r.status());
            assertEquals(1, r.events().size());
            c.page().signal("echo.method").isEqualTo("GET");
            c.page().signal("echo.datastarRequest").isEqualTo("true");
            c.page().signal("echo.cookie").isEqualTo(c.cookies().get(0).toString());
            // every signal except the local _draft
            c.page().signal("echo.received").isEqualTo(Map.of("messageText", "a b&c=d ü", "isConnected", false));
        }
    }

    @Test
    void postSendsSignalsAsAJsonBody() {
        try (DatastarClient c = client()) {
            c.open("/chat");
            c.page().setSignal("messageText", "hi");
            c.post("/echo");
            c.page().signal("echo.method").isEqualTo("POST");
            c.page().signal("echo.contentType").isEqualTo("application/json");
            c.page().signal("echo.received.messageText").isEqualTo("hi");
            c.page().signal("echo.received._draft").isMissing();
            c.put("/echo");
            c.page().signal("echo.method").isEqualTo("PUT");
            c.delete("/echo");
            c.page().signal("echo.method").isEqualTo("DELETE");
            c.page().signal("echo.received.messageText").isEqualTo("hi");
        }
    }

    /** What the 1.0.1 bundle sends: {@code !["GET","DELETE"].includes(method)} decides query or JSON body. */
    @Test
    void everyVerbSendsExactlyWhatTheBrowserClientSends() {
        try (DatastarClient c = client()) {
            c.open("/chat");
            c.page().setSignal("messageText", "a b&c=d ü");
            for (String verb : List.of("GET", "DELETE", "POST", "PUT", "PATCH")) {
                String json = JsonSupport.write(c.page().requestSignals()); // every signal but _draft
                assertTrue(json.contains("\"messageText\":\"a b&c=d ü\"") && !json.contains("_draft"), json);
                c.action(verb, "/echo");
                c.page().signal("echo.method").isEqualTo(verb);
                c.page().signal("echo.accept").isEqualTo("text/event-stream, text/html, application/json");
                c.page().signal("echo.datastarRequest").isEqualTo("true");
                if (verb.equals("GET") || verb.equals("DELETE")) {
                    c.page().signal("echo.query").isEqualTo("datastar="
                            + java.net.URLEncoder.encode(json, java.nio.charset.StandardCharsets.UTF_8));
                    c.page().signal("echo.contentType").isEqualTo("null");
                    c.page().signal("echo.body").isEqualTo("");
                } else {
                    c.page().signal("echo.query").isEqualTo("null");
                    c.page().signal("echo.contentType").isEqualTo("application/json");
                    c.page().signal("echo.body").isEqualTo(json);
                }
            }
        }
    }

    @Test
    void aGetKeepsTheUrlsQueryAndReplacesAnOldDatastarParameter() {
        try (DatastarClient c = client()) {
            c.open("/chat");
            c.get("/echo?lang=en&q=a%20b&datastar=old");
            String sent = c.page().signalValue("echo.query").orElseThrow().asText();
            assertTrue(sent.startsWith("lang=en&q=a+b&datastar=%7B"), sent); // re-serialised like URLSearchParams
            assertFalse(sent.contains("old"), sent);
        }
    }

    @Test
    void aFormActionPostsTheFormUrlEncoded() {
        try (DatastarClient c = client()) {
            c.open("/form");
            c.submit("#f"); // data-on:submit="@post('/echo', {contentType: 'form'})"
            c.page().signal("echo.method").isEqualTo("POST");
            c.page().signal("echo.contentType").isEqualTo("application/x-www-form-urlencoded");
            // bound fields carry their signal; unchecked, disabled and nameless fields are left out
            c.page().signal("echo.body").isEqualTo("name=Ana&message=typed+%C3%A9&subscribe=on"
                    + "&nameless-field-has-a-name=&size=l&note=a+b%26c");
            c.page().signal("echo.query").isEqualTo("null");

            c.click("#go"); // the button that triggered it adds its name and value
            c.page().signal("echo.method").isEqualTo("PUT");
            c.page().signal("echo.body").isEqualTo("name=Ana&message=typed+%C3%A9&subscribe=on"
                    + "&nameless-field-has-a-name=&size=l&note=a+b%26c&action=save");
        }
    }

    @Test
    void aFormActionWithGetOrDeletePutsTheFieldsInTheQuery() {
        try (DatastarClient c = client()) {
            c.open("/form");
            c.click("#search"); // @get('/echo?lang=en', {contentType: 'form', selector: '#f'})
            c.page().signal("echo.method").isEqualTo("GET");
            c.page().signal("echo.contentType").isEqualTo("application/x-www-form-urlencoded");
            c.page().signal("echo.query").isEqualTo("lang=en&name=Ana&message=typed+%C3%A9&subscribe=on"
                    + "&nameless-field-has-a-name=&size=l&note=a+b%26c");
            c.page().signal("echo.body").isEqualTo("");
            c.click("#remove"); // a multipart form sent with DELETE: fields in the query, no Content-Type
            c.page().signal("echo.method").isEqualTo("DELETE");
            c.page().signal("echo.contentType").isEqualTo("null");
            c.page().signal("echo.query").isEqualTo("title=%C3%A9");
        }
    }

    @Test
    void aMultipartFormIsSentAsMultipart() {
        try (DatastarClient c = client()) {
            c.open("/form");
            c.sendForm("POST", "/echo", "#upload");
            String type = c.page().signalValue("echo.contentType").orElseThrow().asText();
            assertTrue(type.startsWith("multipart/form-data; boundary="), type);
            String boundary = type.substring("multipart/form-data; boundary=".length());
            c.page().signal("echo.body").isEqualTo("--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\né\r\n--" + boundary + "--\r\n");
            assertContains(assertThrows(AssertionError.class, () -> c.sendForm("POST", "/echo", "#nothing")),
                    "no form to send");
        }
    }

    @Test
    void oneShotResponsesAreAppliedByContentType() {
        try (DatastarClient c = client()) {
            c.open("/chat");
            c.page().setSignal("messageText", "typed");
            ActionResult html = c.get("/html");
            assertEquals("<li class=\"message\">one-shot</li>", html.body());
            c.page().assertThat("#messages .message").hasText("one-shot");
            c.get("/json");
            c.page().signal("isConnected").isFalse(); // onlyIfMissing: existing values stay
            c.page().signal("messageText").isEqualTo("typed");
            c.get("/js");
            assertEquals(List.of(new ReceivedScript("console.log('one-shot')", Map.of("type", "module"))),
                    c.page().scripts());
            assertEquals(204, c.get("/nothing").status());
        }
    }

    @Test
    void aOneShotSvgPatchIsParsedInItsNamespaceAndOnlyA200IsApplied() {
        try (DatastarClient c = client()) {
            c.open("/chat");
            c.get("/svg");
            org.jsoup.nodes.Element dot = c.page().select("#chart circle").first();
            assertTrue(dot != null, c.page().html());
            assertEquals(org.jsoup.parser.Parser.NamespaceSvg, dot.tag().namespace());
            ActionResult created = c.get("/created");
            assertEquals(201, created.status());
            assertTrue(created.isSuccess());
            c.page().assertThat("#messages .message").doesNotExist(); // the 1.0.1 client applies a 200 only
        }
    }

    @Test
    void aNon2xxAnswerIsNotApplied() {
        try (DatastarClient c = client()) {
            c.open("/chat");
            ActionResult r = c.get("/bad");
            assertEquals(400, r.status());
            assertFalse(r.isSuccess());
            assertEquals("{\"error\":\"should not be applied\"}", r.body());
            c.page().signal("error").isMissing();
            assertContains(assertThrows(AssertionError.class, () -> c.stream("/bad")), "GET /bad answered 400");
            assertContains(assertThrows(AssertionError.class, () -> c.open("/missing")), "GET /missing answered 404");
        }
    }

    @Test
    void aLiveStreamAppliesEventsInTheBackground() {
        try (DatastarClient ana = client(); DatastarClient ben = client()) {
            ana.open("/chat");
            ben.open("/chat");
            ana.stream("/chat/stream");
            ben.stream("/chat/stream");
            ana.awaitSignal("isConnected", true);
            ben.awaitSignal("isConnected", true);

            ana.page().setSignal("messageText", "hello <b>ben</b>");
            ana.post("/chat/send");
            ana.page().signal("messageText").isEqualTo(""); // the send's own answer cleared the field
            ben.awaitElements("#messages .message", 1);
            ben.page().assertThat("#messages .message").hasText("hello <b>ben</b>"); // escaped, shown as text
            ben.page().assertThat("#messages b").doesNotExist();
            ana.awaitElements("#messages .message", 1);
        }
    }

    @Test
    void aCarriageReturnInUserTextCannotBreakTheCoreWriter() {
        try (DatastarClient c = client()) {
            c.open("/chat");
            ReceivedStream s = c.stream("/chat/stream");
            c.awaitSignal("isConnected", true);
            c.page().setSignal("messageText", "one\rdata: mode remove\r\nthree");
            c.post("/chat/send");
            c.awaitElements("#messages .message", 1);
            c.page().assertThat("#messages .message").hasText("one data: mode remove three");
            assertEquals(Optional.empty(), s.failure());
        }
    }

    @Test
    void initSubmitAndClickRunTheActionsOfThePage() {
        try (DatastarClient c = client()) {
            c.open("/chat");
            List<ReceivedStream> streams = c.init();
            assertEquals(1, streams.size());
            assertEquals("GET /chat/stream", streams.get(0).target());
            c.awaitSignal("isConnected", true);
            c.page().setSignal("messageText", "via submit");
            c.submit("form");
            c.awaitElements("#messages .message", 1).assertThat(".message").hasText("via submit");
            c.page().signal("messageText").isEqualTo("");

            List<ActionResult> results = c.click("#ping"); // two actions, in order; $pings++ is not run
            assertEquals(2, results.size());
            c.page().signal("echo.method").isEqualTo("POST");
            c.page().signal("pings").isMissing();
        }
    }

    @Test
    void clickFailsClearlyWhenThereIsNothingToRun() {
        try (DatastarClient c = client()) {
            c.open("/chat");
            assertContains(assertThrows(AssertionError.class, () -> c.click("#nope")),
                    "expected one element matching '#nope' to click, found 0");
            assertContains(assertThrows(AssertionError.class, () -> c.click("button")),
                    "expected one element matching 'button' to click, found 2");
            assertContains(assertThrows(AssertionError.class, () -> c.click("#clear")),
                    "holds no @get/@post/@put/@patch/@delete action");
            assertContains(assertThrows(AssertionError.class, () -> c.submit("#clear")),
                    "'#clear' has no data-on:submit attribute");
        }
    }

    @Test
    void severalClientsAtOnce() throws Exception {
        int n = 4;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<DatastarClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                DatastarClient c = client();
                clients.add(c);
                c.open("/chat");
                c.stream("/chat/stream");
                c.awaitSignal("isConnected", true);
            }
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                DatastarClient c = clients.get(i);
                int id = i;
                sends.add(pool.submit(() -> {
                    c.page().setSignal("messageText", "from " + id);
                    c.post("/chat/send");
                }));
            }
            for (Future<?> f : sends) {
                f.get(30, TimeUnit.SECONDS);
            }
            for (DatastarClient c : clients) {
                c.awaitElements("#messages .message", n);
                List<String> texts = c.page().assertThat(".message").texts();
                for (int i = 0; i < n; i++) {
                    assertTrue(texts.contains("from " + i), texts::toString);
                }
            }
        } finally {
            clients.forEach(DatastarClient::close);
            pool.shutdownNow();
        }
    }

    @Test
    void closingAStreamClosesTheConnection() throws Exception {
        try (DatastarClient c = client()) {
            c.open("/chat");
            server.disconnected = new CountDownLatch(1);
            ReceivedStream s = c.stream("/chat/stream");
            c.awaitSignal("isConnected", true);
            assertTrue(s.isOpen());
            s.close();
            assertFalse(s.isOpen());
            assertTrue(server.disconnected.await(20, TimeUnit.SECONDS), "the server never saw the client leave");
        }
    }

    @Test
    void reconnectSendsLastEventId() {
        try (DatastarClient c = client()) {
            c.open("/chat");
            ReceivedStream first = c.stream("/counter");
            first.awaitEvents(3, java.time.Duration.ofSeconds(15));
            c.page().signal("updateCount").isEqualTo(3); // applied together with its recording
            first.awaitEnd(java.time.Duration.ofSeconds(15));
            assertEquals(Optional.of("3"), first.lastEventId());
            assertEquals(3, first.events().size());
            c.page().signal("resumedFrom").isEqualTo(1);

            ReceivedStream resumed = c.resume("/counter", "1");
            c.awaitSignal("resumedFrom", 2);
            resumed.awaitEnd(java.time.Duration.ofSeconds(15));
            assertEquals(2, resumed.events().size()); // ids 2 and 3 only
            ReceivedStream again = resumed.reconnect();
            again.awaitEnd(java.time.Duration.ofSeconds(15));
            assertEquals(0, again.events().size()); // nothing after id 3
        }
    }

    @Test
    void openClosesTheStreamsOfThePreviousPage() throws Exception {
        try (DatastarClient c = client()) {
            c.open("/chat");
            server.disconnected = new CountDownLatch(1);
            ReceivedStream s = c.stream("/chat/stream");
            c.awaitSignal("isConnected", true);
            TestPage fresh = c.open("/chat");
            assertFalse(s.isOpen());
            fresh.signal("isConnected").isFalse();
            assertTrue(server.disconnected.await(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void aWaitThatNeverHoldsTimesOutShowingThePage() {
        try (DatastarClient c = client()) {
            c.open("/chat");
            AssertionError e = assertThrows(AssertionError.class,
                    () -> c.page().awaitSignal("updateCount", 99, java.time.Duration.ofMillis(300)));
            assertContains(e, "timed out after 300 ms waiting for signal 'updateCount' to be 99");
            assertContains(e, "<ul id=\"messages\">");
            assertContains(assertThrows(AssertionError.class, () -> Await.until("pigs to fly", () -> false,
                    java.time.Duration.ofMillis(100))), "timed out after 100 ms waiting for pigs to fly");
        }
    }
}
