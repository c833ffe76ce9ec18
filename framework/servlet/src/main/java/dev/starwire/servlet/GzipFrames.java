package dev.starwire.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * The gzip encoding of one stream. Frames go in; {@link #flush()} returns the compressed bytes up to a sync
 * point, so the client can decompress and apply every event at once instead of waiting for a full block.
 * Costs a deflater (a few hundred KiB of native memory) per stream while it is open.
 */
final class GzipFrames {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    private final GZIPOutputStream gzip;
    private boolean ended;

    GzipFrames() {
        try {
            gzip = new GZIPOutputStream(out, 1024, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
    }

    void add(byte[] frame) {
        try {
            gzip.write(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything added so far, compressed and sync-flushed; empty when nothing is pending. */
    byte[] flush() {
        try {
            gzip.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return take();
    }

    /** The rest of the stream and its trailer; releases the deflater. */
    byte[] finish() {
        end();
        return take();
    }

    /** Releases the deflater; idempotent. */
    void end() {
        if (!ended) {
            ended = true;
            try {
                gzip.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private byte[] take() {
        byte[] b = out.toByteArray();
        out.reset();
        return b;
    }
}
