package dev.starwire.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * One load run on one thread and one {@link Selector}: opens the streams, sends the messages one at a time
 * on a schedule, and records every delivery. Nothing here is thread-safe; nothing needs to be.
 */
final class Run {
    private static final long SAMPLE_EVERY_NANOS = 200_000_000L;
    private static final long POST_TIMEOUT_NANOS = 10_000_000_000L;

    final int messages;
    final int readyEvents;
    final byte[] markerPrefix;
    final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);

    private final Options o;
    private final InetSocketAddress address;
    private final Selector selector;
    private final ProcStats proc;
    private final long runId = ThreadLocalRandom.current().nextLong(100_000, 1_000_000);
    private final List<Stream> streams = new ArrayList<>();
    private final ByteBuffer joinRequest;

    private int opened;
    private int pending;
    int joinedCount;
    int failedBeforeJoin;
    int droppedAfterJoin;
    String firstStreamError;
    long bytesRead;

    private final long[] sendNanos;
    private int[] latenciesMicros = new int[1024];
    private int latencyCount;
    long delivered;
    long duplicates;
    long lastReceiptNanos;

    private Post post;
    private int postsDone;
    int sent;
    int attempted;
    int sendErrors;
    String firstSendError;
    long firstSendNanos;
    long lastSendNanos;
    long lastPostDoneNanos;

    private long nextSampleNanos;

    Run(Options o) throws IOException {
        this.o = o;
        this.messages = o.messages;
        this.readyEvents = o.readyEvents;
        this.markerPrefix = ("#r" + runId + "s").getBytes(StandardCharsets.US_ASCII);
        this.address = new InetSocketAddress("127.0.0.1", o.port);
        this.selector = Selector.open();
        this.proc = new ProcStats(o.pid);
        this.sendNanos = new long[o.messages];
        String query = java.net.URLEncoder.encode("{\"username\":\"bench\",\"messageText\":\"\",\"isConnected\":false}",
                StandardCharsets.UTF_8);
        this.joinRequest = ascii("GET " + o.joinPath + "?datastar=" + query + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + o.port + "\r\n"
                + "Accept: text/event-stream\r\n"
                + "Datastar-Request: true\r\n"
                + "\r\n");
    }

    Result execute() throws IOException {
        Result r = new Result(o);
        long start = System.nanoTime();
        long hardDeadline = start + o.timeoutSeconds * 1_000_000_000L;
        proc.sample();
        long cpuStart = proc.cpuMillis();

        // 1. join: open every stream, at most maxPending connections in flight at once
        long connectDeadline = Math.min(hardDeadline, start + o.connectSeconds * 1_000_000_000L);
        pump(connectDeadline, () -> joinedCount + failedBeforeJoin >= o.streams, true);
        r.joinSeconds = (System.nanoTime() - start) / 1e9;
        r.joined = joinedCount;
        log("joined %d of %d streams in %.1f s%s", joinedCount, o.streams, r.joinSeconds,
                firstStreamError == null ? "" : " (first error: " + firstStreamError + ")");

        // a moment for subscriptions made after the history was sent
        pump(Math.min(hardDeadline, System.nanoTime() + 300_000_000L), () -> false, false);

        if (joinedCount > 0 && o.warmup > 0) {
            Sender warm = new Sender(o.warmup, -1, o.warmupSeconds);
            pump(hardDeadline, () -> warm.tick(System.nanoTime()), false);
            pump(Math.min(hardDeadline, System.nanoTime() + 1_000_000_000L), () -> false, false);
            log("warm-up: %d of %d messages sent", sent, o.warmup);
            sendErrors = 0;
            firstSendError = null;
            sent = 0;
        }

        // the measured phase: the measured messages and their drain, or the idle hold
        Cpu before = Cpu.now(proc);
        if (joinedCount > 0 && o.messages > 0) {
            Sender measured = new Sender(o.messages, 0, o.sendSeconds);
            int joinedAtStart = joinedCount;
            pump(hardDeadline, () -> measured.tick(System.nanoTime()), false);
            attempted = sent + sendErrors;
            long drainDeadline = Math.min(hardDeadline, System.nanoTime() + o.drainSeconds * 1_000_000_000L);
            pump(drainDeadline, () -> delivered >= (long) joinedAtStart * sent, false);
            r.expected = (long) joinedAtStart * attempted;
        } else if (o.holdSeconds > 0) {
            pump(Math.min(hardDeadline, System.nanoTime() + o.holdSeconds * 1_000_000_000L), () -> false, false);
        }
        proc.sample();
        Cpu after = Cpu.now(proc);
        if (o.messages > 0 && o.holdSeconds > 0) {
            // streams stay open a while after the measured phase (e.g. for a heap or native memory snapshot)
            log("measured phase done; holding the streams %d s", o.holdSeconds);
            pump(Math.min(hardDeadline, System.nanoTime() + o.holdSeconds * 1_000_000_000L), () -> false, false);
            proc.sample();
        }

        r.sent = sent;
        r.attempted = attempted;
        r.sendErrors = sendErrors;
        r.firstSendError = firstSendError;
        r.delivered = delivered;
        r.duplicates = duplicates;
        r.droppedAfterJoin = droppedAfterJoin;
        r.failedBeforeJoin = failedBeforeJoin;
        r.firstStreamError = firstStreamError;
        if (sent > 0) {
            // the rate at which sends started: one message is in flight at a time
            double sendSeconds = (lastSendNanos - firstSendNanos) / 1e9;
            r.achievedRate = sendSeconds > 0 ? (attempted - 1) / sendSeconds : sent;
            double deliverSeconds = (lastReceiptNanos - firstSendNanos) / 1e9;
            r.deliveredPerSecond = deliverSeconds > 0 ? delivered / deliverSeconds : 0;
        }
        int[] lat = Arrays.copyOf(latenciesMicros, latencyCount);
        Arrays.sort(lat);
        if (lat.length > 0) {
            r.p50Millis = lat[(int) Math.min(lat.length - 1, Math.ceil(lat.length * 0.50) - 1)] / 1000.0;
            r.p99Millis = lat[(int) Math.min(lat.length - 1, Math.ceil(lat.length * 0.99) - 1)] / 1000.0;
            r.maxMillis = lat[lat.length - 1] / 1000.0;
        }
        r.measuredSeconds = (after.nanos - before.nanos) / 1e9;
        r.toolCpuSeconds = Cpu.seconds(before.self, after.self);
        r.machineBusySeconds = Cpu.seconds(before.machine, after.machine);
        if (proc.enabled()) {
            r.rssPeakMiB = proc.maxRssKb / 1024.0;
            r.hwmMiB = proc.hwmKb / 1024.0;
            r.serverThreads = proc.maxThreads;
            r.serverCpuSeconds = Cpu.seconds(before.server, after.server);
            r.serverCpuTotalSeconds = Cpu.seconds(cpuStart, after.server);
        }
        r.seconds = (System.nanoTime() - start) / 1e9;
        r.bytesRead = bytesRead;

        for (Stream s : streams) {
            s.close();
        }
        if (post != null && !post.done()) {
            post.timeout();
        }
        selector.close();
        return r;
    }

    /** Runs the selector loop until {@code done} holds or the deadline passes. */
    private void pump(long deadline, BooleanSupplier done, boolean connecting) throws IOException {
        while (!done.getAsBoolean()) {
            long now = System.nanoTime();
            if (now >= deadline) {
                return;
            }
            if (connecting) {
                while (pending < o.maxPending && opened < o.streams) {
                    open();
                }
            }
            if (post != null && !post.done() && now > post.deadline) {
                post.timeout();
            }
            long wakeAt = Math.min(deadline, nextSampleNanos);
            if (activeSender != null) {
                wakeAt = Math.min(wakeAt, activeSender.nextDue());
            }
            long waitMillis = (wakeAt - now) / 1_000_000;
            int n = waitMillis <= 0 ? selector.selectNow() : selector.select(Math.min(waitMillis, 200));
            if (n > 0) {
                now = System.nanoTime();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    Object a = key.attachment();
                    if (a instanceof Stream s) {
                        s.handle(key, now);
                    } else if (a instanceof Post p) {
                        p.handle(key, now);
                    }
                }
            }
            now = System.nanoTime();
            if (now >= nextSampleNanos) {
                proc.sample();
                nextSampleNanos = now + SAMPLE_EVERY_NANOS;
            }
        }
    }

    private void open() throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Stream s = new Stream(this, ch, joinRequest.duplicate());
        streams.add(s);
        opened++;
        pending++;
        ch.register(selector, SelectionKey.OP_CONNECT, s);
        if (ch.connect(address)) {
            s.connected(ch.keyFor(selector));
        }
    }

    void joined(Stream s) {
        joinedCount++;
        pending--;
    }

    void streamFailed(Stream s, boolean wasJoined, String why) {
        if (firstStreamError == null) {
            firstStreamError = why;
        }
        if (wasJoined) {
            droppedAfterJoin++;
            joinedCount--;
        } else {
            failedBeforeJoin++;
            pending--;
        }
    }

    void sending(int seq, long now) {
        if (seq >= 0) {
            sendNanos[seq] = now;
            lastSendNanos = now;
            if (seq == 0) {
                firstSendNanos = now;
            }
        }
    }

    void posted(int seq, String error) {
        postsDone++;
        lastPostDoneNanos = System.nanoTime();
        if (error != null) {
            sendErrors++;
            if (firstSendError == null) {
                firstSendError = error;
            }
        } else {
            sent++;
        }
    }

    void delivered(int seq, long now) {
        delivered++;
        lastReceiptNanos = now;
        if (latencyCount == latenciesMicros.length) {
            latenciesMicros = Arrays.copyOf(latenciesMicros, latenciesMicros.length * 2);
        }
        latenciesMicros[latencyCount++] = (int) Math.min(Integer.MAX_VALUE, (now - sendNanos[seq]) / 1000);
    }

    private Sender activeSender;

    /** Sends {@code count} messages, one in flight at a time, the i-th not before start + i / rate. */
    private final class Sender {
        private final int count;
        private final int firstSeq;
        private final long start = System.nanoTime();
        private final long interval = (long) (1e9 / o.rate);
        private final long maxSendNanos;
        private int next;

        Sender(int count, int firstSeq, int maxSeconds) {
            this.count = count;
            this.firstSeq = firstSeq;
            activeSender = this;
            this.maxSendNanos = maxSeconds * 1_000_000_000L;
        }

        long nextDue() {
            return post != null && !post.done() ? Long.MAX_VALUE : start + next * interval;
        }

        /** Starts the next message when due; true once all were sent and answered. */
        boolean tick(long now) {
            if (post != null && !post.done()) {
                return false;
            }
            if (next >= count || now - start > maxSendNanos) {
                activeSender = null;
                return true;
            }
            if (now < start + next * interval) {
                return false;
            }
            int seq = firstSeq < 0 ? -1 : next;
            String text = seq < 0 ? "warm-up message " + next : "load test message " + new String(markerPrefix,
                    StandardCharsets.US_ASCII) + seq + "#";
            next++;
            try {
                startPost(seq, text, now);
            } catch (IOException e) {
                posted(seq, "cannot connect: " + e.getMessage());
            }
            return false;
        }
    }

    private void startPost(int seq, String text, long now) throws IOException {
        byte[] body = ("{\"username\":\"bench\",\"messageText\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer req = ByteBuffer.allocate(512 + body.length);
        req.put(("POST " + o.sendPath + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + o.port + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Accept: text/event-stream, text/html, application/json\r\n"
                + "Datastar-Request: true\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
        req.put(body).flip();
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        post = new Post(this, ch, req, seq, now + POST_TIMEOUT_NANOS);
        ch.register(selector, SelectionKey.OP_CONNECT, post);
        if (ch.connect(address)) {
            post.connected(ch.keyFor(selector));
        }
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    }

    /** CPU counters at one instant: the server's, the load tool's and the whole machine's, in milliseconds. */
    private record Cpu(long nanos, long server, long self, long machine) {
        static Cpu now(ProcStats proc) {
            return new Cpu(System.nanoTime(), proc.cpuMillis(), ProcStats.selfCpuMillis(),
                    ProcStats.machineBusyMillis());
        }

        static double seconds(long from, long to) {
            return from >= 0 && to >= 0 ? (to - from) / 1000.0 : -1;
        }
    }

    static void log(String format, Object... args) {
        System.err.printf("[chat-load] " + format + "%n", args);
    }
}
