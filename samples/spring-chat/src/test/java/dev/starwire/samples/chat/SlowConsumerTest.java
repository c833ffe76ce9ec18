package dev.starwire.samples.chat;

import static dev.starwire.samples.chat.ChatLoadTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.servlet.StarwireServlets;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * A client that stops reading, over real HTTP: its outbox fills (20 events here) and it is evicted, while a client
 * that reads gets every message; the evicted client reconnects with its {@code Last-Event-ID} and gets exactly the
 * messages it missed, in order (a replay hit). The kernel buffers are kept small (Tomcat's send buffer, the
 * client's receive buffer), so a few dozen messages fill them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // the evicted client's response cannot be completed while nobody reads it: no 30 s graceful wait for it
        properties = {"starwire.hub.max-events=20", "starwire.stall-timeout=0s",
                "spring.lifecycle.timeout-per-shutdown-phase=2s"})
class SlowConsumerTest {
    @LocalServerPort
    int port;

    @Autowired
    StarwireServlets starwire;

    @TestConfiguration
    static class SmallSocketBuffers {
        @Bean
        TomcatConnectorCustomizer smallSendBuffer() {
            return connector -> connector.setProperty("socket.txBufSize", "8192");
        }
    }

    @Test
    @Timeout(120)
    void aClientThatStopsReadingIsEvictedAndCatchesUpByReplay() throws Exception {
        String base = "http://127.0.0.1:" + port;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String run = "slow-" + System.nanoTime() + "-";
        SseMessages reader = SseMessages.open(client, base, null);
        assertEquals(200, reader.status());
        List<String> sent = new ArrayList<>();
        post(client, base, run + 0, sent);
        waitFor(() -> reader.texts().contains(run + 0) && reader.lastId() != null, "the first message and its id");
        String resumeFrom = reader.lastId();

        long evictedBefore = starwire.stats().evicted();
        long hitsBefore = starwire.stats().replayHits();
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /join-chat HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n"
                    + "Last-Event-ID: " + resumeFrom + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            waitFor(() -> starwire.stats().replayHits() > hitsBefore, "the stalled client to subscribe");
            String padding = "x".repeat(400);
            for (int m = 1; m <= 600 && starwire.stats().evicted() == evictedBefore; m++) {
                post(client, base, run + m + " " + padding, sent);
            }
            assertTrue(starwire.stats().evicted() > evictedBefore, "evicted within 600 messages");
        }
        String evicted = get(client, base + "/actuator/metrics/starwire.streams.evicted");
        assertTrue(evicted.contains("\"value\":" + (double) starwire.stats().evicted()), evicted);

        // the reader read everything, exactly once, in order
        waitFor(() -> ours(reader, run).size() >= sent.size(), "every message for the reader");
        assertEquals(sent, ours(reader, run));

        // the evicted client comes back with its last id and gets exactly what it missed
        SseMessages back = SseMessages.open(client, base, resumeFrom);
        assertEquals(200, back.status());
        waitFor(() -> ours(back, run).size() >= sent.size() - 1, "the replay of every missed message");
        assertEquals(sent.subList(1, sent.size()), ours(back, run), "the missed messages, in order, once");
        assertEquals(hitsBefore + 2, starwire.stats().replayHits(), "both resumes were replay hits");
        reader.close();
        back.close();
    }

    private static void post(HttpClient client, String base, String text, List<String> sent) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/send-message"))
                .header("Datastar-Request", "true").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"slow\",\"messageText\":\"" + text + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        sent.add(text);
    }

    private static String get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> ours(SseMessages s, String run) {
        return s.texts().stream().filter(t -> t.startsWith(run)).toList();
    }
}
