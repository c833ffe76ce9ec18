package dev.starwire.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

/** Jetty as the plugin tunes it: a bounded pool that shrinks after a burst, idle and request-header timeouts. */
class JettyTuningTest {

    @Test
    void theRequestPoolIsBoundedDuringABurstAndShrinksRightAfterIt() throws Exception {
        Starwire sw = Starwire.create(cfg -> {
            cfg.maxThreads = 40;
            cfg.threadIdleTimeout = Duration.ofSeconds(1);
        });
        ExecutorService clientThreads = Executors.newFixedThreadPool(4);
        try (TestServer server = new TestServer(sw, c -> c.routes.get("/slow", ctx -> {
            Thread.sleep(300); // a handler that blocks, like one waiting for a database
            ctx.result("done");
        }))) {
            QueuedThreadPool pool = (QueuedThreadPool) server.app.jettyServer().server().getThreadPool();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                    .build();
            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            int peak = 0;
            for (int i = 0; i < 150; i++) {
                burst.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/slow"))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : burst) {
                while (!f.isDone()) {
                    peak = Math.max(peak, pool.getThreads());
                    Thread.sleep(10);
                }
                assertEquals(200, f.get().statusCode());
            }
            int afterBurst = pool.getThreads();
            long t0 = System.nanoTime();
            TestServer.await("the pool to shrink back", () -> pool.getThreads() <= pool.getMinThreads() + 2);
            System.out.printf("pool: max %d, peak %d during the burst, %d right after, back to %d threads after %d ms%n",
                    pool.getMaxThreads(), peak, afterBurst, pool.getThreads(), (System.nanoTime() - t0) / 1_000_000);
            // Before: Javalin's pool of 250 threads ended one idle thread per minute after a burst.
            assertTrue(peak <= 40, "peak " + peak);
            assertEquals(40, pool.getMaxThreads());
        } finally {
            clientThreads.shutdownNow();
        }
    }

    @Test
    void connectorsGetTheIdleTimeout() {
        Starwire sw = Starwire.create(cfg -> cfg.idleTimeout = Duration.ofSeconds(42));
        try (TestServer server = new TestServer(sw, c -> { })) {
            AbstractConnector connector = (AbstractConnector) server.app.jettyServer().server().getConnectors()[0];
            assertEquals(42_000, connector.getIdleTimeout());
        }
    }

    @Test
    void theListenBacklogIsSetBeforeTheConnectorBinds() throws Exception {
        Starwire sw = Starwire.create(cfg -> cfg.acceptQueueSize = 777);
        try (TestServer server = new TestServer(sw, c -> { })) {
            ServerConnector connector = (ServerConnector) server.app.jettyServer().server().getConnectors()[0];
            assertEquals(777, connector.getAcceptQueueSize());
            // On Linux the kernel shows a listening socket's backlog as its Send-Q; where ss is missing, the
            // connector's setting above is what Jetty passes to bind.
            Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + server.port()).redirectErrorStream(true)
                    .start();
            String out = new String(ss.getInputStream().readAllBytes()).trim();
            if (ss.waitFor() == 0 && !out.isEmpty()) {
                assertEquals("777", out.split("\\s+")[2], "Send-Q of the listening socket: " + out);
            }
        }
    }

    @Test
    void aClientDrippingItsRequestHeadersIsDisconnected() throws Exception {
        Starwire sw = Starwire.create(cfg -> cfg.requestHeaderTimeout = Duration.ofSeconds(2));
        try (TestServer server = new TestServer(sw, c -> c.routes.get("/", ctx -> ctx.result("hello")));
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            s.setSoTimeout(100);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            boolean closed = false;
            // One header byte every 200 ms: never idle for Jetty's idle timeout, never a complete request.
            for (int i = 0; i < 50 && !closed; i++) {
                try {
                    out.write('X');
                    out.flush();
                    closed = in.read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    Thread.sleep(100);
                } catch (IOException reset) {
                    closed = true;
                }
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("dripping client disconnected after %d ms%n", millis);
            // Before: the connection stayed open as long as the bytes kept coming.
            assertTrue(closed, "still connected after " + millis + " ms");
            assertTrue(millis < 6_000, "disconnected after " + millis + " ms");
        }
    }

    @Test
    void aRequestWhoseHeadersArriveInTimeIsServedAndMayTakeLonger() throws Exception {
        Starwire sw = Starwire.create(cfg -> cfg.requestHeaderTimeout = Duration.ofMillis(500));
        try (TestServer server = new TestServer(sw, c -> c.routes.get("/slow", ctx -> {
            Thread.sleep(1_000); // longer than the header timeout: only the headers are timed
            ctx.result("done");
        })); Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.endsWith("done"), response);
        }
    }
}
