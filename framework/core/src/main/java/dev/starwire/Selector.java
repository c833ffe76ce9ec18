package dev.starwire;

import java.util.Objects;

/**
 * Builds CSS selectors from ids and class names that come from data, escaped the way the browser's
 * {@code CSS.escape()} does (CSSOM "serialize an identifier"). An id such as {@code 1st} or {@code a.b} is a
 * valid HTML id but not a valid selector as {@code "#" + id}: the browser's {@code querySelector} throws on
 * {@code #1st} and reads {@code #a.b} as an id plus a class.
 *
 * <pre>{@code
 * Selector.id("1st")                          // #\31 st
 * Selector.id("user:42")                      // #user\:42
 * Selector.className("is-active")             // .is-active
 * Selector.id(listId) + " > li"               // a plain String: compose freely
 * PatchElements.inner(Selector.id(userId), badge);
 * }</pre>
 *
 * <p>The results are single-line strings: a line break in the input is escaped as {@code \a }.
 */
public final class Selector {
    private Selector() {
    }

    /**
     * The selector of the element whose {@code id} is {@code id}: {@code "#" + escape(id)}.
     *
     * @throws IllegalArgumentException for an empty id
     */
    public static String id(String id) {
        return "#" + escape(requireNonEmpty("id", id));
    }

    /**
     * The selector of the elements with class {@code name}: {@code "." + escape(name)}.
     *
     * @throws IllegalArgumentException for an empty class name
     */
    public static String className(String name) {
        return "." + escape(requireNonEmpty("class name", name));
    }

    /**
     * Escapes {@code identifier} for use in a CSS selector, exactly as {@code CSS.escape()} does: NUL becomes
     * U+FFFD; control characters, and a digit at the start (or after a leading {@code -}), become a
     * hexadecimal escape followed by a space; a lone {@code -} and every other ASCII character that is not a
     * letter, a digit, {@code -} or {@code _} get a backslash; everything else is kept.
     */
    public static String escape(String identifier) {
        Objects.requireNonNull(identifier, "identifier");
        int n = identifier.length();
        StringBuilder out = new StringBuilder(n + 8);
        for (int i = 0; i < n; i++) {
            char c = identifier.charAt(i);
            if (c == 0) {
                out.append('\uFFFD');
            } else if (c <= 0x1F || c == 0x7F
                    || (i == 0 && isDigit(c))
                    || (i == 1 && isDigit(c) && identifier.charAt(0) == '-')) {
                out.append('\\').append(Integer.toHexString(c)).append(' ');
            } else if (i == 0 && c == '-' && n == 1) {
                out.append("\\-");
            } else if (c >= 0x80 || c == '-' || c == '_' || isDigit(c) || (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')) {
                out.append(c);
            } else {
                out.append('\\').append(c);
            }
        }
        return out.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String requireNonEmpty(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }
}
