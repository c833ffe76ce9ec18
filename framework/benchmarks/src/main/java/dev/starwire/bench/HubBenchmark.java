package dev.starwire.bench;

import dev.starwire.ElementPatchMode;
import dev.starwire.PatchElements;
import dev.starwire.hub.Hub;
import dev.starwire.hub.Topic;
import dev.starwire.hub.spi.Outbox;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One chat message published to every subscriber of a topic of the in-memory {@link Hub}: the event is
 * encoded once, stored in the replay ring, and the same frame is queued in each subscriber's outbox, which an
 * instant writer drains (each outbox's {@code readable} callback polls it into a {@link Sink}, as a
 * connection's writer would). Compared with what the official SDKs do per client: frame the event again for
 * every subscriber, by hand.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HubBenchmark {
    @Param({"1000"})
    int subscribers;

    Hub hub;
    Topic topic;
    final List<Outbox> outboxes = new ArrayList<>();
    final List<Sink> sinks = new ArrayList<>();
    String html;

    @Setup
    public void setup() {
        hub = Hub.inMemory();
        topic = hub.topic("chat");
        for (int i = 0; i < subscribers; i++) {
            Sink sink = new Sink();
            sinks.add(sink);
            Outbox[] self = new Outbox[1];
            self[0] = Outbox.open(hub, () -> {
                for (byte[] f; (f = self[0].poll()) != null; ) {
                    sink.write(f, 0, f.length);
                }
            }, () -> {
                throw new IllegalStateException("a subscriber overflowed: the benchmark must drain every outbox");
            });
            outboxes.add(self[0]);
            self[0].subscribe(topic);
        }
        html = "<div class=\"message\"><span class=\"message-author\">Ana</span>"
                + "<span class=\"message-text\">Halo semua, apa kabar?</span>"
                + "<span class=\"message-time\">12:00</span></div>";
        topic.publish(message()).join();
        for (Sink s : sinks) {
            if (s.total == 0) {
                throw new IllegalStateException("a subscriber got nothing");
            }
        }
    }

    @TearDown
    public void tearDown() {
        hub.close();
    }

    private PatchElements message() {
        return PatchElements.builder().selector("#messages").mode(ElementPatchMode.APPEND).elements(html).build();
    }

    /** Build the event, publish it through the hub, every subscriber's writer takes its frame. */
    @Benchmark
    public String publish() {
        return topic.publish(message()).join();
    }

    /** What a per-client SDK loop does: frame the same event again for every subscriber. */
    @Benchmark
    public long framePerSubscriber() throws IOException {
        long total = 0;
        for (int i = 0; i < subscribers; i++) {
            Sink sink = sinks.get(i);
            ByHand.patchElements(sink, "#messages", "append", html);
            total += sink.total;
        }
        return total;
    }
}
