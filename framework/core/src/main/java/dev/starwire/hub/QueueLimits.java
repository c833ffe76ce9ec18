package dev.starwire.hub;

/**
 * How much one subscriber may have waiting to be written before it counts as too slow and is disconnected:
 * a number of events and a number of bytes, whichever is reached first.
 *
 * <pre>{@code
 * Hub hub = Hub.builder().queueLimits(new QueueLimits(500, 1 << 20)).build();
 * }</pre>
 *
 * <p>A single event larger than {@code maxBytes} is still accepted into an empty queue, so one big patch
 * never disconnects a client that keeps up.
 *
 * @param maxEvents most events waiting at once, at least 1
 * @param maxBytes  most bytes waiting at once, at least 1
 */
public record QueueLimits(int maxEvents, long maxBytes) {
    /** 2,000 events or 8 MiB: room for a full replay of the default ring plus a burst of live events. */
    public static final QueueLimits DEFAULT = new QueueLimits(2000, 8L * 1024 * 1024);

    /** Checks both limits are positive. */
    public QueueLimits {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1: " + maxEvents);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1: " + maxBytes);
        }
    }
}
