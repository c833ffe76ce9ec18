package dev.starwire.hub;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link HubStats}; LongAdders because many threads bump them at once. */
final class Counters {
    final LongAdder subscribers = new LongAdder();
    final LongAdder queuedBytes = new LongAdder();
    final LongAdder published = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder evicted = new LongAdder();
    final LongAdder replayHits = new LongAdder();
    final LongAdder resyncs = new LongAdder();

    HubStats snapshot() {
        return new HubStats(subscribers.sum(), queuedBytes.sum(), published.sum(), delivered.sum(), evicted.sum(),
                replayHits.sum(), resyncs.sum());
    }
}
