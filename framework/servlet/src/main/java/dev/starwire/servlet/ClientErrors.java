package dev.starwire.servlet;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every client error (4xx) Starwire answers as one line without a stack trace, at most
 * {@value #LINES_PER_WINDOW} lines per {@value #WINDOW_SECONDS} seconds: a flood of bad requests costs the
 * log a few lines, not a few kilobytes each. The first line after a quiet spell says how many were left out.
 *
 * <pre>
 * INFO dev.starwire.servlet.ClientErrors - 400 POST /send: signals are not valid JSON at line 1, column 9: ...
 * INFO dev.starwire.servlet.ClientErrors - 403 POST /send: refused: ... (1284 more client errors not logged)
 * </pre>
 */
final class ClientErrors {
    static final int LINES_PER_WINDOW = 20;
    static final int WINDOW_SECONDS = 10;
    private static final int MAX_TEXT = 300;
    private static final Logger LOG = LoggerFactory.getLogger(ClientErrors.class);

    private static long windowStartNanos = System.nanoTime(); // guarded by ClientErrors.class
    private static int loggedInWindow;                         // guarded by ClientErrors.class
    private static long suppressed;                            // guarded by ClientErrors.class

    private ClientErrors() {
    }

    /** Logs {@code status METHOD /path: message} unless the current window is used up. */
    static void log(HttpServletRequest request, int status, String message) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        long left;
        synchronized (ClientErrors.class) {
            long now = System.nanoTime();
            if (now - windowStartNanos >= WINDOW_SECONDS * 1_000_000_000L) {
                windowStartNanos = now;
                loggedInWindow = 0;
            }
            if (loggedInWindow >= LINES_PER_WINDOW) {
                suppressed++;
                return;
            }
            loggedInWindow++;
            left = suppressed;
            suppressed = 0;
        }
        String line = status + " " + request.getMethod() + " " + oneLine(request.getRequestURI()) + ": " + oneLine(message);
        if (left > 0) {
            LOG.info("{} ({} more client errors not logged)", line, left);
        } else {
            LOG.info("{}", line);
        }
    }

    /** Starts a fresh window (tests that count lines). */
    static synchronized void restartWindow() {
        windowStartNanos = System.nanoTime();
        loggedInWindow = 0;
        suppressed = 0;
    }

    /** Client text (a path, a message quoting signals) without line breaks or control characters, shortened. */
    private static String oneLine(String text) {
        String s = text == null ? "" : text;
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_TEXT) + 3);
        for (int i = 0; i < s.length() && out.length() < MAX_TEXT; i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (s.length() > MAX_TEXT) {
            out.append("...");
        }
        return out.toString();
    }
}
