package dev.starwire.servlet;

import dev.starwire.hub.Hub;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open streams of one app and the threads they share: a few writer threads (writes never block, so they
 * serve many streams; {@link WriterThreads}), one timer ({@code every}, close timeouts, and one sweep over all
 * streams for keepalives and stalled connections, rather than a timer task per stream), and the graceful shutdown
 * that tells every client when to reconnect.
 *
 * <p>Thread-safe.
 */
final class LiveStreams {
    private static final Logger LOG = LoggerFactory.getLogger(LiveStreams.class);

    private final StarwireSettings settings;
    private final Hub hub;
    private final ConnectionControl control;
    private final ScheduledThreadPoolExecutor timer;
    private final WriterThreads writers;
    private final Set<StreamLifecycle> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    /** Notified when the last open stream unregisters while stopping. */
    private final Object allEnded = new Object();

    LiveStreams(StarwireSettings settings, Hub hub, ConnectionControl control) {
        this.settings = settings;
        this.hub = hub;
        this.control = control;
        this.timer = new ScheduledThreadPoolExecutor(1, daemon("starwire-timer"));
        this.timer.setRemoveOnCancelPolicy(true); // closed streams must not stay reachable via their timers
        this.writers = new WriterThreads(settings.writerThreads, "starwire-writer");
        sweep();
    }

    StarwireSettings settings() {
        return settings;
    }

    Hub hub() {
        return hub;
    }

    ConnectionControl control() {
        return control;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    WriterThreads writers() {
        return writers;
    }

    /** Whether the app is stopping: new streams are refused. */
    boolean stopping() {
        return stopping;
    }

    /** Streams open now. */
    int count() {
        return open.size();
    }

    /** Tasks waiting on the shared timer (keepalives, {@code every}, close timeouts): for leak checks. */
    int scheduledTasks() {
        return timer.getQueue().size();
    }

    /** Runs {@code task} soon on the timer thread (off the caller's, e.g. a publisher's), or here once it is stopped. */
    void execute(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // stopped: run here rather than never
        }
    }

    void register(StreamLifecycle stream) {
        open.add(stream);
        if (stopping) {
            stream.shutdown(retryMillis());
        }
    }

    void unregister(StreamLifecycle stream) {
        if (open.remove(stream) && stopping && open.isEmpty()) {
            synchronized (allEnded) {
                allEnded.notifyAll(); // closeAll waits for this
            }
        }
    }

    /** Tells every stream when to come back, ends it, and waits (bounded) until all have ended. */
    void closeAll() throws InterruptedException {
        stopping = true;
        List<StreamLifecycle> streams = new ArrayList<>(open);
        LOG.info("closing {} streams", streams.size());
        for (StreamLifecycle s : streams) {
            s.shutdown(retryMillis());
        }
        // a bounded wait for the last flushes and the container's completions; the close timeout drops the stragglers
        long deadline = System.nanoTime() + settings.closeTimeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
        synchronized (allEnded) {
            long left;
            while (!open.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(allEnded, left);
            }
        }
        for (StreamLifecycle s : new ArrayList<>(open)) {
            s.abort("the server stopped");
            unregister(s); // also one whose completion the container has not reported: nothing more to wait for
        }
    }

    /** Stops the threads; call after {@link #closeAll()}. */
    void release() {
        stopping = true;
        timer.shutdownNow();
        writers.stop();
    }

    /** The reconnect delay told to a client on shutdown: the setting plus up to as much again, so not all come back at once. */
    private long retryMillis() {
        long base = Math.max(0, settings.shutdownRetry.toMillis());
        return base + (base == 0 ? 0 : ThreadLocalRandom.current().nextLong(base + 1));
    }

    /**
     * One periodic sweep over every open stream, on the timer: queues a keepalive on each stream idle for most of
     * {@code keepAlive}, closes the streams whose clients have not accepted a byte for {@code stallTimeout}, and
     * lets go of an ended stream whose response the container has not reported complete within
     * {@code closeTimeout} (memory stays bounded whatever an adapter's completion does).
     */
    private void sweep() {
        long keepAlive = settings.keepAlive.toNanos();
        long stall = settings.stallTimeout.toNanos();
        long closeTimeout = settings.closeTimeout.toNanos();
        // Stalls are noticed within a quarter of their timeout; an idle stream gets a keepalive once it was quiet
        // for three quarters of keepAlive, so the gap between two bytes stays within about keepAlive. The sweep
        // runs even with both off: an ended stream whose completion never comes is let go within about
        // 1.5 closeTimeout (at most 5 s late), so that memory stays bounded in every configuration.
        long period = sweepPeriod(closeTimeout / 2);
        if (stall > 0) {
            period = Math.min(period, sweepPeriod(stall / 4));
        }
        if (keepAlive > 0) {
            period = Math.min(period, Math.max(TimeUnit.MILLISECONDS.toNanos(10), keepAlive / 4));
        }
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            long idleSince = now - keepAlive * 3 / 4;
            int closed = 0;
            for (StreamLifecycle s : open) {
                try {
                    if (s.completionOverdue(closeTimeout, now)) {
                        unregister(s);
                        LOG.warn("stream {}: the container has not reported its response complete {} ms after it was"
                                + " asked to; no longer waiting for it", s.route(), settings.closeTimeout.toMillis());
                    } else if (stall > 0 && s.stalledFor(stall, now)) {
                        s.abort("its client has not read anything for " + settings.stallTimeout.toMillis() + " ms");
                        closed++;
                    } else if (keepAlive > 0) {
                        s.keepAlive(idleSince);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("stream {}: its keepalive or stall check failed", s.route(), e); // the sweep goes on
                }
            }
            if (closed > 0) {
                LOG.info("closed {} stream(s) whose clients accepted no bytes for {} ms; they reconnect and catch up",
                        closed, settings.stallTimeout.toMillis());
            }
        }, period, period, TimeUnit.NANOSECONDS);
    }

    /** {@code nanos}, kept between 100 ms and 5 s: a sweep period for a stall check or the let-go. */
    private static long sweepPeriod(long nanos) {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(100), Math.min(nanos, TimeUnit.SECONDS.toNanos(5)));
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
