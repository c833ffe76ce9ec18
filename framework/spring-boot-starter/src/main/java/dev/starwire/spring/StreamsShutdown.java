package dev.starwire.spring;

import dev.starwire.servlet.StarwireServlets;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Closes Starwire's streams when the application context closes, before the web server stops. A stream never ends
 * by itself, so a graceful shutdown of the server would wait for it until its timeout; told first, every browser
 * gets its reconnect hint ({@code retry:}) and its last bytes, then the server stops at once.
 *
 * <p>{@link ContextClosedEvent} comes before the context stops its lifecycle beans (the web server's graceful
 * shutdown among them), and only when it closes: a context that is merely stopped or paused (as the Spring
 * TestContext framework pauses cached contexts between test classes) keeps its streams, since Starwire cannot
 * reopen them. Events of other contexts (a child's, e.g. the actuator's own port) are ignored.
 */
final class StreamsShutdown implements ApplicationListener<ContextClosedEvent> {
    private final StarwireServlets starwire;
    private final ApplicationContext context;

    StreamsShutdown(StarwireServlets starwire, ApplicationContext context) {
        this.starwire = starwire;
        this.context = context;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() != context) {
            return;
        }
        try {
            starwire.closeStreams();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
