package dev.starwire.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;

/**
 * Fluent assertions on the elements a selector matched, taken when {@link TestPage#assertThat(String)} was
 * called. Failure messages show the matched HTML, or the page body when nothing matched.
 *
 * <pre>{@code
 * page.assertThat("#messages .message").hasSize(2).hasText("hello", "hi there");
 * page.assertThat("#send").hasAttr("data-on:click").doesNotHaveAttr("disabled");
 * page.assertThat("#toast").doesNotExist();
 * }</pre>
 */
public final class ElementsAssert {
    private final String selector;
    private final Elements found;
    private final String body;

    ElementsAssert(String selector, Elements found, String body) {
        this.selector = selector;
        this.found = found;
        this.body = body;
    }

    /** Exactly {@code n} elements match. */
    public ElementsAssert hasSize(int n) {
        if (found.size() != n) {
            throw fail("expected " + n + " element(s) matching '" + selector + "' but found " + found.size());
        }
        return this;
    }

    /** At least one element matches. */
    public ElementsAssert exists() {
        if (found.isEmpty()) {
            throw fail("expected an element matching '" + selector + "' but found none");
        }
        return this;
    }

    /** No element matches. */
    public ElementsAssert doesNotExist() {
        if (!found.isEmpty()) {
            throw fail("expected no element matching '" + selector + "' but found " + found.size());
        }
        return this;
    }

    /** The matched elements' texts (whitespace-normalised, as jsoup's {@code text()}) are exactly these, in order. */
    public ElementsAssert hasText(String... expected) {
        List<String> actual = texts();
        if (!actual.equals(List.of(expected))) {
            throw fail("expected the text(s) of '" + selector + "' to be " + quote(List.of(expected)) + " but were "
                    + quote(actual));
        }
        return this;
    }

    /** The combined text of the matched elements contains {@code part}. */
    public ElementsAssert containsText(String part) {
        exists();
        String all = found.text();
        if (!all.contains(part)) {
            throw fail("expected the text of '" + selector + "' to contain \"" + part + "\" but it is \"" + all + "\"");
        }
        return this;
    }

    /** Every matched element (at least one) has attribute {@code name}. */
    public ElementsAssert hasAttr(String name) {
        exists();
        for (Element e : found) {
            if (!e.hasAttr(name)) {
                throw fail("expected every element matching '" + selector + "' to have attribute '" + name + "'");
            }
        }
        return this;
    }

    /** Every matched element (at least one) has attribute {@code name} with exactly {@code value}. */
    public ElementsAssert hasAttr(String name, String value) {
        exists();
        for (Element e : found) {
            if (!e.hasAttr(name) || !Objects.equals(e.attr(name), value)) {
                throw fail("expected every element matching '" + selector + "' to have " + name + "=\"" + value
                        + "\"" + (e.hasAttr(name) ? ", found \"" + e.attr(name) + "\"" : ", found no such attribute"));
            }
        }
        return this;
    }

    /** No matched element has attribute {@code name} (vacuously true when nothing matches). */
    public ElementsAssert doesNotHaveAttr(String name) {
        for (Element e : found) {
            if (e.hasAttr(name)) {
                throw fail("expected no element matching '" + selector + "' to have attribute '" + name + "'");
            }
        }
        return this;
    }

    /** Every matched element (at least one) has CSS class {@code className}. */
    public ElementsAssert hasClass(String className) {
        exists();
        for (Element e : found) {
            if (!e.hasClass(className)) {
                throw fail("expected every element matching '" + selector + "' to have class '" + className + "'");
            }
        }
        return this;
    }

    /** The matched elements' texts, in document order. */
    public List<String> texts() {
        List<String> t = new ArrayList<>();
        for (Element e : found) {
            t.add(e.text());
        }
        return t;
    }

    /** Copies of the matched elements, for checks of your own. */
    public Elements elements() {
        return found.clone();
    }

    private AssertionError fail(String message) {
        String html = found.isEmpty() ? "page body:\n" + body
                : "matched HTML:\n" + TestPage.shorten(found.outerHtml(), 4000);
        return new AssertionError(message + "\n" + html);
    }

    private static String quote(List<String> texts) {
        List<String> q = new ArrayList<>();
        for (String t : texts) {
            q.add("\"" + t + "\"");
        }
        return q.toString();
    }
}
