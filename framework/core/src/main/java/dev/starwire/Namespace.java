package dev.starwire;

import java.util.Locale;

/**
 * The namespace patched elements are created in: plain HTML, or foreign SVG / MathML content.
 *
 * <pre>{@code
 * PatchElements.builder().elements("<circle id=\"dot\" r=\"4\"/>").namespace(Namespace.SVG).build();
 * }</pre>
 */
public enum Namespace {
    /** Ordinary HTML (the default, never written on the wire). */
    HTML,
    /** SVG elements. */
    SVG,
    /** MathML elements. */
    MATHML;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The name the client reads on the wire, e.g. {@code "svg"}. */
    public String wireName() {
        return wire;
    }

    /**
     * Parses a wire name such as {@code "svg"}.
     *
     * @throws IllegalArgumentException for anything but html, svg or mathml
     */
    public static Namespace fromWire(String name) {
        for (Namespace n : values()) {
            if (n.wire.equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown namespace '" + name + "' (expected html, svg or mathml)");
    }
}
