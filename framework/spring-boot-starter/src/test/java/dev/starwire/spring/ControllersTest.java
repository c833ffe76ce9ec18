package dev.starwire.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.test.ActionResult;
import dev.starwire.test.DatastarClient;
import dev.starwire.test.ReceivedStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Controller methods on the starter, over real HTTP (Tomcat on a random port) and played by the test kit: signals
 * records, raw signals and sessions as arguments; DatastarResponse, StreamHandler and jte Content as results, also
 * from a {@code @RestController} whose other methods Spring writes as JSON with its own Jackson; the CSRF check of
 * Starwire's methods only; Starwire's error answers.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "starwire.max-signal-bytes=1KB")
class ControllersTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    private DatastarClient client() {
        return DatastarClient.connect(base());
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    @Test
    void anActionReadsItsSignalsIntoARecordAndAnswersWithPatches() {
        try (DatastarClient c = client()) {
            c.open("/page").setSignal("name", "<Ana>");
            ActionResult r = c.post("/greet");
            assertEquals(200, r.status());
            assertTrue(r.contentType().startsWith("text/html"), "one patch: a one-shot answer, " + r.contentType());
            assertTrue(r.body().contains("Hello &lt;Ana&gt;"), r.body());
            c.page().assertThat("#greeting").hasText("Hello <Ana>");
        }
    }

    @Test
    void aPageIsJteContentAsHtml() throws Exception {
        HttpResponse<String> page = get("/page");
        assertEquals(200, page.statusCode());
        assertEquals("text/html;charset=UTF-8", page.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        assertTrue(page.body().contains("<main id=\"app\""), page.body());
    }

    @Test
    void aRestControllerSendsDatastarAnswersAsEventsAndItsRecordsAsJsonWithSpringsJackson() throws Exception {
        HttpResponse<String> info = get("/api/info");
        assertEquals(200, info.statusCode());
        assertTrue(info.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(info.body().matches("\\{\"name\":\"starwire\",\"streams\":\\d+}"), info.body());
        HttpResponse<String> greet = post("/api/greet", "{\"name\":\"Bo\"}", true);
        assertEquals(200, greet.statusCode());
        assertTrue(greet.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        assertEquals("event: datastar-patch-signals\ndata: signals {\"greeted\":\"Bo\"}\n\n"
                + "event: datastar-patch-elements\ndata: elements <p id=\"greeting\">Bo</p>\n\n", greet.body());
    }

    @Test
    void aDeleteReadsRawSignalsFromTheQuery() throws Exception {
        String q = URLEncoder.encode("{\"id\":7}", StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/toast?datastar=" + q))
                .header("Datastar-Request", "true").DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("{\"seen\":7}"), r.body());
    }

    @Test
    void onlyStarwiresMethodsGetTheCsrfCheck() throws Exception {
        HttpResponse<String> refused = post("/greet", "{\"name\":\"x\"}", false);
        assertEquals(403, refused.statusCode());
        assertEquals("text/plain;charset=utf-8", refused.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        assertTrue(refused.body().contains("Datastar-Request"), refused.body());
        HttpResponse<String> crossSite = http.send(HttpRequest.newBuilder(URI.create(base() + "/count"))
                .header("Datastar-Request", "true").header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, crossSite.statusCode());
        HttpResponse<String> plain = post("/plain-form", "", false);
        assertEquals(200, plain.statusCode(), "a method that is not Starwire's is the app's business");
    }

    @Test
    void badSignalsAreAnsweredWithTheirStatusAndAPlainMessage() throws Exception {
        HttpResponse<String> malformed = post("/greet", "{oops", true);
        assertEquals(400, malformed.statusCode());
        assertTrue(malformed.body().startsWith("signals are not valid JSON"), malformed.body());
        HttpResponse<String> wrongType = post("/greet", "{\"name\":{\"a\":1}}", true);
        assertEquals(400, wrongType.statusCode());
        assertTrue(wrongType.body().contains("name"), wrongType.body());
        HttpResponse<String> large = post("/greet", "{\"name\":\"" + "x".repeat(2000) + "\"}", true);
        assertEquals(413, large.statusCode(), large.body());
    }

    @Test
    void aStreamHandlerOpensALiveStreamThatResumesFromLastEventId() {
        try (DatastarClient c = client(); DatastarClient poster = client()) {
            c.open("/page");
            ReceivedStream s = c.stream("/news");
            c.await(p -> !p.select("#news").isEmpty(), "the reset");
            poster.open("/page").setSignal("name", "first");
            assertEquals(204, poster.post("/publish").status());
            c.await(p -> p.select("#news li").size() >= 1, "the first item");
            String id = s.lastEventId().orElseThrow();
            s.close();
            poster.page().setSignal("name", "second");
            poster.post("/publish");
            ReceivedStream back = c.resume("/news", id);
            back.awaitEvents(1, Duration.ofSeconds(20));
            assertTrue(back.events().get(0).toString().contains("<li>second</li>"), back.events().toString());
        }
    }

    @Test
    void aSessionArgumentCreatesTheSessionWithItsCookie() {
        try (DatastarClient c = client()) {
            c.open("/page");
            assertEquals(204, c.post("/count").status());
            assertEquals(1, c.cookies().stream().filter(k -> k.getName().equals("starwire_session")).count());
            assertEquals(204, c.post("/count").status());
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json, boolean datastar) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (datastar) {
            b.header("Datastar-Request", "true");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
