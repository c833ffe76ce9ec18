package dev.starwire.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.starwire.test.DatastarClient;
import dev.starwire.test.ReceivedStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The servlet guide's chat on embedded Jetty, wired as docs/servlet.md shows, driven by the test kit's strict
 * client: two users, then a reconnect that replays exactly what was missed.
 */
class ServletGuideExampleTest {
    static final String PAGE = """
            <!doctype html>
            <script type="module" src="https://cdn.jsdelivr.net/gh/starfederation/datastar@1.0.1/bundles/datastar.js"></script>
            <body data-signals='{"user":"","text":""}' data-init="@get('/chat/stream')">
              <div id="messages"></div>
              <form id="send" data-on:submit="@post('/chat/send')">
                <input data-bind:user placeholder="name"> <input data-bind:text placeholder="message">
              </form>
            </body>""";

    @Test
    void theGuidesChatWorksOnAPlainServletContainer() throws Exception {
        ChatApp app = new ChatApp();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addEventListener(app);                      // registers the streams and actions at start
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
                res.setContentType("text/html;charset=utf-8");
                res.getWriter().write(PAGE);
            }
        }), "/");
        server.setHandler(context);
        server.start();
        String base = "http://127.0.0.1:" + connector.getLocalPort();
        try (DatastarClient ana = DatastarClient.connect(base); DatastarClient ben = DatastarClient.connect(base)) {
            ana.open("/").assertDatastar10Syntax();
            ana.page().setSignal("user", "Ana");
            ana.page().setSignal("text", "first");
            ana.submit("#send");                            // before anyone listens: stored only
            ana.awaitSignal("text", "");

            ben.open("/");
            ana.init();
            ReceivedStream benStream = ben.init().get(0);
            ben.awaitElements("#messages .message", 1);     // the stored message, after the empty list
            ServletServer.await("two subscribers", () -> app.starwire().topic("chat").subscriberCount() == 2);

            ana.page().setSignal("text", "hello <b>all</b>");
            ana.submit("#send");
            ben.awaitElements("#messages .message", 2);
            ben.page().assertThat("#messages .message:nth-child(2)").hasText("Ana hello <b>all</b>");
            String seen = benStream.lastEventId().orElseThrow();
            benStream.close();

            ana.page().setSignal("text", "while you were away");
            ana.submit("#send");
            ana.awaitElements("#messages .message", 3);

            ReceivedStream back = ben.resume("/chat/stream", seen);
            ben.awaitElements("#messages .message", 3);
            back.awaitEvents(1, Duration.ofSeconds(30));
            assertEquals(1, back.events().size(), "exactly the missed message, not the whole list");
            ben.page().assertThat("#messages .message:nth-child(3)").hasText("Ana while you were away");
        } finally {
            server.stop();                                  // contextDestroyed closes Starwire
        }
        assertEquals(0, app.starwire().openStreams());
    }
}
