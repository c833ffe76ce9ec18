package dev.starwire.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A plain servlet container for tests: Jetty's ee10 {@link ServletContextHandler} on 127.0.0.1 and a random
 * port, its servlets added the portable way, by a {@link ServletContextListener} while the context starts.
 * Closing it closes Starwire first (the streams are told to reconnect), then stops Jetty.
 */
public final class ServletServer implements AutoCloseable {
    private final StarwireServlets starwire;
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    /** What a test servlet does with a request. */
    @FunctionalInterface
    public interface Handling {
        void handle(HttpServletRequest request, HttpServletResponse response) throws Exception;
    }

    public ServletServer(StarwireServlets starwire, Consumer<ServletContext> routes) {
        this.starwire = starwire;
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addEventListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                routes.accept(event.getServletContext());
            }
        });
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the test server did not start", e);
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String base() {
        return "http://127.0.0.1:" + port();
    }

    /** A servlet of the app's own that answers Starwire's errors with {@link StarwireServlets#answerError}. */
    public static HttpServlet servlet(StarwireServlets starwire, Handling handling) {
        return new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse res) throws java.io.IOException {
                try {
                    handling.handle(req, res);
                } catch (Exception e) {
                    starwire.answerError(e, req, res);
                }
            }
        };
    }

    @Override
    public void close() throws Exception {
        starwire.close();
        server.stop();
    }

    /** Waits (up to 30 s, polling) until {@code condition} holds. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
