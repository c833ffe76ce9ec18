package dev.starwire.servlet;

import dev.starwire.DatastarProtocol;
import dev.starwire.DatastarResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;

/**
 * The response headers of every Server-Sent Events response Starwire sends, short answers and long-lived streams
 * alike: {@code Content-Type: text/event-stream;charset=utf-8}, {@link DatastarResponse#streamHeaders()}
 * ({@code Cache-Control: no-cache}, {@code X-Accel-Buffering: no}), and {@code Connection: keep-alive} on
 * HTTP/1.1 (HTTP/2 forbids that header).
 */
final class SseHeaders {
    private SseHeaders() {
    }

    /** Sets the stream headers on {@code res} (not yet committed). */
    static void set(HttpServletRequest req, HttpServletResponse res) {
        res.setContentType(DatastarProtocol.EVENT_STREAM);
        res.setCharacterEncoding("UTF-8");
        DatastarResponse.streamHeaders().forEach(res::setHeader);
        if ("HTTP/1.1".equals(req.getProtocol())) {
            res.setHeader("Connection", "keep-alive");
        }
    }

    /**
     * Sets the encoding headers of a long-lived stream when gzip is {@code enabled}: {@code Vary}, and
     * {@code Content-Encoding: gzip} when the client accepts it.
     *
     * @return whether the stream is compressed
     */
    static boolean negotiateGzip(HttpServletRequest req, HttpServletResponse res, boolean enabled) {
        if (!enabled) {
            return false;
        }
        res.addHeader("Vary", "Accept-Encoding");
        if (!acceptsGzip(req.getHeader("Accept-Encoding"))) {
            return false;
        }
        res.setHeader("Content-Encoding", "gzip");
        return true;
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] p = part.trim().split(";");
            if (p[0].trim().equals("gzip")) {
                for (int i = 1; i < p.length; i++) {
                    String q = p[i].trim();
                    if (q.startsWith("q=") && q.substring(2).trim().matches("0(\\.0*)?")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }
}
