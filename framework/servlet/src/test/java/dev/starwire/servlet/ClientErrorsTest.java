package dev.starwire.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.DatastarResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every client error is one log line without a stack trace, and a flood of them costs the log a few lines. */
class ClientErrorsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();

    /** The signals of the chat form. */
    public record Chat(String messageText, int count) {
    }

    private static int post(ServletServer server, String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.base() + path)).timeout(WAIT)
                .header("Datastar-Request", "true").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void everyClientErrorIsOneLogLineAndAFloodIsCut() throws Exception {
        StarwireServlets starwire = StarwireServlets.create();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (ServletServer server = new ServletServer(starwire, context -> starwire.register(context, "/chat",
                starwire.post(Chat.class, (req, res, chat) -> DatastarResponse.noContent())))) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            ClientErrors.restartWindow();
            assertEquals(400, post(server, "/chat?x=1", "{\"count\":\"abc\"}"));
            String one = captured.toString(StandardCharsets.UTF_8);
            List<String> lines = one.lines().filter(l -> l.contains("ClientErrors")).toList();
            assertEquals(1, lines.size(), one);
            assertTrue(lines.get(0).contains("400 POST /chat: signal 'count' must be an integer (int), got the string"
                    + " \"abc\""), one);

            for (int i = 0; i < 300; i++) {
                assertEquals(400, post(server, "/chat", "{\"a\":"));
            }
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout((int) WAIT.toMillis());
                s.getOutputStream().write(("POST /chat HTTP/1.1\r\nHost: x\r\nDatastar-Request: true\r\n"
                        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n").getBytes(StandardCharsets.UTF_8));
                assertTrue(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                        .startsWith("HTTP/1.1 400 "), "a broken chunk is a 400 too");
            }
            String all = captured.toString(StandardCharsets.UTF_8);
            List<String> ours = all.lines().filter(l -> l.contains("ClientErrors")).toList();
            // one window allows LINES_PER_WINDOW lines; a slow machine may see the loop span two windows
            assertTrue(ours.size() >= ClientErrors.LINES_PER_WINDOW && ours.size() <= 2 * ClientErrors.LINES_PER_WINDOW,
                    ours.size() + " lines:\n" + all);
            // nothing else was logged about these requests: no stack trace, no exception of the reader
            for (String cause : List.of("\tat dev.starwire", "SignalsException", "UncheckedIOException",
                    "BadMessageException", "EofException", "JsonParseException")) {
                assertFalse(all.contains(cause), cause + " in the log:\n" + all);
            }
            assertTrue(String.join("\n", ours).length() < 2 * 300 * ClientErrors.LINES_PER_WINDOW,
                    "301 bad requests logged " + String.join("\n", ours).length() + " chars");
        } finally {
            System.setErr(original);
        }
    }
}
