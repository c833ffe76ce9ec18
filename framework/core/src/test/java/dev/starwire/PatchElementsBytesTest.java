package dev.starwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The exact bytes of {@code datastar-patch-elements} for every option and its default. */
class PatchElementsBytesTest {
    private static final String EVENT = "event: datastar-patch-elements\n";
    private static final String DIV = "<div id=\"a\">x</div>";

    static String frame(DatastarEvent e) {
        return new String(SseWriter.encode(e), StandardCharsets.UTF_8);
    }

    @Test
    void defaultsWriteOnlyTheEventTypeAndTheElements() {
        assertEquals(EVENT + "data: elements " + DIV + "\n\n", frame(PatchElements.of(DIV)));
    }

    @Test
    void aComponentIsRenderedIntoTheSameBytesAsItsHtml() {
        Component c = out -> {
            out.writeContent("<div id=\"a\">");
            out.writeContent("x");
            out.writeContent("</div>");
        };
        assertEquals(EVENT + "data: elements " + DIV + "\n\n", frame(PatchElements.of(c)));
    }

    @Test
    void outerModeIsTheDefaultAndNeverWritten() {
        PatchElements explicit = PatchElements.builder().elements(DIV).mode(ElementPatchMode.OUTER).build();
        assertEquals(EVENT + "data: elements " + DIV + "\n\n", frame(explicit));
    }

    @ParameterizedTest
    @CsvSource({"INNER,inner", "REPLACE,replace", "PREPEND,prepend", "APPEND,append", "BEFORE,before",
            "AFTER,after", "REMOVE,remove"})
    void everyOtherModeIsWrittenByItsWireName(ElementPatchMode mode, String wire) {
        PatchElements e = PatchElements.builder().selector("#t").mode(mode).elements(DIV).build();
        assertEquals(EVENT + "data: selector #t\ndata: mode " + wire + "\ndata: elements " + DIV + "\n\n",
                frame(e));
        assertEquals(mode, ElementPatchMode.fromWire(wire));
    }

    @Test
    void eightModesExist() {
        assertEquals(8, ElementPatchMode.values().length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ElementPatchMode.fromWire("merge"));
        assertTrue(e.getMessage().contains("merge"), e.getMessage());
    }

    @Test
    void selectorIsWrittenVerbatim() {
        PatchElements e = PatchElements.builder().selector("#list > li[data-x=\"1\"]").elements(DIV).build();
        assertEquals(EVENT + "data: selector #list > li[data-x=\"1\"]\ndata: elements " + DIV + "\n\n", frame(e));
    }

    @Test
    void viewTransitionIsWrittenOnlyWhenTrue() {
        assertEquals(EVENT + "data: useViewTransition true\ndata: elements " + DIV + "\n\n",
                frame(PatchElements.builder().elements(DIV).useViewTransition(true).build()));
        assertEquals(EVENT + "data: elements " + DIV + "\n\n",
                frame(PatchElements.builder().elements(DIV).useViewTransition(false).build()));
    }

    @Test
    void namespacesSvgAndMathmlAreWrittenAndHtmlIsNot() {
        String circle = "<circle id=\"dot\" r=\"4\"/>";
        assertEquals(EVENT + "data: namespace svg\ndata: elements " + circle + "\n\n",
                frame(PatchElements.builder().elements(circle).namespace(Namespace.SVG).build()));
        assertEquals(EVENT + "data: namespace mathml\ndata: elements <mi id=\"m\">x</mi>\n\n",
                frame(PatchElements.builder().elements("<mi id=\"m\">x</mi>").namespace(Namespace.MATHML).build()));
        assertEquals(EVENT + "data: elements " + circle + "\n\n",
                frame(PatchElements.builder().elements(circle).namespace(Namespace.HTML).build()));
        assertEquals(Namespace.SVG, Namespace.fromWire("svg"));
        assertThrows(IllegalArgumentException.class, () -> Namespace.fromWire("xml"));
    }

    @Test
    void eventIdIsWrittenRightAfterTheEventType() {
        assertEquals(EVENT + "id: msg-42\ndata: elements " + DIV + "\n\n",
                frame(PatchElements.builder().elements(DIV).eventId("msg-42").build()));
    }

    @Test
    void retryIsWrittenUnlessItIsTheDefaultOf1000() {
        assertEquals(EVENT + "retry: 2500\ndata: elements " + DIV + "\n\n",
                frame(PatchElements.builder().elements(DIV).retryMillis(2500).build()));
        assertEquals(EVENT + "retry: 0\ndata: elements " + DIV + "\n\n",
                frame(PatchElements.builder().elements(DIV).retry(Duration.ZERO).build()));
        assertEquals(EVENT + "retry: 3000\ndata: elements " + DIV + "\n\n",
                frame(PatchElements.builder().elements(DIV).retry(Duration.ofSeconds(3)).build()));
        assertEquals(EVENT + "data: elements " + DIV + "\n\n",
                frame(PatchElements.builder().elements(DIV).retryMillis(1000).build()));
        assertEquals(EVENT + "data: elements " + DIV + "\n\n",
                frame(PatchElements.builder().elements(DIV).retry(Duration.ofMillis(1000)).build()));
        assertThrows(IllegalArgumentException.class, () -> PatchElements.builder().retryMillis(-1));
    }

    @Test
    void everyOptionTogetherComesInProtocolOrder() {
        PatchElements e = PatchElements.builder()
                .elements("<g id=\"a\">\n<g id=\"b\"></g>\n</g>")
                .selector("#chart")
                .mode(ElementPatchMode.INNER)
                .useViewTransition(true)
                .namespace(Namespace.SVG)
                .eventId("7")
                .retryMillis(500)
                .build();
        assertEquals(EVENT
                + "id: 7\n"
                + "retry: 500\n"
                + "data: selector #chart\n"
                + "data: mode inner\n"
                + "data: useViewTransition true\n"
                + "data: namespace svg\n"
                + "data: elements <g id=\"a\">\n"
                + "data: elements <g id=\"b\"></g>\n"
                + "data: elements </g>\n"
                + "\n", frame(e));
    }

    @Test
    void removeNeedsNoElements() {
        assertEquals(EVENT + "data: selector #toast\ndata: mode remove\n\n", frame(PatchElements.remove("#toast")));
        PatchElements withId = PatchElements.builder().selector("#toast").mode(ElementPatchMode.REMOVE)
                .eventId("9").build();
        assertEquals(EVENT + "id: 9\ndata: selector #toast\ndata: mode remove\n\n", frame(withId));
    }

    @Test
    void elementsAreRequiredExceptForARemovalBySelector() {
        assertThrows(IllegalArgumentException.class, () -> PatchElements.builder().build());
        assertThrows(IllegalArgumentException.class,
                () -> PatchElements.builder().mode(ElementPatchMode.REMOVE).build());
        assertThrows(IllegalArgumentException.class,
                () -> PatchElements.builder().selector("#x").mode(ElementPatchMode.INNER).build());
    }

    @Test
    void everyLineBreakKindStartsANewDataLine() {
        assertEquals(EVENT + "data: elements a\ndata: elements b\ndata: elements c\ndata: elements d\n\n",
                frame(PatchElements.of("a\nb\r\nc\rd")));
    }

    @Test
    void emptyLinesLeadingAndTrailingBreaksAreKept() {
        assertEquals(EVENT + "data: elements \ndata: elements a\ndata: elements \ndata: elements \n\n",
                frame(PatchElements.of("\na\n\r\n")));
        assertEquals(EVENT + "data: elements \ndata: elements \ndata: elements x\n\n", frame(PatchElements.of("\r\rx")));
    }

    @Test
    void leadingSpacesOfALineArePreserved() {
        assertEquals(EVENT + "data: elements <ul id=\"l\">\ndata: elements   <li>1</li>\ndata: elements </ul>\n\n",
                frame(PatchElements.of("<ul id=\"l\">\n  <li>1</li>\n</ul>")));
    }

    @Test
    void nonAsciiIsUtf8AndUnicodeLineSeparatorsAreNotBreaks() {
        byte[] bytes = SseWriter.encode(PatchElements.of("<p id=\"p\">é € 😀 \u2028 \u0085</p>"));
        assertEquals(EVENT + "data: elements <p id=\"p\">é € 😀 \u2028 \u0085</p>\n\n",
                new String(bytes, StandardCharsets.UTF_8));
        assertEquals(("data: elements <p id=\"p\">é € 😀 \u2028 \u0085</p>").getBytes(StandardCharsets.UTF_8).length
                + EVENT.length() + 2, bytes.length);
    }

    @Test
    void aComponentSplittingCrLfAcrossWritesMakesOneBreak() {
        Component c = out -> {
            out.writeContent("<p id=\"a\">1</p>\r");
            out.writeContent("\n<p id=\"b\">2</p>");
        };
        assertEquals(EVENT + "data: elements <p id=\"a\">1</p>\ndata: elements <p id=\"b\">2</p>\n\n",
                frame(PatchElements.of(c)));
    }

    @Test
    void aComponentSplittingASurrogatePairAcrossWritesKeepsTheCharacter() {
        String smile = "😀";
        Component c = out -> {
            out.writeContent("<p id=\"a\">" + smile.charAt(0));
            out.writeContent(smile.charAt(1) + "</p>");
        };
        assertEquals(EVENT + "data: elements <p id=\"a\">😀</p>\n\n", frame(PatchElements.of(c)));
    }

    @Test
    void aLoneSurrogateIsWrittenAsQuestionMarkLikeStringGetBytes() {
        String lone = "<p id=\"a\">\uD83D</p>";
        assertEquals(EVENT + "data: elements <p id=\"a\">?</p>\n\n", frame(PatchElements.of(lone)));
        Component endsWithHigh = out -> {
            out.writeContent("<p id=\"a\">\uD83D");
            out.writeContent("\n");
        };
        assertEquals(EVENT + "data: elements <p id=\"a\">?\ndata: elements \n\n", frame(PatchElements.of(endsWithHigh)));
        Component lastCharHigh = out -> out.writeContent("x\uD83D");
        assertEquals(EVENT + "data: elements x?\n\n", frame(PatchElements.of(lastCharHigh)));
    }

    @Test
    void binaryContentOfPrecompiledTemplatesIsSplitToo() {
        Component c = out -> {
            out.writeBinaryContent("<ul id=\"l\">\r\n".getBytes(StandardCharsets.UTF_8));
            out.writeContent("  <li>é</li>");
            out.writeBinaryContent("\n</ul>".getBytes(StandardCharsets.UTF_8));
        };
        assertEquals(EVENT + "data: elements <ul id=\"l\">\ndata: elements   <li>é</li>\ndata: elements </ul>\n\n",
                frame(PatchElements.of(c)));
    }

    @Test
    void userContentIsNotEscapedByAPlainComponentButStillSplit() {
        // only jte templates (HtmlTemplateOutput) escape; a hand-written Component must escape user text itself
        Component c = out -> {
            out.writeContent("<p id=\"m\">");
            out.writeUserContent("<b>hi</b>\r\nevent: x");
            out.writeContent("</p>");
        };
        assertEquals(EVENT + "data: elements <p id=\"m\"><b>hi</b>\ndata: elements event: x</p>\n\n",
                frame(PatchElements.of(c)));
    }

    @Test
    void elementsHtmlRendersTheContent() {
        assertEquals("a\nb", PatchElements.of(out -> out.writeContent("a\nb")).elementsHtml());
        assertEquals("", PatchElements.remove("#x").elementsHtml());
    }

    @Test
    void toBuilderDerivesAChangedCopyAndLeavesTheOriginal() {
        PatchElements base = PatchElements.builder().elements(DIV).selector("#a").eventId("1").build();
        PatchElements changed = base.toBuilder().mode(ElementPatchMode.APPEND).build();
        assertEquals(EVENT + "id: 1\ndata: selector #a\ndata: elements " + DIV + "\n\n", frame(base));
        assertEquals(EVENT + "id: 1\ndata: selector #a\ndata: mode append\ndata: elements " + DIV + "\n\n",
                frame(changed));
    }

    @Test
    void viewTransitionSelectorIsWrittenAfterUseViewTransition() {
        PatchElements e = PatchElements.builder().elements(DIV).selector("#a").useViewTransition(true)
                .viewTransitionSelector("#list").namespace(Namespace.SVG).build();
        assertEquals(EVENT + "data: selector #a\ndata: useViewTransition true\ndata: viewTransitionSelector #list\n"
                + "data: namespace svg\ndata: elements " + DIV + "\n\n", frame(e));
        assertEquals("#list", e.viewTransitionSelector().orElseThrow());
        assertEquals(frame(e), frame(e.toBuilder().build()));
        assertTrue(PatchElements.of(DIV).viewTransitionSelector().isEmpty());
        assertThrows(IllegalArgumentException.class,
                () -> PatchElements.builder().viewTransitionSelector("#a\r#b"));
    }

    @ParameterizedTest
    @CsvSource({"append", "prepend", "inner", "outer", "replace", "before", "after"})
    void shortFormsTakeASelectorAndHtmlOrAComponent(String mode) {
        String modeLine = mode.equals("outer") ? "" : "data: mode " + mode + "\n";
        String expected = EVENT + "data: selector #list\n" + modeLine + "data: elements <li>1</li>\n\n";
        Component li = out -> out.writeContent("<li>1</li>");
        PatchElements fromHtml;
        PatchElements fromComponent;
        switch (mode) {
            case "append": fromHtml = PatchElements.append("#list", "<li>1</li>");
                fromComponent = PatchElements.append("#list", li); break;
            case "prepend": fromHtml = PatchElements.prepend("#list", "<li>1</li>");
                fromComponent = PatchElements.prepend("#list", li); break;
            case "inner": fromHtml = PatchElements.inner("#list", "<li>1</li>");
                fromComponent = PatchElements.inner("#list", li); break;
            case "outer": fromHtml = PatchElements.outer("#list", "<li>1</li>");
                fromComponent = PatchElements.outer("#list", li); break;
            case "replace": fromHtml = PatchElements.replace("#list", "<li>1</li>");
                fromComponent = PatchElements.replace("#list", li); break;
            case "before": fromHtml = PatchElements.before("#list", "<li>1</li>");
                fromComponent = PatchElements.before("#list", li); break;
            default: fromHtml = PatchElements.after("#list", "<li>1</li>");
                fromComponent = PatchElements.after("#list", li); break;
        }
        assertEquals(expected, frame(fromHtml));
        assertEquals(expected, frame(fromComponent));
        assertEquals(ElementPatchMode.fromWire(mode), fromHtml.mode());
    }

    @Test
    void shortFormsComposeWithAnEscapedIdSelector() {
        assertEquals(EVENT + "data: selector #\\31 st\ndata: mode append\ndata: elements <li>1</li>\n\n",
                frame(PatchElements.append(Selector.id("1st"), "<li>1</li>")));
    }

    @Test
    void emptyOrBlankElementsAreRefusedOutsideRemove() {
        for (String blank : new String[] {"", " ", "\n", " \r\n\t "}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PatchElements.of(blank));
            assertTrue(e.getMessage().startsWith("elements must not be empty or blank"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> PatchElements.inner("#list", blank));
        }
        // a removal by id may carry the element to remove; a removal by selector needs none
        assertEquals(EVENT + "data: selector #x\ndata: mode remove\ndata: elements  \n\n",
                frame(PatchElements.builder().selector("#x").mode(ElementPatchMode.REMOVE).elements(" ").build()));
    }

    @Test
    void aComponentRenderingNothingIsRefusedWhenWrittenAndNothingIsWritten() throws java.io.IOException {
        Component nothing = out -> out.writeContent(" \n ");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        SseWriter writer = new SseWriter(out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> writer.write(PatchElements.inner("#list", nothing)));
        assertTrue(e.getMessage().startsWith("a component rendered no HTML"), e.getMessage());
        writer.write(PatchElements.of(DIV)).flush();
        assertEquals(EVENT + "data: elements " + DIV + "\n\n", out.toString(StandardCharsets.UTF_8));
        Component binaryBlank = o -> o.writeBinaryContent(" \t".getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> SseWriter.encode(PatchElements.inner("#l", binaryBlank)));
        Component emoji = o -> o.writeContent("😀");
        assertEquals(EVENT + "data: selector #l\ndata: mode inner\ndata: elements 😀\n\n",
                frame(PatchElements.inner("#l", emoji)));
    }
}
