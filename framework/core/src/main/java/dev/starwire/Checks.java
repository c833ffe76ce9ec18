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

    /**
     * A URL the browser may navigate to: relative, or absolute with scheme {@code http} or {@code https}. A
     * {@code javascript:} (or {@code data:}, {@code vbscript:}...) URL would run code; browsers drop tabs and
     * line breaks anywhere in a URL and leading spaces, so the scheme is read the same way.
     */
    static String requireSafeUrl(String url) {
        if (url == null) {
            throw new IllegalArgumentException("url must not be null");
        }
        StringBuilder normal = new StringBuilder(url.length());
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c != '\t' && c != '\n' && c != '\r' && !(normal.length() == 0 && c <= ' ')) {
                normal.append(c);
            }
        }
        int colon = normal.indexOf(":");
        if (colon > 0 && normal.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            String scheme = normal.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("only http, https and relative URLs are allowed, got scheme '"
                        + scheme + "'");
            }
        }
        return url;
    }
}
