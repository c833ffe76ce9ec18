package dev.starwire.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One SSE stream on the join path: writes the GET, reads the response headers, undoes chunked transfer
 * coding, counts events (blank lines) and finds the load tool's message markers in the event bytes.
 */
final class Stream {
    private static final int CONNECTING = 0;
    private static final int WRITING = 1;
    private static final int HEADERS = 2;
    private static final int BODY = 3;
    private static final int CLOSED = 4;

    private static final int CHUNK_SIZE = 0;
    private static final int CHUNK_EXT = 1;
    private static final int CHUNK_DATA = 2;
    private static final int CHUNK_AFTER = 3;

    private final Run run;
    private final SocketChannel channel;
    private final ByteBuffer request;
    private final long[] received;
    private int state = CONNECTING;

    private byte[] head = new byte[1024];
    private int headLength;
    private boolean chunked;
    private int chunkState = CHUNK_SIZE;
    private long chunkRemaining;

    private int events;
    private boolean previousNewline;
    private boolean joined;
    private int match;
    private long seq;
    private int digits;

    Stream(Run run, SocketChannel channel, ByteBuffer request) {
        this.run = run;
        this.channel = channel;
        this.request = request;
        this.received = new long[(run.messages + 63) / 64];
    }

    boolean joined() {
        return joined;
    }

    boolean closed() {
        return state == CLOSED;
    }

    /** The connection was established at once (possible on loopback). */
    void connected(SelectionKey key) {
        state = WRITING;
        key.interestOps(SelectionKey.OP_WRITE);
    }

    void handle(SelectionKey key, long now) {
        try {
            if (state == CONNECTING && key.isConnectable()) {
                if (!channel.finishConnect()) {
                    return;
                }
                state = WRITING;
                key.interestOps(SelectionKey.OP_WRITE);
            }
            if (state == WRITING && key.isWritable()) {
                channel.write(request);
                if (!request.hasRemaining()) {
                    state = HEADERS;
                    key.interestOps(SelectionKey.OP_READ);
                }
                return;
            }
            if ((state == HEADERS || state == BODY) && key.isReadable()) {
                read(now);
            }
        } catch (IOException e) {
            fail("I/O error: " + e.getMessage());
        }
    }

    private void read(long now) throws IOException {
        ByteBuffer buf = run.readBuffer;
        byte[] a = buf.array();
        while (true) {
            buf.clear();
            int n = channel.read(buf);
            if (n < 0) {
                fail(state == HEADERS ? "closed before the response headers" : "stream ended by the server");
                return;
            }
            if (n == 0) {
                return;
            }
            run.bytesRead += n;
            int off = 0;
            if (state == HEADERS) {
                off = headers(a, n);
                if (off < 0 || state == CLOSED) {
                    return;
                }
            }
            if (chunked) {
                dechunk(a, off, n, now);
            } else {
                sse(a, off, n, now);
            }
            if (state == CLOSED || n < buf.capacity()) {
                return;
            }
        }
    }

    /** Collects the header block; returns the offset of the first body byte in {@code a}, or -1 for more. */
    private int headers(byte[] a, int n) {
        for (int i = 0; i < n; i++) {
            if (headLength == head.length) {
                if (head.length >= 16 * 1024) {
                    fail("response headers larger than 16 KiB");
                    return -1;
                }
                head = java.util.Arrays.copyOf(head, head.length * 2);
            }
            head[headLength++] = a[i];
            if (headLength >= 4 && head[headLength - 1] == '\n' && head[headLength - 2] == '\r'
                    && head[headLength - 3] == '\n' && head[headLength - 4] == '\r') {
                String text = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
                head = null;
                if (!text.startsWith("HTTP/1.1 200") && !text.startsWith("HTTP/1.0 200")) {
                    fail("status " + text.lines().findFirst().orElse(""));
                    return -1;
                }
                String lower = text.toLowerCase(java.util.Locale.ROOT);
                if (!lower.contains("content-type: text/event-stream")) {
                    fail("not an event stream: " + text.replace("\r\n", " | "));
                    return -1;
                }
                chunked = lower.contains("transfer-encoding: chunked");
                state = BODY;
                return i + 1;
            }
        }
        return -1;
    }

    private void dechunk(byte[] a, int off, int end, long now) {
        int i = off;
        while (i < end) {
            switch (chunkState) {
                case CHUNK_SIZE, CHUNK_EXT -> {
                    byte b = a[i++];
                    if (b == '\n') {
                        if (chunkRemaining == 0) {
                            fail("stream ended by the server (last chunk)");
                            return;
                        }
                        chunkState = CHUNK_DATA;
                    } else if (chunkState == CHUNK_SIZE && b != '\r') {
                        int v = Character.digit(b, 16);
                        if (v >= 0) {
                            chunkRemaining = chunkRemaining * 16 + v;
                        } else if (b == ';' || b == ' ') {
                            chunkState = CHUNK_EXT;
                        } else {
                            fail("bad chunk size byte " + b);
                            return;
                        }
                    }
                }
                case CHUNK_DATA -> {
                    int take = (int) Math.min(chunkRemaining, end - i);
                    sse(a, i, i + take, now);
                    i += take;
                    chunkRemaining -= take;
                    if (chunkRemaining == 0) {
                        chunkState = CHUNK_AFTER;
                    }
                }
                default -> { // CRLF after the chunk data
                    if (a[i++] == '\n') {
                        chunkState = CHUNK_SIZE;
                    }
                }
            }
        }
    }

    /** Scans event bytes: a blank line ends an event; {@code #r<run>s<seq>#} marks a measured message. */
    private void sse(byte[] a, int off, int end, long now) {
        byte[] prefix = run.markerPrefix;
        int p = prefix.length;
        for (int i = off; i < end; i++) {
            byte b = a[i];
            if (b == '\n') {
                if (previousNewline) {
                    events++;
                    if (!joined && events >= run.readyEvents) {
                        joined = true;
                        run.joined(this);
                    }
                }
                previousNewline = true;
            } else if (b != '\r') {
                previousNewline = false;
            }
            if (match < p) {
                // '#' occurs only at the start of the prefix, so a mismatch can only restart at a '#'
                match = b == prefix[match] ? match + 1 : (b == '#' ? 1 : 0);
            } else if (b >= '0' && b <= '9' && digits < 9) {
                seq = seq * 10 + (b - '0');
                digits++;
            } else {
                if (b == '#' && digits > 0) {
                    receive((int) seq, now);
                    match = 0;
                } else {
                    match = b == '#' ? 1 : 0;
                }
                seq = 0;
                digits = 0;
            }
        }
    }

    private void receive(int s, long now) {
        if (s >= run.messages) {
            return;
        }
        long bit = 1L << (s & 63);
        if ((received[s >>> 6] & bit) != 0) {
            run.duplicates++;
            return;
        }
        received[s >>> 6] |= bit;
        run.delivered(s, now);
    }

    void fail(String why) {
        if (state != CLOSED) {
            boolean wasJoined = joined;
            state = CLOSED;
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            run.streamFailed(this, wasJoined, why);
        }
    }

    void close() {
        state = CLOSED;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
