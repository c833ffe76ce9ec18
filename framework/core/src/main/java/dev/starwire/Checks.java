package dev.starwire;

/** Argument checks shared by the event values and the writer. */
final class Checks {
    private Checks() {
    }

    /**
     * Rejects a value that would end its SSE line early: a browser splits lines on {@code \n}, {@code \r\n}
     * and a lone {@code \r}, so such a value would inject fields or events.
     */
    static String requireSingleLine(String what, String value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException(what + " must not contain a line break (\\n or \\r): "
                        + value.replace("\r", "\\r").replace("\n", "\\n"));
            }
        }
        return value;
    }

    /**
     * An event id must be one line, and without U+0000: a browser ignores an {@code id:} field holding NULL,
     * so {@code Last-Event-ID} would silently keep the previous id.
     */
    static String requireEventId(String value) {
        requireSingleLine("event id", value);
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("event id must not contain U+0000 (NULL)");
        }
        return value;
    }

    static long requireRetry(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("retry must not be negative: " + millis);
        }
        return millis;
    }
}
