package dev.starwire.javalin;

import dev.starwire.servlet.ChunkedConnection;
import dev.starwire.servlet.ConnectionControl;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpGenerator;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Jetty lets a stream do with its connection beyond the Servlet API: cap the kernel's send buffer, write the
 * chunks of a stream's body straight to its HTTP/1.1 connection, and drop a connection at once with a reset instead
 * of completing a response its client no longer reads.
 */
final class JettyConnections implements ConnectionControl {
    private static final Logger LOG = LoggerFactory.getLogger(JettyConnections.class);
    /**
     * {@code HttpConnection.getGenerator()} of Jetty's HTTP/1.1 connection, whose class is in a package Jetty's
     * module does not export: reachable when Jetty runs on the class path (as in an app's fat jar) or with
     * {@code --add-exports}; {@code null} otherwise, and streams keep the servlet output.
     */
    private static final String HTTP1 = "org.eclipse.jetty.server.internal.HttpConnection";
    private static final MethodHandle GENERATOR = generatorHandle();
    /** Streams handed a {@link ChunkedConnection} so far (tests check which way streams are written). */
    static final AtomicLong DIRECT_STREAMS = new AtomicLong();

    /**
     * Left alone, Linux grows the send buffer to several MiB for a client that does not read (measured: 2.7 MiB
     * per stream on loopback), far more than the outbox is allowed to hold.
     */
    @Override
    public void limitSendBuffer(HttpServletRequest request, int bytes) {
        try {
            EndPoint connection = endPoint(request);
            if (connection != null && connection.getTransport() instanceof NetworkChannel channel) {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, bytes);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not set the send buffer size", e);
        }
    }

    /**
     * Makes closing the connection a reset, so what the kernel still holds for a client that stopped reading is
     * freed at once instead of lingering in a closing socket (FIN_WAIT1, measured: 95 KB each), and aborts the
     * exchange. Once aborted, Jetty may recycle the request at any moment: completing Javalin's future then would
     * run its remaining tasks on a recycled request, which throw (under load Javalin 7.2 was seen repeating them
     * without end), so the stream does not complete an aborted response, nor one whose request is gone already.
     */
    @Override
    public boolean abort(HttpServletRequest request, String reason) {
        try {
            ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
            if (jetty == null) {
                return true; // the exchange is over already (the request was recycled): nothing left to complete
            }
            EndPoint connection = jetty.getConnectionMetaData().getConnection().getEndPoint();
            if (connection.getTransport() instanceof NetworkChannel channel && channel.isOpen()) {
                try {
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                } catch (IOException | RuntimeException e) {
                    LOG.debug("could not ask for a reset", e);
                }
            }
            jetty.getServletChannel().abort(new IOException(reason));
            return true;
        } catch (RuntimeException e) {
            // The exchange is no longer in a state to abort (e.g. the connection failed and Jetty recycled the
            // request): completing it would run Javalin's tasks on a recycled request, so report it as dropped.
            LOG.debug("could not abort the connection", e);
            return true;
        }
    }

    /**
     * On an HTTP/1.1 connection whose response was committed with a chunked body, the connection's {@link EndPoint}
     * (and, on plain TCP, its socket) for non-blocking writes of the stream's chunks, bypassing the servlet output
     * ({@code HttpOutput}, its flush callbacks, Javalin's statistics wrapper) and its per-response buffer. Jetty
     * keeps the headers and writes the terminating chunk when the response completes; the stream writes nothing
     * then. {@code null} on HTTP/2 or HTTP/1.0 or whenever the state is not the expected one, so the stream keeps
     * the servlet output.
     */
    @Override
    public ChunkedConnection chunkedConnection(HttpServletRequest request, HttpServletResponse response) {
        try {
            ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
            if (jetty == null || !response.isCommitted()) {
                return null;
            }
            Connection connection = jetty.getConnectionMetaData().getConnection();
            if (GENERATOR == null || !HTTP1.equals(connection.getClass().getName())) {
                return null;
            }
            // Chunked (not a body ending with the connection: HTTP/1.0, or Connection: close) and committed
            // with no content yet, so the next bytes on the wire are the body's first chunk.
            HttpGenerator generator = (HttpGenerator) GENERATOR.invoke(connection);
            if (!generator.isChunking() || generator.getState() != HttpGenerator.State.COMMITTED) {
                return null;
            }
            DIRECT_STREAMS.incrementAndGet();
            return new EndPointChunks(connection.getEndPoint());
        } catch (Throwable e) {
            LOG.debug("writing the stream through the servlet output", e);
            return null;
        }
    }

    private static MethodHandle generatorHandle() {
        try {
            Class<?> http1 = Class.forName(HTTP1, false, ServletContextRequest.class.getClassLoader());
            return MethodHandles.lookup().findVirtual(http1, "getGenerator", MethodType.methodType(HttpGenerator.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("Jetty's HTTP/1.1 connection is not accessible: streams write through the servlet output", e);
            return null;
        }
    }

    /** A stream's chunks written to its connection's end point. */
    private static final class EndPointChunks implements ChunkedConnection {
        private final EndPoint endPoint;
        /** The same end point when it is a plain TCP one (TLS encrypts in its own): its socket is handed out. */
        private final SocketChannelEndPoint plain;

        EndPointChunks(EndPoint endPoint) {
            this.endPoint = endPoint;
            this.plain = endPoint instanceof SocketChannelEndPoint p ? p : null;
        }

        @Override
        public boolean flush(ByteBuffer buffer) throws IOException {
            return endPoint.flush(buffer);
        }

        /**
         * The socket of a plain TCP connection, which the stream writes with one {@code write(2)} per chunk: Jetty's
         * own {@code flush} makes every write a gathering one, which stores the buffer into an array (a card the
         * garbage collector must refine, per stream and event) and costs a {@code writev(2)}.
         */
        @Override
        public SocketChannel socket() {
            return plain == null ? null : plain.getChannel();
        }

        @Override
        public void active() {
            if (plain != null) {
                plain.notIdle();
            }
        }

        @Override
        public void write(ByteBuffer buffer, Completion completion) {
            try {
                endPoint.write(Callback.from(completion::written, completion::failed), buffer);
            } catch (RuntimeException e) {
                completion.failed(e); // e.g. a write already pending: the stream cannot go on
            }
        }
    }

    private static EndPoint endPoint(HttpServletRequest request) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        return jetty == null ? null : jetty.getConnectionMetaData().getConnection().getEndPoint();
    }
}
