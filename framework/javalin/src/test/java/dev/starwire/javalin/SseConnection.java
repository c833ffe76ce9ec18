package dev.starwire.javalin;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** A raw-socket HTTP/1.1 client for tests: sends one request and parses the SSE bytes of the response. */
final class SseConnection implements AutoCloseable {
    private final Socket socket;
    private final BufferedInputStream in;
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private InputStream body;

    /** One parsed SSE block: an event, a bare retry, or a comment. */
    record Block(String type, String id, List<String> data, Long retry, boolean comment) {
        String dataText() {
            return String.join("\n", data);
        }
    }

    private SseConnection(Socket socket, BufferedInputStream in, int status) {
        this.socket = socket;
        this.in = in;
        this.status = status;
    }

    static SseConnection get(int port, String path, String... headerLines) throws IOException {
        return request(port, "GET", path, null, 0, headerLines);
    }

    static SseConnection request(int port, String method, String path, byte[] body, int receiveBuffer,
                                 String... headerLines) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.setSoTimeout(30_000);
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        StringBuilder req = new StringBuilder();
        req.append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Accept: text/event-stream\r\n");
        for (String h : headerLines) {
            req.append(h).append("\r\n");
        }
        if (body != null) {
            req.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        req.append("\r\n");
        OutputStream out = s.getOutputStream();
        out.write(req.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        return read(s);
    }

    /** The response to a request already sent on {@code s}: its status and headers read, its body not yet. */
    static SseConnection read(Socket s) throws IOException {
        return read(s, new BufferedInputStream(s.getInputStream()));
    }

    private static SseConnection read(Socket s, BufferedInputStream in) throws IOException {
        String statusLine = line(in);
        SseConnection c = new SseConnection(s, in, Integer.parseInt(statusLine.split(" ")[1]));
        for (String h; !(h = line(in)).isEmpty(); ) {
            int colon = h.indexOf(':');
            c.headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        return c;
    }

    /**
     * Sends another GET on the same connection, once this response's body was read to its end, and reads the new
     * response's headers: the connection must have stayed usable (HTTP/1.1 persistence).
     */
    SseConnection next(String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + socket.getPort() + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return read(socket, in);
    }

    /** Sends a request that does not wait for the response's headers (for a client that never reads). */
    static Socket openSilently(int port, String path, int receiveBuffer, String... headerLines) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(receiveBuffer);
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
        for (String h : headerLines) {
            req.append(h).append("\r\n");
        }
        s.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        return s;
    }

    int status() {
        return status;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The whole body as text (for non-stream responses). */
    String bodyText() throws IOException {
        return new String(body().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The next SSE block, or {@code null} at the end of the stream. */
    Block next() throws IOException {
        InputStream b = body();
        String type = null;
        String id = null;
        Long retry = null;
        boolean comment = false;
        boolean any = false;
        List<String> data = new ArrayList<>();
        while (true) {
            String l = sseLine(b);
            if (l == null) {
                return null;
            }
            if (l.isEmpty()) {
                if (any) {
                    return new Block(type, id, data, retry, comment);
                }
                continue;
            }
            any = true;
            if (l.startsWith(":")) {
                comment = true;
            } else if (l.startsWith("event: ")) {
                type = l.substring(7);
            } else if (l.startsWith("id: ")) {
                id = l.substring(4);
            } else if (l.startsWith("retry: ")) {
                retry = Long.parseLong(l.substring(7));
            } else if (l.startsWith("data: ")) {
                data.add(l.substring(6));
            } else {
                throw new IOException("unexpected SSE line: " + l);
            }
        }
    }

    /** The next block that is an event (skips comments and bare retries), or {@code null} at the end. */
    Block nextEvent() throws IOException {
        for (Block b; (b = next()) != null; ) {
            if (b.type() != null) {
                return b;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private InputStream body() throws IOException {
        if (body == null) {
            InputStream raw = "chunked".equalsIgnoreCase(header("Transfer-Encoding")) ? new Chunked(in)
                    : header("Content-Length") != null
                    ? new Limited(in, Long.parseLong(header("Content-Length"))) : in;
            body = "gzip".equalsIgnoreCase(header("Content-Encoding")) ? new GZIPInputStream(raw, 64) : raw;
        }
        return body;
    }

    private static String sseLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c == -1) {
                return null;
            }
            if (c == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(c);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c == -1) {
                throw new EOFException("connection closed in the headers");
            }
            if (c == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(c);
        }
    }

    /** Decodes HTTP/1.1 chunked transfer coding. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (!ready()) {
                return -1;
            }
            int c = in.read();
            if (c == -1) {
                done = true;
                return -1;
            }
            left--;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!ready()) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n == -1) {
                done = true;
                return -1;
            }
            left -= n;
            return n;
        }

        private boolean ready() throws IOException {
            if (done) {
                return false;
            }
            if (left == 0) {
                String size;
                try {
                    size = line(in);
                    if (size.isEmpty()) {
                        size = line(in); // the CRLF after the previous chunk
                    }
                } catch (EOFException e) {
                    done = true;
                    return false;
                }
                int semi = size.indexOf(';');
                left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (left == 0) {
                    done = true;
                    while (!line(in).isEmpty()) {
                        // trailer fields, up to the blank line that ends the body
                    }
                    return false;
                }
            }
            return true;
        }
    }

    private static final class Limited extends InputStream {
        private final InputStream in;
        private long left;

        Limited(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = in.read();
            if (c != -1) {
                left--;
            }
            return c;
        }
    }
}
