package ${package};

import dev.starwire.test.DatastarClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The app on a free port, driven by the test kit's client as the Datastar client in a browser would. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AppTest {
    @LocalServerPort
    int port;

    private DatastarClient browser() {
        return DatastarClient.connect("http://127.0.0.1:" + port);
    }

    @Test
    void greetsTheNameTypedIntoThePage() {
        try (DatastarClient browser = browser()) {
            browser.open("/").assertDatastar10Syntax();
            browser.page().assertThat("title").hasText("Hello Starwire");
            browser.page().setSignal("name", "Ana <3");        // what typing into the data-bind:name input does
            browser.submit("#greet");                          // data-on:submit="@post('/greet')"
            browser.page().assertThat("#greeting").hasText("Hello, Ana <3!");
        }
    }

    @Test
    void theClockStreamKeepsTheLiveElementCurrent() {
        try (DatastarClient browser = browser()) {
            browser.open("/");
            String first = browser.page().select("#clock time").text();
            browser.init();                                    // data-init="@get('/clock')", read in the background
            browser.await(page -> !page.select("#clock time").text().equals(first), "the clock to tick");
            browser.page().assertThat("#clock time").hasSize(1);
        }
    }
}
