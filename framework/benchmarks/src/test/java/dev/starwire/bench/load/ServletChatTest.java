package dev.starwire.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.bench.servlet.ServletChat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plain-servlet chat the benchmarks run beside the demo answers the demo's chat contract over real HTTP: a
 * joining stream is connected and gets the history, every message reaches every stream (driven by the load tool
 * itself), bad input is answered with the chat's error, and a request without {@code Datastar-Request} is refused.
 */
class ServletChatTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private ServletChat chat;

    @BeforeEach
    void start() throws Exception {
        chat = ServletChat.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws Exception {
        chat.stop();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + chat.port() + path);
    }

    private HttpResponse<String> post(String body, boolean datastar) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/send-message")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (datastar) {
            b.header("Datastar-Request", "true");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyMessageReachesEveryStreamUnderTheLoadTool() throws IOException {
        Result r = new Run(Options.parse(new String[] {"--port", Integer.toString(chat.port()), "--streams", "50",
                "--messages", "40", "--rate", "100", "--warmup", "5", "--drain-seconds", "10",
                "--timeout-seconds", "60"})).execute();

        assertEquals(50, r.joined, r.summary());
        assertEquals(40, r.sent, r.summary());
        assertEquals(50L * 40, r.delivered, r.summary());
        assertEquals(0, r.lost(), r.summary());
        assertEquals(0, r.duplicates, r.summary());
        assertTrue(r.ok(), r.summary());
    }

    @Test
    void aJoiningStreamIsConnectedAndGetsTheHistoryThenLiveMessages() throws Exception {
        String signals = URLEncoder.encode("{\"username\":\"a\",\"messageText\":\"\"}", StandardCharsets.UTF_8);
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(uri("/join-chat?datastar=" + signals))
                .header("Datastar-Request", "true").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String first = event(in);
            assertTrue(first.contains("event: datastar-patch-signals") && first.contains("\"isConnected\":true"), first);
            String history = event(in);
            assertTrue(history.contains("data: selector #messages") && history.contains("data: mode inner")
                    && history.contains("Welcome to the chat!"), history);

            HttpResponse<String> answer = post("{\"username\":\"ann\",\"messageText\":\"<b>hi</b>\"}", true);
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"messageText\":\"\""), answer.body());

            String live = event(in);
            assertTrue(live.contains("data: mode append") && live.contains("&lt;b&gt;hi&lt;/b&gt;")
                    && live.contains("<div class=\"message-author\">ann</div>"), live);
        }
    }

    @Test
    void anEmptyMessageIsAnsweredWithTheChatError() throws Exception {
        HttpResponse<String> answer = post("{\"username\":\"ann\",\"messageText\":\"  \"}", true);

        assertEquals(200, answer.statusCode());
        assertTrue(answer.body().contains("id=\"chat-error\"") && answer.body().contains("must not be empty"),
                answer.body());
    }

    @Test
    void aPostWithoutDatastarRequestIsRefused() throws Exception {
        assertEquals(403, post("{\"username\":\"ann\",\"messageText\":\"hi\"}", false).statusCode());
    }

    /** The next SSE event's lines (up to the blank line), comments skipped. */
    private static String event(BufferedReader in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                if (sb.length() > 0) {
                    return sb.toString();
                }
                continue;
            }
            if (!line.startsWith(":")) {
                sb.append(line).append('\n');
            }
        }
        throw new IOException("the stream ended after: " + sb);
    }
}
