package dev.starwire;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks the rule of a {@code patch-elements} event without a selector: the client matches every top-level
 * element by its {@code id}, so an element without one is silently dropped. Rendering the fragment twice
 * costs time, so stream layers call {@link #checkIfEnabled} (on in tests and dev mode, see
 * {@link DevMode#fragmentChecks()}); {@link #requireIds} always checks.
 *
 * <pre>{@code
 * FragmentCheck.requireIds(PatchElements.of("<li>no id</li>"));
 * // IllegalArgumentException: patch-elements without a selector: top-level element #1 <li> has no id ...
 * }</pre>
 *
 * <p>The scan is a small HTML tokenizer, not a full parser: it understands comments, quoted attributes,
 * void and self-closing elements and raw-text elements ({@code script}, {@code style}, ...), which is what
 * matters to find the top-level elements of a fragment.
 */
public final class FragmentCheck {
    private static final Set<String> VOID = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input",
            "link", "meta", "param", "source", "track", "wbr");
    private static final Set<String> RAW_TEXT = Set.of("script", "style", "textarea", "title", "xmp", "iframe",
            "noembed", "noframes", "plaintext");
    private static final int MAX_TAG_IN_MESSAGE = 80;

    private FragmentCheck() {
    }

    /**
     * Checks {@code event} when {@link DevMode#fragmentChecks()} is on and it is a {@link PatchElements};
     * returns it unchanged otherwise.
     *
     * @throws IllegalArgumentException as {@link #requireIds}
     */
    public static <E extends DatastarEvent> E checkIfEnabled(E event) {
        if (event instanceof PatchElements && DevMode.fragmentChecks()) {
            requireIds((PatchElements) event);
        }
        return event;
    }

    /**
     * Returns {@code patch} if it has a selector, has no elements, or every top-level element has a non-empty
     * {@code id}.
     *
     * @throws IllegalArgumentException naming the first top-level elements without an id
     */
    public static PatchElements requireIds(PatchElements patch) {
        if (patch.selector().isPresent() || patch.elements().isEmpty()) {
            return patch;
        }
        List<String> missing = elementsWithoutId(patch.elementsHtml());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("patch-elements without a selector: " + String.join("; ", missing)
                    + " (the client matches top-level elements by id: add an id, or give the patch a selector)");
        }
        return patch;
    }

    /**
     * Describes each top-level element of {@code html} that lacks a non-empty {@code id}, e.g.
     * {@code "top-level element #2 <li class=\"x\"> has no id"}; empty when the fragment follows the rule.
     */
    static List<String> elementsWithoutId(String html) {
        List<String> problems = new ArrayList<>();
        List<String> open = new ArrayList<>();
        int topLevel = 0;
        int n = html.length();
        int i = 0;
        while (i < n) {
            int lt = html.indexOf('<', i);
            if (lt < 0 || lt + 1 >= n) {
                break;
            }
            char next = html.charAt(lt + 1);
            if (html.startsWith("<!--", lt)) {
                int end = html.indexOf("-->", lt + 4);
                i = end < 0 ? n : end + 3;
            } else if (next == '!' || next == '?') {
                int end = html.indexOf('>', lt);
                i = end < 0 ? n : end + 1;
            } else if (next == '/') {
                int nameEnd = nameEnd(html, lt + 2);
                String name = html.substring(lt + 2, nameEnd).toLowerCase(Locale.ROOT);
                int idx = open.lastIndexOf(name);
                if (idx >= 0) {
                    open.subList(idx, open.size()).clear(); // also closes elements left open inside it
                }
                int end = html.indexOf('>', nameEnd);
                i = end < 0 ? n : end + 1;
            } else if (isAsciiLetter(next)) {
                Tag tag = readTag(html, lt);
                if (open.isEmpty()) {
                    topLevel++;
                    if (!tag.hasId) {
                        problems.add("top-level element #" + topLevel + " " + shorten(html.substring(lt, tag.end))
                                + " has no id");
                    }
                }
                i = tag.end;
                if (RAW_TEXT.contains(tag.name) && !tag.selfClosing) {
                    int close = indexOfIgnoreCase(html, "</" + tag.name, i);
                    if (close < 0) {
                        break;
                    }
                    int end = html.indexOf('>', close);
                    i = end < 0 ? n : end + 1;
                } else if (!tag.selfClosing && !VOID.contains(tag.name)) {
                    open.add(tag.name);
                }
            } else {
                i = lt + 1; // a lone '<' in text
            }
        }
        return problems;
    }

    /** A start tag: lower-case name, whether it has a non-empty id, '/>' and the index after '>'. */
    private static final class Tag {
        String name;
        boolean hasId;
        boolean selfClosing;
        int end;
    }

    private static Tag readTag(String s, int lt) {
        Tag tag = new Tag();
        int n = s.length();
        int i = nameEnd(s, lt + 1);
        tag.name = s.substring(lt + 1, i).toLowerCase(Locale.ROOT);
        while (i < n) {
            char c = s.charAt(i);
            if (c == '>') {
                tag.end = i + 1;
                return tag;
            }
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '>') {
                tag.selfClosing = true;
                tag.end = i + 2;
                return tag;
            }
            if (Character.isWhitespace(c) || c == '/') {
                i++;
                continue;
            }
            int nameStart = i;
            while (i < n && !Character.isWhitespace(s.charAt(i)) && "=>/".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String attribute = s.substring(nameStart, i);
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String value = "";
            if (i < n && s.charAt(i) == '=') {
                i++;
                while (i < n && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
                    char quote = s.charAt(i);
                    int close = s.indexOf(quote, i + 1);
                    int valueEnd = close < 0 ? n : close;
                    value = s.substring(i + 1, valueEnd);
                    i = close < 0 ? n : close + 1;
                } else {
                    int valueStart = i;
                    while (i < n && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '>') {
                        i++;
                    }
                    value = s.substring(valueStart, i);
                }
            }
            if (attribute.equalsIgnoreCase("id") && !value.isBlank()) {
                tag.hasId = true;
            }
        }
        tag.end = n;
        return tag;
    }

    private static int nameEnd(String s, int from) {
        int i = from;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '>' && s.charAt(i) != '/') {
            i++;
        }
        return i;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static int indexOfIgnoreCase(String s, String needle, int from) {
        for (int i = from; i + needle.length() <= s.length(); i++) {
            if (s.regionMatches(true, i, needle, 0, needle.length())) {
                return i;
            }
        }
        return -1;
    }

    private static String shorten(String tag) {
        String oneLine = tag.replace('\r', ' ').replace('\n', ' ');
        return oneLine.length() <= MAX_TAG_IN_MESSAGE ? oneLine : oneLine.substring(0, MAX_TAG_IN_MESSAGE - 4) + " ...>";
    }
}
