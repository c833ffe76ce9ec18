package dev.starwire.hub.spi;

import dev.starwire.DatastarEvent;
import dev.starwire.hub.Hub;
import dev.starwire.hub.QueueLimits;
import dev.starwire.hub.Subscription;
import dev.starwire.hub.Topic;
import dev.starwire.hub.TopicUnavailableException;
import dev.starwire.hub.internal.HubAccess;
import java.util.Objects;

/**
 * For server adapters: the bounded queue of encoded SSE frames waiting to be written to one client connection.
 * An adapter opens one per long-lived stream, {@linkplain #subscribe subscribes} it to a topic, offers direct
 * events to it, and writes what it {@link #poll}s whenever the connection can take bytes. Application code
 * never sees an outbox: it holds the adapter's stream handle (e.g. the Javalin adapter's {@code LiveStream}).
 *
 * <pre>{@code
 * Outbox out = Outbox.open(hub, () -> writer.wake(), () -> writer.abort("too slow"));
 * out.subscribe(hub.topic("chat"), request.getHeader("Last-Event-ID"), () -> out.offer(history()));
 * out.offer(PatchSignals.ofJson("{\"online\":true}"));
 * for (byte[] frame; (frame = out.poll()) != null; ) socket.write(frame);
 * }</pre>
 *
 * <p>Producers (topic fan-out, direct sends) {@link #offer} without ever blocking. When a frame does not fit
 * the hub's {@link QueueLimits}, the outbox closes itself, drops what it held and runs its {@code overflowed}
 * callback once, so one slow client costs bounded memory and never slows anyone else; the adapter then drops
 * the connection and the client catches up by replay when it reconnects. {@code readable} runs (on the
 * offering thread) each time the outbox goes from empty to not empty, so a writer that drains until
 * {@link #poll} returns {@code null} never misses a frame. Thread-safe. Only the hub implements this
 * interface.
 */
public interface Outbox {

    /**
     * A new, empty outbox with {@code hub}'s queue limits, counted in its {@link Hub#stats()}.
     *
     * @param readable   runs when the outbox goes from empty to not empty: schedule the writer
     * @param overflowed runs once if the client reads too slowly and the outbox closed itself: drop the
     *                   connection so the client reconnects and catches up by replay
     */
    static Outbox open(Hub hub, Runnable readable, Runnable overflowed) {
        return HubAccess.openOutbox(hub, readable, null, overflowed);
    }

    /**
     * As {@link #open(Hub, Runnable, Runnable)}, and a live event of a topic that finds the outbox empty (nothing
     * queued, the subscription not catching up) is first offered to {@code live}, on the fan-out's thread,
     * holding no lock: the adapter writes it to the connection at once when it can do so without blocking, as
     * a plain server writes one event to every client. Only what {@code live} refuses is queued (and then
     * {@code readable} runs as usual). A client that keeps up thus costs the fan-out one write and no hand-off
     * to a writer thread; a slow one gets the outbox, its limits and eviction as before.
     *
     * <pre>{@code
     * Outbox out = Outbox.open(hub, writer::wake, writer::writeLive, () -> writer.abort("too slow"));
     * }</pre>
     */
    static Outbox open(Hub hub, Runnable readable, LiveWriter live, Runnable overflowed) {
        return HubAccess.openOutbox(hub, readable, Objects.requireNonNull(live, "live"), overflowed);
    }

    /**
     * Writes a topic's live event straight to a stream whose outbox is empty; see
     * {@link Outbox#open(Hub, Runnable, LiveWriter, Runnable)}.
     *
     * <pre>{@code
     * LiveWriter live = frame -> writer.idle() && writer.writeOrKeepRest(frame); // false: nothing was written
     * }</pre>
     */
    @FunctionalInterface
    interface LiveWriter {
        /**
         * Writes {@code frame} (a complete SSE frame, shared by every subscriber: never modified) now, without
         * blocking; or, when the connection takes only part of it, keeps the rest and finishes as the connection
         * drains, before anything else of this stream. Runs on the fan-out's thread, so it must not block or
         * fail the stream there (every other subscriber waits for it): a failed write is reported later, from
         * the adapter's own thread.
         *
         * @return {@code false} when the frame cannot be written now (a write is pending, the stream is closing,
         *         the connection is not one the adapter writes to directly) and none of it was written: the outbox
         *         queues it
         */
        boolean write(byte[] frame);
    }

    /** Subscribes this outbox to the live events of {@code topic}, for a client without a position. */
    Subscription subscribe(Topic topic);

    /**
     * Subscribes this outbox to {@code topic}, first catching it up from {@code lastEventId}: the missed
     * events when they are still in the replay window, otherwise {@code sendFullState} (run on this thread)
     * queues the whole state. Live events follow without a duplicate or a gap.
     *
     * @param lastEventId   the client's {@code Last-Event-ID}, or {@code null} for a new client
     * @param sendFullState queues the full state for a client without a usable position; may be {@code null}
     * @throws TopicUnavailableException when the backend cannot replay now (nothing was subscribed)
     */
    Subscription subscribe(Topic topic, String lastEventId, Runnable sendFullState);

    /**
     * Subscribes this outbox to a topic that is its own state (e.g. a chat whose history is its last
     * {@code recent} messages): a client inside the replay window gets what it missed; any other client gets
     * {@code reset} (the empty container), then the newest {@code recent} events, then live events.
     *
     * @param recent how many of the newest events make up the state, at least 1
     * @param reset  queues the state's empty container; may be {@code null}
     * @throws TopicUnavailableException when the backend cannot be read now (nothing was subscribed)
     */
    Subscription subscribe(Topic topic, String lastEventId, int recent, Runnable reset);

    /** Encodes and queues one event; {@code false} when the outbox is closed or just overflowed. */
    boolean offer(DatastarEvent event);

    /**
     * Queues one complete SSE frame (shared, never modified); {@code false} when the outbox is closed or this
     * frame made it overflow.
     */
    boolean offer(byte[] frame);

    /** The next frame to write, or {@code null} when there is none (or the outbox is closed). */
    byte[] poll();

    /** Whether no frame is waiting. */
    boolean isEmpty();

    /** Bytes waiting now. */
    long queuedBytes();

    /** Frames waiting now. */
    int size();

    /** Whether the outbox was closed, by {@link #close()} or by an overflow. */
    boolean isClosed();

    /** Whether the outbox closed because its client read too slowly. */
    boolean overflowed();

    /** Closes the outbox and drops what it still held; later offers return {@code false}. Idempotent. */
    void close();
}
