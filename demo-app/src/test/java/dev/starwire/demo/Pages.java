package dev.starwire.demo;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.test.TestPage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;

/** Reads a page the way a user acts on it: the URL behind a button's Datastar action. */
final class Pages {
    private static final Pattern ACTION = Pattern.compile("@(get|post)\\('([^']+)'\\)");

    private Pages() {
    }

    /** The URL of the {@code @get}/{@code @post} action in {@code attribute} of the first {@code selector} match. */
    static String actionUrl(TestPage page, String selector, String attribute) {
        Element el = page.select(selector).first();
        assertNotNull(el, "no element matches " + selector);
        Matcher m = ACTION.matcher(el.attr(attribute));
        assertTrue(m.find(), selector + " has no Datastar action in " + attribute + ": " + el.attr(attribute));
        return m.group(2);
    }
}
