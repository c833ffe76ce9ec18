package dev.starwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FragmentCheckTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty(DevMode.FRAGMENT_CHECKS_PROPERTY);
        System.clearProperty(DevMode.PROPERTY);
    }

    @Test
    void elementsWithIdsPass() {
        assertEquals(List.of(), FragmentCheck.elementsWithoutId(
                "<div id=\"a\"><p>inner needs none</p></div>\n<span ID='b'>x</span> <input id=c>"));
    }

    @Test
    void namesEachTopLevelElementWithoutId() {
        assertEquals(List.of("top-level element #2 <li class=\"item\"> has no id",
                        "top-level element #3 <p> has no id"),
                FragmentCheck.elementsWithoutId("<li id=\"x\">1</li><li class=\"item\">2</li><p>3</p>"));
    }

    @Test
    void emptyIdCountsAsMissing() {
        assertEquals(List.of("top-level element #1 <div id=\"\"> has no id"),
                FragmentCheck.elementsWithoutId("<div id=\"\"></div>"));
    }

    @Test
    void idInsideAnotherAttributeValueDoesNotCount() {
        assertEquals(List.of("top-level element #1 <div title=\"id=x\" data-id=\"y\"> has no id"),
                FragmentCheck.elementsWithoutId("<div title=\"id=x\" data-id=\"y\">z</div>"));
    }

    @Test
    void commentsScriptsVoidAndSelfClosingElementsAreUnderstood() {
        String html = "<!-- <p>not an element</p> --><br id=\"b\"><img src=\"x.png\">"
                + "<script id=\"s\">if (a < b) { document.write('<div>'); }</script>"
                + "<circle id=\"c\" r=\"4\"/><rect width=\"2\"/>"
                + "<div id=\"d\"><p>unclosed<p>also</div><span>last</span>";
        assertEquals(List.of("top-level element #2 <img src=\"x.png\"> has no id",
                        "top-level element #5 <rect width=\"2\"/> has no id",
                        "top-level element #7 <span> has no id"),
                FragmentCheck.elementsWithoutId(html));
    }

    @Test
    void quotedGreaterThanDoesNotEndTheTag() {
        assertEquals(List.of(), FragmentCheck.elementsWithoutId(
                "<button data-on:click=\"$a > 1 && @post('/x')\" id=\"go\">Go</button>"));
    }

    @Test
    void longTagsAreShortenedInTheMessage() {
        String tag = "<div class=\"" + "x".repeat(200) + "\">";
        String problem = FragmentCheck.elementsWithoutId(tag + "</div>").get(0);
        assertTrue(problem.length() < 130, problem);
        assertTrue(problem.startsWith("top-level element #1 <div class=\"xxx"), problem);
    }

    @Test
    void requireIdsRejectsAPatchWithoutSelectorNamingTheElement() {
        Component fragment = out -> out.writeContent("<div id=\"ok\"></div>\n<section class=\"news\">x</section>");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FragmentCheck.requireIds(PatchElements.of(fragment)));
        assertEquals("patch-elements without a selector: top-level element #2 <section class=\"news\"> has no id"
                + " (the client matches top-level elements by id: add an id, or give the patch a selector)",
                e.getMessage());
    }

    @Test
    void aSelectorOrARemovalNeedsNoIds() {
        PatchElements withSelector = PatchElements.builder().selector("#list").mode(ElementPatchMode.APPEND)
                .elements("<li>x</li>").build();
        assertSame(withSelector, FragmentCheck.requireIds(withSelector));
        PatchElements removal = PatchElements.remove("#toast");
        assertSame(removal, FragmentCheck.requireIds(removal));
    }

    @Test
    void checkIfEnabledFollowsTheSwitch() {
        PatchElements bad = PatchElements.of("<p>no id</p>");
        System.setProperty(DevMode.FRAGMENT_CHECKS_PROPERTY, "false");
        assertSame(bad, FragmentCheck.checkIfEnabled(bad));
        System.setProperty(DevMode.FRAGMENT_CHECKS_PROPERTY, "true");
        assertThrows(IllegalArgumentException.class, () -> FragmentCheck.checkIfEnabled(bad));
        PatchSignals signals = PatchSignals.ofJson("{\"a\":1}");
        assertSame(signals, FragmentCheck.checkIfEnabled(signals));
    }

    @Test
    void fragmentChecksAreOnUnderJUnitByDefault() {
        assertTrue(DevMode.fragmentChecks());
        assertThrows(IllegalArgumentException.class,
                () -> FragmentCheck.checkIfEnabled(PatchElements.of("<p>no id</p>")));
    }

    @Test
    void devModeReadsTheSystemProperty() {
        System.setProperty(DevMode.PROPERTY, "true");
        assertTrue(DevMode.enabled());
        System.setProperty(DevMode.PROPERTY, "false");
        assertEquals(false, DevMode.enabled());
        System.setProperty(DevMode.PROPERTY, "1");
        assertTrue(DevMode.enabled());
    }
}
