package dev.starwire.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClockTest {
    private static final Pattern HH_MM_SS = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d");
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
    void streamsTheServerTimeWithAnIncreasingCount() throws Exception {
        try (Http.Stream clock = http.open("/start-sse", "{}")) {
            assertEquals(200, clock.response.statusCode());
            assertTrue(clock.response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));

            JsonNode first = signals(clock.next());
            assertTrue(first.get("isConnected").asBoolean(), first.toString());
            assertEquals(1, first.get("updateCount").asInt());
            assertTrue(HH_MM_SS.matcher(first.get("serverTime").asText()).matches(), first.toString());
            assertEquals(first.get("serverTime").asText(), first.get("startTime").asText());

            for (int expected = 2; expected <= 3; expected++) {
                JsonNode tick = signals(clock.next());
                assertEquals(expected, tick.get("updateCount").asInt(), tick.toString());
                assertTrue(HH_MM_SS.matcher(tick.get("serverTime").asText()).matches(), tick.toString());
                // only what changed travels after the first event
                assertFalse(tick.has("isConnected"), tick.toString());
                assertFalse(tick.has("startTime"), tick.toString());
            }
        }
    }

    @Test
    void twoClientsCountIndependently() throws Exception {
        try (Http.Stream a = http.open("/start-sse", "{}")) {
            assertEquals(1, signals(a.next()).get("updateCount").asInt());
            assertEquals(2, signals(a.next()).get("updateCount").asInt());
            try (Http.Stream b = http.open("/start-sse", "{}")) {
                // b starts its own count while a goes on with its own
                assertEquals(1, signals(b.next()).get("updateCount").asInt());
                assertEquals(3, signals(a.next()).get("updateCount").asInt());
                assertEquals(2, signals(b.next()).get("updateCount").asInt());
                waitFor(() -> app.clock().running() == 2, "two clock tasks");
            }
        }
    }

    @Test
    void closingTheStreamStopsItsTimer() throws Exception {
        Http.Stream clock = http.open("/start-sse", "{}");
        signals(clock.next());
        assertEquals(1, app.clock().running());
        clock.close();
        waitFor(() -> app.clock().running() == 0, "the clock task to stop after the client hung up");
    }

    @Test
    void aSecondTabOfTheSameSessionJoinsItsRunningClock() throws Exception {
        try (Http.Stream first = http.open("/start-sse", "{}")) {
            JsonNode started = signals(first.next());
            String cookie = first.response.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
            try (Http.Stream second = http.open("/start-sse", "{}", "Cookie", cookie)) {
                JsonNode state = signals(second.next());
                assertTrue(state.get("isConnected").asBoolean(), "the new tab gets the whole state first: " + state);
                assertEquals(started.get("startTime"), state.get("startTime"));
                assertTrue(state.get("updateCount").asInt() >= 1, state.toString());
                assertEquals(1, app.clock().running(), "one clock per session, not per tab");
                int count = state.get("updateCount").asInt();
                assertEquals(count + 1, signals(second.next()).get("updateCount").asInt());
            }
        }
        waitFor(() -> app.clock().running() == 0, "the session clock to stop when its last tab closed");
    }

    private static JsonNode signals(Http.Event e) throws Exception {
        assertEquals("datastar-patch-signals", e.type());
        return JSON.readTree(e.joined("signals"));
    }

    static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Http.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
