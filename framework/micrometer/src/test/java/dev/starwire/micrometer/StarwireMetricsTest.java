package dev.starwire.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.starwire.PatchSignals;
import dev.starwire.hub.Hub;
import dev.starwire.hub.QueueLimits;
import dev.starwire.hub.Topic;
import dev.starwire.hub.spi.Outbox;
import dev.starwire.servlet.StarwireServlets;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The binder's meters against a hub driven through the outboxes server adapters use: every number after a known
 * workload. (Streams and rejected requests over real HTTP: the Spring Boot starter's MetricsTest.)
 */
class StarwireMetricsTest {
    @Test
    void hubMetersCountAKnownWorkload() {
        Hub hub = Hub.builder().queueLimits(new QueueLimits(3, 1 << 20)).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Topic chat = hub.topic("chat");
        StarwireMetrics.of(hub).tags(Tags.of("app", "test")).bindTo(registry);
        Topic news = hub.topic("news"); // created after binding: gets its gauge too
        try {
            List<Outbox> readers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Outbox o = Outbox.open(hub, () -> { }, () -> { });
                o.subscribe(chat);
                readers.add(o);
            }
            Outbox slow = Outbox.open(hub, () -> { }, () -> { });
            slow.subscribe(chat);
            Outbox.open(hub, () -> { }, () -> { }).subscribe(news);
            // the readers take each event as it comes; the slow one never reads: the 4th overflows its outbox
            String firstId = null;
            for (int i = 0; i < 4; i++) {
                String id = chat.publish(PatchSignals.of(Map.of("n", i))).join();
                firstId = firstId == null ? id : firstId;
                for (Outbox o : readers) {
                    assertNotNull(o.poll(), "the fan-out runs on the publishing thread");
                }
            }
            Outbox back = Outbox.open(hub, () -> { }, () -> { });
            back.subscribe(chat, firstId, () -> { });           // inside the window: a replay hit
            Outbox lost = Outbox.open(hub, () -> { }, () -> { });
            lost.subscribe(chat, "no-such-id-9", () -> { });    // an unknown id: a resync

            assertEquals(4, counter(registry, "starwire.events.published"));
            assertEquals(12, counter(registry, "starwire.events.delivered"));
            assertEquals(1, counter(registry, "starwire.streams.evicted"));
            assertEquals(1, counter(registry, "starwire.replay.hits"));
            assertEquals(1, counter(registry, "starwire.replay.resyncs"));
            assertEquals(5, registry.get("starwire.topic.subscribers").tag("topic", "chat").gauge().value());
            assertEquals(1, registry.get("starwire.topic.subscribers").tag("topic", "news").gauge().value());
            assertEquals(6, registry.get("starwire.subscribers").tag("app", "test").gauge().value());
            assertEquals(hub.stats().queuedBytes(), registry.get("starwire.queued.bytes").gauge().value());
            assertEquals(true, registry.get("starwire.queued.bytes").gauge().value() > 0, "the replay is queued");
            assertNull(registry.find("starwire.streams.open").gauge(), "a hub alone has no streams");
        } finally {
            hub.close();
        }
    }

    @Test
    void anAppOnServletsAlsoHasStreamsAndRejections() {
        try (StarwireServlets starwire = StarwireServlets.create()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            StarwireMetrics.of(starwire).bindTo(registry);
            assertEquals(0, registry.get("starwire.streams.open").gauge().value());
            for (String reason : List.of("missing", "malformed", "too_large", "too_deep", "wrong_type", "unreadable")) {
                assertNotNull(registry.find("starwire.signals.rejected").tag("reason", reason).functionCounter(), reason);
            }
            assertEquals(0, registry.get("starwire.requests.refused").tag("reason", "csrf").functionCounter().count());
        }
    }

    private static double counter(SimpleMeterRegistry registry, String name) {
        return registry.get(name).functionCounter().count();
    }
}
