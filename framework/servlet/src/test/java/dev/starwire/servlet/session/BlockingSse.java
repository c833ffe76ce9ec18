package dev.starwire.javalin.session;

import dev.starwire.DatastarEvent;
import dev.starwire.SseWriter;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * For these tests only: a stream written by the request thread itself, so the session registry is exercised
 * without the plugin's streams. Apps use {@code starwire.stream(stream -> stream.session())}.
 */
final class BlockingSse {
    private final SseWriter writer;

    private BlockingSse(SseWriter writer) {
        this.writer = writer;
    }

    static BlockingSse open(Context ctx) {
        ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache");
        try {
            ctx.res().getOutputStream().flush();
            return new BlockingSse(new SseWriter(ctx.res().getOutputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized BlockingSse send(DatastarEvent event) {
        try {
            writer.write(event).flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
