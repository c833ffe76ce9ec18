package dev.starwire.test;

import java.util.Objects;

/**
 * An app started for a test: its port on 127.0.0.1 and how to stop it. The test kit knows no web server;
 * wrap whatever you start.
 *
 * <pre>{@code
 * Javalin app = Javalin.create(config -> MyApp.configure(config)).start("127.0.0.1", 0);
 * RunningApp running = RunningApp.of(app.port(), app::stop);
 * }</pre>
 */
public interface RunningApp extends AutoCloseable {

    /** The port the app listens on at 127.0.0.1. */
    int port();

    /** Stops the app. */
    @Override
    void close();

    /** A running app from its port and a stop action. */
    static RunningApp of(int port, Runnable stop) {
        Objects.requireNonNull(stop, "stop");
        return new RunningApp() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                stop.run();
            }
        };
    }

    /** Starts an app for a test, e.g. {@code () -> RunningApp.of(app.port(), app::stop)} after starting it. */
    @FunctionalInterface
    interface Starter {
        /** Starts the app on a free port and returns it running. */
        RunningApp start() throws Exception;
    }
}
