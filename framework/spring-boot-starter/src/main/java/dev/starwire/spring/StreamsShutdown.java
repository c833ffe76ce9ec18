package dev.starwire.spring;

import dev.starwire.servlet.StarwireServlets;
import org.springframework.context.SmartLifecycle;

/**
 * Closes Starwire's streams when the context stops, before the web server does. A stream never ends by itself,
 * so a graceful shutdown of the server would wait for it until its timeout; told first, every browser gets its
 * reconnect hint ({@code retry:}) and its last bytes, then the server stops at once. Its phase is the highest,
 * so it stops before the web server's graceful shutdown and the web server itself.
 */
final class StreamsShutdown implements SmartLifecycle {
    private final StarwireServlets starwire;
    private volatile boolean running;

    StreamsShutdown(StarwireServlets starwire) {
        this.starwire = starwire;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        try {
            starwire.closeStreams();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
