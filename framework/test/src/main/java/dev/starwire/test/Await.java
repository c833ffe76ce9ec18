package dev.starwire.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition outside any page, e.g. server-side state, without fixed sleeps: it returns as soon
 * as the condition holds and fails with the description after the timeout.
 *
 * <pre>{@code
 * Await.until("the stream to be gone", () -> app.openStreams() == 0);
 * Await.until("two tasks", () -> scheduler.tasks() == 2, Duration.ofSeconds(30));
 * }</pre>
 */
public final class Await {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    /** Waits up to 15 s until {@code condition} holds. */
    public static void until(String description, BooleanSupplier condition) {
        until(description, condition, DEFAULT_TIMEOUT);
    }

    /**
     * Waits until {@code condition} holds, checking every few milliseconds.
     *
     * @throws AssertionError when it still does not hold after {@code timeout}
     */
    public static void until(String description, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + description);
            }
            try {
                Thread.sleep(POLL_MILLIS); // a polling interval, not a synchronisation: the condition decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + description);
            }
        }
    }
}
