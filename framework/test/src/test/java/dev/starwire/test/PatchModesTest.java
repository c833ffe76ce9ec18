package dev.starwire.test;

import static dev.starwire.test.SseParserTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.ElementPatchMode;
import dev.starwire.ExecuteScript;
import dev.starwire.Namespace;
import dev.starwire.PatchElements;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;

class PatchModesTest {

    private static PatchElements.Builder at(String selector, ElementPatchMode mode) {
        return PatchElements.builder().selector(selector).mode(mode);
    }

    @Test
    void outerByIdKeepsTheElementAndReplacesAttributesAndChildren() {
        TestPage page = Fixtures.chat();
        page.apply(PatchElements.of("<header id=\"status\" class=\"online\">online <b>now</b></header>"));
        page.assertThat("#status").hasSize(1).hasText("online now").hasClass("online");
        page.assertThat("header.offline").doesNotExist();
        page.assertThat("body > header + ul#messages").hasSize(1); // same place in the page
    }

    @Test
    void outerBySelectorWithADifferentTagReplacesTheTarget() {
        TestPage page = Fixtures.chat();
        page.apply(at("#status", ElementPatchMode.OUTER).elements("<nav id=\"status\">menu</nav>").build());
        page.assertThat("nav#status").hasText("menu");
        page.assertThat("header").doesNotExist();
    }

    @Test
    void outerAndInnerLeaveIgnoreMorphTargetsAlone() {
        TestPage page = Fixtures.chat();
        page.apply(PatchElements.of("<div id=\"keep\">server text</div>"));
        page.apply(at("#keep", ElementPatchMode.INNER).elements("server text").build());
        page.assertThat("#keep").hasText("typed by the user");
    }

    @Test
    void aMorphKeepsNestedIgnoreMorphElementsWithTheSameId() {
        TestPage page = TestPage.of("<div id=\"panel\"><p>old</p><div id=\"draft\" data-ignore-morph>typed</div></div>");
        page.apply(PatchElements.of("<div id=\"panel\"><p>new</p><div id=\"draft\" data-ignore-morph>server</div></div>"));
        page.assertThat("#panel p").hasText("new");
        page.assertThat("#draft").hasText("typed");
        page.apply(at("#panel", ElementPatchMode.INNER).elements("<div id=\"draft\">server</div><p>inner</p>").build());
        page.assertThat("#draft").hasText("typed");
        page.assertThat("#panel p").hasText("inner");
    }

    @Test
    void innerReplacesChildren() {
        TestPage page = Fixtures.chat();
        page.apply(at("#messages", ElementPatchMode.INNER).elements("<li class=\"message\">only</li>").build());
        page.assertThat("#messages .message").hasSize(1).hasText("only");
        page.assertThat("ul#messages").hasSize(1);
    }

    @Test
    void replaceSwapsTheElement() {
        TestPage page = Fixtures.chat();
        page.apply(at("#m1", ElementPatchMode.REPLACE).elements("<li id=\"m1b\" class=\"message\">new</li>").build());
        page.assertThat("#messages .message").hasText("new", "second");
        page.assertThat("#m1").doesNotExist();
    }

    @Test
    void prependAndAppendInsertAsFirstAndLastChild() {
        TestPage page = Fixtures.chat();
        page.apply(at("#messages", ElementPatchMode.PREPEND).elements("<li class=\"message\">zero</li>").build());
        page.apply(at("#messages", ElementPatchMode.APPEND)
                .elements("<li class=\"message\">third</li>\n<li class=\"message\">fourth</li>").build());
        page.assertThat("#messages .message").hasText("zero", "first", "second", "third", "fourth");
    }

    @Test
    void beforeAndAfterInsertAsSiblingsInOrder() {
        TestPage page = Fixtures.chat();
        page.apply(at("#m2", ElementPatchMode.BEFORE)
                .elements("<li class=\"message\">b1</li><li class=\"message\">b2</li>").build());
        page.apply(at("#m2", ElementPatchMode.AFTER)
                .elements("<li class=\"message\">a1</li><li class=\"message\">a2</li>").build());
        page.assertThat("#messages .message").hasText("first", "b1", "b2", "second", "a1", "a2");
    }

    @Test
    void removeBySelector() {
        TestPage page = Fixtures.chat();
        page.apply(PatchElements.remove("#m1"));
        page.assertThat("#messages .message").hasText("second");
        page.apply(PatchElements.remove(".message"));
        page.assertThat("#messages .message").hasSize(0);
    }

    @Test
    void replaceById() {
        TestPage page = Fixtures.chat();
        page.apply(PatchElements.builder().mode(ElementPatchMode.REPLACE)
                .elements("<li id=\"m2\" class=\"message\">swapped</li>").build());
        page.assertThat("#messages .message").hasText("first", "swapped");
    }

    @Test
    void onlyOuterAndReplaceMatchById() {
        // the client runs querySelectorAll("") for the other modes without a selector, which throws
        TestPage page = Fixtures.chat();
        AssertionError e = assertThrows(AssertionError.class, () -> page.applyStream(
                "event: datastar-patch-elements\ndata: mode remove\ndata: elements <li id=\"m2\"></li>\n\n"));
        assertContains(e, "mode remove needs a selector (the client matches elements by id only in modes outer"
                + " and replace)");
        assertContains(assertThrows(AssertionError.class, () -> page.apply(PatchElements.builder()
                .mode(ElementPatchMode.APPEND).elements("<li id=\"messages\">x</li>").build())),
                "mode append needs a selector");
    }

    @Test
    void documentLevelElementsPatchThePagesOwn() {
        TestPage page = Fixtures.chat();
        page.apply(PatchElements.of("<body class=\"dark\"><main id=\"app\">new page</main></body>"));
        page.assertThat("body").hasClass("dark");
        page.assertThat("body > *").hasSize(1).hasText("new page");
        page.apply(PatchElements.of("<head><title>New</title></head><body><p>x</p></body>"));
        page.assertThat("title").hasText("New");
        page.assertThat("body p").hasText("x");
        // an svg title is not a document-level tag
        page.apply(PatchElements.builder().selector("body").mode(ElementPatchMode.INNER)
                .elements("<svg id=\"icon\"><title>icon</title></svg>").build());
        page.assertThat("body svg title").hasText("icon");
        page.assertThat("head title").hasText("New");
    }

    @Test
    void aSelectorPatchesEveryMatch() {
        TestPage page = Fixtures.chat();
        page.apply(at(".message", ElementPatchMode.APPEND).elements("<i>!</i>").build());
        page.assertThat(".message i").hasSize(2);
    }

    @Test
    void tableRowsSurviveParsing() {
        TestPage page = Fixtures.chat();
        page.apply(at("#rows", ElementPatchMode.APPEND).elements("<tr id=\"r2\"><td>two</td></tr>").build());
        page.apply(PatchElements.of("<tr id=\"r1\"><td>uno</td></tr>"));
        page.assertThat("#rows tr").hasText("uno", "two");
    }

    @Test
    void svgAndMathmlNamespaces() {
        TestPage page = Fixtures.chat();
        page.apply(at("#chart", ElementPatchMode.APPEND).namespace(Namespace.SVG)
                .elements("<rect id=\"bar\" width=\"2\" height=\"3\"/>").build());
        page.apply(PatchElements.builder().namespace(Namespace.SVG).elements("<circle id=\"dot\" r=\"4\"/>").build());
        Element bar = page.select("#bar").first();
        assertEquals(Parser.NamespaceSvg, bar.tag().namespace());
        page.assertThat("#dot").hasAttr("r", "4");
        assertEquals(Parser.NamespaceSvg, page.select("#dot").first().tag().namespace());

        page.apply(at("#formula", ElementPatchMode.INNER).namespace(Namespace.MATHML).elements("<mi>y</mi>").build());
        page.assertThat("#formula mi").hasText("y");
        assertEquals(Parser.NamespaceMathml, page.select("#formula mi").first().tag().namespace());
    }

    @Test
    void scriptsAreRecordedInOrderWithAttributesAndRemoveThemselves() {
        TestPage page = Fixtures.chat();
        page.apply(ExecuteScript.of("console.log(1)"));
        page.apply(ExecuteScript.builder().script("import('/x.js')").attribute("type", "module").nonce("n0nce")
                .autoRemove(false).build());
        List<ReceivedScript> scripts = page.scripts();
        assertEquals(2, scripts.size());
        assertEquals("console.log(1)", scripts.get(0).code());
        assertEquals(Map.of("data-effect", "el.remove()"), scripts.get(0).attributes());
        assertEquals("import('/x.js')", scripts.get(1).code());
        assertEquals(List.of("type", "nonce"), List.copyOf(scripts.get(1).attributes().keySet()));
        assertEquals("module", scripts.get(1).attribute("type"));
        page.assertThat("body > script").hasSize(1).hasAttr("type", "module"); // only the one without autoRemove stays
    }

    @Test
    void insertedElementsWithDataSignalsAddSignals() {
        TestPage page = Fixtures.chat();
        page.apply(at("#messages", ElementPatchMode.APPEND)
                .elements("<li data-signals:unread-count=\"2\">x</li>").build());
        page.signal("unreadCount").isEqualTo(2);
    }

    // ---- targets the client cannot find ----

    @Test
    void aSelectorMatchingNothingFailsNamingIt() {
        TestPage page = Fixtures.chat();
        AssertionError e = assertThrows(AssertionError.class, () -> page.apply(
                at("#chat-log", ElementPatchMode.APPEND).elements("<p>x</p>").build()));
        assertContains(e, "no element matches selector '#chat-log' (mode append)");
        assertContains(e, "<ul id=\"messages\">"); // shows the page
    }

    @Test
    void anIdMissingFromThePageFailsNamingIt() {
        TestPage page = Fixtures.chat();
        AssertionError e = assertThrows(AssertionError.class, () -> page.apply(PatchElements.of("<p id=\"clock\">12:00</p>")));
        assertContains(e, "no element with id 'clock' on the page");
    }

    @Test
    void anElementWithoutIdAndWithoutSelectorFails() {
        TestPage page = Fixtures.chat();
        AssertionError e = assertThrows(AssertionError.class, () -> page.apply(PatchElements.of("<div>Merge</div>")));
        assertContains(e, "element <div>Merge</div> has no id and the event has no selector");
    }

    @Test
    void anInvalidSelectorFails() {
        TestPage page = Fixtures.chat();
        assertContains(assertThrows(AssertionError.class, () -> page.apply(
                at("#a[", ElementPatchMode.INNER).elements("x").build())), "invalid selector '#a['");
    }

    @Test
    void theFailedEventIsNotRecorded() {
        TestPage page = Fixtures.chat();
        assertThrows(AssertionError.class, () -> page.apply(PatchElements.of("<p id=\"nope\"></p>")));
        assertTrue(page.events().isEmpty());
    }
}
