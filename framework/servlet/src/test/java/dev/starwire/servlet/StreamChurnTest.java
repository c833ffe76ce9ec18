package dev.starwire.servlet;

import static dev.starwire.servlet.ServletServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.starwire.PatchSignals;
import dev.starwire.hub.Topic;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Streams opened and left again and again, from several threads at once: each one's close callbacks run once,
 * and nothing stays behind, neither an open stream, a subscription, queued bytes nor a task on the shared timer
 * (keepalives, close timeouts).
 */
class StreamChurnTest {

    @Test
    void streamsThatComeAndGoLeaveNothingBehind() throws Exception {
        StarwireServlets starwire = StarwireServlets.create(cfg -> cfg.keepAlive = Duration.ofMillis(100));
        Topic topic = starwire.topic("t");
        AtomicInteger closed = new AtomicInteger();
        int cycles = 200;
        int threads = 4;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (ServletServer server = new ServletServer(starwire, context -> starwire.register(context, "/s",
                starwire.stream(s -> {
                    s.onClose(closed::incrementAndGet);
                    s.subscribe(topic, () -> s.send(PatchSignals.ofJson("{\"hello\":true}")));
                })))) {
            int baselineTasks = starwire.scheduledTasks();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < cycles / threads; i++) {
                        try (SseClient c = new SseClient(http, URI.create(server.base() + "/s"), null)) {
                            assertEquals("event: datastar-patch-signals\ndata: signals {\"hello\":true}\n\n", c.next());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            // a client that left is noticed when its stream next writes: a keepalive, at the latest
            await("every stream noticed its client left", () -> closed.get() == cycles);
            await("nothing open", () -> starwire.openStreams() == 0 && topic.subscriberCount() == 0
                    && starwire.stats().subscribers() == 0 && starwire.stats().queuedBytes() == 0);
            await("timers released", () -> starwire.scheduledTasks() <= baselineTasks);
        } finally {
            pool.shutdownNow();
        }
    }
}
