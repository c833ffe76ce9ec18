package dev.starwire.hub;

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
 * Optional<List<StoredEvent>> missed = backend.replay("chat", lastEventId);
 * }</pre>
 *
 * <p>Contract:
 * <ul>
 *   <li>Ids are single-line strings, strictly increasing per topic in the order of {@link #compare}.</li>
 *   <li>{@link #append} completes with the new id once the event is stored (and would survive this
 *       instance); it completes exceptionally when it could not be stored, never silently drops.</li>
 *   <li>{@link #listen} delivers every event appended to the topic after the listener started, from this
 *       or any other instance, exactly once and in id order, on one thread at a time.</li>
 *   <li>{@link #replay} returns the events with an id greater than {@code lastEventId} that are still in
 *       the replay window, in order; {@link Optional#empty()} when {@code lastEventId} is older than the
 *       window or unknown, so the caller resynchronises with full state instead.</li>
 * </ul>
 */
public interface TopicBackend extends AutoCloseable {

    /** Stores one frame (without an id line) at the end of {@code topic}; completes with its id. */
    CompletableFuture<String> append(String topic, byte[] frame);

    /** Starts delivering every event appended to {@code topic} from now on; close the result to stop. */
    AutoCloseable listen(String topic, Consumer<StoredEvent> listener);

    /** The events of {@code topic} after {@code lastEventId}, or empty when it is outside the window. */
    Optional<List<StoredEvent>> replay(String topic, String lastEventId);

    /** Orders two ids of this backend: negative, zero or positive as {@code a} is before, equal to or after {@code b}. */
    int compare(String a, String b);

    /** Stops listeners and releases connections. */
    @Override
    void close();
}
