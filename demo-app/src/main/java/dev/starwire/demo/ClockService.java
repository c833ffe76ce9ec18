package dev.starwire.demo;

import dev.starwire.DatastarResponse;
import dev.starwire.PatchElements;
import dev.starwire.javalin.LiveStream;
import dev.starwire.javalin.Starwire;
import dev.starwire.servlet.session.Session;
import dev.starwire.session.SessionEndedException;
import dev.starwire.session.SessionUnavailableException;
import dev.starwire.signals.SignalStore;
import io.javalin.http.Context;
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
 * The clock behind {@code GET /start-sse}, {@code POST /clock/pause} and {@code POST /clock/resume}. Each
 * browser session has one clock that writes the signals {@code serverTime}, {@code updateCount},
 * {@code isConnected} and {@code startTime} into the session's {@link SignalStore} once per second while the
 * server-owned signal {@code running} is true; the store sends every open tab of that session only what
 * changed. All clocks of this instance share one scheduler thread, and a session's task is cancelled when its
 * last stream here closes. With sessions in Redis, pausing on any instance stops the ticks on the instance
 * that holds the stream: the change reaches its replica of the session.
 */
final class ClockService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClockService.class);
    static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** The server-owned signal the pause and resume actions change. */
    static final String RUNNING = "running";

    private final Clock clock;
    private final Duration period;
    private final Starwire starwire;
    private final Views views;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Map<Session, SessionClock> running = new HashMap<>(); // guarded by itself
    private final Set<Future<?>> tasks = ConcurrentHashMap.newKeySet();

    ClockService(Clock clock, Duration period, Starwire starwire, Views views) {
        this.clock = clock;
        this.period = period;
        this.starwire = starwire;
        this.views = views;
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
        session.store().setIfMissing(RUNNING, true); // a paused session stays paused in a new tab
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

    /** Answers {@code POST /clock/pause}: the session's clocks stop, on whichever instance they run. */
    DatastarResponse pause(Context ctx) {
        return setRunning(ctx, false);
    }

    /** Answers {@code POST /clock/resume}. */
    DatastarResponse resume(Context ctx) {
        return setRunning(ctx, true);
    }

    private DatastarResponse setRunning(Context ctx, boolean running) {
        Lang lang = DemoApp.lang(ctx);
        String problem = "";
        try {
            // A request posting "running" itself changes nothing: the signal is server-owned, only this does.
            starwire.session(ctx).store().set(RUNNING, running);
        } catch (SessionUnavailableException e) {
            problem = lang.text("clock.error.unavailable"); // 200 with a message: Datastar ignores error bodies
        }
        // The new value reaches every tab through its stream; the answer only shows or clears the error.
        return DatastarResponse.of(PatchElements.of(views.clockError(problem)));
    }

    /** The server's value of {@code running} for the clock page: true for a new or unreachable session. */
    boolean running(Context ctx) {
        try {
            return starwire.findSession(ctx).map(s -> s.store().get(RUNNING, Boolean.class, true)).orElse(true);
        } catch (SessionUnavailableException e) {
            return true;
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
        private int ticks;               // the last count written; only touched by the scheduler thread

        SessionClock(Session session) {
            this.session = session;
            this.startTime = LocalTime.now(clock).format(HMS);
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
                // One read-modify-write, atomic even across instances; while paused it changes nothing.
                // Datastar closes a stream while its tab is hidden and reopens it with what the page shows, so
                // the count goes on from this clock's own count or the session's, whichever is further, and a
                // start time the page shows is kept (a freshly loaded page shows 0 and none: a new clock). A
                // second the session already shows is skipped, so two instances each holding a tab of the
                // session (each ticking) still advance it once per second.
                int[] written = {0};
                session.store().update(s -> {
                    if (s.get(RUNNING, Boolean.class, true) && !now.equals(s.get("serverTime", String.class))) {
                        written[0] = Math.max(ticks, s.get("updateCount", Integer.class, 0)) + 1;
                        String shown = s.get("startTime", String.class, "");
                        s.set("serverTime", now)
                                .set("updateCount", written[0])
                                .set("isConnected", true)
                                .set("startTime", shown.isEmpty() ? startTime : shown);
                    }
                });
                ticks = Math.max(ticks, written[0]);
            } catch (SessionUnavailableException | SessionEndedException e) {
                // The storage logged the outage once; the streams end with an ended session. Keep ticking.
                LOG.debug("a clock tick was skipped: {}", e.toString());
            } catch (RuntimeException e) {
                LOG.warn("a clock tick failed", e); // keep ticking: an escaped exception would end the task
            }
        }
    }
}
