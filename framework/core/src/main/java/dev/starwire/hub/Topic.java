package dev.starwire.hub;

import dev.starwire.DatastarEvent;
import dev.starwire.FragmentCheck;
import dev.starwire.SseWriter;
import dev.starwire.hub.spi.BackendHealth;
import dev.starwire.hub.spi.Outbox;
import dev.starwire.hub.spi.StoredEvent;
import dev.starwire.hub.spi.TopicBackend;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named channel: publish an event once, every subscribed outbox gets it, in the same order, with an
 * {@code id:} its client can resume from.
 *
 * <pre>{@code
 * Topic chat = hub.topic("chat");
 * chat.publish(PatchElements.builder().selector("#messages").mode(APPEND).elements(message).build())
 *     .exceptionally(e -> { log.warn("not sent", e); return null; });
 * }</pre>
 *
 * <p>{@link #publish} encodes the event once, the backend stores it and gives it an id, and the topic adds
 * the {@code id:} line once; every subscriber then gets the same bytes appended to its outbox. Publishing
 * never waits for a subscriber: one whose outbox overflows is dropped and recovers by replay.
 */
public final class Topic {
    private static final Logger LOG = LoggerFactory.getLogger(Topic.class);

    private final String name;
    private final Hub hub;
    private final Subscribers subscriptions = new Subscribers();
    private final FrameRing ring;
    private final AutoCloseable listening;

    Topic(String name, Hub hub) {
        this.name = name;
        this.hub = hub;
        this.ring = new FrameRing(hub.queueLimits());
        this.listening = hub.backend().listen(name, this::fanOut);
    }

    /** The topic's name. */
    public String name() {
        return name;
    }

    /**
     * Publishes one event to every subscriber of the topic (on every instance, with a shared backend).
     *
     * <p>While the backend is down ({@link #health()}), the returned future has already failed with a
     * {@link TopicUnavailableException}: nothing waits for a dependency that is not there.
     *
     * @return completes with the event's id once stored; completes exceptionally when the backend could not
     *         store it (then no subscriber got it, and it is not kept)
     * @throws IllegalArgumentException when the event carries its own id (the topic assigns ids), or, in dev
     *                                  mode and tests, when a patch without a selector has a top-level
     *                                  element without an id ({@link FragmentCheck})
     */
    public CompletableFuture<String> publish(DatastarEvent event) {
        if (event.eventId().isPresent()) {
            throw new IllegalArgumentException("a published event gets its id from the topic; remove eventId '"
                    + event.eventId().get() + "'");
        }
        byte[] frame = SseWriter.encode(FragmentCheck.checkIfEnabled(event));
        BackendHealth health = hub.backend().health();
        if (!health.isUp()) {
            return CompletableFuture.failedFuture(new TopicUnavailableException(
                    "topic '" + name + "' cannot store events now: " + health.reason()));
        }
        return hub.backend().append(name, frame).thenApply(id -> {
            hub.counters().published.increment();
            return id;
        });
    }

    /** Whether the topic's backend can store events now (see {@link BackendHealth}). */
    public BackendHealth health() {
        return hub.backend().health();
    }

    /**
     * Subscribes {@code outbox} (see {@link Outbox#subscribe(Topic, String, int, Runnable)}). Without
     * {@code recent}:
     * <ul>
     *   <li>The missed events are still in the replay window: they are queued page by page as the client
     *       reads them (see {@link Subscription}), then live events, without a duplicate or a gap.</li>
     *   <li>The client has no usable position ({@code lastEventId} is {@code null}, unknown, or older than
     *       the window): live events are queued as they come and {@code reset} runs once, on this thread, to
     *       queue the whole state (a live event queued before it is then covered by that state, provided the
     *       application stores state before publishing the event that announces it).</li>
     * </ul>
     * With {@code recent > 0}, the topic is its own state: a client without a usable position first gets
     * {@code reset} (the empty container), then the topic's newest {@code recent} events, each with its id,
     * then live events. Because the state is the stored events themselves, whatever a client is shown was
     * stored, and whatever was stored reaches every client.
     *
     * @throws TopicUnavailableException when the backend cannot be read now (nothing was subscribed)
     */
    Subscription subscribe(HubOutbox outbox, String lastEventId, int recent, Runnable reset) {
        Objects.requireNonNull(outbox, "outbox");
        if (recent < 0) {
            throw new IllegalArgumentException("recent must not be negative: " + recent);
        }
        String from = lastEventId == null || lastEventId.isBlank() ? null : lastEventId.trim();
        Subscription s = new Subscription(this, outbox, from != null || recent > 0);
        subscriptions.add(s); // live first, then replay: nothing can fall between the two
        hub.counters().subscribers.increment();
        try {
            Optional<List<StoredEvent>> firstPage = from == null ? Optional.empty()
                    : hub.backend().replay(name, from, Subscription.PAGE_EVENTS);
            if (from != null) {
                (firstPage.isPresent() ? hub.counters().replayHits : hub.counters().resyncs).increment();
            }
            if (firstPage.isPresent()) {
                s.replay(from, firstPage.get(), firstPage.get().size() == Subscription.PAGE_EVENTS);
            } else if (recent > 0) {
                if (reset != null) {
                    reset.run();
                }
                s.replay(null, hub.backend().recent(name, recent), false);
            } else {
                s.goLive(null);
                if (reset != null) {
                    reset.run();
                }
            }
        } catch (RuntimeException | Error e) {
            s.close(); // the caller sees the failure and will not keep this subscription
            throw e;
        }
        if (outbox.isClosed()) {
            s.close(); // overflowed or closed while catching up
        }
        return s;
    }

    /** Subscriptions open on this topic in this process. */
    public int subscriberCount() {
        return subscriptions.size();
    }

    Hub hub() {
        return hub;
    }

    TopicBackend backend() {
        return hub.backend();
    }

    FrameRing ring() {
        return ring;
    }

    void remove(Subscription s) {
        if (subscriptions.remove(s)) {
            hub.counters().subscribers.decrement();
        }
    }

    void close() {
        try {
            listening.close();
        } catch (Exception e) {
            LOG.warn("could not stop listening to topic {}", name, e);
        }
        for (Subscription s : subscriptions.toList()) {
            s.close();
        }
    }

    /**
     * One live event to every subscriber: the frame goes into the ring once; each subscriber's outbox counts it
     * in its run (no reference stored, nothing allocated per subscriber). Runs one event at a time (the
     * backend's listener contract).
     */
    private void fanOut(StoredEvent event) {
        byte[] framed = withId(event);
        long seq = ring.append(framed, event.id());
        Subscription[] all = subscriptions.array();
        long queued = 0;
        long written = 0;
        for (int i = 0; i < all.length; i++) {
            Subscription s = Subscribers.at(all, i);
            if (s != null) {
                int result = s.deliver(seq, framed);
                if (result == Subscription.WRITTEN) {
                    written++;
                } else if (result == Subscription.QUEUED) {
                    queued++;
                } else if (result == Subscription.FINISHED) {
                    s.close();
                }
            }
        }
        if (queued > 0) {
            hub.counters().queuedBytes.add(queued * framed.length);
        }
        if (written > 0) {
            hub.counters().delivered.add(written);
        }
        if (ring.wantsTrim()) {
            ring.trimBefore(oldestHeld());
        }
    }

    /**
     * The oldest sequence number of the ring an outbox may still hold. A subscription holds the frames it got
     * from its oldest unread one up to the newest, all in its outbox (or held back while it catches up), so it
     * holds none older than the newest {@code n}, {@code n} being what its outbox has queued in all (or what it
     * holds back). Runs on the fan-out's thread, between two events.
     */
    private long oldestHeld() {
        long lag = 0;
        Subscription[] all = subscriptions.array();
        for (int i = 0; i < all.length; i++) {
            Subscription s = Subscribers.at(all, i);
            if (s != null) {
                lag = Math.max(lag, s.held());
            }
        }
        return ring.head() - lag;
    }

    /** The stored frame with {@code id: <id>} inserted right after its {@code event:} line. */
    static byte[] withId(StoredEvent event) {
        return SseWriter.withId(event.frame(), event.id());
    }
}
