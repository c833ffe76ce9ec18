package dev.starwire.servlet.session;

import dev.starwire.DatastarEvent;
import dev.starwire.SseWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * For these tests only: a stream written by the request thread itself, so the session registry is exercised
 * without Starwire's streams. Apps use {@code starwire.stream(stream -> stream.session())}.
 */
final class BlockingSse {
    private final SseWriter writer;

    private BlockingSse(SseWriter writer) {
        this.writer = writer;
    }

    static BlockingSse open(HttpServletResponse res) {
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setHeader("Cache-Control", "no-cache");
        try {
            res.getOutputStream().flush();
            return new BlockingSse(new SseWriter(res.getOutputStream()));
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
