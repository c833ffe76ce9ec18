package dev.starwire.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.starwire.ElementPatchMode;
import dev.starwire.PatchElements;
import dev.starwire.hub.Subscription;
import dev.starwire.hub.Topic;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clients that reconnect far behind and then never read: their replay must cost bounded memory (in the JVM
 * and in the kernel's socket buffers), and their connections must be closed even though the topic stays
 * quiet afterwards.
 */
class ReplayBoundsTest {
    private static final int STREAMS = 300;
    private static final int MESSAGES = 1000;
    private static final int MESSAGE_BYTES = 2700;
    private static final Duration STALL = Duration.ofSeconds(4);

    @Test
    void nonReadingStreamsReplayingFarBehindStayBoundedAndAreClosed() throws Exception {
        assumeTrue(Kernel.available(), "needs Linux /proc");
        Starwire sw = Starwire.create(cfg -> {
            cfg.keepAlive = Duration.ofSeconds(15); // the topic stays quiet: keepalives are the only writes
            cfg.stallTimeout = STALL;
        });
        Topic chat = sw.topic("chat");
        List<Socket> sockets = new ArrayList<>();
        try (TestServer server = new TestServer(sw, c -> c.routes.get("/s", sw.stream(s -> s.subscribe(chat))))) {
            String text = "x".repeat(MESSAGE_BYTES - 100);
            String first = null;
            for (int i = 0; i < MESSAGES; i++) {
                String id = chat.publish(PatchElements.builder().selector("#messages").mode(ElementPatchMode.APPEND)
                        .elements("<article id=\"m" + i + "\">" + text + "</article>").build()).join();
                first = first == null ? id : first;
            }
            System.gc();
            long rssBefore = Kernel.rssBytes();
            long kernelBefore = Kernel.queuedBytes(server.port());
            long start = System.nanoTime();
            for (int i = 0; i < STREAMS; i++) {
                sockets.add(SseConnection.openSilently(server.port(), "/s", 4096, "Last-Event-ID: " + first));
            }
            TestServer.await("every stream to subscribe", () -> sw.stats().subscribers() == STREAMS
                    || sw.openStreams() == STREAMS);
            long peakQueued = 0;
            long peakRss = 0;
            long peakKernel = 0;
            for (long end = System.nanoTime() + Duration.ofSeconds(5).toNanos(); System.nanoTime() < end; ) {
                peakQueued = Math.max(peakQueued, sw.stats().queuedBytes());
                peakRss = Math.max(peakRss, Kernel.rssBytes());
                peakKernel = Math.max(peakKernel, Kernel.queuedBytes(server.port()));
                Thread.sleep(100);
            }
            System.out.printf("replay of %d streams: outboxes peak %.1f MB, RSS %+.1f MB (from %.1f), kernel queues"
                    + " peak %.1f MB (from %.1f)%n", STREAMS, peakQueued / 1e6, (peakRss - rssBefore) / 1e6,
                    rssBefore / 1e6, peakKernel / 1e6, kernelBefore / 1e6);
            long closedBy = 0;
            for (long end = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < end; ) {
                if (sw.openStreams() == 0) {
                    closedBy = System.nanoTime();
                    break;
                }
                Thread.sleep(100);
            }
            System.out.printf("open streams after the wait: %d, all closed after %.1f s%n", sw.openStreams(),
                    closedBy == 0 ? -1 : (closedBy - start) / 1e9);
            // Before: 49 MB in outboxes, RSS +1,003 MB, 826 MB in kernel queues, and no stream closed in 60 s.
            assertTrue(peakQueued < STREAMS * 2 * Subscription.PAGE_BYTES,
                    "outboxes held " + peakQueued + " bytes at once");
            assertTrue(peakKernel < 150_000_000, "kernel socket queues held " + peakKernel + " bytes");
            assertTrue(peakRss - rssBefore < 300_000_000, "RSS grew by " + (peakRss - rssBefore) + " bytes");
            assertEquals(0, sw.openStreams(), "streams whose clients read nothing are closed on a quiet topic");
            assertTrue(closedBy - start < STALL.toNanos() + Duration.ofSeconds(15).toNanos(),
                    "closed within the stall timeout, give or take the checks");
            assertEquals(0, sw.stats().subscribers());
            assertEquals(0, sw.stats().queuedBytes());
            // Dropped with a reset: the kernel lets go of what it held for them at once.
            long freedBy = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (Kernel.serverSendQueues(server.port()) >= 100_000 && System.nanoTime() < freedBy) {
                Thread.sleep(100);
            }
            assertTrue(Kernel.serverSendQueues(server.port()) < 100_000,
                    "the kernel still holds send queues (state/bytes): " + Kernel.describe(server.port()));
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
