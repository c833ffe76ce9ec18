package dev.starwire.servlet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The connection under a committed HTTP/1.1 response whose body is sent in chunks, handed to Starwire so a
 * stream writes its chunks to the socket itself instead of through the container's servlet output stack (one
 * non-blocking write per wake, no copy into a per-response buffer). Supplied by
 * {@link ConnectionControl#chunkedConnection}; the container still owns the headers, the terminating chunk (written
 * when the response completes, after Starwire's last write finished) and the connection's life.
 *
 * <pre>{@code
 * ChunkedConnection connection = control.chunkedConnection(request, response);
 * if (connection != null && !connection.flush(chunk)) {
 *     connection.write(chunk, completion); // the socket is full: the rest goes when it drains
 * }
 * }</pre>
 *
 * <p>Starwire writes whole chunks ({@code <hex length>\r\n<bytes>\r\n}), one write at a time: never while a
 * {@link #write} is pending. Calls come from Starwire's writer threads and from the threads that publish to topics
 * (a live event is flushed during the publish), never two at once for one connection.
 */
public interface ChunkedConnection {
    /**
     * Writes as much of {@code buffer} as the socket takes now, without blocking.
     *
     * @return {@code true} when all of it was written
     * @throws IOException when the connection is gone
     */
    boolean flush(ByteBuffer buffer) throws IOException;

    /**
     * The connection's plain TCP socket when chunks may be written to it directly (one non-blocking
     * {@code write(2)} per chunk), or {@code null} (e.g. TLS, which encrypts in the container): then every chunk goes
     * through {@link #flush}. Whoever writes to the socket reports it with {@link #active} now and then.
     */
    default SocketChannel socket() {
        return null;
    }

    /** Bytes went straight to {@link #socket}: activity for the container's idle timeout. */
    default void active() {
    }

    /**
     * Writes the rest of {@code buffer} as the socket drains and tells {@code completion} when it is all written or
     * the write failed (possibly before returning, on this thread).
     */
    void write(ByteBuffer buffer, Completion completion);

    /** The outcome of a {@link #write}. */
    interface Completion {
        /** Everything was written. */
        void written();

        /** The write failed (the connection closed, timed out or was aborted). */
        void failed(Throwable cause);
    }
}
