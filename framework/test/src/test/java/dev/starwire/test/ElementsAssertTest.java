package dev.starwire.test;

import static dev.starwire.test.SseParserTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ElementsAssertTest {
    private final TestPage page = Fixtures.chat();

    @Test
    void passingChecks() {
        page.assertThat("#messages .message").hasSize(2).exists().hasText("first", "second")
                .containsText("sec").hasClass("message").hasAttr("id").doesNotHaveAttr("hidden");
        page.assertThat("#go").hasAttr("data-attr:disabled", "!$isConnected");
        page.assertThat("#nothing").doesNotExist().hasSize(0);
        assertEquals(List.of("first", "second"), page.assertThat(".message").texts());
    }

    @Test
    void aWrongCountShowsTheMatchedHtml() {
        AssertionError e = assertThrows(AssertionError.class, () -> page.assertThat("#messages .message").hasSize(3));
        assertContains(e, "expected 3 element(s) matching '#messages .message' but found 2");
        assertContains(e, "<li class=\"message\" id=\"m1\">first</li>");
    }

    @Test
    void nothingMatchingShowsThePageBody() {
        AssertionError e = assertThrows(AssertionError.class, () -> page.assertThat("#chat .message").exists());
        assertContains(e, "expected an element matching '#chat .message' but found none");
        assertContains(e, "page body:");
        assertContains(e, "<ul id=\"messages\">");
    }

    @Test
    void wrongTextAndAttributes() {
        assertContains(assertThrows(AssertionError.class, () -> page.assertThat(".message").hasText("first")),
                "expected the text(s) of '.message' to be [\"first\"] but were [\"first\", \"second\"]");
        assertContains(assertThrows(AssertionError.class, () -> page.assertThat("#status").containsText("online")),
                "to contain \"online\" but it is \"offline\"");
        assertContains(assertThrows(AssertionError.class, () -> page.assertThat("#go").hasAttr("disabled")),
                "to have attribute 'disabled'");
        assertContains(assertThrows(AssertionError.class, () -> page.assertThat("#go").hasAttr("data-attr:disabled", "$x")),
                "found \"!$isConnected\"");
        assertContains(assertThrows(AssertionError.class, () -> page.assertThat("#go").doesNotHaveAttr("id")),
                "<button id=\"go\"");
        assertContains(assertThrows(AssertionError.class, () -> page.assertThat("#status").doesNotExist()),
                "expected no element matching '#status' but found 1");
        assertContains(assertThrows(AssertionError.class, () -> page.assertThat("#a[")), "invalid selector '#a['");
    }

    @Test
    void assertionsAreSnapshotsOfThePage() {
        ElementsAssert before = page.assertThat(".message");
        page.applyStream("event: datastar-patch-elements\ndata: selector #messages\ndata: mode inner\n"
                + "data: elements <li class=\"message\">x</li>\n\n");
        before.hasSize(2);
        page.assertThat(".message").hasSize(1);
    }
}
