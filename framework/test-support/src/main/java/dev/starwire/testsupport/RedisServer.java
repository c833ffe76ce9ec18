package dev.starwire.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} for a test: a free port on 127.0.0.1, its own temp dir, append-only persistence
 * with fsync on every write (so what Redis acknowledged survives a kill), killed by PID like a crash.
 * Missing binary (looked up on {@code PATH}, or {@code $REDIS_SERVER}): the test is skipped locally and fails
 * when {@code CI=true}.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     RedisTopicBackend backend = RedisTopicBackend.fromUrl(redis.url());
 *     redis.kill();      // a crash: only the append-only file survives
 *     redis.restart();   // same port and data, returns once it answers PING
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {

    private final Path binary;
    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    private static final String MISSING = "redis-server not found (PATH or $REDIS_SERVER); install it with "
            + "'apt-get install -y redis-server' to run the Redis tests";

    /** Starts a fresh server, or skips the test (fails it when {@code CI=true}) when redis-server is not installed. */
    public static RedisServer start() {
        RedisServer server = startOrNull();
        assumeRunning(server);
        return server;
    }

    /**
     * For {@code @BeforeAll}: a fresh server, or null when redis-server is not installed (then each test calls
     * {@link #assumeRunning} and is reported as skipped). Fails when {@code CI=true}.
     */
    public static RedisServer startOrNull() {
        Path binary = findBinary().orElse(null);
        if (binary == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(MISSING + " (CI=true: a missing server fails the build)");
            }
            return null;
        }
        try {
            RedisServer server = new RedisServer(binary, Files.createTempDirectory("starwire-redis-"), freePort());
            server.launch();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
    }

    /** Skips the current test with a clear message when there is no server. */
    public static void assumeRunning(RedisServer server) {
        Assumptions.assumeTrue(server != null, MISSING + " - skipping");
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** The port it listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The server's process id. */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL by PID, like a crash: no shutdown save, only what the append-only file already holds. */
    public void kill() {
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElse(null);
        if (handle != null) {
            handle.destroyForcibly();
            handle.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    /** Starts the server again on the same port and data dir (it reloads its append-only file). */
    public void restart() {
        launch();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir; nothing to recover
        }
    }

    private void launch() {
        List<String> command = List.of(binary.toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--daemonize", "no", "--protected-mode", "no", "--logfile", dir.resolve("redis.log").toString());
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary, e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": " + log());
            }
            if (answersPing()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("redis-server did not answer PING within 30 s: " + log());
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            // "-LOADING" while the append-only file is replayed: not ready yet.
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log")) + Files.readString(dir.resolve("stdout.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** A port of 127.0.0.1 that nothing listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static Optional<Path> findBinary() {
        String explicit = System.getenv("REDIS_SERVER");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/sbin:/usr/local/bin";
        return Stream.of(path.split(":"))
                .filter(s -> !s.isEmpty())
                .map(s -> Path.of(s, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
