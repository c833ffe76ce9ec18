package dev.starwire;

import java.util.Locale;

/**
 * How a {@code datastar-patch-elements} event applies its elements to the page.
 *
 * <pre>{@code
 * PatchElements.builder().selector("#messages").mode(ElementPatchMode.APPEND).elements(html).build();
 * }</pre>
 */
public enum ElementPatchMode {
    /** Morph the whole target element (the default; keeps focus and state). */
    OUTER,
    /** Morph the target's children. */
    INNER,
    /** Swap the target element without morphing. */
    REPLACE,
    /** Insert as the target's first child. */
    PREPEND,
    /** Insert as the target's last child. */
    APPEND,
    /** Insert as the target's previous sibling. */
    BEFORE,
    /** Insert as the target's next sibling. */
    AFTER,
    /** Delete the target. */
    REMOVE;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The name the client reads on the wire, e.g. {@code "append"}. */
    public String wireName() {
        return wire;
    }

    /**
     * Parses a wire name such as {@code "inner"}.
     *
     * @throws IllegalArgumentException for a name that is not one of the eight modes
     */
    public static ElementPatchMode fromWire(String name) {
        for (ElementPatchMode m : values()) {
            if (m.wire.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown patch mode '" + name
                + "' (expected outer, inner, replace, prepend, append, before, after or remove)");
    }
}
