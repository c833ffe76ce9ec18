package dev.starwire.hub.internal;

import dev.starwire.hub.Hub;
import dev.starwire.hub.spi.Outbox;
import java.util.Objects;

/**
 * Not API. Lets {@link Outbox#open} create the hub's outboxes, whose implementation is package-private in
 * {@code dev.starwire.hub} next to the topics and subscriptions it works with (Java has no friend packages).
 * {@link Hub} installs the factory when its class is initialised; nothing else does. The module does not export
 * this package.
 */
public final class HubAccess {
    /** Creates an outbox of a hub. */
    @FunctionalInterface
    public interface OutboxFactory {
        /** See {@link Outbox#open}. */
        Outbox open(Hub hub, Runnable readable, Outbox.LiveWriter live, Runnable overflowed);
    }

    private static volatile OutboxFactory outboxes;

    private HubAccess() {
    }

    /**
     * Called once, by {@link Hub}'s static initialiser.
     *
     * @throws IllegalStateException when a factory is installed already
     */
    public static synchronized void install(OutboxFactory factory) {
        if (outboxes != null) {
            throw new IllegalStateException("the hub's outbox factory is installed already");
        }
        outboxes = Objects.requireNonNull(factory, "factory");
    }

    /** See {@link Outbox#open}. */
    public static Outbox openOutbox(Hub hub, Runnable readable, Outbox.LiveWriter live, Runnable overflowed) {
        // A Hub instance exists, so Hub's static initialiser has run and installed the factory.
        Objects.requireNonNull(hub, "hub");
        return outboxes.open(hub, readable, live, overflowed);
    }
}
