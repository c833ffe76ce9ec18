package dev.starwire.test;

import static dev.starwire.test.SseParserTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kit must catch real server mistakes over real HTTP: each broken stream fails with a clear message. */
class BrokenStreamTest {
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
        DatastarClient c = new DatastarClient(URI.create("http://127.0.0.1:" + server.port()));
        c.open("/chat");
        return c;
    }

    @Test
    void aWrongModeFailsTheAction() {
        try (DatastarClient c = client()) {
            AssertionError e = assertThrows(AssertionError.class, () -> c.get("/broken/mode"));
            assertContains(e, "GET /broken/mode");
            assertContains(e, "unknown patch mode 'merge'");
        }
    }

    @Test
    void aMissingIdWithoutSelectorFailsTheAction() {
        try (DatastarClient c = client()) {
            AssertionError e = assertThrows(AssertionError.class, () -> c.get("/broken/no-id"));
            assertContains(e, "element <li>no id</li> has no id and the event has no selector");
        }
    }

    @Test
    void aLoneCarriageReturnWrittenRawFails() {
        try (DatastarClient c = client()) {
            AssertionError e = assertThrows(AssertionError.class, () -> c.get("/broken/cr"));
            assertContains(e, "the 'mode' line appears twice");
        }
    }

    @Test
    void theTutorialsJsonEventFails() {
        try (DatastarClient c = client()) {
            AssertionError e = assertThrows(AssertionError.class, () -> c.get("/broken/tutorial"));
            assertContains(e, "unknown data literal '{\"selector\":\"#messages\",\"content\":\"<li>x</li>\",\"merge\":\"inner\"}'");
        }
    }

    @Test
    void aBrokenBackgroundStreamFailsTheNextWaitAtOnce() {
        try (DatastarClient c = client()) {
            ReceivedStream s = c.stream("/broken/mode");
            AssertionError e = assertThrows(AssertionError.class, () -> c.awaitElements("#messages li", 1));
            assertContains(e, "while waiting for 1 element(s) matching '#messages li'");
            assertContains(e, "unknown patch mode 'merge'");
            assertTrue(s.failure().isPresent());
            assertContains(assertThrows(AssertionError.class, () -> s.awaitEvents(1, java.time.Duration.ofSeconds(15))),
                    "GET /broken/mode: Broken Datastar stream: unknown patch mode 'merge'");
        }
    }

    @Test
    void aHyphenSyntaxPageFails() {
        try (DatastarClient c = client()) {
            TestPage page = c.open("/old-page");
            AssertionError e = assertThrows(AssertionError.class, page::assertDatastar10Syntax);
            assertContains(e, "'data-on-click': hyphen syntax is pre-1.0");
            assertContains(e, "write data-attr:disabled");
        }
    }

    @Test
    void aFailedActionLeavesTheClientUsable() {
        try (DatastarClient c = client()) {
            assertThrows(AssertionError.class, () -> c.get("/broken/mode"));
            c.get("/html");
            c.awaitElements("#messages .message", 1);
        }
    }
}
