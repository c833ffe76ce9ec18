package dev.starwire.demo;

import dev.starwire.PatchSignals;
import dev.starwire.javalin.Datastar;
import dev.starwire.javalin.SseStream;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock's {@code GET /start-sse}: one patch-signals event per second with the server time and a counter.
 * Every clock shares one scheduler thread; a stream's task is cancelled as soon as its client is gone.
 */
final class ClockService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClockService.class);
    static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Duration period;
    private final AtomicInteger running = new AtomicInteger();

    ClockService(Clock clock, Duration period) {
        this.clock = clock;
        this.period = period;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-clock");
            t.setDaemon(true);
            return t;
        });
    }

    /** How many clock streams have a scheduled task right now. */
    int running() {
        return running.get();
    }

    void stream(Context ctx) {
        SseStream stream = Datastar.sse(ctx);
        CompletableFuture<Void> gone = new CompletableFuture<>();
        Ticker ticker = new Ticker(stream, gone);
        ScheduledFuture<?> task = scheduler.scheduleAtFixedRate(ticker, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        running.incrementAndGet();
        try {
            gone.join();
        } finally {
            task.cancel(false);
            running.decrementAndGet();
            LOG.debug("clock stream closed after {} updates", ticker.count);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** One stream's timer: the first tick also says connected and when it started. */
    private final class Ticker implements Runnable {
        private final SseStream stream;
        private final CompletableFuture<Void> gone;
        private int count;

        Ticker(SseStream stream, CompletableFuture<Void> gone) {
            this.stream = stream;
            this.gone = gone;
        }

        @Override
        public void run() {
            String now = LocalTime.now(clock).format(HMS);
            count++;
            Map<String, Object> patch = new LinkedHashMap<>();
            patch.put("serverTime", now);
            patch.put("updateCount", count);
            if (count == 1) {
                patch.put("isConnected", true);
                patch.put("startTime", now);
            }
            try {
                stream.send(PatchSignals.of(patch));
            } catch (UncheckedIOException closed) {
                gone.complete(null);
                throw closed; // stops the periodic task at once
            }
        }
    }
}
