package dev.starwire.javalin;

import dev.starwire.DatastarEvent;
import dev.starwire.FragmentCheck;
import dev.starwire.Signals;
import dev.starwire.hub.Subscription;
import dev.starwire.hub.Topic;
import dev.starwire.hub.spi.Outbox;
import dev.starwire.javalin.session.Session;
import dev.starwire.signals.SignalSubscription;
import io.javalin.http.Context;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived Server-Sent Events response, opened by a {@link Starwire#stream} route: it stays open after
 * its handler returns, until the client leaves or the server closes it. (A short answer that ends at once is
 * a {@link dev.starwire.DatastarResponse} of an action instead.) Events sent to it,
 * or published to the topic it follows, wait in its bounded outbox and are written with non-blocking servlet
 * I/O, flushed as soon as nothing else is waiting: an idle stream holds no thread.
 *
 * <pre>{@code
 * config.routes.get("/chat/stream", starwire.stream(stream -> {
 *     stream.subscribe(chat, () -> stream.send(historyPatch()));  // full state for new or too-old clients
 *     stream.onClose(() -> presence.leave(stream));
 * }));
 * }</pre>
 *
 * <p>All methods are thread-safe and never block. A stream ends when the client goes away, when it reads
 * too slowly and its outbox overflows (its client then reconnects and catches up by replay), when its
 * connection has accepted no bytes for {@link StarwireConfig#stallTimeout} while something waits to be written,
 * when {@link #close()} is called, when a callback of it throws, or when the server stops.
 */
public final class LiveStream {
    private static final Logger LOG = LoggerFactory.getLogger(LiveStream.class);
    private static final byte[] KEEPALIVE = ":\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOTHING = new byte[0];
    private static final int GZIP_BATCH = 64 * 1024;
    private static final int NEW = 0;
    private static final int OPEN = 1;
    private static final int CLOSING = 2;
    private static final int CLOSED = 3;

    private final Starwire starwire;
    private final Context ctx;
    private final String route;
    private final String lastEventId;
    private final Outbox outbox;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final List<Runnable> closeCallbacks = new CopyOnWriteArrayList<>();
    private final List<Future<?>> timers = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Object subscribeLock = new Object();
    private volatile Subscription subscription;
    private volatile Session session;
    private volatile byte[] goodbye;
    private volatile boolean keepAliveDue;
    private volatile long lastWriteNanos = System.nanoTime();
    /** When the connection last refused bytes with nothing accepted since; 0 while it accepts them. */
    private volatile long blockedSinceNanos;
    private volatile boolean started;

    // The writer's state, guarded by this.
    /** Output buffer of one stream; see {@link #start()}. */
    static final int STREAM_BUFFER_BYTES = 2048;

    private ServletOutputStream out;
    private GzipFrames gzip;
    private boolean listening;
    private boolean needFlush = true; // the headers go out at once
    private boolean lastWritten;

    LiveStream(Starwire starwire, Context ctx) {
        this.starwire = starwire;
        this.ctx = ctx;
        this.route = ctx.method() + " " + ctx.path();
        String id = ctx.header("Last-Event-ID");
        this.lastEventId = id == null || id.isBlank() ? null : id.trim();
        // The overflow is noticed on the publisher's thread, inside the fan-out: drop the stream elsewhere.
        this.outbox = Outbox.open(starwire.hub(), this::wake, () -> starwire.execute(() -> {
            LOG.info("stream {}: the client reads too slowly (its outbox is full) or its replay could not go on;"
                    + " dropping it, it will catch up by replay", route);
            abort("outbox overflow");
        }));
    }

    /**
     * Queues one event for this client only.
     *
     * @return {@code false} when the stream is closed (or closing) or just overflowed; the event is dropped
     * @throws IllegalArgumentException in dev mode and tests, for a patch without a selector whose top-level
     *                                  elements lack an id ({@link FragmentCheck})
     */
    public boolean send(DatastarEvent event) {
        Objects.requireNonNull(event, "event");
        return isOpen() && outbox.offer(FragmentCheck.checkIfEnabled(event));
    }

    /** Follows {@code topic} with no full-state callback; see {@link #subscribe(Topic, Runnable)}. */
    public Subscription subscribe(Topic topic) {
        return subscribe(topic, null);
    }

    /** Follows the hub's topic called {@code name}; see {@link #subscribe(Topic, Runnable)}. */
    public Subscription subscribe(String name, Runnable sendFullState) {
        return subscribe(starwire.hub().topic(name), sendFullState);
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
     */
    public Subscription subscribe(Topic topic, Runnable sendFullState) {
        Objects.requireNonNull(topic, "topic");
        synchronized (subscribeLock) {
            checkNotSubscribed();
            return keep(outbox.subscribe(topic, lastEventId, sendFullState));
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
     * stream.subscribe(chat, 100, () -> stream.send(PatchElements.builder()
     *         .selector("#messages").mode(ElementPatchMode.INNER).elements("").build()));
     * }</pre>
     *
     * @throws IllegalStateException     when the stream already follows a topic
     * @throws dev.starwire.hub.TopicUnavailableException when the topic's backend cannot be read now
     */
    public Subscription subscribe(Topic topic, int recent, Runnable reset) {
        Objects.requireNonNull(topic, "topic");
        synchronized (subscribeLock) {
            checkNotSubscribed();
            Subscription s = outbox.subscribe(topic, lastEventId, recent, reset);
            return keep(s);
        }
    }

    private void checkNotSubscribed() {
        if (subscription != null) {
            throw new IllegalStateException("this stream already follows topic '"
                    + subscription.topic().name()
                    + "'; a client resumes from one event id, so publish related events to one topic");
        }
    }

    private Subscription keep(Subscription s) {
        subscription = s;
        if (!isOpen()) {
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
     * <pre>{@code
     * config.routes.get("/counter/stream", starwire.stream(stream -> stream.session()));
     * config.routes.post("/counter/increment", starwire.guarded(ctx -> starwire.session(ctx).store()
     *         .update(s -> s.set("count", s.get("count", Integer.class, 0) + 1))));
     * }</pre>
     */
    public Session session() {
        synchronized (subscribeLock) {
            if (session == null) {
                Session s = starwire.session(ctx);
                SignalSubscription link = s.connect(this::send, this::close);
                onClose(link::close);
                session = s;
            }
            return session;
        }
    }

    /** Runs {@code callback} once when the stream ends, for whatever reason (at once if it already has). */
    public LiveStream onClose(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        closeCallbacks.add(callback);
        if (cleanedUp.get() && closeCallbacks.remove(callback)) {
            runSafely(callback);
        }
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
        Future<?> f = starwire.timer().scheduleAtFixedRate(() -> {
            if (!isOpen()) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("stream {}: a timer task failed; closing the stream", route, e);
                close();
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
        timers.add(f);
        if (cleanedUp.get()) {
            f.cancel(false);
        }
        return this;
    }

    /** Ends the stream after writing what is already queued. Idempotent. */
    public void close() {
        closeGracefully(null);
    }

    /** Whether the stream still accepts events. */
    public boolean isOpen() {
        int s = state.get();
        return s == NEW || s == OPEN;
    }

    /** The {@code Last-Event-ID} the client reconnected with, if any. */
    public Optional<String> lastEventId() {
        return Optional.ofNullable(lastEventId);
    }

    /** The request that opened the stream (read its headers, path and query; do not write to it). */
    public Context ctx() {
        return ctx;
    }

    /**
     * The signals of the request that opened the stream ({@link Datastar#signals}: read once, from the
     * {@code datastar} query parameter of a GET).
     *
     * @throws dev.starwire.SignalsException (400/413) when they cannot be read; thrown in the stream handler, it
     *                                      answers the request with that status instead of a stream
     */
    public Signals signals() {
        return Datastar.signals(ctx);
    }

    /**
     * The request's signals bound to {@code type}, strictly ({@link Signals#as}).
     *
     * @throws dev.starwire.SignalsException (400/413) when they cannot be read or have the wrong type
     */
    public <T> T signals(Class<T> type) {
        return Datastar.signals(ctx, type);
    }

    // ---- life cycle, driven by Starwire ----

    /** Turns the request into an asynchronous stream once the handler has returned. */
    void start() throws IOException {
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setCharacterEncoding("UTF-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no"); // tell nginx not to buffer the stream
        if ("HTTP/1.1".equals(ctx.req().getProtocol())) {
            res.setHeader("Connection", "keep-alive");
        }
        boolean compress = starwire.config().gzip && acceptsGzip(ctx.header("Accept-Encoding"));
        if (starwire.config().gzip) {
            res.addHeader("Vary", "Accept-Encoding");
        }
        if (compress) {
            res.setHeader("Content-Encoding", "gzip");
        }
        // Jetty keeps each response's output buffer (32 KiB, direct memory by default) for the life of the
        // stream: 10,000 open streams would pin 320 MiB. Frames are flushed one by one, so a small buffer is
        // enough; larger frames are written straight through.
        res.setBufferSize(STREAM_BUFFER_BYTES);
        limitKernelSendBuffer();
        AsyncContext async = ctx.req().startAsync();
        async.setTimeout(0);
        async.addListener(new Listener());
        ServletOutputStream o = res.getOutputStream();
        started = true;
        starwire.register(this);
        long keepAlive = starwire.config().keepAlive.toNanos();
        if (keepAlive > 0) {
            timers.add(starwire.timer().scheduleAtFixedRate(this::keepAlive, keepAlive, keepAlive,
                    TimeUnit.NANOSECONDS));
        }
        if (cleanedUp.get()) {
            timers.forEach(t -> t.cancel(false));
        }
        state.compareAndSet(NEW, OPEN);
        ctx.future(() -> done); // Javalin completes the response when the stream ends
        synchronized (this) {
            out = o;
            gzip = compress ? new GzipFrames() : null;
            o.setWriteListener(new Writer());
            listening = true;
        }
        if (state.get() == CLOSED) {
            end(true); // dropped while the handler ran (e.g. overflowed during a big replay): end the response
            return;
        }
        drain();
    }

    /**
     * Caps the kernel's send buffer of this connection. Left alone, Linux grows it to several MiB for a client
     * that does not read (measured: 2.7 MiB per stream on loopback), far more than the outbox is allowed to hold.
     */
    private void limitKernelSendBuffer() {
        int bytes = starwire.config().streamSendBuffer;
        if (bytes <= 0) {
            return;
        }
        try {
            EndPoint connection = endPoint();
            if (connection != null && connection.getTransport() instanceof NetworkChannel channel) {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, bytes);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("stream {}: could not set the send buffer size", route, e);
        }
    }

    /**
     * Whether the connection has refused bytes for longer than {@code stallNanos}: the client stopped reading
     * (or its network is gone) while something waits to be written.
     */
    boolean stalledFor(long stallNanos, long now) {
        long since = blockedSinceNanos;
        return since != 0 && now - since > stallNanos && isOpen();
    }

    /** Releases everything when the handler failed before the stream started. */
    void abandon() {
        state.set(CLOSED);
        cleanUp();
        outbox.close();
    }

    /** Server shutdown: tell the client when to come back, then end. */
    void shutdown(long retryMillis) {
        closeGracefully(("retry: " + retryMillis + "\n\n").getBytes(StandardCharsets.US_ASCII));
    }

    String route() {
        return route;
    }

    private void closeGracefully(byte[] lastFrame) {
        goodbye = lastFrame;
        if (!state.compareAndSet(OPEN, CLOSING) && !state.compareAndSet(NEW, CLOSING)) {
            return;
        }
        cleanUp();
        long timeout = starwire.config().closeTimeout.toNanos();
        try {
            timers.add(starwire.timer().schedule(() -> abort("it did not finish closing in time"),
                    timeout, TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            abort("the server is stopping");
            return;
        }
        wake();
    }

    /** Drops the stream at once: the outbox, the subscription and the connection. */
    void abort(String reason) {
        if (state.getAndSet(CLOSED) == CLOSED) {
            return;
        }
        LOG.debug("stream {} dropped: {}", route, reason);
        cleanUp();
        outbox.close();
        synchronized (this) {
            if (gzip != null) {
                gzip.end();
            }
        }
        if (started) {
            boolean aborted = false;
            try {
                ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
                if (request != null && !done.isDone()) {
                    resetOnClose(request.getConnectionMetaData().getConnection().getEndPoint());
                    request.getServletChannel().abort(new IOException("stream dropped: " + reason));
                    aborted = true;
                }
            } catch (RuntimeException e) {
                LOG.debug("stream {}: could not abort the connection", route, e);
            }
            // Once the connection is aborted Jetty may recycle the request at any moment: completing the
            // future then runs Javalin's remaining tasks on a recycled request, which throw, and under load
            // Javalin 7.2 was seen repeating them without end on this writer thread. The aborted exchange
            // needs nothing more from Javalin.
            end(!aborted);
        }
    }

    /** The connection of this stream's request, or {@code null} when it cannot be found. */
    private EndPoint endPoint() {
        try {
            ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
            return request == null ? null : request.getConnectionMetaData().getConnection().getEndPoint();
        } catch (RuntimeException e) {
            LOG.debug("stream {}: no connection found", route, e);
            return null;
        }
    }

    /**
     * Makes closing the connection a reset: what the kernel still holds for a client that stopped reading is
     * freed at once, instead of lingering in a closing socket (FIN_WAIT1, measured: 95 KB each) until the
     * kernel gives up on it.
     */
    private void resetOnClose(EndPoint connection) {
        try {
            if (connection.getTransport() instanceof NetworkChannel channel && channel.isOpen()) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("stream {}: could not ask for a reset", route, e);
        }
    }

    private void finish() {
        if (!state.compareAndSet(CLOSING, CLOSED)) {
            return;
        }
        outbox.close();
        end(true);
    }

    /** Releases the stream; {@code completeResponse} lets Javalin end a response that is still alive. */
    private void end(boolean completeResponse) {
        timers.forEach(t -> t.cancel(false));
        timers.clear();
        starwire.unregister(this);
        if (completeResponse) {
            done.complete(null);
        }
    }

    private void cleanUp() {
        if (!cleanedUp.compareAndSet(false, true)) {
            return;
        }
        Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        for (Future<?> t : timers) {
            t.cancel(false);
        }
        for (Runnable callback : closeCallbacks) {
            if (closeCallbacks.remove(callback)) {
                runSafely(callback);
            }
        }
    }

    private void runSafely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.error("stream {}: an onClose callback failed", route, e);
        }
    }

    private void keepAlive() {
        if (state.get() == OPEN
                && System.nanoTime() - lastWriteNanos >= starwire.config().keepAlive.toNanos() / 2) {
            keepAliveDue = true;
            wake();
        }
        Session s = session;
        if (s != null && state.get() == OPEN) {
            s.touch(); // an open tab keeps its session from expiring
        }
    }

    // ---- the writer ----

    /** Schedules a drain on a writer thread unless one is already due. */
    private void wake() {
        if (started && drainScheduled.compareAndSet(false, true)) {
            try {
                starwire.writers().execute(() -> {
                    drainScheduled.set(false);
                    drain();
                });
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false);
                abort("the server is stopping");
            }
        }
    }

    /** Writes while the connection accepts bytes without blocking; ends the stream when all is written. */
    private void drain() {
        boolean complete;
        try {
            synchronized (this) {
                if (!listening || state.get() == CLOSED) {
                    return;
                }
                complete = writeWhileReady();
            }
        } catch (IOException | RuntimeException e) {
            abort("writing failed: " + e);
            return;
        }
        if (complete) {
            finish();
        }
    }

    /** {@code true} when the stream is closing and everything, including its last flush, has been written. */
    private boolean writeWhileReady() throws IOException {
        while (ready()) {
            if (state.get() == CLOSED) {
                return false;
            }
            byte[] chunk = gzip == null ? nextFrame() : nextCompressed();
            if (chunk != null) {
                if (chunk.length > 0) {
                    out.write(chunk);
                    lastWriteNanos = System.nanoTime();
                    needFlush = true;
                }
                continue;
            }
            if (needFlush) {
                needFlush = false;
                out.flush();
                continue;
            }
            return state.get() == CLOSING && lastWritten;
        }
        return false; // the container calls onWritePossible when the connection takes bytes again
    }

    /** {@code out.isReady()}, remembering since when the connection refuses bytes. */
    private boolean ready() {
        if (out.isReady()) {
            blockedSinceNanos = 0;
            return true;
        }
        if (blockedSinceNanos == 0) {
            blockedSinceNanos = System.nanoTime();
        }
        return false;
    }

    private byte[] nextFrame() {
        byte[] frame = outbox.poll();
        if (frame != null) {
            return frame;
        }
        if (keepAliveDue) {
            keepAliveDue = false;
            if (state.get() == OPEN) {
                return KEEPALIVE;
            }
        }
        if (state.get() == CLOSING && !lastWritten) {
            lastWritten = true;
            byte[] last = goodbye;
            return last != null ? last : NOTHING;
        }
        return null;
    }

    private byte[] nextCompressed() {
        boolean any = false;
        for (int n = 0; n < GZIP_BATCH; ) {
            byte[] frame = nextFrame();
            if (frame == null) {
                break;
            }
            gzip.add(frame);
            n += frame.length;
            any = true;
            if (lastWritten) {
                return gzip.finish();
            }
        }
        return any ? gzip.flush() : null;
    }

    private static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] p = part.trim().split(";");
            if (p[0].trim().equals("gzip")) {
                for (int i = 1; i < p.length; i++) {
                    String q = p[i].trim();
                    if (q.startsWith("q=") && q.substring(2).trim().matches("0(\\.0*)?")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    private final class Writer implements WriteListener {
        @Override
        public void onWritePossible() {
            drain();
        }

        @Override
        public void onError(Throwable t) {
            abort("the connection failed: " + t);
        }
    }

    private final class Listener implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            abort("the response completed");
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            abort("the response timed out");
        }

        @Override
        public void onError(AsyncEvent event) {
            abort("the connection failed: " + event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // nothing to do
        }
    }
}
