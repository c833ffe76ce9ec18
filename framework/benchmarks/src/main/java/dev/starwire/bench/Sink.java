package dev.starwire.bench;

import java.io.OutputStream;

/**
 * Stands in for a socket's output stream: copies what it receives into a fixed buffer (as a server's
 * response buffer does), so neither side of a benchmark can have its bytes optimised away.
 */
final class Sink extends OutputStream {
    private final byte[] buffer = new byte[32 * 1024];
    private int pos;
    long total;

    @Override
    public void write(int b) {
        if (pos == buffer.length) {
            pos = 0;
        }
        buffer[pos++] = (byte) b;
        total++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        total += len;
        while (len > 0) {
            if (pos == buffer.length) {
                pos = 0;
            }
            int n = Math.min(len, buffer.length - pos);
            System.arraycopy(b, off, buffer, pos, n);
            pos += n;
            off += n;
            len -= n;
        }
    }
}
