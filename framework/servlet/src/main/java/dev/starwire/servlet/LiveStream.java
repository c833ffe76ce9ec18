package dev.starwire.servlet;

import dev.starwire.DatastarEvent;
import dev.starwire.FragmentCheck;
import dev.starwire.Signals;
import dev.starwire.hub.Subscription;
import dev.starwire.hub.Topic;
import dev.starwire.servlet.session.Session;
import dev.starwire.signals.SignalSubscription;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived Server-Sent Events response, opened by a stream route: it stays open after its handler returns,
 * until the client leaves or the server closes it. (A short answer that ends at once is a
 * {@link dev.starwire.DatastarResponse} of an action instead.) Events sent to it, or published to the topic it
 * follows, wait in its bounded outbox and are written with non-blocking servlet I/O, flushed as soon as nothing
 * else is waiting: an idle stream holds no thread.
 *
 * <pre>{@code
 * starwire.stream(stream -> {
 *     stream.subscribe(chat, () -> stream.send(historyPatch()));  // full state for new or too-old clients
 *     stream.onClose(() -> presence.leave(stream));
 * });
 * }</pre>
 *
 * <p>All methods are thread-safe and never block. A stream ends when the client goes away, when it reads
 * too slowly and its outbox overflows (its client then reconnects and catches up by replay), when its
 * connection has accepted no bytes for {@link StarwireSettings#stallTimeout} while something waits to be
 * written, when {@link #close()} is called, when a callback of it throws, or when the server stops.
 *
 * <p>This is the handle an application holds; the stream's life and its writer are Starwire's. An adapter for
 * a web framework may extend it to add its own view of the request (the Javalin plugin adds {@code ctx()}).
 */
public class LiveStream {
    private static final Logger LOG = LoggerFactory.getLogger(LiveStream.class);

    private final StreamLifecycle life;

    LiveStream(StreamLifecycle life) {
        this.life = life;
    }

    /** The same stream, seen through an adapter's subclass; both handles act on one stream. */
    protected LiveStream(LiveStream stream) {
        this.life = Objects.requireNonNull(stream, "stream").life;
    }

    /**
     * Queues one event for this client only.
     *
     * @return {@code false} when the stream is closed (or closing) or just overflowed; the event is dropped
     * @throws IllegalArgumentException in dev mode and tests, for a patch without a selector whose top-level
     *                                  elements lack an id ({@link FragmentCheck})
     */
    public final boolean send(DatastarEvent event) {
        Objects.requireNonNull(event, "event");
        return life.isOpen() && life.outbox().offer(FragmentCheck.checkIfEnabled(event));
    }

    /** Follows {@code topic} with no full-state callback; see {@link #subscribe(Topic, Runnable)}. */
    public final Subscription subscribe(Topic topic) {
        return subscribe(topic, null);
    }

    /** Follows the hub's topic called {@code name}; see {@link #subscribe(Topic, Runnable)}. */
    public final Subscription subscribe(String name, Runnable sendFullState) {
        return subscribe(life.app().topic(name), sendFullState);
    }

    /**
     * Follows {@code topic}: a reconnecting client first gets exactly the events it missed (from its
     * {@code Last-Event-ID}), then live events. {@code sendFullState} runs on this thread when the client
     * has no usable position (a new client, or one whose missed events left the replay window): send the
     * whole state there, e.g. the chat history. Live events that arrive meanwhile are queued before it, so
     * store state before publishing the event that announces it. A stream follows at most one topic, because
     * a client reports a single last event id.
     *
     * @throws IllegalStateException when the stream already follows a topic
     * @throws dev.starwire.hub.TopicUnavailableException when the topic's backend cannot be read now
     */
    public final Subscription subscribe(Topic topic, Runnable sendFullState) {
        Objects.requireNonNull(topic, "topic");
        synchronized (life.attachLock) {
            checkNotSubscribed();
            return keep(life.outbox().subscribe(topic, life.lastEventId(), sendFullState));
        }
    }

    /**
     * Follows a topic that is its own state, such as a chat whose history is its last {@code recent}
     * messages: a client reconnecting inside the replay window gets the events it missed; any other client
     * first gets what {@code reset} sends (the empty container, e.g. the message list without messages), then
     * the topic's newest {@code recent} events, then live events, without a duplicate or a gap. Whatever such a
     * client is shown was stored, because the state is the stored events themselves.
     *
     * <pre>{@code
     * stream.subscribe(chat, 100, () -> stream.send(PatchElements.of("<ul id=\"messages\"></ul>")));
     * }</pre>
     *
     * @throws IllegalStateException     when the stream already follows a topic
     * @throws dev.starwire.hub.TopicUnavailableException when the topic's backend cannot be read now
     */
    public final Subscription subscribe(Topic topic, int recent, Runnable reset) {
        Objects.requireNonNull(topic, "topic");
        synchronized (life.attachLock) {
            checkNotSubscribed();
            return keep(life.outbox().subscribe(topic, life.lastEventId(), recent, reset));
        }
    }

    private void checkNotSubscribed() {
        Subscription s = life.subscription;
        if (s != null) {
            throw new IllegalStateException("this stream already follows topic '" + s.topic().name()
                    + "'; a client resumes from one event id, so publish related events to one topic");
        }
    }

    private Subscription keep(Subscription s) {
        life.subscription = s;
        if (!life.isOpen()) {
            s.close(); // closed while subscribing
        }
        return s;
    }

    /**
     * The browser session of this request, with the request's signals merged into its store; from now on
     * the store's patches flow to this stream (its current state first, then every change, in order), and
     * the stream keeps the session alive while open. Call it in the stream handler (a new session sets a
     * cookie, which must go out before the stream starts). The stream ends if the session ends.
     *
     * @throws dev.starwire.SignalsException (400/413) when the request's signals cannot be read
     * @throws dev.starwire.session.SessionUnavailableException (503) when the shared session storage is down
     */
    public Session session() {
        synchronized (life.attachLock) {
            if (life.session == null) {
                Session s = life.app().session(life.request(), life.response());
                SignalSubscription link = s.connect(this::send, this::close);
                onClose(link::close);
                life.session = s;
            }
            return life.session;
        }
    }

    /** Runs {@code callback} once when the stream ends, for whatever reason (at once if it already has). */
    public LiveStream onClose(Runnable callback) {
        life.onClose(Objects.requireNonNull(callback, "callback"));
        return this;
    }

    /**
     * Runs {@code task} every {@code period} on the shared timer thread while the stream is open, e.g. to
     * send a clock. Keep it short (render and send); if it throws, the error is logged and the stream closes.
     */
    public LiveStream every(Duration period, Runnable task) {
        Objects.requireNonNull(task, "task");
        long nanos = period.toNanos();
        if (nanos <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        Future<?> f = life.app().streams().timer().scheduleAtFixedRate(() -> {
            if (!life.isOpen()) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("stream {}: a timer task failed; closing the stream", life.route(), e);
                close();
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
        life.cancelOnEnd(f);
        return this;
    }

    /** Ends the stream after writing what is already queued. Idempotent. */
    public final void close() {
        life.closeGracefully(null);
    }

    /** Whether the stream still accepts events. */
    public final boolean isOpen() {
        return life.isOpen();
    }

    /** The {@code Last-Event-ID} the client reconnected with, if any. */
    public final Optional<String> lastEventId() {
        return Optional.ofNullable(life.lastEventId());
    }

    /** The request that opened the stream (read its headers, path and query; do not write to it). */
    public final HttpServletRequest request() {
        return life.request();
    }

    /**
     * The signals of the request that opened the stream (read once, with the app's limit: from the
     * {@code datastar} query parameter of a GET).
     *
     * @throws dev.starwire.SignalsException (400/413) when they cannot be read; thrown in the stream handler, it
     *                                      answers the request with that status instead of a stream
     */
    public Signals signals() {
        return life.app().signals(life.request());
    }

    /**
     * The request's signals bound to {@code type}, strictly ({@link Signals#as}).
     *
     * @throws dev.starwire.SignalsException (400/413) when they cannot be read or have the wrong type
     */
    public <T> T signals(Class<T> type) {
        return signals().as(type);
    }
}
