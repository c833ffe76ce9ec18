package dev.starwire.hub;

import dev.starwire.hub.internal.HubAccess;
import dev.starwire.hub.spi.Outbox;
import dev.starwire.hub.spi.TopicBackend;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The broadcast hub: named {@link Topic}s on a {@link TopicBackend} (in memory by default, Redis for several
 * instances), delivered to bounded per-connection outboxes. Server-neutral: a web adapter (the Javalin plugin)
 * opens one {@link Outbox} per open stream ({@code dev.starwire.hub.spi}) and writes what it polls; application
 * code publishes to topics and reads the stats.
 *
 * <pre>{@code
 * Hub hub = Hub.builder()
 *         .backend(new InMemoryBackend(1_000, 4L << 20))   // replay ring per topic
 *         .queueLimits(new QueueLimits(2_000, 8L << 20))   // per-subscriber outbox
 *         .build();
 * Topic chat = hub.topic("chat");
 * chat.publish(PatchSignals.ofJson("{\"online\":3}"));
 * HubStats stats = hub.stats();
 * }</pre>
 */
public final class Hub implements AutoCloseable {
    static {
        HubAccess.install(Hub::openOutbox);
    }

    private final TopicBackend backend;
    private final QueueLimits queueLimits;
    private final Counters counters = new Counters();
    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final List<Consumer<Topic>> topicWatchers = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor pager;

    private Hub(TopicBackend backend, QueueLimits queueLimits) {
        this.backend = backend;
        this.queueLimits = queueLimits;
        // Replay pages of a backend that waits for the network are fetched here, never on a writer thread:
        // two threads, gone when idle, a queue instead of more threads.
        AtomicInteger n = new AtomicInteger();
        this.pager = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "starwire-replay-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.pager.allowCoreThreadTimeOut(true);
    }

    /** A hub with the in-memory backend and the default limits. */
    public static Hub inMemory() {
        return builder().build();
    }

    /** Starts configuring a hub. */
    public static Builder builder() {
        return new Builder();
    }

    /** The topic called {@code name}, created on first use; the same object for the same name. */
    public Topic topic(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a topic needs a name");
        }
        Topic known = topics.get(name);
        if (known != null) {
            return known;
        }
        boolean[] created = {false};
        Topic topic = topics.computeIfAbsent(name, n -> {
            created[0] = true;
            return new Topic(n, this);
        });
        if (created[0]) {
            for (Consumer<Topic> watcher : topicWatchers) {
                watcher.accept(topic); // outside computeIfAbsent: a watcher may ask the hub for topics
            }
        }
        return topic;
    }

    /** The topics created so far (a snapshot). */
    public Collection<Topic> topics() {
        return List.copyOf(topics.values());
    }

    /**
     * Runs {@code watcher} for every topic, those created so far now and every later one right after it is
     * created, e.g. to register a gauge per topic. A topic created while this method runs may be passed twice.
     */
    public void watchTopics(Consumer<Topic> watcher) {
        Objects.requireNonNull(watcher, "watcher");
        topicWatchers.add(watcher);
        for (Topic t : topics.values()) {
            watcher.accept(t);
        }
    }

    /** The per-subscriber queue limits. */
    public QueueLimits queueLimits() {
        return queueLimits;
    }

    /** The backend topics are stored in. */
    TopicBackend backend() {
        return backend;
    }

    /** A snapshot of the counters: subscribers, queued bytes, published, delivered, evicted, replay hits, resyncs. */
    public HubStats stats() {
        return counters.snapshot();
    }

    /** Stops all topics and closes the backend. */
    @Override
    public void close() {
        topics.values().forEach(Topic::close);
        topics.clear();
        pager.shutdownNow();
        backend.close();
    }

    /** {@link Outbox#open}: an outbox with this hub's limits and counters. */
    private static Outbox openOutbox(Hub hub, Runnable readable, Outbox.LiveWriter live, Runnable overflowed) {
        return new HubOutbox(hub.queueLimits, hub.counters, readable, live, overflowed);
    }

    Counters counters() {
        return counters;
    }

    Executor pager() {
        return pager;
    }

    /**
     * Configures a {@link Hub}.
     *
     * <pre>{@code
     * Hub hub = Hub.builder().backend(redisBackend).build();
     * }</pre>
     */
    public static final class Builder {
        private TopicBackend backend;
        private QueueLimits queueLimits = QueueLimits.DEFAULT;

        private Builder() {
        }

        /** Where topics are stored and shared; an {@link InMemoryBackend} unless set. The hub closes it. */
        public Builder backend(TopicBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /** The limits of each subscriber's outbox; {@link QueueLimits#DEFAULT} unless set. */
        public Builder queueLimits(QueueLimits limits) {
            this.queueLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** The hub. */
        public Hub build() {
            return new Hub(backend != null ? backend : new InMemoryBackend(), queueLimits);
        }
    }
}
