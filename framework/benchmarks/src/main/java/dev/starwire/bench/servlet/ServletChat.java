package dev.starwire.bench.servlet;

import dev.starwire.Component;
import dev.starwire.DatastarResponse;
import dev.starwire.ElementPatchMode;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.hub.Topic;
import dev.starwire.servlet.StarwireServlets;
import gg.jte.html.escape.Escape;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The demo's chat contract on {@code starwire-servlet} alone, in Jetty's plain ee10 servlet container with its
 * default settings (no Javalin, no Spring): {@code GET /join-chat} (connected, the last messages, then every new
 * one) and {@code POST /send-message} (signals {@code username} and {@code messageText}; CSRF-checked; answered
 * once the hub stored the message). The chat bubble is the demo's markup, rendered once per message. It exists so
 * the benchmarks can show the Servlet adapter's cost apart from Javalin's and Spring's.
 *
 * <pre>{@code
 * PORT=7070 java -cp framework/benchmarks/target/benchmarks.jar dev.starwire.bench.servlet.ServletChat
 * }</pre>
 */
public final class ServletChat {
    /** How many of the newest messages a joining client gets, as in the demo. */
    static final int HISTORY = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    /** The signals {@code POST /send-message} reads. */
    public record ChatInput(String username, String messageText) { }

    private final StarwireServlets starwire = StarwireServlets.create();
    private final Topic chat = starwire.topic("chat");
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    private ServletChat(String host, int port) throws Exception {
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addEventListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                starwire.register(event.getServletContext(), "/join-chat", starwire.stream(stream -> {
                    stream.send(PatchSignals.of(Map.of("isConnected", true)));
                    stream.subscribe(chat, HISTORY, () -> stream.send(PatchElements.builder().selector("#messages")
                            .mode(ElementPatchMode.INNER).elements(message(0, "", "Welcome to the chat!"))
                            .build()));
                }));
                starwire.register(event.getServletContext(), "/send-message",
                        starwire.post(ChatInput.class, (request, response, input) -> send(input)));
            }

            @Override
            public void contextDestroyed(ServletContextEvent event) {
                starwire.close();
            }
        });
        server.setHandler(context);
        server.start();
    }

    /** Starts the chat on {@code host}:{@code port} ({@code 0}: a free port). */
    public static ServletChat start(String host, int port) throws Exception {
        return new ServletChat(host, port);
    }

    /** The port it listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    private DatastarResponse send(ChatInput input) {
        String user = input.username() == null ? "" : input.username().strip();
        String text = input.messageText() == null ? "" : input.messageText().strip();
        if (text.isEmpty() || user.isEmpty()) {
            return DatastarResponse.of(PatchElements.of(error("The message and the name must not be empty.")));
        }
        try {
            // answered once the hub stored it, as the demo does
            chat.publish(PatchElements.append("#messages",
                    message(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), user, text)))
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DatastarResponse.of(PatchElements.of(error("The message was not sent; try again.")));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return DatastarResponse.of(PatchElements.of(error("The message was not sent; try again.")));
        }
        return DatastarResponse.of(PatchSignals.of(Map.of("messageText", "")), PatchElements.of(error("")));
    }

    /** The demo's chat bubble (chatMessage.jte); user text escaped. */
    static Component message(long id, String author, String text) {
        String time = LocalTime.now().format(TIME);
        return out -> {
            out.writeContent("<article class=\"message\" id=\"message-" + id + "\">\n    <div class=\"message-author\">");
            Escape.htmlContent(author, out);
            out.writeContent("</div>\n    <div class=\"message-text\">");
            Escape.htmlContent(text, out);
            out.writeContent("</div>\n    <div class=\"message-time\">" + time + "</div>\n</article>");
        };
    }

    private static Component error(String problem) {
        return out -> {
            out.writeContent("<p id=\"chat-error\" class=\"chat-error\" role=\"alert\">");
            Escape.htmlContent(problem, out);
            out.writeContent("</p>");
        };
    }

    /** Closes the streams (each is told when to reconnect), then stops Jetty. */
    public void stop() throws Exception {
        starwire.close();
        server.stop();
    }

    /** Runs the chat on {@code HOST} (default 127.0.0.1) and {@code PORT} (default 8080) until it is stopped. */
    public static void main(String[] args) throws Exception {
        String host = System.getenv().getOrDefault("HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        ServletChat chat = start(host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                chat.stop();
            } catch (Exception e) {
                System.err.println("servlet chat: " + e);
            }
        }, "servlet-chat-stop"));
        System.out.println("servlet chat on http://" + host + ":" + chat.port() + "/join-chat");
        chat.server.join();
    }
}
