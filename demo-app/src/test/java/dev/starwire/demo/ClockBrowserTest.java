package dev.starwire.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.browser.BrowserWindow;
import dev.starwire.browser.ChromiumExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The demo clock in headless Chromium with the real Datastar 1.0.1 client, as a user sees it. */
class ClockBrowserTest {
    private static final Pattern HH_MM_SS = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d");
    private static final String START = "button[data-on\\:click*='/start-sse']";
    private static final String TIME = ".clock";
    private static final String COUNT = ".stat:nth-child(1) .stat-value";
    private static final String STARTED = ".stat:nth-child(2) .stat-value";
    private static final String PAUSE = "button.pause";
    private static final String RESUME = "button.resume";

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension();

    private DemoApp app;

    @BeforeEach
    void start() {
        app = DemoApp.inMemory(Duration.ofSeconds(1)).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private static int count(BrowserWindow w) {
        return Integer.parseInt(w.text(COUNT).strip());
    }

    @Test
    void startTicksGoesOnAfterTheTabWasHiddenAndPauses(BrowserWindow w) throws Exception {
        w.open("http://127.0.0.1:" + app.port() + "/clock?lang=en");
        assertEquals("00:00:00", w.text(TIME).strip());
        assertEquals("0", w.text(COUNT).strip());
        assertTrue(w.isShown(START + " span:first-child"), "'Start the clock' is shown");
        assertFalse(w.isShown(START + " span:last-child"), "'Clock is running' is not shown yet");
        // every text change of the counter, in order, as the user saw it
        w.script("window.__counts = []; const el = document.querySelector(arguments[0]);"
                + "new MutationObserver(() => window.__counts.push(el.textContent.trim()))"
                + ".observe(el, {childList: true, characterData: true, subtree: true});", COUNT);

        w.click(START);
        w.await("three ticks", x -> count(x) >= 3);
        assertTrue(HH_MM_SS.matcher(w.text(TIME).strip()).matches(), w.text(TIME));
        String startTime = w.text(STARTED).strip();
        assertTrue(HH_MM_SS.matcher(startTime).matches(), startTime);
        assertTrue(w.isShown(START + " span:last-child"), "'Clock is running' is shown");
        assertTrue(w.isDisabled(START), "a running clock cannot be started twice");
        assertTrue(w.isShown(".status.connected"), "the status says connected");
        String time = w.text(TIME).strip();
        w.await("the time to move on", x -> !x.text(TIME).strip().equals(time));

        // the tab goes to the background: the client closes its stream and the session's clock stops
        w.hide();
        Http.waitFor(() -> app.clock().running() == 0, "the clock to stop while the tab is hidden");
        Http.waitFor(() -> app.starwire().openStreams() == 0, "the stream to close while the tab is hidden");
        int shown = count(w);

        // back to the foreground: the client opens a new stream with what the page shows, the clock goes on
        w.show();
        w.await("a tick after the tab came back", x -> count(x) >= shown + 2);
        assertEquals(1, app.clock().running());
        assertEquals(startTime, w.text(STARTED).strip(), "the same clock, not a new one");
        assertEquals(1, w.fetches("started") - w.fetches("finished"), "one open stream");

        // pause: the counter stands still (the pause arrives after every tick before it); resume: it goes on
        w.click(PAUSE).awaitShown(RESUME);
        assertFalse(w.isShown(PAUSE));
        assertTrue(w.isShown(TIME + ".paused"), "the time looks paused");
        int paused = count(w);
        Thread.sleep(2_500); // more than two ticks of the server's clock
        assertEquals(paused, count(w), "no tick while paused");
        w.click(RESUME).awaitShown(PAUSE);
        w.await("a tick after resuming", x -> count(x) >= paused + 1);

        // the counter only ever went up by one: no reset, no double tick, across the hidden period
        List<String> seen = new ArrayList<>();
        for (Object o : (List<?>) w.script("return window.__counts")) {
            seen.add(o.toString());
        }
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(String.valueOf(i + 1), seen.get(i), "counter values in order: " + seen);
        }
    }
}
