package dev.starwire.hub;

import dev.starwire.hub.spi.StoredEvent;
import dev.starwire.hub.spi.TopicBackend;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Passes everything to another backend; tests override what they change. */
class DelegatingBackend implements TopicBackend {
    private final TopicBackend real;

    DelegatingBackend(TopicBackend real) {
        this.real = real;
    }

    @Override
    public CompletableFuture<String> append(String topic, byte[] frame) {
        return real.append(topic, frame);
    }

    @Override
    public AutoCloseable listen(String topic, Consumer<StoredEvent> listener) {
        return real.listen(topic, listener);
    }

    @Override
    public Optional<List<StoredEvent>> replay(String topic, String lastEventId, int maxEvents) {
        return real.replay(topic, lastEventId, maxEvents);
    }

    @Override
    public List<StoredEvent> recent(String topic, int maxEvents) {
        return real.recent(topic, maxEvents);
    }

    @Override
    public int compare(String a, String b) {
        return real.compare(a, b);
    }

    @Override
    public void close() {
        real.close();
    }
}
