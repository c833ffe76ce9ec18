package dev.starwire.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.starwire.test.DatastarClient;
import dev.starwire.test.ReceivedPatchSignals;
import dev.starwire.test.TestPage;
import dev.starwire.testsupport.RedisServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The clock's pause/resume across two demo instances sharing sessions through a real redis-server, over
 * HTTP: the button pressed on one instance pauses the stream held by the other, and a request posting the
 * server-owned {@code running} signal itself changes nothing.
 */
class RedisClockTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RedisServer redis;
    private final List<DemoApp> apps = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        String url = redis.url();
        apps.add(DemoApp.withRedis(url, java.time.Duration.ofSeconds(1)).start("127.0.0.1", 0));
        apps.add(DemoApp.withRedis(url, java.time.Duration.ofSeconds(1)).start("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws Exception {
        apps.forEach(DemoApp::close);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void pausingOnOneInstanceStopsTheClockStreamedByTheOtherAndPostingRunningChangesNothing() throws Exception {
        DemoApp a = apps.get(0);
        DemoApp b = apps.get(1);
        try (DatastarClient tab = DatastarClient.connect("http://127.0.0.1:" + a.port())) {
            TestPage page = tab.open("/clock?lang=en");
            page.signal("running").isTrue();
            tab.stream(Pages.actionUrl(page, "button[data-on:click]", "data-on:click"));
            tab.awaitSignal("updateCount", 2);
            String cookie = sessionCookie(tab);
            Http onB = new Http(b.port());

            // The page's pause button, its request landing on the other instance (as a load balancer may send it).
            HttpResponse<String> paused = onB.post(Pages.actionUrl(page, "button.pause", "data-on:click"), "{}",
                    "Datastar-Request", "true", "Cookie", cookie);
            assertEquals(200, paused.statusCode(), paused.body());
            assertTrue(paused.body().contains("<p id=\"clock-error\" class=\"clock-error\" role=\"alert\"></p>"),
                    "no error to show: " + paused.body());
            tab.awaitSignal("running", false); // through Redis to A's replica, then A's stream
            int shown = count(tab);

            // A second tab of the session, on B, whose page claims running=true: it gets the server's value,
            // and A's tab gets it back too; the clock stays paused.
            String claimed = "{\"running\":true,\"isConnected\":true,\"updateCount\":" + shown + "}";
            assertEquals(false, firstRunningPatch(b, cookie, claimed), "the new tab is told the server's value");
            Http.waitFor(() -> pausePatches(tab) == 2, "A's tab to get the server's value back as well");
            Thread.sleep(3_000); // the clock ticks every second while running: three seconds show it paused
            assertEquals(shown, count(tab), "paused on the instance that holds the stream");
            tab.page().signal("running").isFalse();

            HttpResponse<String> resumed = onB.post(Pages.actionUrl(tab.page(), "button.resume", "data-on:click"),
                    "{\"running\":false}", "Datastar-Request", "true", "Cookie", cookie);
            assertEquals(200, resumed.statusCode());
            tab.awaitSignal("running", true);
            tab.await(p -> count(tab) > shown, "the clock to go on after resuming");
        }
    }

    @Test
    void whenRedisIsDownThePauseButtonShowsAnError() throws Exception {
        try (DatastarClient tab = DatastarClient.connect("http://127.0.0.1:" + apps.get(0).port())) {
            TestPage page = tab.open("/clock?lang=en");
            redis.kill();
            assertEquals(200, tab.click("button.pause").get(0).status());
            tab.page().assertThat("#clock-error").hasText(
                    "The clock could not be changed: the server cannot reach its session store. Please try again.");
            page.signal("running").isTrue();
        }
    }

    private static int count(DatastarClient tab) {
        return tab.page().signalValue("updateCount").orElseThrow().asInt();
    }

    private static String sessionCookie(DatastarClient client) {
        return client.cookies().stream().filter(c -> c.getName().equals("starwire_session"))
                .map(c -> c.getName() + "=" + c.getValue()).findFirst().orElseThrow();
    }

    /** Opens the clock stream on {@code app} with {@code signals}; the value of the first patch naming {@code running}. */
    private static boolean firstRunningPatch(DemoApp app, String cookie, String signals) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + app.port() + "/start-sse?lang=en&datastar="
                + URLEncoder.encode(signals, StandardCharsets.UTF_8));
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).header("Cookie", cookie)
                .header("Datastar-Request", "true").timeout(Http.WAIT).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("data: signals ")) {
                    JsonNode running = JSON.readTree(line.substring("data: signals ".length())).get("running");
                    if (running != null) {
                        return running.asBoolean();
                    }
                }
            }
        }
        throw new AssertionError("the stream ended without a running signal");
    }

    /** How many patches {@code tab}'s streams brought that set {@code running} to false. */
    private static long pausePatches(DatastarClient tab) {
        return tab.page().events().stream().filter(e -> e instanceof ReceivedPatchSignals)
                .filter(e -> ((ReceivedPatchSignals) e).signals().path("running").isBoolean()
                        && !((ReceivedPatchSignals) e).signals().get("running").asBoolean())
                .count();
    }
}
