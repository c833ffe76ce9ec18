package dev.starwire.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.starwire.PatchElements;
import dev.starwire.SseWriter;
import dev.starwire.hub.spi.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** A listener that records what it receives, in order, and lets a test wait for a given message. */
class Collector implements Consumer<StoredEvent> {

    private final List<StoredEvent> events = new ArrayList<>();

    /** A real Datastar frame (as the hub would store it) whose HTML carries {@code text}. */
    static byte[] frame(String text) {
        return SseWriter.encode(PatchElements.of("<li id=\"m\">" + text + "</li>"));
    }

    /** The text put in by {@link #frame}, read back from a stored frame. */
    static String text(byte[] frame) {
        String sse = new String(frame, StandardCharsets.UTF_8);
        int start = sse.indexOf("<li id=\"m\">");
        int end = sse.indexOf("</li>");
        if (start < 0 || end < start) {
            throw new AssertionError("not a test frame: " + sse);
        }
        return sse.substring(start + "<li id=\"m\">".length(), end);
    }

    @Override
    public synchronized void accept(StoredEvent event) {
        events.add(event);
        notifyAll();
    }

    synchronized List<StoredEvent> events() {
        return List.copyOf(events);
    }

    List<String> ids() {
        return events().stream().map(StoredEvent::id).toList();
    }

    List<String> texts() {
        return events().stream().map(e -> text(e.frame())).toList();
    }

    /** Waits (up to {@code timeout}) until a received event has the text {@code marker}; returns all received. */
    List<StoredEvent> awaitText(String marker, Duration timeout) {
        return await(list -> list.stream().anyMatch(e -> text(e.frame()).equals(marker)), timeout,
                "the event '" + marker + "'");
    }

    synchronized List<StoredEvent> await(Predicate<List<StoredEvent>> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(events)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("timed out after " + timeout + " waiting for " + what + "; received " + events.size()
                        + " event(s)");
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        return List.copyOf(events);
    }

    /** Asserts the ids are strictly increasing in the backend's order. */
    static void assertStrictlyIncreasing(RedisTopicBackend backend, List<String> ids) {
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(backend.compare(ids.get(i - 1), ids.get(i)) < 0,
                    "ids out of order at " + i + ": " + ids.get(i - 1) + " then " + ids.get(i));
        }
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes. */
    static void awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
