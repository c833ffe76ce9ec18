package ${package};

import dev.starwire.test.DatastarClient;
import dev.starwire.test.DatastarExtension;
import dev.starwire.test.RunningApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The app on a free port, driven by the test kit's client as the Datastar client in a browser would. */
class AppTest {
    @RegisterExtension
    static final DatastarExtension app = DatastarExtension.forApp(() -> {
        App started = App.create().start("127.0.0.1", 0);
        return RunningApp.of(started.port(), started::close);
    });

    @Test
    void greetsTheNameTypedIntoThePage(DatastarClient browser) {
        browser.open("/").assertDatastar10Syntax();
        browser.page().assertThat("title").hasText("Hello Starwire");
        browser.page().setSignal("name", "Ana <3");        // what typing into the data-bind:name input does
        browser.submit("#greet");                          // data-on:submit="@post('/greet')"
        browser.page().assertThat("#greeting").hasText("Hello, Ana <3!");
    }

    @Test
    void theClockStreamKeepsTheLiveElementCurrent(DatastarClient browser) {
        browser.open("/");
        String first = browser.page().select("#clock time").text();
        browser.init();                                    // data-init="@get('/clock')", read in the background
        browser.await(page -> !page.select("#clock time").text().equals(first), "the clock to tick");
        browser.page().assertThat("#clock time").hasSize(1);
    }
}
