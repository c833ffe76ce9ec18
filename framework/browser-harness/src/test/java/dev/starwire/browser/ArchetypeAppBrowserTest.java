package dev.starwire.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The app generated from the archetype, in a real browser: its page loads with the real Datastar client
 * (pinned by SRI), its stream keeps the clock going and its action greets what the user typed. The app runs
 * outside this build: {@code scripts/app-smoke} generates, builds and starts it, then runs this test with
 * {@code -Dstarwire.app.url=http://127.0.0.1:PORT/}; without that property it is skipped.
 */
class ArchetypeAppBrowserTest {
    private static final Pattern HH_MM_SS = Pattern.compile("\\d\\d:\\d\\d:\\d\\d");

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension();

    private String url;

    @BeforeEach
    void appUrl() {
        url = System.getProperty("starwire.app.url");
        Assumptions.assumeTrue(url != null && !url.isBlank(),
                "runs from scripts/app-smoke against the app generated from the archetype (-Dstarwire.app.url)");
    }

    @Test
    void thePageLoadsItsStreamTicksAndItsActionGreets(BrowserWindow w) {
        w.open(url);
        assertEquals("Hello Starwire", w.text("h1").strip());
        String time = w.text("#clock time").strip();
        assertTrue(HH_MM_SS.matcher(time).matches(), time);
        w.await("the clock stream to tick", x -> !x.text("#clock time").strip().equals(time));

        w.type("input[data-bind\\:name]", "Ana <b>").click("#greet button[type=submit]");
        w.awaitText("#greeting", "Hello, Ana <b>!");
        assertEquals(0, w.count("#greeting b"), "the name is shown as text");

        w.type("input[data-bind\\:name]", "").pressEnter("input[data-bind\\:name]");
        w.awaitText("#greeting", "Hello, stranger!");
    }
}
