package dev.starwire.servlet;

import dev.starwire.SseWriter;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes one stream's frames to its connection with non-blocking servlet I/O ({@link WriteListener}): while
 * the connection takes bytes it writes the next queued frame, a due keepalive, or, when the stream closes, its
 * last frame; once nothing waits it flushes. When the connection refuses bytes it stops and the container calls
 * {@link #onWritePossible()} later, so an idle or slow stream holds no thread. Every byte comes from
 * {@link SseWriter}: queued frames were encoded there, and so are the keepalive and the last frame.
 *
 * <p>Thread-safe: drains run on the writer threads or the container's, one at a time (guarded by this).
 */
final class StreamWriter implements WriteListener {
    private static final byte[] KEEPALIVE = SseWriter.encodeComment("");
    private static final byte[] NOTHING = new byte[0];
    private static final int GZIP_BATCH = 64 * 1024;

    /** What the writer needs from its stream. */
    interface Source {
        /** The next queued frame, or {@code null}. */
        byte[] poll();

        /** Whether the stream is open (keepalives are written only then). */
        boolean isOpen();

        /** Whether the stream is closing: its queue and last frame are written, then it ends. */
        boolean isClosing();

        /** Whether the stream has ended: nothing more is written. */
        boolean isClosed();

        /** Everything, the last frame included, was written and flushed. */
        void written();

        /** Writing failed or cannot go on; the stream must be dropped. */
        void failed(String reason);
    }

    private final Source source;
    private final Executor writers;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = () -> {
        drainScheduled.set(false);
        drain();
    };
    private volatile boolean started;
    private volatile boolean keepAliveDue;
    private volatile byte[] lastFrame;
    private volatile long lastWriteNanos = System.nanoTime();
    /** When the connection last refused bytes with nothing accepted since; 0 while it accepts them. */
    private volatile long blockedSinceNanos;

    // guarded by this
    private ServletOutputStream out;
    private GzipFrames gzip;
    private boolean needFlush = true; // the headers go out at once
    private boolean lastWritten;

    StreamWriter(Source source, Executor writers) {
        this.source = source;
        this.writers = writers;
    }

    /** Starts writing to {@code out} (of an async request), compressed when {@code gzip}. */
    void start(ServletOutputStream out, boolean gzip) {
        synchronized (this) {
            this.out = out;
            this.gzip = gzip ? new GzipFrames() : null;
            out.setWriteListener(this);
        }
        started = true;
    }

    /** Schedules a drain on a writer thread unless one is already due. */
    void wake() {
        if (started && drainScheduled.compareAndSet(false, true)) {
            try {
                writers.execute(drainTask);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false);
                source.failed("the server is stopping");
            }
        }
    }

    /** Queues a keepalive comment unless something was written in the last {@code idleNanos}. */
    void keepAlive(long idleNanos) {
        if (System.nanoTime() - lastWriteNanos >= idleNanos) {
            keepAliveDue = true;
            wake();
        }
    }

    /** The frame written after the queue when the stream closes (e.g. a retry hint), or none. */
    void lastFrame(byte[] frame) {
        lastFrame = frame;
    }

    /**
     * Whether the connection has refused bytes for longer than {@code stallNanos}: the client stopped reading
     * (or its network is gone) while something waits to be written.
     */
    boolean stalledFor(long stallNanos, long now) {
        long since = blockedSinceNanos;
        return since != 0 && now - since > stallNanos;
    }

    /** Releases the compressor of a dropped stream. */
    synchronized void release() {
        if (gzip != null) {
            gzip.end();
        }
    }

    @Override
    public void onWritePossible() {
        drain();
    }

    @Override
    public void onError(Throwable t) {
        source.failed("the connection failed: " + t);
    }

    /** Writes while the connection accepts bytes without blocking; reports when all is written. */
    void drain() {
        boolean complete;
        try {
            synchronized (this) {
                if (out == null || source.isClosed()) {
                    return;
                }
                complete = writeWhileReady();
            }
        } catch (IOException | RuntimeException e) {
            source.failed("writing failed: " + e);
            return;
        }
        if (complete) {
            source.written();
        }
    }

    /** {@code true} when the stream is closing and everything, including its last flush, has been written. */
    private boolean writeWhileReady() throws IOException {
        while (ready()) {
            if (source.isClosed()) {
                return false;
            }
            byte[] chunk = gzip == null ? nextFrame() : nextCompressed();
            if (chunk != null) {
                if (chunk.length > 0) {
                    out.write(chunk);
                    lastWriteNanos = System.nanoTime();
                    needFlush = true;
                }
                continue;
            }
            if (needFlush) {
                needFlush = false;
                out.flush();
                continue;
            }
            return source.isClosing() && lastWritten;
        }
        return false; // the container calls onWritePossible when the connection takes bytes again
    }

    /** {@code out.isReady()}, remembering since when the connection refuses bytes. */
    private boolean ready() {
        if (out.isReady()) {
            blockedSinceNanos = 0;
            return true;
        }
        if (blockedSinceNanos == 0) {
            blockedSinceNanos = System.nanoTime();
        }
        return false;
    }

    private byte[] nextFrame() {
        byte[] frame = source.poll();
        if (frame != null) {
            return frame;
        }
        if (keepAliveDue) {
            keepAliveDue = false;
            if (source.isOpen()) {
                return KEEPALIVE;
            }
        }
        if (!lastWritten && source.isClosing()) {
            lastWritten = true;
            byte[] last = lastFrame;
            return last != null ? last : NOTHING;
        }
        return null;
    }

    private byte[] nextCompressed() {
        boolean any = false;
        for (int n = 0; n < GZIP_BATCH; ) {
            byte[] frame = nextFrame();
            if (frame == null) {
                break;
            }
            gzip.add(frame);
            n += frame.length;
            any = true;
            if (lastWritten) {
                return gzip.finish();
            }
        }
        return any ? gzip.flush() : null;
    }
}
