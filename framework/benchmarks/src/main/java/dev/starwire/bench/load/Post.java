package dev.starwire.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** One message POSTed on its own connection ({@code Connection: close}); done when the response is read. */
final class Post {
    private final Run run;
    private final SocketChannel channel;
    private final ByteBuffer request;
    private final int seq;
    final long deadline;
    private final ByteArrayOutputStream response = new ByteArrayOutputStream(512);
    private boolean connected;
    private boolean done;

    Post(Run run, SocketChannel channel, ByteBuffer request, int seq, long deadline) {
        this.run = run;
        this.channel = channel;
        this.request = request;
        this.seq = seq;
        this.deadline = deadline;
    }

    boolean done() {
        return done;
    }

    /** The connection was established at once (possible on loopback). */
    void connected(SelectionKey key) {
        connected = true;
        key.interestOps(SelectionKey.OP_WRITE);
    }

    void handle(SelectionKey key, long now) {
        try {
            if (!connected && key.isConnectable()) {
                if (!channel.finishConnect()) {
                    return;
                }
                connected = true;
                key.interestOps(SelectionKey.OP_WRITE);
            }
            if (connected && request.hasRemaining() && key.isWritable()) {
                if (request.position() == 0) {
                    run.sending(seq, System.nanoTime());
                }
                channel.write(request);
                if (!request.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
                return;
            }
            if (key.isReadable()) {
                ByteBuffer buf = run.readBuffer;
                while (true) {
                    buf.clear();
                    int n = channel.read(buf);
                    if (n < 0) {
                        finish(null);
                        return;
                    }
                    if (n == 0) {
                        break;
                    }
                    if (response.size() < 64 * 1024) {
                        response.write(buf.array(), 0, n);
                    }
                }
                if (complete()) {
                    finish(null);
                }
            }
        } catch (IOException e) {
            finish("I/O error: " + e.getMessage());
        }
    }

    /** True when a Content-Length or chunked body is complete (for servers that keep the connection). */
    private boolean complete() {
        byte[] r = response.toByteArray();
        String text = new String(r, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        int cl = head.indexOf("content-length:");
        if (cl >= 0) {
            int eol = head.indexOf("\r\n", cl);
            long length = Long.parseLong(head.substring(cl + 15, eol < 0 ? head.length() : eol).trim());
            return r.length - end - 4 >= length;
        }
        return head.contains("transfer-encoding: chunked") && text.endsWith("\r\n0\r\n\r\n");
    }

    void timeout() {
        finish("no response within the time limit");
    }

    private void finish(String error) {
        if (done) {
            return;
        }
        done = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        String text = response.toString(StandardCharsets.ISO_8859_1);
        if (error == null && !(text.startsWith("HTTP/1.1 2") || text.startsWith("HTTP/1.0 2"))) {
            int eol = text.indexOf('\r');
            error = "status " + (eol < 0 ? text : text.substring(0, eol));
        }
        run.posted(seq, error);
    }
}
