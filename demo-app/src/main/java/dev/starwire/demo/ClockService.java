package dev.starwire.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.PatchSignals;
import dev.starwire.javalin.Datastar;
import dev.starwire.javalin.SseStream;
import dev.starwire.javalin.session.Session;
import dev.starwire.javalin.session.Sessions;
import dev.starwire.signals.SignalStore;
import dev.starwire.signals.Subscription;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock's {@code GET /start-sse}. Each browser session has one clock that writes the signals
 * {@code serverTime}, {@code updateCount}, {@code isConnected} and {@code startTime} into the session's
 * {@link SignalStore} once per second; the store sends each open tab only what changed. All clocks share one
 * scheduler thread, and a session's clock task is cancelled when its last stream closes.
 */
final class ClockService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClockService.class);
    static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Ticks between two {@link Session#touch()}: an open clock keeps its session alive. */
    private static final int TOUCH_EVERY = 30;
    private static final int QUEUE_LIMIT = 64;
    private static final PatchSignals END = PatchSignals.ofJson("{}");

    private final Sessions sessions;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Duration period;
    private final Map<Session, SessionClock> running = new HashMap<>(); // guarded by itself

    ClockService(Sessions sessions, Clock clock, Duration period) {
        this.sessions = sessions;
        this.clock = clock;
        this.period = period;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-clock");
            t.setDaemon(true);
            return t;
        });
    }

    /** How many session clocks have a scheduled task right now. */
    int running() {
        synchronized (running) {
            return running.size();
        }
    }

    void stream(Context ctx) {
        Session session = sessions.of(ctx); // sets the cookie: before the stream commits the headers
        ObjectNode clientSignals = Sessions.signals(ctx);
        SseStream stream = Datastar.sse(ctx);
        // The store's listener must not block: it hands events to this queue, this thread writes them.
        BlockingQueue<PatchSignals> queue = new ArrayBlockingQueue<>(QUEUE_LIMIT);
        AutoCloseable onSessionEnd = () -> queue.offer(END);
        SessionClock sessionClock;
        Subscription subscription;
        synchronized (running) {
            sessionClock = running.get(session);
            if (sessionClock == null) {
                // A fresh clock starts from what this page shows, so the first tick sends all four signals.
                session.store().mergeFromClient(clientSignals);
                subscription = session.store().onPatch(e -> deliver(queue, e));
                sessionClock = new SessionClock(session);
                running.put(session, sessionClock);
                sessionClock.start();
            } else {
                // Another tab of this session: it joins the running clock and gets its current state first.
                subscription = session.store().onPatchWithState(e -> deliver(queue, e));
            }
            sessionClock.streams++;
        }
        session.register(onSessionEnd);
        try {
            PatchSignals next;
            while ((next = queue.take()) != END) {
                stream.send(next);
            }
        } catch (UncheckedIOException gone) {
            LOG.debug("clock client left");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            subscription.close();
            session.unregister(onSessionEnd);
            synchronized (running) {
                if (--sessionClock.streams == 0) {
                    sessionClock.task.cancel(false);
                    running.remove(session);
                }
            }
        }
    }

    private static void deliver(BlockingQueue<PatchSignals> queue, PatchSignals event) {
        if (!queue.offer(event)) {
            // The client stopped reading: end its stream rather than buffer without bound.
            queue.clear();
            queue.offer(END);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** One session's clock: its task and how many streams show it. */
    private final class SessionClock implements Runnable {
        private final Session session;
        private ScheduledFuture<?> task;
        private int streams; // guarded by running
        private int ticks;

        SessionClock(Session session) {
            this.session = session;
        }

        void start() {
            task = scheduler.scheduleAtFixedRate(this, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            try {
                String now = LocalTime.now(clock).format(HMS);
                ticks++;
                boolean first = ticks == 1;
                session.store().update(s -> {
                    s.set("serverTime", now);
                    s.set("updateCount", ticks);
                    s.set("isConnected", true);
                    if (first) {
                        s.set("startTime", now);
                    }
                });
                if (ticks % TOUCH_EVERY == 0) {
                    session.touch();
                }
            } catch (RuntimeException e) {
                LOG.warn("clock tick failed", e); // keep ticking: a thrown exception would end the task
            }
        }
    }
}
