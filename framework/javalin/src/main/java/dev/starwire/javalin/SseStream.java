package dev.starwire.javalin;

import dev.starwire.DatastarEvent;
import dev.starwire.FragmentCheck;
import dev.starwire.SseWriter;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An open Server-Sent Events response of one request. Every {@link #send} frames the event and flushes it.
 *
 * <pre>{@code
 * SseStream stream = Datastar.sse(ctx);
 * stream.send(PatchSignals.of(Map.of("isConnected", true)));
 * }</pre>
 */
public final class SseStream {
    private final SseWriter writer;

    SseStream(SseWriter writer) {
        this.writer = writer;
    }

    /**
     * Sends one event and flushes it to the client.
     *
     * @throws UncheckedIOException when the client has gone away
     */
    public synchronized SseStream send(DatastarEvent event) {
        try {
            writer.write(FragmentCheck.checkIfEnabled(event)).flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the client closed the stream", e);
        }
        return this;
    }
}
