package ${package};

/** The signals the greet action reads: the page's {@code name}, bound to its input. */
public record Greet(String name) {
    /** The name to greet: trimmed, or "stranger" when empty. */
    String who() {
        return name == null || name.isBlank() ? "stranger" : name.strip();
    }
}
