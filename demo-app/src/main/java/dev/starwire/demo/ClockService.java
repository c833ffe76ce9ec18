package dev.starwire.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.javalin.EventStream;
import dev.starwire.javalin.session.Session;
import dev.starwire.javalin.session.Sessions;
import dev.starwire.signals.SignalStore;
import dev.starwire.signals.Subscription;
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
    /** Ticks between two {@link Session#touch()}: an open clock keeps its session from expiring. */
    private static final int TOUCH_EVERY = 30;

    private final Sessions sessions;
    private final Clock clock;
    private final Duration period;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Map<Session, SessionClock> running = new HashMap<>(); // guarded by itself
    private final Set<Future<?>> tasks = ConcurrentHashMap.newKeySet();

    ClockService(Sessions sessions, Clock clock, Duration period) {
        this.sessions = sessions;
        this.clock = clock;
        this.period = period;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "demo-clock");
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true); // a cancelled clock leaves nothing behind
    }

    /** How many clock tasks are scheduled and not cancelled. */
    int scheduledTasks() {
        tasks.removeIf(Future::isDone);
        return tasks.size();
    }

    /** How many session clocks are ticking right now. */
    int running() {
        synchronized (running) {
            return running.size();
        }
    }

    /** Sets up one {@code /start-sse} stream (a {@code Starwire.stream} handler). */
    void start(EventStream stream) {
        Session session = sessions.of(stream.ctx()); // may set the cookie: before the stream starts
        ObjectNode shownOnPage = Sessions.signals(stream.ctx());
        SignalStore store = session.store();
        SessionClock sessionClock;
        Subscription subscription;
        synchronized (running) {
            sessionClock = running.get(session);
            if (sessionClock == null) {
                // A fresh clock starts from what the page shows, so its first tick sends all four signals.
                store.mergeFromClient(shownOnPage);
                subscription = store.onPatch(stream::send);
                sessionClock = new SessionClock(session);
                running.put(session, sessionClock);
            } else {
                // Another tab of the same session joins the running clock: current state first.
                subscription = store.onPatchWithState(stream::send);
            }
            sessionClock.streams++;
            sessionClock.startOnce();
        }
        AutoCloseable endWithSession = stream::close;
        session.register(endWithSession);
        SessionClock ending = sessionClock;
        stream.onClose(() -> {
            subscription.close();
            session.unregister(endWithSession);
            stopIfLast(session, ending);
        });
    }

    private void stopIfLast(Session session, SessionClock sessionClock) {
        synchronized (running) {
            if (--sessionClock.streams == 0) {
                sessionClock.cancel();
                running.remove(session);
                LOG.debug("clock of a session stopped after {} ticks", sessionClock.ticks);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** One session's clock: its scheduled task and how many streams show it. */
    private final class SessionClock implements Runnable {
        private final Session session;
        private ScheduledFuture<?> task; // guarded by this
        private int streams;             // guarded by running
        private int ticks;               // only touched by the scheduler thread

        SessionClock(Session session) {
            this.session = session;
        }

        synchronized void startOnce() {
            if (task == null) {
                task = scheduler.scheduleAtFixedRate(this, 0, period.toMillis(), TimeUnit.MILLISECONDS);
                tasks.add(task);
            }
        }

        synchronized void cancel() {
            if (task != null) {
                task.cancel(false);
            }
        }

        @Override
        public void run() {
            try {
                String now = LocalTime.now(clock).format(HMS);
                int count = ++ticks;
                session.store().update(s -> {
                    s.set("serverTime", now);
                    s.set("updateCount", count);
                    s.set("isConnected", true);
                    if (count == 1) {
                        s.set("startTime", now);
                    }
                });
                if (count % TOUCH_EVERY == 0) {
                    session.touch();
                }
            } catch (RuntimeException e) {
                LOG.warn("a clock tick failed", e); // keep ticking: an escaped exception would end the task
            }
        }
    }
}
