package dev.starwire.signals;

/**
 * A listener registration; closing it stops the deliveries. Closing twice does nothing.
 *
 * <pre>{@code
 * SignalSubscription sub = store.onPatch(stream::send);
 * try { ... } finally { sub.close(); }
 * }</pre>
 */
@FunctionalInterface
public interface SignalSubscription extends AutoCloseable {

    /** Stops the deliveries; a delivery already running on another thread may still complete. */
    @Override
    void close();
}
