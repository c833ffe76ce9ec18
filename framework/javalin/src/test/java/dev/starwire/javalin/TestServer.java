package dev.starwire.javalin;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** A real Javalin server with the Starwire plugin on a random port, for tests. */
final class TestServer implements AutoCloseable {
    final Starwire starwire;
    final Javalin app;

    TestServer(Starwire starwire, Consumer<JavalinConfig> routes) {
        this.starwire = starwire;
        this.app = Javalin.create(config -> {
            config.registerPlugin(starwire);
            routes.accept(config);
        }).start("127.0.0.1", 0);
    }

    int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    /** Waits (up to 30 s, polling) until {@code condition} holds. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
