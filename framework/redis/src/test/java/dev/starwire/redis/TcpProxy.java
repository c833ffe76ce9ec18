package dev.starwire.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 between one backend and Redis, to cut that backend's network without touching
 * Redis: {@link #cut()} drops every connection and refuses new ones, {@link #restore()} accepts again on the
 * same port; {@link #pause()} silently stops forwarding bytes (a black hole: nothing is closed, nothing
 * answers) until {@link #resume()}.
 */
final class TcpProxy implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private boolean paused;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.port = RedisServer.freePort();
        restore();
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Closes the listening socket and every forwarded connection. */
    synchronized void cut() {
        closeQuietly(server);
        server = null;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** Listens again on the same port. */
    synchronized void restore() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = socket;
        daemon("proxy-accept", () -> accept(socket));
    }

    /** Holds every byte in transit (connections stay open, no reply reaches either side). */
    synchronized void pause() {
        paused = true;
    }

    /** Forwards again, including what was held. */
    synchronized void resume() {
        paused = false;
        notifyAll();
    }

    private synchronized void awaitForwarding() throws InterruptedException {
        while (paused) {
            wait();
        }
    }

    @Override
    public void close() {
        resume();
        cut();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                if (server != socket) { // cut while connecting
                    closeQuietly(client);
                    closeQuietly(upstream);
                    return;
                }
                daemon("proxy-up", () -> pump(client, upstream));
                daemon("proxy-down", () -> pump(upstream, client));
            } catch (IOException e) {
                return; // listening socket closed by cut()
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitForwarding();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException ignored) {
            // connection closed on either side
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already closed
            }
        }
    }
}
