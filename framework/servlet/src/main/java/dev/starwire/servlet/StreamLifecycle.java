package dev.starwire.servlet;

import dev.starwire.SseWriter;
import dev.starwire.hub.Subscription;
import dev.starwire.hub.spi.Outbox;
import dev.starwire.servlet.session.Session;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one long-lived stream: {@code NEW} while its handler runs, {@code OPEN} once the request went
 * asynchronous, {@code CLOSING} while its queue and last frame are written, {@code CLOSED} when its response
 * is done. It owns the stream's outbox, timers, close callbacks and what the stream follows (a topic, a
 * session), and ends them all exactly once, whichever way the stream ends: the client leaves, the outbox
 * overflows, the connection stalls, the app closes it, a callback throws, or the server stops.
 *
 * <p>Thread-safe: state changes are atomic; callbacks may come from any thread.
 */
final class StreamLifecycle implements StreamWriter.Source {
    private static final Logger LOG = LoggerFactory.getLogger(StreamLifecycle.class);
    private static final int NEW = 0;
    private static final int OPEN = 1;
    private static final int CLOSING = 2;
    private static final int CLOSED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(StreamLifecycle.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** Output buffer of one stream: frames are flushed one by one, so a small buffer is enough. */
    static final int STREAM_BUFFER_BYTES = 2048;

    private final StarwireServlets app;
    private final LiveStreams streams;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final String route;
    private final String lastEventId;
    private final StreamWriter writer;
    private final Outbox outbox;
    /** NEW, OPEN, CLOSING or CLOSED; a field of its own (no AtomicInteger): every drain of the stream reads it. */
    private volatile int state = NEW;
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final List<Runnable> closeCallbacks = new CopyOnWriteArrayList<>();
    private final List<Future<?>> timers = new CopyOnWriteArrayList<>();
    /** Guards attaching the stream to a topic or a session. */
    final Object attachLock = new Object();
    /** The topic subscription, guarded by {@link #attachLock} for writes. */
    volatile Subscription subscription;
    /** The session the stream keeps alive, guarded by {@link #attachLock} for writes. */
    volatile Session session;
    private volatile Runnable completeResponse;
    private volatile boolean started;
    /** When the response was handed to the container to complete ({@link System#nanoTime()}); 0 before. */
    private volatile long completionAskedNanos;

    StreamLifecycle(StarwireServlets app, HttpServletRequest request, HttpServletResponse response) {
        this.app = app;
        this.streams = app.streams();
        this.request = request;
        this.response = response;
        this.route = request.getMethod() + " " + request.getRequestURI();
        String id = request.getHeader("Last-Event-ID");
        this.lastEventId = id == null || id.isBlank() ? null : id.trim();
        this.writer = new StreamWriter(this, streams.writers().assign());
        // The overflow is noticed on the publisher's thread, inside the fan-out: drop the stream elsewhere.
        this.outbox = Outbox.open(streams.hub(), writer::wake, writer, () -> streams.execute(() -> {
            LOG.info("stream {}: the client reads too slowly (its outbox is full) or its replay could not go on;"
                    + " dropping it, it will catch up by replay", route);
            abort("outbox overflow");
        }));
    }

    HttpServletRequest request() {
        return request;
    }

    HttpServletResponse response() {
        return response;
    }

    StarwireServlets app() {
        return app;
    }

    Outbox outbox() {
        return outbox;
    }

    String lastEventId() {
        return lastEventId;
    }

    String route() {
        return route;
    }

    @Override
    public boolean isOpen() {
        int s = state;
        return s == NEW || s == OPEN;
    }

    @Override
    public boolean isClosing() {
        return state == CLOSING;
    }

    @Override
    public boolean isClosed() {
        return state == CLOSED;
    }

    @Override
    public byte[] poll() {
        return outbox.poll();
    }

    @Override
    public void written() {
        if (STATE.compareAndSet(this, CLOSING, CLOSED)) {
            outbox.close();
            end(true);
        }
    }

    @Override
    public void failed(String reason) {
        abort(reason);
    }

    /** Runs {@code callback} once when the stream ends (at once if it already has). */
    void onClose(Runnable callback) {
        closeCallbacks.add(callback);
        if (cleanedUp.get() && closeCallbacks.remove(callback)) {
            runSafely(callback);
        }
    }

    /** Cancels {@code timer} when the stream ends or starts closing (at once if it already has). */
    void cancelOnEnd(Future<?> timer) {
        timers.add(timer);
        if (cleanedUp.get()) {
            timer.cancel(false);
        }
    }

    /**
     * Turns the request into an asynchronous event stream once the handler has returned.
     *
     * @param complete ends the response when the stream is done; {@code null} completes the {@link AsyncContext}
     *                 (an adapter whose framework owns the exchange passes its own)
     */
    void start(Runnable complete) throws IOException {
        response.setStatus(200);
        SseHeaders.setForStream(request, response);
        boolean compress = SseHeaders.negotiateGzip(request, response, streams.settings().gzip);
        // A container may keep each response's output buffer (Jetty: 32 KiB) for the life of the stream: 10,000
        // open streams would pin 320 MiB. Larger frames are written straight through.
        response.setBufferSize(STREAM_BUFFER_BYTES);
        if (streams.settings().streamSendBuffer > 0) {
            streams.control().limitSendBuffer(request, streams.settings().streamSendBuffer);
        }
        AsyncContext async = request.isAsyncStarted() ? request.getAsyncContext() : request.startAsync();
        async.setTimeout(0);
        async.addListener(new Listener());
        completeResponse = complete != null ? complete : async::complete;
        ChunkedConnection direct = null;
        IOException headersFailed = null;
        if (!compress && streams.control() != ConnectionControl.NONE) {
            try {
                response.flushBuffer(); // the headers, so that the container hands over a committed chunked body
                direct = streams.control().chunkedConnection(request, response);
            } catch (IOException e) {
                headersFailed = e; // the client is gone
            }
        }
        ServletOutputStream out = direct == null && headersFailed == null ? response.getOutputStream() : null;
        started = true;
        streams.register(this);
        if (headersFailed != null) {
            if (state == CLOSED) {
                end(true); // dropped while the handler ran
            } else {
                abort("writing the headers failed: " + headersFailed);
            }
            return;
        }
        STATE.compareAndSet(this, NEW, OPEN);
        if (direct != null) {
            writer.start(direct);
        } else {
            writer.start(out, compress);
        }
        if (state == CLOSED) {
            writer.release();
            end(true); // dropped while the handler ran (e.g. overflowed during a big replay): end the response
            return;
        }
        if (direct != null) {
            writer.wake(); // on the writer thread, whose staging buffer it uses
        } else {
            writer.drain();
        }
    }

    /**
     * Whether the connection has refused bytes for longer than {@code stallNanos} while the stream is open.
     */
    boolean stalledFor(long stallNanos, long now) {
        return writer.stalledFor(stallNanos, now) && isOpen();
    }

    /**
     * Whether the container was asked to complete the response more than {@code limitNanos} ago and has not
     * reported it complete: the stream is no longer waited for.
     */
    boolean completionOverdue(long limitNanos, long now) {
        long asked = completionAskedNanos;
        return asked != 0 && now - asked > limitNanos;
    }

    /** Releases everything when the handler failed before the stream started. */
    void abandon() {
        state = CLOSED;
        cleanUp();
        outbox.close();
    }

    /** Server shutdown: tell the client when to come back, then end. */
    void shutdown(long retryMillis) {
        closeGracefully(SseWriter.encodeRetry(retryMillis));
    }

    /** Ends the stream after writing what is already queued, then {@code lastFrame} if not {@code null}. */
    void closeGracefully(byte[] lastFrame) {
        writer.lastFrame(lastFrame);
        if (!STATE.compareAndSet(this, OPEN, CLOSING) && !STATE.compareAndSet(this, NEW, CLOSING)) {
            return;
        }
        cleanUp();
        try {
            // cancelled when the stream ends, not by the clean-up above: it guards the flush that follows
            timers.add(streams.timer().schedule(() -> abort("it did not finish closing in time"),
                    streams.settings().closeTimeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            abort("the server is stopping");
            return;
        }
        writer.wake();
    }

    /** Drops the stream at once: the outbox, the subscription and the connection. */
    void abort(String reason) {
        if ((int) STATE.getAndSet(this, CLOSED) == CLOSED) {
            return;
        }
        LOG.debug("stream {} dropped: {}", route, reason);
        cleanUp();
        outbox.close();
        writer.release();
        if (started) {
            // An aborted connection needs nothing more; the container may recycle its request at any moment.
            boolean aborted = !completed.get() && streams.control().abort(request, "stream dropped: " + reason);
            end(!aborted);
        }
    }

    /**
     * Releases the stream; {@code complete} ends a response that is still alive. A response handed to the
     * container to complete stays registered until the container reports it complete ({@link Listener}), its end
     * written: a stopping server waits for that before it closes connections. (Jetty 12.1, closing a connection
     * whose last write has just failed on another thread, was seen waiting forever for that write.)
     */
    private void end(boolean complete) {
        timers.forEach(t -> t.cancel(false));
        timers.clear();
        if (complete && completed.compareAndSet(false, true)) {
            try {
                completionAskedNanos = System.nanoTime();
                completeResponse.run();
                return;
            } catch (RuntimeException e) {
                LOG.debug("stream {}: completing the response failed", route, e); // e.g. the container ended it
            }
        }
        streams.unregister(this);
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

    /**
     * Called by the timer's sweep: queues a keepalive if nothing was written since {@code idleSinceNanos}, and
     * keeps the stream's session from expiring (an open tab keeps its session).
     */
    void keepAlive(long idleSinceNanos) {
        if (state != OPEN) {
            return;
        }
        writer.keepAliveIfIdleSince(idleSinceNanos);
        Session s = session;
        if (s != null) {
            s.touch();
        }
    }

    private final class Listener implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            completed.set(true);
            abort("the response completed");
            streams.unregister(StreamLifecycle.this); // what end() left registered when it asked for completion
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
