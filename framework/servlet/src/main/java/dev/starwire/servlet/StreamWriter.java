package dev.starwire.servlet;

import dev.starwire.SseWriter;
import dev.starwire.hub.spi.Outbox;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes one stream's frames to its connection, without blocking: while the connection takes bytes it writes the
 * queued frames, a due keepalive, or, when the stream closes, its last frame. Every byte comes from
 * {@link SseWriter}: queued frames were encoded there, and so are the keepalive and the last frame. Two ways:
 * <ul>
 *   <li><b>direct</b> ({@link ChunkedConnection}, on Jetty's HTTP/1.1): every frame waiting is copied into the
 *   thread's staging buffer and goes out as one chunk in one non-blocking socket write; only when the socket is
 *   full does the rest wait, in a buffer of the stream's own, for the connection to drain.</li>
 *   <li><b>portable</b> (Servlet non-blocking output, {@link WriteListener}; other containers, HTTP/2, gzip):
 *   writes frame by frame while {@code isReady()}, then flushes; the container calls {@link #onWritePossible()}
 *   when the connection takes bytes again.</li>
 * </ul>
 * Either way an idle or slow stream holds no thread.
 *
 * <p>A topic event that finds the stream with nothing queued is offered to {@link #write(byte[])} first, on the
 * fan-out's thread: on the direct way it goes to the socket at once, with no hand-off to a writer thread.
 *
 * <p>Thread-safe: drains and live writes run on the writer threads, the container's or a fan-out's, one at a
 * time (guarded by this).
 */
final class StreamWriter implements WriteListener, Outbox.LiveWriter {
    private static final byte[] KEEPALIVE = SseWriter.encodeComment("");
    private static final byte[] NOTHING = new byte[0];
    private static final int GZIP_BATCH = 64 * 1024;
    /** A thread's staging buffer for direct writes: one chunk, at most this big, per write. */
    static final int STAGING_BYTES = 64 * 1024;
    /** Room for a chunk's size line ({@code <hex>\r\n}) in front of its bytes: at most 8 hex digits for an int. */
    private static final int HEADER_ROOM = 10;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final long ACTIVITY_NOTICE_NANOS = 100_000_000L;
    private static final ThreadLocal<Staging> STAGING = ThreadLocal.withInitial(Staging::new);

    /** A thread's staging buffer for direct writes, and whether a direct write of that thread is filling it. */
    private static final class Staging {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(STAGING_BYTES);
        boolean busy;
        /** The frame whose chunk the buffer holds from {@link #chunkStart} to {@link #chunkEnd}, or null. */
        private byte[] chunkFrame;
        private int chunkStart;
        private int chunkEnd;

        /** {@code frame} as one chunk in the buffer (built once for a run of calls with the same frame), or null. */
        ByteBuffer chunkOf(byte[] frame) {
            if (chunkFrame != frame) {
                if (frame.length > STAGING_BYTES - HEADER_ROOM - 2) {
                    return null;
                }
                buffer.clear().position(HEADER_ROOM);
                buffer.put(frame);
                chunkEnd = frameChunk(buffer);
                chunkStart = buffer.position();
                chunkFrame = frame;
            }
            return buffer.limit(chunkEnd).position(chunkStart);
        }
    }

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
    private final WriterThreads.Worker worker;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** The next writer in its thread's ready set; owned by {@link WriterThreads}. */
    StreamWriter nextReady;
    private volatile boolean started;
    private volatile boolean keepAliveDue;
    private volatile byte[] lastFrame;
    private volatile long lastWriteNanos = System.nanoTime();
    /** When the connection last refused bytes with nothing accepted since; 0 while it accepts them. */
    private volatile long blockedSinceNanos;
    /** Why a write on a fan-out's thread failed; the writer thread fails the stream with it. */
    private volatile String failure;

    // guarded by this
    private ServletOutputStream out;
    private GzipFrames gzip;
    private boolean needFlush = true; // the headers go out at once
    private boolean lastWritten;
    private ChunkedConnection direct;
    /** {@link ChunkedConnection#socket} of {@link #direct}: chunks are written to it here, when it has one. */
    private SocketChannel socket;
    /** When a write straight to {@link #socket} was last reported to the connection ({@link System#nanoTime()}). */
    private long activityReported;
    /** The stream was dropped: nothing more may reach its connection. */
    private boolean released;
    /** A direct write is waiting for the socket to drain. */
    private boolean pending;
    /** A frame taken from the queue that did not fit in the last chunk. */
    private byte[] carry;

    StreamWriter(Source source, WriterThreads.Worker worker) {
        this.source = source;
        this.worker = worker;
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

    /** Starts writing chunks straight to {@code connection}; the response's headers were written. */
    void start(ChunkedConnection connection) {
        synchronized (this) {
            this.direct = connection;
            this.socket = connection.socket();
            this.activityReported = System.nanoTime();
        }
        started = true;
    }

    /** Schedules a drain on the stream's writer thread unless one is already due. */
    void wake() {
        if (started && drainScheduled.compareAndSet(false, true) && !worker.ready(this)) {
            drainScheduled.set(false);
            source.failed("the server is stopping");
        }
    }

    /**
     * A topic's live event for this stream, whose outbox is empty ({@link Outbox.LiveWriter}):
     * written at once on the fan-out's thread when the stream writes directly to its connection and nothing of
     * its own waits (a pending write, a frame carried over, its end). The chunk is built once per event and
     * thread, and every subscriber's socket gets the same bytes, as a plain server writes. When the socket takes
     * only part, the rest becomes the stream's pending write. A failed write is reported by the writer thread.
     *
     * @return {@code false} when the event must be queued instead
     */
    @Override
    public boolean write(byte[] frame) {
        if (!started) {
            return false;
        }
        Staging staging = STAGING.get();
        if (staging.busy) {
            return false; // this thread is in a write already: its staging buffer is taken
        }
        synchronized (this) {
            // Not after the last frame was taken or the stream was dropped: checked here, on this object, so that
            // a live write reads no other object of the stream before its socket.
            if (direct == null || pending || carry != null || lastWritten || released) {
                return false;
            }
            ByteBuffer chunk = staging.chunkOf(frame);
            if (chunk == null) {
                return false; // bigger than the staging buffer: the writer thread writes it
            }
            try {
                writeOrKeepRest(chunk);
                return true;
            } catch (IOException | RuntimeException e) {
                failure = "writing failed: " + e;
                return false; // queued; the writer thread drops the stream with this failure
            }
        }
    }

    /** Called by the writer thread for a woken stream. */
    void runScheduledDrain() {
        drainScheduled.set(false);
        drain();
    }

    /** Queues a keepalive comment if nothing was written since {@code cutoffNanos} ({@link System#nanoTime()}). */
    void keepAliveIfIdleSince(long cutoffNanos) {
        if (lastWriteNanos - cutoffNanos <= 0) {
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

    /** The stream was dropped: nothing more reaches its connection (a live write is refused), its compressor ends. */
    synchronized void release() {
        released = true;
        if (gzip != null) {
            gzip.end();
        }
        carry = null;
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
        String failed = failure;
        if (failed != null) {
            source.failed(failed);
            return;
        }
        boolean complete;
        try {
            synchronized (this) {
                if (source.isClosed()) {
                    return;
                }
                if (direct != null) {
                    complete = writeDirect();
                } else if (out != null) {
                    complete = writeWhileReady();
                } else {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            source.failed("writing failed: " + e);
            return;
        }
        if (complete) {
            source.written();
        }
    }

    /**
     * Direct writes: every frame waiting, as one chunk per write, until nothing waits or the socket is full.
     * {@code true} when the stream is closing and everything, its last frame included, was written.
     */
    private boolean writeDirect() throws IOException {
        if (pending) {
            return false; // the pending write's completion wakes the stream again
        }
        Staging staging = STAGING.get();
        staging.busy = true;
        staging.chunkFrame = null; // the buffer is about to hold other bytes
        try {
            return writeChunks(staging.buffer);
        } finally {
            staging.busy = false;
        }
    }

    private boolean writeChunks(ByteBuffer staging) throws IOException {
        while (true) {
            if (source.isClosed()) {
                return false;
            }
            ByteBuffer chunk = nextChunk(staging);
            if (chunk == null) {
                return source.isClosing() && lastWritten;
            }
            if (!writeOrKeepRest(chunk)) {
                return false;
            }
        }
    }

    /**
     * Writes {@code chunk} now, or as much of it as the socket takes and the rest as it drains
     * ({@link #writeRest}). {@code true} when all of it went out now (the stall clock stops, with a volatile store
     * only when it ran).
     */
    private boolean writeOrKeepRest(ByteBuffer chunk) throws IOException {
        if (!flush(chunk)) {
            writeRest(chunk);
            return false;
        }
        if (blockedSinceNanos != 0) {
            blockedSinceNanos = 0;
        }
        return true;
    }

    /**
     * Writes as much of {@code chunk} as the connection takes now: straight to its plain socket when it has one
     * (reporting the activity to the connection at most every 100 ms: its idle timeout is seconds), else through
     * the connection. {@code true} when all of it was written.
     */
    private boolean flush(ByteBuffer chunk) throws IOException {
        long now = System.nanoTime();
        lastWriteNanos = now;
        SocketChannel s = socket;
        if (s == null) {
            return direct.flush(chunk);
        }
        if (s.write(chunk) > 0 && now - activityReported > ACTIVITY_NOTICE_NANOS) {
            activityReported = now;
            direct.active();
        }
        return !chunk.hasRemaining();
    }

    /**
     * The socket is full: keeps the rest of {@code chunk} in a buffer of this stream's (the staging buffer is the
     * thread's) for the connection to write as the client reads; the stall clock starts now. Its completion wakes
     * the stream again.
     */
    private void writeRest(ByteBuffer chunk) {
        ByteBuffer rest = ByteBuffer.allocate(chunk.remaining()).put(chunk).flip();
        blockedSinceNanos = System.nanoTime();
        pending = true;
        direct.write(rest, new ChunkedConnection.Completion() {
            @Override
            public void written() {
                synchronized (StreamWriter.this) {
                    pending = false;
                }
                blockedSinceNanos = 0;
                lastWriteNanos = System.nanoTime();
                wake();
            }

            @Override
            public void failed(Throwable cause) {
                String reason = "the connection failed: " + cause;
                if (Thread.holdsLock(StreamWriter.this)) {
                    // Failed at once, inside writeRest (possibly in a topic's fan-out): the writer thread drops it.
                    failure = reason;
                    wake();
                } else {
                    source.failed(reason); // the connection's own thread: drop it now, before the container moves on
                }
            }
        });
    }

    /**
     * The frames waiting (up to the staging buffer's size) as one chunk, in the staging buffer or, for a frame too
     * big for it, in a buffer of its own; {@code null} when nothing waits.
     */
    private ByteBuffer nextChunk(ByteBuffer staging) {
        staging.clear().position(HEADER_ROOM);
        int limit = STAGING_BYTES - 2; // room for the chunk's trailing CRLF
        while (true) {
            byte[] frame = carry;
            if (frame != null) {
                carry = null;
            } else {
                frame = nextFrame();
                if (frame == null) {
                    break;
                }
            }
            if (frame.length == 0) {
                continue;
            }
            if (frame.length > limit - staging.position()) {
                if (staging.position() > HEADER_ROOM) {
                    carry = frame; // the next chunk starts with it
                    break;
                }
                return chunkOf(frame); // bigger than the staging buffer: a chunk of its own
            }
            staging.put(frame);
        }
        if (staging.position() == HEADER_ROOM) {
            return null;
        }
        int end = frameChunk(staging);
        return staging.limit(end);
    }

    /**
     * Frames the bytes from {@link #HEADER_ROOM} to {@code buffer}'s position as one chunk: its size line goes
     * in front of them, CRLF after them. Leaves the position at the chunk's first byte; returns its end.
     */
    private static int frameChunk(ByteBuffer buffer) {
        int size = buffer.position() - HEADER_ROOM;
        buffer.put((byte) '\r').put((byte) '\n');
        int end = buffer.position();
        int start = HEADER_ROOM - 2;
        buffer.put(start, (byte) '\r').put(start + 1, (byte) '\n');
        for (int n = size; ; n >>>= 4) {
            buffer.put(--start, HEX[n & 0xf]);
            if (n < 16) {
                break;
            }
        }
        buffer.position(start);
        return end;
    }

    /** A frame too big for the staging buffer as a chunk of its own, framed as every other chunk. */
    private static ByteBuffer chunkOf(byte[] frame) {
        ByteBuffer chunk = ByteBuffer.allocate(HEADER_ROOM + frame.length + 2).position(HEADER_ROOM).put(frame);
        int end = frameChunk(chunk);
        return chunk.limit(end);
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
