package dev.starwire.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Plays {@code cdn.jsdelivr.net} for the browser: an HTTPS server on 127.0.0.1 (a throwaway self-signed
 * certificate made with the JDK's {@code keytool} at start) that answers the 1.0.1 bundle's path with the
 * checked bundle, and 404 for anything else. Chromium is pointed here with {@code --host-resolver-rules}, so
 * the page's {@code <script src>} keeps the real CDN address and its {@code integrity} and
 * {@code crossorigin} attributes are checked by the browser as in production.
 */
final class CdnServer implements AutoCloseable {
    private static final String PASSWORD = "starwire-test-only";

    private final byte[] bundle;
    private final String bundlePath = URI.create(DatastarBundle.CDN_URL).getPath();
    private final HttpsServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "starwire-cdn");
        t.setDaemon(true);
        return t;
    });
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();

    CdnServer(byte[] bundle) {
        this.bundle = bundle.clone();
        try {
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(selfSigned()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local CDN server", e);
        }
        server.setExecutor(pool);
        server.createContext("/", this::answer);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Requests for anything but the bundle since the last call (a page asking the CDN for a file it lacks). */
    List<String> takeUnexpectedRequests() {
        List<String> out = new ArrayList<>();
        for (String r; (r = unexpected.poll()) != null; ) {
            out.add(r);
        }
        return out;
    }

    private void answer(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!ex.getRequestURI().getPath().equals(bundlePath) || !(method.equals("GET") || method.equals("HEAD"))) {
                unexpected.add(method + " " + ex.getRequestURI());
                ex.sendResponseHeaders(404, -1);
                return;
            }
            // the headers jsDelivr sends: the page loads the module with crossorigin="anonymous", so the
            // browser runs the CORS check (and then the integrity check) on this answer
            ex.getResponseHeaders().add("Content-Type", "application/javascript; charset=utf-8");
            ex.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
            ex.getResponseHeaders().add("Cross-Origin-Resource-Policy", "cross-origin");
            ex.getResponseHeaders().add("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().add("Cache-Control", "public, max-age=604800");
            if (method.equals("HEAD")) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, bundle.length);
            ex.getResponseBody().write(bundle);
        }
    }

    /** A TLS context with a fresh key pair and a self-signed certificate for the CDN host, valid two days. */
    private static SSLContext selfSigned() throws IOException {
        Path dir = Files.createTempDirectory("starwire-cdn-cert");
        Path store = dir.resolve("cdn.p12");
        try {
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "cdn",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=" + DatastarBundle.CDN_HOST, "-ext", "SAN=dns:" + DatastarBundle.CDN_HOST,
                    "-keystore", store.toString(), "-storetype", "PKCS12",
                    "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool could not make the test certificate: " + output.strip());
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), null, null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the test certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the test certificate", e);
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
