package dev.starwire.conformance;

import dev.starwire.servlet.StarwireServlets;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The {@code /test} endpoint of the official Datastar SDK cases on plain Jakarta Servlet 6 ({@code starwire-servlet}
 * in Jetty's plain {@link ServletContextHandler}, no Javalin): the same handler and event mapping as
 * {@link ConformanceServer}, registered the portable way, by a {@link ServletContextListener}.
 *
 * <pre>{@code
 * Server server = ServletConformanceServer.start("127.0.0.1", 7332);
 * }</pre>
 */
public final class ServletConformanceServer {
    private ServletConformanceServer() {
    }

    /** Starts the endpoint on {@code host}:{@code port} ({@code 0}: a free port); stop the returned server. */
    public static Server start(String host, int port) throws Exception {
        StarwireServlets starwire = StarwireServlets.create();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addEventListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                starwire.register(event.getServletContext(), "/test", starwire.stream(ConformanceServer::handle));
            }

            @Override
            public void contextDestroyed(ServletContextEvent event) {
                starwire.close();
            }
        });
        server.setHandler(context);
        server.start();
        return server;
    }

    /** The port {@code server} listens on. */
    public static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Runs the endpoint on 127.0.0.1 and the port given as the first argument (default 7332). */
    public static void main(String[] args) throws Exception {
        start("127.0.0.1", args.length > 0 ? Integer.parseInt(args[0]) : 7332).join();
    }
}
