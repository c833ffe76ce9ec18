package dev.starwire.test;

import static dev.starwire.test.SseParserTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.starwire.PatchSignals;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SignalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    /** The examples of RFC 7386, section 3 (target, patch, result), with single quotes for readability. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'a':'b'}            | {'a':'c'}            | {'a':'c'}",
        "{'a':'b'}            | {'b':'c'}            | {'a':'b','b':'c'}",
        "{'a':'b'}            | {'a':null}           | {}",
        "{'a':'b','b':'c'}    | {'a':null}           | {'b':'c'}",
        "{'a':['b']}          | {'a':'c'}            | {'a':'c'}",
        "{'a':'c'}            | {'a':['b']}          | {'a':['b']}",
        "{'a':{'b':'c'}}      | {'a':{'b':'d','c':null}} | {'a':{'b':'d'}}",
        "{'a':[{'b':'c'}]}    | {'a':[1]}            | {'a':[1]}",
        "{'e':null}           | {'a':1}              | {'e':null,'a':1}",
        "{}                   | {'a':{'bb':{'ccc':null}}} | {'a':{'bb':{}}}",
        "{'a':'foo'}          | {'a':{'b':1,'c':null}} | {'a':{'b':1}}",
    })
    void mergePatchFollowsRfc7386(String target, String patch, String result) throws Exception {
        TestPage page = TestPage.blank(); // set the target directly: data-signals is itself a merge patch
        json(target.replace('\'', '"')).properties().forEach(f -> page.setSignal(f.getKey(), f.getValue()));
        page.apply(PatchSignals.ofJson(patch.replace('\'', '"')));
        assertEquals(json(result.replace('\'', '"')), page.signals());
    }

    @Test
    void nullDeletesOnlyTheNamedNestedSignal() {
        TestPage page = TestPage.of("<body data-signals='{\"user\":{\"name\":\"Ana\",\"email\":\"a@x\"}}'></body>");
        page.apply(PatchSignals.ofJson("{\"user\":{\"email\":null}}"));
        page.signal("user.email").isMissing();
        page.signal("user.name").isEqualTo("Ana");
    }

    @Test
    void onlyIfMissingKeepsExistingValuesAndAddsMissingOnes() throws Exception {
        TestPage page = TestPage.of("<body data-signals='{\"count\":5,\"user\":{\"name\":\"Ana\"}}'></body>");
        page.apply(PatchSignals.builder().json("{\"count\":0,\"theme\":\"dark\",\"user\":{\"name\":\"Ben\",\"age\":3},"
                + "\"gone\":null}").onlyIfMissing(true).build());
        assertEquals(json("{\"count\":5,\"user\":{\"name\":\"Ana\",\"age\":3},\"theme\":\"dark\"}"), page.signals());
    }

    @Test
    void onlyIfMissingStillReplacesAValueByAnObjectAsTheClientDoes() throws Exception {
        TestPage page = TestPage.of("<body data-signals='{\"user\":\"Ana\"}'></body>");
        page.apply(PatchSignals.builder().json("{\"user\":{\"name\":\"Ben\"}}").onlyIfMissing(true).build());
        assertEquals(json("{\"user\":{\"name\":\"Ben\"}}"), page.signals());
    }

    @Test
    void emptyObjectsAndLocalSignalsStayOutOfRequests() throws Exception {
        TestPage page = TestPage.of("<body data-signals='{\"a\":1,\"_local\":2,\"b\":{\"_c\":3},\"d\":{}}'></body>");
        assertEquals(json("{\"a\":1}"), page.requestSignals());
        page.signal("d").isEqualTo(Map.of()); // kept in the page, as the client keeps it
    }

    @Test
    void dataSignalsFormsOfThe10Client() throws Exception {
        TestPage page = TestPage.of("<div data-signals='{\"a\":1, nested: {b: \"x\"}}'>"
                + "<span data-signals:message-text=\"'hi'\"></span>"
                + "<span data-signals:foo=\"1\"></span>"
                + "<span data-signals:user.first-name='\"Ana\"'></span>"
                + "<span data-signals:a__ifmissing=\"2\"></span>"
                + "<span data-signals:camelCase=\"true\"></span></div>");
        // HTML lowercases attribute names: data-signals:camelCase names the signal "camelcase", as in the browser
        assertEquals(json("{\"a\":1,\"nested\":{\"b\":\"x\"},\"messageText\":\"hi\",\"foo\":1,"
                + "\"user\":{\"firstName\":\"Ana\"},\"camelcase\":true}"), page.signals());
    }

    @Test
    void aDataSignalsExpressionTheKitCannotEvaluateFails() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> TestPage.of("<div data-signals:total=\"$a + $b\"></div>"));
        assertContains(e, "it does not evaluate JavaScript");
    }

    @Test
    void setSignalSimulatesTypingAndLocalSignalsStayOutOfRequests() throws Exception {
        TestPage page = TestPage.of("<body data-signals='{\"_draft\":1,\"form\":{\"_open\":true,\"name\":\"\"}}'></body>");
        page.setSignal("form.name", "Ana").setSignal("messageText", "hello");
        assertEquals(json("{\"form\":{\"name\":\"Ana\"},\"messageText\":\"hello\"}"), page.requestSignals());
        page.signal("_draft").isEqualTo(1); // still on the page
    }

    @Test
    void signalAssertionsCompareNumbersByValueAndFailReadably() {
        TestPage page = TestPage.blank();
        page.apply(PatchSignals.of(Map.of("count", 3, "ratio", 1.5, "ok", true, "user", Map.of("name", "Ana"))));
        page.signal("count").isEqualTo(3).isEqualTo(3L).isEqualTo(3.0).exists();
        page.signal("ratio").isEqualTo(1.5);
        page.signal("ok").isTrue();
        page.signal("user").isEqualTo(Map.of("name", "Ana"));
        page.signal("missing").isMissing();

        AssertionError e = assertThrows(AssertionError.class, () -> page.signal("count").isEqualTo(4));
        assertContains(e, "expected signal 'count' to be 4 but it is 3");
        assertContains(e, "signals: {");
        assertContains(assertThrows(AssertionError.class, () -> page.signal("ok").isFalse()),
                "expected signal 'ok' to be false but it is true");
        assertContains(assertThrows(AssertionError.class, () -> page.signal("count").isTrue()),
                "to be true but it is 3");
        assertContains(assertThrows(AssertionError.class, () -> page.signal("user.name").isMissing()),
                "expected signal 'user.name' to be missing but it is \"Ana\"");
        assertContains(assertThrows(AssertionError.class, () -> page.signal("nope").exists()),
                "expected signal 'nope' to exist but it is missing");
    }
}
