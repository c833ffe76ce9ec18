package dev.starwire.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.test.DatastarClient;
import dev.starwire.test.ReceivedEvent;
import dev.starwire.test.ReceivedPatchSignals;
import dev.starwire.test.ReceivedStream;
import dev.starwire.test.TestPage;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClockTest {
    private static final Pattern HH_MM_SS = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d");

    private DemoApp app;

    @BeforeEach
    void start() {
        app = DemoApp.inMemory(Duration.ofSeconds(1)).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private DatastarClient client() {
        return DatastarClient.connect("http://127.0.0.1:" + app.port());
    }

    /** Opens the clock page and presses its start button. */
    private static ReceivedStream startClock(DatastarClient c) {
        TestPage page = c.open("/clock?lang=en");
        page.signal("isConnected").isFalse();
        page.signal("serverTime").isEqualTo("00:00:00");
        return c.stream(Pages.actionUrl(page, "button[data-on:click]", "data-on:click"));
    }

    @Test
    void threeTicksCarryTheTimeAnIncreasingCountAndTheConnection() throws Exception {
        try (DatastarClient c = client()) {
            ReceivedStream clock = startClock(c);
            TestPage page = c.awaitSignal("updateCount", 3);
            page.signal("isConnected").isTrue();
            String time = page.signal("serverTime").value().orElseThrow().asText();
            assertTrue(HH_MM_SS.matcher(time).matches(), time);
            String started = page.signal("startTime").value().orElseThrow().asText();
            assertTrue(HH_MM_SS.matcher(started).matches(), started);

            // the stream records an event just after applying it to the page
            Http.waitFor(() -> ticks(clock).size() >= 3, "three recorded ticks");
            List<ObjectNode> ticks = ticks(clock);
            assertEquals(Set.of("serverTime", "updateCount", "isConnected", "startTime"), keys(ticks.get(0)));
            for (int i = 0; i < 3; i++) {
                assertEquals(i + 1, ticks.get(i).get("updateCount").asInt(), ticks.toString());
            }
            for (ObjectNode later : ticks.subList(1, 3)) {
                // only what changed travels: the time (unless two ticks fell in one second) and the count
                assertTrue(Set.of("serverTime", "updateCount").containsAll(keys(later)), later.toString());
                assertTrue(later.has("updateCount"), later.toString());
            }
        }
    }

    @Test
    void twoClientsHaveIndependentClocks() throws Exception {
        try (DatastarClient a = client(); DatastarClient b = client()) {
            ReceivedStream clockA = startClock(a);
            a.awaitSignal("updateCount", 2);
            ReceivedStream clockB = startClock(b);
            b.awaitSignal("updateCount", 2);
            a.awaitSignal("updateCount", 4);
            assertEquals(2, app.clock().running());
            Http.waitFor(() -> app.clock().scheduledTasks() == 2, "two tasks on the one shared scheduler");
            // b started its own count at 1, and a's count went on without a reset or a double step
            assertEquals(1, ticks(clockB).get(0).get("updateCount").asInt());
            List<ObjectNode> fromA = ticks(clockA);
            for (int i = 0; i < fromA.size(); i++) {
                assertEquals(i + 1, fromA.get(i).get("updateCount").asInt(), fromA.toString());
            }
        }
        Http.waitFor(() -> app.clock().running() == 0, "both clocks to stop");
        Http.waitFor(() -> app.clock().scheduledTasks() == 0, "no task left in the shared scheduler");
    }

    @Test
    void closingTheStreamStopsItsTimer() throws Exception {
        try (DatastarClient c = client()) {
            ReceivedStream clock = startClock(c);
            c.awaitSignal("updateCount", 1);
            assertEquals(1, app.clock().running());
            clock.close();
            Http.waitFor(() -> app.clock().running() == 0, "the clock to stop after the client hung up");
            Http.waitFor(() -> app.clock().scheduledTasks() == 0, "its task to leave the scheduler");
            Http.waitFor(() -> app.starwire().openStreams() == 0, "the stream to be gone");
        }
    }

    @Test
    void aSecondTabOfTheSameSessionJoinsItsRunningClock() throws Exception {
        try (DatastarClient c = client()) {
            startClock(c);
            c.awaitSignal("updateCount", 2);
            String startTime = c.page().signal("startTime").value().orElseThrow().asText();
            // same cookies, a second stream: the session's clock is shared, not started twice
            ReceivedStream second = c.stream("/start-sse?lang=en");
            Http.waitFor(() -> ticks(second).stream().anyMatch(t -> t.has("startTime")),
                    "the second tab to get the clock");
            ObjectNode joined = ticks(second).stream().filter(t -> t.has("startTime")).findFirst().orElseThrow();
            assertTrue(joined.get("isConnected").asBoolean(), joined.toString());
            assertEquals(startTime, joined.get("startTime").asText(), "the running clock, not a new one");
            assertTrue(joined.get("updateCount").asInt() >= 2, joined.toString());
            assertEquals(1, app.clock().running(), "one clock per session");
        }
        Http.waitFor(() -> app.clock().running() == 0, "the session clock to stop when its last tab closed");
    }

    /** The clock's ticks: the stream's patches after the echo of the page's own signals it starts with. */
    @Test
    void aTabThatComesBackGoesOnCountingFromWhatItShows() throws Exception {
        try (DatastarClient c = client()) {
            ReceivedStream first = startClock(c);
            c.awaitSignal("updateCount", 2);
            String startTime = c.page().signal("startTime").value().orElseThrow().asText();
            first.close(); // the tab is hidden: Datastar closes the stream
            Http.waitFor(() -> app.clock().running() == 0, "the clock to stop while the tab is hidden");
            int shown = c.page().signal("updateCount").value().orElseThrow().asInt();
            ReceivedStream again = c.stream("/start-sse?lang=en"); // shown again: reopened with the page's signals
            Http.waitFor(() -> ticks(again).stream().anyMatch(t -> t.get("updateCount").asInt() > shown),
                    "a tick after the tab came back");
            // (the stream starts with the echo of the page's own signals, then the clock goes on)
            int next = ticks(again).stream().mapToInt(t -> t.get("updateCount").asInt()).filter(n -> n > shown)
                    .findFirst().orElseThrow();
            assertEquals(shown + 1, next, ticks(again).toString());
            c.page().signal("startTime").isEqualTo(startTime);
        }
    }

    private static List<ObjectNode> ticks(ReceivedStream s) {
        List<ObjectNode> out = new ArrayList<>();
        for (ReceivedEvent e : s.events()) {
            ObjectNode patch = ((ReceivedPatchSignals) e).signals();
            if (patch.path("updateCount").asInt() > 0) {
                out.add(patch);
            }
        }
        return out;
    }

    private static Set<String> keys(ObjectNode o) {
        Set<String> k = new java.util.HashSet<>();
        o.fieldNames().forEachRemaining(k::add);
        return k;
    }

    /** A tampered clock page: each of these was a 500 with a stack trace; now a 400 naming the problem. */
    @Test
    void wronglyTypedClockSignalsAre400NotAServerError() {
        Http http = new Http(app.port());
        String[][] cases = {
            {"{\"updateCount\":\"abc\"}", "signal 'updateCount' must be an integer (Integer), got the string \"abc\""},
            {"{\"updateCount\":1e400}", "signals hold a number too large for a double (such as 1e400)"},
            {"{\"updateCount\":1.5}", "signal 'updateCount' must be an integer (Integer), got the number 1.5"},
            {"{\"isConnected\":\"yes\"}", "signal 'isConnected' must be true or false, got the string \"yes\""},
            {"{\"startTime\":12}", "signal 'startTime' must be a string, got the number 12"},
            {"{\"updateCount\":" + "1".repeat(1001) + "}", "signals hold a number longer than 1000 characters"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = http.get("/start-sse?datastar="
                    + URLEncoder.encode(c[0], StandardCharsets.UTF_8), "Datastar-Request", "true");
            assertEquals(400, r.statusCode(), c[0] + " -> " + r.body());
            assertEquals(c[1], r.body());
        }
        assertEquals(0, app.clock().running(), "no clock started for a refused request");
    }
}
