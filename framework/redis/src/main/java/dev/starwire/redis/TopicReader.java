package dev.starwire.redis;

import dev.starwire.hub.spi.StoredEvent;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reader of one topic in this instance: a platform thread that loops {@code XREAD BLOCK} on its own
 * connection (a blocking read holds its connection) from the last id it delivered, and hands each entry to
 * every local listener in stream order. After a failure it drops the connection, waits with exponential
 * backoff, reconnects and resumes after the last delivered id, so entries appended meanwhile arrive late but
 * exactly once. While its backend is cancelling appends of unknown outcome it does not read, so it never
 * delivers an entry that is about to be removed.
 */
final class TopicReader implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(TopicReader.class);
    private static final int BATCH = 512;
    private static final long FIRST_BACKOFF_MILLIS = 100;

    private final String topic;
    private final String key;
    private final Supplier<StatefulRedisConnection<String, byte[]>> connector;
    private final Duration block;
    private final long maxBackoffMillis;
    private final CopyOnWriteArrayList<Consumer<StoredEvent>> listeners = new CopyOnWriteArrayList<>();
    private final BooleanSupplier mayRead;
    private final Thread thread;

    private final AtomicInteger failuresSeen = new AtomicInteger();
    private volatile boolean running = true;
    private final AtomicReference<StatefulRedisConnection<String, byte[]>> connection = new AtomicReference<>();
    /** Last id delivered (or the tail when started); null until known. Written by the reader thread only. */
    private volatile String lastId;

    TopicReader(String topic, String key, String startAfter,
                Supplier<StatefulRedisConnection<String, byte[]>> connector, Duration block, Duration maxBackoff) {
        this(topic, key, startAfter, connector, block, maxBackoff, () -> true);
    }

    /** As above; while {@code mayRead} is false the reader waits instead of reading. */
    TopicReader(String topic, String key, String startAfter,
                Supplier<StatefulRedisConnection<String, byte[]>> connector, Duration block, Duration maxBackoff,
                BooleanSupplier mayRead) {
        this.topic = topic;
        this.mayRead = mayRead;
        this.key = key;
        this.lastId = startAfter;
        this.connector = connector;
        this.block = block;
        this.maxBackoffMillis = Math.max(FIRST_BACKOFF_MILLIS, maxBackoff.toMillis());
        this.thread = new Thread(this, "starwire-redis-reader[" + topic + "]");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void add(Consumer<StoredEvent> listener) {
        listeners.add(listener);
    }

    /** Removes one registration; returns whether no listener is left. */
    boolean remove(Consumer<StoredEvent> listener) {
        listeners.remove(listener);
        return listeners.isEmpty();
    }

    /** Stops the thread and closes its connection; waits briefly for the thread to end. */
    void stop() {
        running = false;
        closeConnection();
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        log.debug("Reader for topic '{}' started after id {}", topic, lastId);
        int failures = 0;
        while (running) {
            try {
                StatefulRedisConnection<String, byte[]> current = connection.get();
                if (current == null) {
                    current = connector.get();
                    connection.set(current);
                    if (failures > 0) {
                        log.info("Reader for topic '{}' reconnected to Redis after {} failed attempt(s); resuming after id {}",
                                topic, failures, lastId);
                    }
                }
                RedisCommands<String, byte[]> redis = current.sync();
                if (!mayRead.getAsBoolean()) {
                    // Appends of this instance whose outcome is unknown are being cancelled: an entry read now
                    // might be removed a moment later, so wait until they are settled.
                    if (!pause(20)) {
                        break;
                    }
                    continue;
                }
                if (lastId == null) {
                    lastId = tail(redis, key);
                    log.info("Reader for topic '{}' starts after the current tail {}", topic, lastId);
                }
                List<StreamMessage<String, byte[]>> batch = redis.xread(
                        XReadArgs.Builder.block(block).count(BATCH), offsets(key, lastId));
                failures = 0;
                for (StreamMessage<String, byte[]> message : batch) {
                    deliver(message);
                    lastId = message.getId();
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                failures++;
                failuresSeen.incrementAndGet();
                closeConnection();
                long delay = backoffMillis(failures);
                if (failures == 1 || failures % 20 == 0) {
                    log.warn("Reader for topic '{}' lost Redis ({}); attempt {}, retrying in {} ms, will resume after id {}",
                            topic, e.toString(), failures, delay, lastId);
                } else {
                    log.debug("Reader for topic '{}' still cannot reach Redis ({}); retrying in {} ms",
                            topic, e.toString(), delay);
                }
                if (!pause(delay)) {
                    break;
                }
            }
        }
        closeConnection();
        log.debug("Reader for topic '{}' stopped after id {}", topic, lastId);
    }

    /** The id of the newest entry of {@code key}, or {@link StreamIds#BEFORE_ALL} for an empty stream. */
    static String tail(RedisCommands<String, byte[]> redis, String key) {
        List<StreamMessage<String, byte[]>> newest = redis.xrevrange(key, Range.unbounded(), Limit.from(1));
        return newest.isEmpty() ? StreamIds.BEFORE_ALL : newest.get(0).getId();
    }

    private void deliver(StreamMessage<String, byte[]> message) {
        byte[] frame = message.getBody().get(RedisTopicBackend.FRAME_FIELD);
        if (frame == null) {
            log.warn("Skipping entry {} of {}: it has no '{}' field (written by something else?)",
                    message.getId(), key, RedisTopicBackend.FRAME_FIELD);
            return;
        }
        StoredEvent event = new StoredEvent(message.getId(), frame);
        for (Consumer<StoredEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("Listener of topic '{}' failed on event {}; it keeps receiving later events", topic,
                        event.id(), e);
            }
        }
    }

    private long backoffMillis(int failures) {
        long ceiling = Math.min(maxBackoffMillis, FIRST_BACKOFF_MILLIS << Math.min(failures - 1, 20));
        // Jitter spreads the reconnects of many instances after a Redis restart.
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void closeConnection() {
        StatefulRedisConnection<String, byte[]> c = connection.getAndSet(null);
        if (c != null) {
            try {
                c.closeAsync();
            } catch (RuntimeException e) {
                log.debug("Closing reader connection of topic '{}' failed", topic, e);
            }
        }
    }

    String lastId() {
        return lastId;
    }

    /** How many times this reader lost Redis (or failed to reach it) since it started. */
    int failuresSeen() {
        return failuresSeen.get();
    }

    /** One stream's offset as the varargs array {@code XREAD} takes, built without a generic array warning. */
    private static XReadArgs.StreamOffset<String>[] offsets(String key, String after) {
        @SuppressWarnings("unchecked") // an array of a generic type cannot be created otherwise; it holds one offset
        XReadArgs.StreamOffset<String>[] one = (XReadArgs.StreamOffset<String>[]) new XReadArgs.StreamOffset<?>[1];
        one[0] = XReadArgs.StreamOffset.from(key, after);
        return one;
    }
}
