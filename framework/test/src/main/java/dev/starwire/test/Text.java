package dev.starwire.test;

/** How the kit quotes HTML, JSON and events in its failure messages: whole when short, cut when long. */
final class Text {
    private Text() {
    }

    /** {@code s}, or its first {@code max} characters and how many more there were. */
    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "... (" + (s.length() - max) + " more chars)";
    }
}
