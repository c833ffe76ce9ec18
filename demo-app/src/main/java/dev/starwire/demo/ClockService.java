package dev.starwire.demo;

import dev.starwire.javalin.LiveStream;
import dev.starwire.javalin.session.Session;
import dev.starwire.signals.SignalStore;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock behind {@code GET /start-sse}. Each browser session has one clock that writes the signals
 * {@code serverTime}, {@code updateCount}, {@code isConnected} and {@code startTime} into the session's
 * {@link SignalStore} once per second; the store sends every open tab of that session only what changed.
 * All clocks share one scheduler thread, and a session's task is cancelled when its last stream closes.
 */
final class ClockService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClockService.class);
    static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Clock clock;
    private final Duration period;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Map<Session, SessionClock> running = new HashMap<>(); // guarded by itself
    private final Set<Future<?>> tasks = ConcurrentHashMap.newKeySet();

    ClockService(Clock clock, Duration period) {
        this.clock = clock;
        this.period = period;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "demo-clock");
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true); // a cancelled clock leaves nothing behind
    }

    /** Sets up one {@code /start-sse} stream (a {@code Starwire.stream} handler). */
    void start(LiveStream stream) {
        // What the page shows, typed strictly first: a tampered value ("abc" or 1e400 as the count) is a 400
        // with a message, before it reaches the session.
        stream.signals(ClockSignals.class);
        // The session, with what this page shows merged into its store; the store's patches now flow to
        // this stream, which also ends when the session does.
        Session session = stream.session();
        SessionClock sessionClock;
        synchronized (running) {
            sessionClock = running.computeIfAbsent(session, SessionClock::new);
            sessionClock.streams++;
            sessionClock.startOnce();
        }
        stream.onClose(() -> stopIfLast(session, sessionClock));
    }

    private void stopIfLast(Session session, SessionClock sessionClock) {
        synchronized (running) {
            if (--sessionClock.streams == 0) {
                sessionClock.cancel();
                running.remove(session);
                LOG.debug("a session's clock stopped after {} ticks", sessionClock.ticks);
            }
        }
    }

    /** How many session clocks are ticking right now. */
    int running() {
        synchronized (running) {
            return running.size();
        }
    }

    /** How many clock tasks are scheduled and not cancelled. */
    int scheduledTasks() {
        tasks.removeIf(Future::isDone);
        return tasks.size();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** One session's clock: its scheduled task and how many streams show it. */
    private final class SessionClock implements Runnable {
        private final Session session;
        private final String startTime;
        private ScheduledFuture<?> task; // guarded by running
        private int streams;             // guarded by running
        private int ticks;               // only touched by the scheduler thread (after the constructor)

        SessionClock(Session session) {
            this.session = session;
            // Datastar closes a stream while its tab is hidden and reopens it when the tab is shown again,
            // sending what the page shows: a page that was already counting goes on where it was.
            SignalStore store = session.store();
            boolean resumed = store.get("isConnected", Boolean.class, false);
            this.ticks = resumed ? Math.max(0, store.get("updateCount", Integer.class, 0)) : 0;
            String shown = store.get("startTime", String.class, "");
            this.startTime = resumed && !shown.isEmpty() ? shown : LocalTime.now(clock).format(HMS);
        }

        void startOnce() {
            if (task == null) {
                task = scheduler.scheduleAtFixedRate(this, 0, period.toMillis(), TimeUnit.MILLISECONDS);
                tasks.add(task);
            }
        }

        void cancel() {
            task.cancel(false);
        }

        @Override
        public void run() {
            try {
                String now = LocalTime.now(clock).format(HMS);
                int count = ++ticks;
                // Every tick states the whole clock; the store sends only what differs from what it holds,
                // so after the first tick that is the time and the count.
                session.store().update(s -> s
                        .set("serverTime", now)
                        .set("updateCount", count)
                        .set("isConnected", true)
                        .set("startTime", startTime));
            } catch (RuntimeException e) {
                LOG.warn("a clock tick failed", e); // keep ticking: an escaped exception would end the task
            }
        }
    }
}
