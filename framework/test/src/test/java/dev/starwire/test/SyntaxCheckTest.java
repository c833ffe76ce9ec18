package dev.starwire.test;

import static dev.starwire.test.SseParserTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SyntaxCheckTest {

    @Test
    void aPageIn10SyntaxPasses() {
        Fixtures.chat().assertDatastar10Syntax();
        TestPage.of("<div data-on:click__prevent=\"@get('/x')\" data-on-interval__duration.1s=\"@get('/t')\""
                + " data-init=\"@get('/stream')\" data-ignore-morph data-bind=\"messageText\""
                + " data-on:input__debounce.300ms=\"x\" data-id=\"42\" data-signals:user.name=\"1\""
                + " data-on-signal-patch=\"x\" data-indicator:fetching data-class:active=\"$a\"></div>")
                .assertDatastar10Syntax();
    }

    @Test
    void theTutorialsHyphenSyntaxFailsWithEveryAttributeAndItsFix() {
        TestPage page = TestPage.of("<form data-on-submit=\"@post('/send')\">"
                + "<input data-bind-value=\"message\">"
                + "<button data-attr-disabled=\"!$isConnected\" data-on-click.prevent=\"x\">Send</button>"
                + "<div data-on-load=\"@get('/stream')\" data-store='{\"a\":1}'></div></form>");
        AssertionError e = assertThrows(AssertionError.class, page::assertDatastar10Syntax);
        assertContains(e, "pre-1.0 Datastar syntax");
        assertContains(e, "'data-on-submit': hyphen syntax is pre-1.0 and ignored by the 1.0 client; write data-on:submit");
        assertContains(e, "write data-bind:value");
        assertContains(e, "write data-attr:disabled");
        assertContains(e, "'data-on-click.prevent'");
        assertContains(e, "write data-on:click__prevent");
        assertContains(e, "data-on-load is pre-1.0; write data-init");
        assertContains(e, "data-store is pre-1.0; write data-signals");
        assertContains(e, "on <button data-attr-disabled"); // names the element
    }

    @Test
    void dotModifiersAfterAColonFail() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> TestPage.of("<a data-on:click.prevent=\"x\">go</a>").assertDatastar10Syntax());
        assertContains(e, "modifiers follow '__' in 1.0 (write data-on:click__prevent)");
    }
}
