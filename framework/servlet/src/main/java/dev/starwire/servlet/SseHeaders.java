package dev.starwire.servlet;

import dev.starwire.DatastarProtocol;
import dev.starwire.DatastarResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;

/**
 * The response headers of every Server-Sent Events response Starwire sends, short answers and long-lived streams
 * alike: {@code Content-Type: text/event-stream;charset=utf-8} and {@link DatastarResponse#streamHeaders()}
 * ({@code Cache-Control: no-cache}, {@code X-Accel-Buffering: no}); a long-lived stream on HTTP/1.1 also gets
 * {@code Connection: keep-alive} (HTTP/2 forbids that header).
 *
 * <p>A short answer leaves the {@code Connection} header to the container: a container that closes the connection
 * after an answer (Tomcat after its 100th request on one connection) adds {@code Connection: close}, and the JDK's
 * HTTP client, reading only the first value of a {@code keep-alive}, {@code close} pair, reused the closed
 * connection for its next request, which failed.
 */
final class SseHeaders {
    private SseHeaders() {
    }

    /** Sets the headers of a short answer with an event-stream body on {@code res} (not yet committed). */
    static void setForAnswer(HttpServletResponse res) {
        res.setContentType(DatastarProtocol.EVENT_STREAM);
        res.setCharacterEncoding("UTF-8");
        DatastarResponse.streamHeaders().forEach(res::setHeader);
    }

    /** Sets the headers of a long-lived stream on {@code res} (not yet committed). */
    static void setForStream(HttpServletRequest req, HttpServletResponse res) {
        setForAnswer(res);
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
