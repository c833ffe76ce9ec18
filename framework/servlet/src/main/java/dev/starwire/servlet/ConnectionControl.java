package dev.starwire.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What a container can do for a stream's connection beyond the Servlet API. The Servlet API cannot reach the
 * socket, so by default Starwire does without: a dropped stream completes its response, and a client that
 * stopped reading keeps its connection until the container's idle timeout. An adapter that knows its container
 * does better; the Javalin plugin supplies Jetty's.
 *
 * <pre>{@code
 * StarwireServlets starwire = StarwireServlets.create(settings, new ConnectionControl() {
 *     public boolean abort(HttpServletRequest request, String reason) {
 *         return myContainer.resetConnectionOf(request);
 *     }
 * });
 * }</pre>
 *
 * <p>Methods are called on Starwire's writer and timer threads and must not block; they must not throw.
 */
public interface ConnectionControl {
    /** The Servlet API alone: nothing beyond it. */
    ConnectionControl NONE = new ConnectionControl() {
    };

    /**
     * Caps the kernel send buffer of the request's connection at {@code bytes} ({@code SO_SNDBUF}), so a client
     * that stops reading pins little memory. Called once, when the stream starts.
     */
    default void limitSendBuffer(HttpServletRequest request, int bytes) {
    }

    /**
     * Drops the request's connection at once (a reset, freeing what the kernel still holds for a client that
     * stopped reading). Called at most once, before the response was completed.
     *
     * @return {@code true} when the connection was dropped; the response must then not be completed. With
     *     {@code false} Starwire completes the response instead.
     */
    default boolean abort(HttpServletRequest request, String reason) {
        return false;
    }

    /**
     * The connection under {@code response}, for Starwire to write the chunks of its body directly, or
     * {@code null} to keep the Servlet API's non-blocking output. Called once the response's headers were
     * written (committed), from the thread that opened the stream; return {@code null} unless the response is
     * HTTP/1.1 with a chunked body that nothing else writes to until it completes.
     */
    default ChunkedConnection chunkedConnection(HttpServletRequest request, HttpServletResponse response) {
        return null;
    }
}
