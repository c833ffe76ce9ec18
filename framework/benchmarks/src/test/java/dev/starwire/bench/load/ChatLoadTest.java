package dev.starwire.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.starwire.ElementPatchMode;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.SseWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the load tool against a small chat server on the JDK's HTTP server (chunked SSE, events framed by
 * {@link SseWriter}), so the tool's HTTP, chunk and marker parsing is checked on real sockets.
 */
class ChatLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private ExecutorService executor;
    private final List<OutputStream> streams = new CopyOnWriteArrayList<>();
    private volatile boolean dropEveryOther;
    private int messagesSeen;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        executor = Executors.newFixedThreadPool(2);
        server.setExecutor(executor);
        server.createContext("/join-chat", this::join);
        server.createContext("/send-message", this::send);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void join(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0); // chunked
        OutputStream out = ex.getResponseBody();
        SseWriter w = new SseWriter(out);
        w.write(PatchSignals.of(Map.of("isConnected", true)));
        // the history spans several lines and contains a marker of another run: it must not count
        w.write(PatchElements.builder().selector("#messages").mode(ElementPatchMode.INNER)
                .elements("<div class=\"message\">old #r999999s0#</div>\n<div class=\"message\">welcome</div>")
                .build());
        w.flush();
        streams.add(out);
    }

    private synchronized void send(HttpExchange ex) throws IOException {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        String text = body.path("messageText").asText();
        byte[] frame = SseWriter.encode(PatchElements.builder().selector("#messages")
                .mode(ElementPatchMode.APPEND).elements("<div class=\"message\">" + text + "</div>").build());
        messagesSeen++;
        int i = 0;
        for (OutputStream out : streams) {
            if (dropEveryOther && messagesSeen % 2 == 0 && i++ == 0) {
                continue; // lose this message on the first stream
            }
            synchronized (out) {
                out.write(frame);
                out.flush();
            }
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        byte[] reply = SseWriter.encode(PatchSignals.of(Map.of("messageText", "")));
        ex.sendResponseHeaders(200, reply.length);
        ex.getResponseBody().write(reply);
        ex.close();
    }

    private Result run(String... extra) throws IOException {
        String[] base = {"--port", Integer.toString(server.getAddress().getPort()), "--streams", "20",
                "--messages", "30", "--rate", "200", "--warmup", "3", "--drain-seconds", "5",
                "--timeout-seconds", "60", "--pid", Long.toString(ProcessHandle.current().pid())};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return new Run(Options.parse(args)).execute();
    }

    @Test
    void everyMessageReachesEveryStreamAndIsTimed() throws IOException {
        Result r = run();

        assertEquals(20, r.joined);
        assertEquals(30, r.sent);
        assertEquals(0, r.sendErrors);
        assertEquals(20L * 30, r.expected);
        assertEquals(20L * 30, r.delivered);
        assertEquals(0, r.lost());
        assertEquals(0, r.duplicates);
        assertTrue(r.p50Millis >= 0 && r.p50Millis <= r.p99Millis && r.p99Millis <= r.maxMillis, r.summary());
        assertTrue(r.rssPeakMiB > 0, "reads this JVM's RSS from /proc");
        assertTrue(r.peakRssMiB() >= r.rssPeakMiB, r.summary());
        // here the server is this JVM: its CPU covers the load tool's, and both are spread over the events
        assertTrue(r.serverCpuSeconds >= 0 && r.toolCpuSeconds >= 0 && r.measuredSeconds > 0, r.summary());
        assertEquals(r.serverCpuSeconds * 1e6 / r.delivered, r.cpuPerEventMicros(), 1e-9);
        assertTrue(r.otherCores() >= 0, r.summary());
        assertTrue(r.json().contains("\"cpuPerEventMicros\":"), r.json());
        assertTrue(r.ok(), r.summary());
        assertTrue(r.json().contains("\"lost\":0"), r.json());
    }

    @Test
    void theWarmUpStopsAtItsOwnTimeLimitAndTheMeasuredMessagesAreAllSent() throws IOException {
        // 1,000 warm-up messages at 200/s would take 5 s; the warm-up's limit of 1 s cuts them short, while the
        // measured messages keep the (longer) limit of --send-seconds
        Result r = run("--warmup", "1000", "--warmup-seconds", "1", "--send-seconds", "30");

        assertEquals(30, r.sent, r.summary());
        assertEquals(0, r.lost(), r.summary());
        int warmUpSeen = messagesSeen - 30;
        assertTrue(warmUpSeen > 0 && warmUpSeen < 1000, "warm-up messages the server saw: " + warmUpSeen);
    }

    @Test
    void aMessageMissingOnOneStreamCountsAsLost() throws IOException {
        dropEveryOther = true;
        Result r = run();

        assertEquals(30, r.sent);
        assertEquals(20L * 30 - r.delivered, r.lost());
        assertTrue(r.lost() >= 14 && r.lost() <= 16, r.summary()); // every other measured message, one stream
        assertFalse(r.ok());
    }

    @Test
    void aServerThatIsNotThereFailsTheRun() throws IOException {
        int port = server.getAddress().getPort();
        server.stop(0);
        Result r = new Run(Options.parse(new String[] {"--port", Integer.toString(port), "--streams", "3",
                "--messages", "2", "--connect-seconds", "5", "--timeout-seconds", "20"})).execute();

        assertEquals(0, r.joined);
        assertEquals(3, r.failedBeforeJoin);
        assertFalse(r.ok());
    }
}
