package dev.starwire.hub.spi;

import dev.starwire.hub.TopicUnavailableException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where a hub's topics are ordered, kept for replay and shared: in this process (the default in-memory
 * backend) or across instances (the Redis backend in {@code starwire-redis}). The hub calls it; application
 * code does not.
 *
 * <pre>{@code
 * backend.append("chat", frame).thenAccept(id -> log.debug("stored as {}", id));
 * AutoCloseable live = backend.listen("chat", stored -> fanOut(stored));
 * Optional<List<StoredEvent>> page = backend.replay("chat", lastEventId, 64);
 * List<StoredEvent> newest = backend.recent("chat", 100);
 * }</pre>
 *
 * <p>Contract:
 * <ul>
 *   <li>Ids are single-line strings, strictly increasing per topic in the order of {@link #compare}.</li>
 *   <li>{@link #append} completes with the new id once the event is stored (and would survive this
 *       instance). It completes exceptionally when the event was not stored, never silently drops, and a
 *       failed append is never kept: if the outcome was unknown (the connection broke while the command was
 *       in flight), the backend makes sure the event does not stay stored.</li>
 *   <li>{@link #listen} delivers every event appended to the topic after the listener started, from this
 *       or any other instance, exactly once and in id order, on one thread at a time.</li>
 *   <li>{@link #replay} returns one page: at most {@code maxEvents} events with an id greater than
 *       {@code lastEventId}, in order; {@link Optional#empty()} when {@code lastEventId} is older than the
 *       window or unknown, so the caller resynchronises with full state instead. A page shorter than
 *       {@code maxEvents} is the last one.</li>
 *   <li>{@link #health()} says whether the backend can store events now; while it is down, the hub fails
 *       publishes at once without calling {@link #append}.</li>
 *   <li>{@link #replay} and {@link #recent} throw {@link TopicUnavailableException} when the backend cannot
 *       answer now.</li>
 * </ul>
 */
public interface TopicBackend extends AutoCloseable {

    /** Stores one frame (without an id line) at the end of {@code topic}; completes with its id. */
    CompletableFuture<String> append(String topic, byte[] frame);

    /** Starts delivering every event appended to {@code topic} from now on; close the result to stop. */
    AutoCloseable listen(String topic, Consumer<StoredEvent> listener);

    /**
     * One page of the events of {@code topic} after {@code lastEventId}: at most {@code maxEvents}, oldest
     * first; empty when {@code lastEventId} is outside the window.
     *
     * @throws TopicUnavailableException when the backend cannot be read now
     */
    Optional<List<StoredEvent>> replay(String topic, String lastEventId, int maxEvents);

    /**
     * The newest events of {@code topic}, at most {@code maxEvents} of them, oldest first (fewer when the topic
     * holds fewer). Lets a topic be its own state: "the last 100 messages" is the chat history.
     *
     * @throws TopicUnavailableException when the backend cannot be read now
     */
    List<StoredEvent> recent(String topic, int maxEvents);

    /** Orders two ids of this backend: negative, zero or positive as {@code a} is before, equal to or after {@code b}. */
    int compare(String a, String b);

    /** Whether the backend can store events now; always up unless it depends on something that can fail. */
    default BackendHealth health() {
        return BackendHealth.up();
    }

    /**
     * Whether {@link #replay} may wait for the network. When it does not (an in-memory backend), the hub
     * fetches the next replay page right on the thread that drained the subscriber's outbox; otherwise on a
     * thread of its own, so no writer thread waits for a network round trip.
     */
    default boolean replayBlocks() {
        return true;
    }

    /** Stops listeners and releases connections. */
    @Override
    void close();
}
