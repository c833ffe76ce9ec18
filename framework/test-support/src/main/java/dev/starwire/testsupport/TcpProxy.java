package dev.starwire.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on 127.0.0.1 in front of a local server, to break a client's network the ways a real one breaks,
 * at a moment the test chooses:
 * <ul>
 *   <li>{@link #cut()} resets every open connection (the client sees its stream or connection break) and holds
 *       new ones until {@link #release()}, so a test knows exactly when a reconnect gets through;</li>
 *   <li>{@link #refuse()} resets every open connection and stops listening (new connections are refused) until
 *       {@link #listen()} accepts again on the same port;</li>
 *   <li>{@link #pause()} stops forwarding bytes without closing anything (a black hole: nothing answers) until
 *       {@link #resume()} forwards again, what was held included.</li>
 * </ul>
 * It also notes the head (request line and headers) of every HTTP request that passed, e.g. to see a
 * {@code Last-Event-ID}.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.to(app.port())) {
 *     window.open("http://127.0.0.1:" + proxy.port() + "/chat");
 *     proxy.cut();          // streams break; retries wait
 *     ...                   // what the browser misses meanwhile
 *     proxy.release();      // the retry reaches the app
 * }
 * try (TcpProxy network = TcpProxy.to(redis.port())) {
 *     RedisTopicBackend backend = RedisTopicBackend.fromUrl(network.url("redis"));
 *     network.refuse();     // the backend loses Redis, Redis keeps running
 *     network.listen();
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {
    private static final int MAX_RECORDED = 256 * 1024;

    private final int targetPort;
    private final int port;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "starwire-tcp-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final List<Socket> held = new ArrayList<>(); // guarded by this
    private final List<ByteArrayOutputStream> requests = new ArrayList<>(); // guarded by itself
    private ServerSocket listener; // guarded by this; null while refusing
    private boolean holding; // guarded by this
    private boolean paused; // guarded by this
    private volatile boolean closed;

    private record Link(Socket client, Socket server) {
        void reset() {
            try {
                client.setSoLinger(true, 0); // RST, not FIN: a cut, not an orderly end
            } catch (IOException ignored) {
                // already gone
            }
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        ServerSocket socket = open(0);
        this.port = socket.getLocalPort();
        start(socket);
    }

    /** A proxy on a free port of 127.0.0.1 forwarding to {@code 127.0.0.1:targetPort}. */
    public static TcpProxy to(int targetPort) {
        try {
            return new TcpProxy(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the proxy port", e);
        }
    }

    /** The port to point the client at; the same for the proxy's whole life. */
    public int port() {
        return port;
    }

    /** {@code <scheme>://127.0.0.1:<port>}, e.g. {@code url("redis")}. */
    public String url(String scheme) {
        return scheme + "://127.0.0.1:" + port;
    }

    /** Resets every open connection and holds new ones until {@link #release()}. */
    public synchronized void cut() {
        holding = true;
        resetAll();
    }

    /** Lets held connections and every new one through again. */
    public synchronized void release() {
        holding = false;
        for (Socket s : held) {
            threads.execute(() -> forward(s));
        }
        held.clear();
    }

    /** How many connections wait for {@link #release()}. */
    public synchronized int heldConnections() {
        return held.size();
    }

    /** Resets every open connection and stops listening: connecting is refused until {@link #listen()}. */
    public synchronized void refuse() {
        closeQuietly(listener);
        listener = null;
        resetAll();
    }

    /** Listens again on the same port after {@link #refuse()}. */
    public synchronized void listen() {
        if (listener != null || closed) {
            return;
        }
        try {
            start(open(port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " again", e);
        }
    }

    /** Holds every byte in transit: connections stay open, nothing reaches either side, until {@link #resume()}. */
    public synchronized void pause() {
        paused = true;
    }

    /** Forwards again, including what was held. */
    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    /** Request line and headers of every HTTP request that passed, in the order the connections opened. */
    public List<String> requestHeads() {
        List<String> heads = new ArrayList<>();
        synchronized (requests) {
            for (ByteArrayOutputStream r : requests) {
                heads.addAll(heads(r.toString(StandardCharsets.ISO_8859_1)));
            }
        }
        return heads;
    }

    /** The request heads whose request line contains {@code pathPart}. */
    public List<String> requestHeads(String pathPart) {
        return requestHeads().stream().filter(h -> h.lines().findFirst().orElse("").contains(pathPart)).toList();
    }

    /** Closes the port and every connection, held ones included. */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            resume();
            refuse();
            held.forEach(TcpProxy::closeQuietly);
            held.clear();
        }
        threads.shutdownNow();
    }

    private static ServerSocket open(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return socket;
    }

    private void start(ServerSocket socket) {
        listener = socket;
        threads.execute(() -> accept(socket));
    }

    private void resetAll() {
        for (Link l : links) {
            l.reset();
        }
        links.clear();
    }

    private void accept(ServerSocket socket) {
        while (!closed) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // closed by refuse() or close()
            }
            synchronized (this) {
                if (listener != socket) { // refused meanwhile
                    closeQuietly(client);
                    return;
                }
                if (holding) {
                    held.add(client);
                    continue;
                }
            }
            threads.execute(() -> forward(client));
        }
    }

    private void forward(Socket client) {
        Socket server = new Socket();
        try {
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(server);
            return;
        }
        Link link = new Link(client, server);
        links.add(link);
        ByteArrayOutputStream recorded = new ByteArrayOutputStream();
        synchronized (requests) {
            requests.add(recorded);
        }
        threads.execute(() -> pump(client, server, recorded, link));
        threads.execute(() -> pump(server, client, null, link));
    }

    private void pump(Socket from, Socket to, ByteArrayOutputStream recorded, Link link) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                awaitForwarding();
                if (recorded != null) {
                    synchronized (requests) {
                        if (recorded.size() < MAX_RECORDED) {
                            recorded.write(buffer, 0, n);
                        }
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput(); // pass an orderly end on
        } catch (IOException e) {
            link.reset();
            links.remove(link);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            link.reset();
            links.remove(link);
        }
    }

    private synchronized void awaitForwarding() throws InterruptedException {
        while (paused && !closed) {
            wait();
        }
    }

    /** The heads of the HTTP/1.1 requests in one connection's bytes (bodies skipped by Content-Length). */
    static List<String> heads(String bytes) {
        List<String> heads = new ArrayList<>();
        int at = 0;
        while (at < bytes.length()) {
            int end = bytes.indexOf("\r\n\r\n", at);
            if (end < 0) {
                break;
            }
            String head = bytes.substring(at, end);
            heads.add(head);
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            at = end + 4 + length;
        }
        return heads;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
