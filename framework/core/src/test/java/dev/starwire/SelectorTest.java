package dev.starwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Escaped id and class selectors, character by character as {@code CSS.escape()} does. */
class SelectorTest {

    @Test
    void aLeadingDigitBecomesAHexEscapeFollowedByASpace() {
        assertEquals("#\\31 st", Selector.id("1st"));
        assertEquals("#\\39 ", Selector.id("9"));
        assertEquals("#-\\31 a", Selector.id("-1a"));
        assertEquals(".\\33 col", Selector.className("3col"));
    }

    @Test
    void punctuationGetsABackslash() {
        assertEquals("#user\\:42", Selector.id("user:42"));
        assertEquals("#a\\.b", Selector.id("a.b"));
        assertEquals("#a\\ b", Selector.id("a b"));
        assertEquals("#\\#x\\[1\\]\\\"\\'\\>", Selector.id("#x[1]\"'>"));
        assertEquals(".is-active", Selector.className("is-active"));
        assertEquals("#_a-B9", Selector.id("_a-B9"));
    }

    @Test
    void aLoneDashIsEscapedButALeadingDashIsNot() {
        assertEquals("#\\-", Selector.id("-"));
        assertEquals("#--x", Selector.id("--x"));
        assertEquals("#-x", Selector.id("-x"));
    }

    @Test
    void controlCharactersAreHexEscapedSoTheSelectorStaysOnOneLine() {
        assertEquals("#a\\a b\\d c\\7f ", Selector.id("a\nb\rc\u007f"));
        assertEquals("#\uFFFDx", Selector.id("\0x"));
    }

    @Test
    void nonAsciiIsKept() {
        assertEquals("#zoë-😀", Selector.id("zoë-😀"));
        assertEquals("\\31 23", Selector.escape("123"));
    }

    @Test
    void anEmptyIdOrClassIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Selector.id(""));
        assertThrows(IllegalArgumentException.class, () -> Selector.className(""));
        assertThrows(NullPointerException.class, () -> Selector.id(null));
        assertEquals("", Selector.escape(""));
    }
}
