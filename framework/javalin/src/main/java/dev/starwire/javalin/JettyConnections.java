package dev.starwire.javalin;

import dev.starwire.servlet.ConnectionControl;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Jetty lets a stream do with its connection beyond the Servlet API: cap the kernel's send buffer, and drop
 * a connection at once with a reset instead of completing a response its client no longer reads.
 */
final class JettyConnections implements ConnectionControl {
    private static final Logger LOG = LoggerFactory.getLogger(JettyConnections.class);

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
     * without end), so the stream does not complete an aborted response.
     */
    @Override
    public boolean abort(HttpServletRequest request, String reason) {
        try {
            ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
            if (jetty == null) {
                return false;
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
            LOG.debug("could not abort the connection", e);
            return false;
        }
    }

    private static EndPoint endPoint(HttpServletRequest request) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        return jetty == null ? null : jetty.getConnectionMetaData().getConnection().getEndPoint();
    }
}
